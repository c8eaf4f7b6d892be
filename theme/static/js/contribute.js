// Contribute page: a form that writes one entry file in the browser, checks it
// against the published schema and the body rules of plugins/casehub/rules.py,
// previews it and hands it to GitHub's "new file" editor. Loaded only on the
// Contribute page, as an external module (the Content-Security-Policy allows
// no inline script and no eval, so the validator below is a small interpreter
// of the schema, not compiled code). User text is only ever written with
// textContent. Nothing is sent anywhere: the page reads the schema and the
// sitemap from its own site, and GitHub sees the file only when the
// contributor follows the link.
const form = document.getElementById("entry-form");
const byId = id => document.getElementById(id);
const LABELS = JSON.parse(form.dataset.labels || "{}");
const BRANCH = "main";
const MAX_URL = 8000;  // GitHub answers longer addresses with an error (its limit is 8 KB)
const PAGE_TITLE = document.title;
// Mirrors RESERVED_IDS in plugins/casehub/project.py; ids of existing pages come from the sitemap.
const RESERVED = new Set(("404 about all archive assets collections contribute council-types data drafts entries " +
  "favicon feeds feed fields hubs index open-data organisations page pages pagefind regions review robots schema " +
  "search sitemap stages static stats tags theme topics types").split(" "));
const NATIONS = {england: "England", scotland: "Scotland", wales: "Wales", "northern-ireland": "Northern Ireland", uk: "UK-wide"};

// --- (a) A JSON Schema validator for the subset entry.schema.json uses ------
// Findings carry a JSON pointer, a rule and the same plain-English message and
// hint as plugins/casehub/schema.py gives for the same problem.

const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const NOUNS = {array: "a list", object: "a group of fields", boolean: "true or false", string: "text",
  number: "a number", integer: "a whole number"};
const TYPE_HINTS = {boolean: "use true or false", array: "write a list, one '- item' per line",
  object: "write its fields on the indented lines below it", integer: "write a whole number, without units or commas"};

const length = text => Array.from(text).length;  // code points, as Python counts them
const joinPointer = (pointer, token) => `${pointer}/${String(token).replace(/~/g, "~0").replace(/\//g, "~1")}`;
const isObject = value => value !== null && typeof value === "object" && !Array.isArray(value);
const canonical = value => JSON.stringify(value, (key, v) => isObject(v) ? Object.fromEntries(Object.entries(v).sort()) : v);

function describe(value) {
  if (value === null || value === undefined) return "empty";
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (isObject(value)) return "a group of fields";
  const text = Array.from(String(value));
  return text.length > 60 ? `'${text.slice(0, 60).join("")}…'` : `'${text.join("")}'`;
}

// difflib.SequenceMatcher(None, a, b).ratio(), for the short strings of a vocabulary (no junk heuristics).
function similarity(first, second) {
  const [a, b] = [Array.from(first), Array.from(second)];
  const where = new Map();
  b.forEach((char, j) => where.set(char, [...(where.get(char) || []), j]));
  let matched = 0;
  const queue = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop();
    let [besti, bestj, best] = [alo, blo, 0];
    let lengths = new Map();
    for (let i = alo; i < ahi; i++) {
      const next = new Map();
      for (const j of where.get(a[i]) || []) {
        if (j < blo) continue;
        if (j >= bhi) break;
        const k = (lengths.get(j - 1) || 0) + 1;
        next.set(j, k);
        if (k > best) [besti, bestj, best] = [i - k + 1, j - k + 1, k];
      }
      lengths = next;
    }
    if (!best) continue;
    matched += best;
    if (alo < besti && blo < bestj) queue.push([alo, besti, blo, bestj]);
    if (besti + best < ahi && bestj + best < bhi) queue.push([besti + best, ahi, bestj + best, bhi]);
  }
  return a.length + b.length ? 2 * matched / (a.length + b.length) : 1;
}

// schema.py's _suggest: difflib.get_close_matches(value.lower(), choices, n=1, cutoff=0.6), else the choices.
function suggest(value, choices) {
  if (typeof value === "string") {
    const scored = choices.map(choice => [similarity(String(choice), value.toLowerCase()), String(choice)])
      .filter(([score]) => score >= 0.6).sort((x, y) => y[0] - x[0] || (y[1] > x[1] ? 1 : -1));
    if (scored.length) return `did you mean '${scored[0][1]}'?`;
  }
  return `use one of: ${choices.slice(0, 12).join(", ")}${choices.length > 12 ? ", …" : ""}`;
}

function typeHint(expected, value) {
  if (value === null) return "fill in a value, or delete the line";
  if (expected === "number") {
    if (typeof value === "string" && /^\d+$/.test(value.replace(".", "").replace(/^-+/, ""))) {
      return `write the number without trailing zeros or leading zeros (${Number(parseFloat(value).toPrecision(6))})`;
    }
    return "write a plain number, without units, commas or a currency sign";
  }
  if (expected === "string") return "put the value in quotes";
  return TYPE_HINTS[expected] || `use a ${expected}`;
}

function hasType(value, type) {
  return {string: typeof value === "string", number: typeof value === "number" && Number.isFinite(value),
    integer: Number.isInteger(value), boolean: typeof value === "boolean", array: Array.isArray(value),
    object: isObject(value), null: value === null}[type] || false;
}

function realDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return year >= 1 && month >= 1 && month <= 12 && day >= 1
    && day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const FORMATS = {date: realDate, email: text => text.includes("@")};

export function validate(schema, data) {
  const resolve = ref => ref.replace(/^#\//, "").split("/")
    .reduce((node, key) => node[key.replace(/~1/g, "/").replace(/~0/g, "~")], schema);

  function check(node, value, pointer, out) {
    const add = (kind, message, hint, where = pointer) => out.push({pointer: where, rule: `schema-${kind}`, message, hint});
    const about = node.description || "";
    if (node.$ref) check(resolve(node.$ref), value, pointer, out);
    if (node.type && ![].concat(node.type).some(type => hasType(value, type))) {
      const expected = [].concat(node.type)[0];
      add("type", `${describe(value)} should be ${NOUNS[expected]}`, typeHint(expected, value));
    }
    if ("const" in node && canonical(value) !== canonical(node.const)) {
      add("const", `${describe(value)} was expected to be ${describe(node.const)}`, about);
    }
    if (node.enum && !node.enum.some(choice => canonical(choice) === canonical(value))) {
      add("enum", `${describe(value)} is not an allowed value`, suggest(value, node.enum));
    }
    if (typeof value === "string") {
      if (node.minLength !== undefined && length(value) < node.minLength) {
        add("minLength", `the text is ${length(value)} characters long, under the minimum of ${node.minLength}`,
          `say a little more: ${about}`);
      }
      if (node.maxLength !== undefined && length(value) > node.maxLength) {
        add("maxLength", `the text is ${length(value)} characters long, over the limit of ${node.maxLength}`,
          `shorten it by ${length(value) - node.maxLength} characters`);
      }
      if (node.pattern && !new RegExp(node.pattern, "u").test(value)) {
        add("pattern", `${describe(value)} is not in the expected form`, about);
      }
      if (node.format === "date" && !realDate(value)) {
        add("format", `${describe(value)} is not a real date`, "write dates as YYYY-MM-DD, for example 2024-03-31");
      } else if (FORMATS[node.format] && !FORMATS[node.format](value)) {
        add("format", `${describe(value)} is not a valid ${node.format}`, about);
      }
    }
    if (Array.isArray(value)) {
      if (node.minItems !== undefined && value.length < node.minItems) {
        add("minItems", `the list needs at least ${node.minItems} item(s)`, about || "add an item");
      }
      if (node.maxItems !== undefined && value.length > node.maxItems) {
        add("maxItems", `the list has ${value.length} items, more than ${node.maxItems}`, "keep the most important ones");
      }
      if (node.uniqueItems) {
        const seen = new Set();
        value.forEach((item, index) => {
          const key = canonical(item);
          if (seen.has(key)) add("uniqueItems", `${describe(item)} appears more than once`, "delete the repeat", joinPointer(pointer, index));
          seen.add(key);
        });
      }
      if (isObject(node.items)) value.forEach((item, index) => check(node.items, item, joinPointer(pointer, index), out));
    }
    if (isObject(value)) {
      const properties = node.properties || {};
      for (const name of node.required || []) {
        if (!(name in value)) {
          const what = (properties[name] || {}).description || "";
          add("required", `'${name}' is missing`, `add '${name}:' — ${what}`.replace(/[ —]+$/, ""), joinPointer(pointer, name));
        }
      }
      for (const [name, child] of Object.entries(value)) {
        if (name in properties) check(properties[name], child, joinPointer(pointer, name), out);
        else if (node.additionalProperties === false) {
          add("additionalProperties", `'${name}' is not a field Casehub knows`,
            suggest(name, Object.keys(properties)).replace("use one of", "remove it, or use one of"), joinPointer(pointer, name));
        } else if (isObject(node.additionalProperties)) check(node.additionalProperties, child, joinPointer(pointer, name), out);
      }
    }
    if (node.anyOf && !node.anyOf.some(branch => errors(branch, value, pointer).length === 0)) {
      if ((node.properties || {}).email) {
        add("anyOf", "the contact has neither an email nor a url",
          "add the team's shared mailbox as 'email:' or its contact page as 'url:'");
      } else add("anyOf", `${describe(value)} is not valid under any of the given schemas`, about);
    }
    for (const branch of node.allOf || []) check(branch, value, pointer, out);
    if (node.if) {
      const branch = errors(node.if, value, pointer).length === 0 ? node.then : node.else;
      if (branch) check(branch, value, pointer, out);
    }
  }
  function errors(node, value, pointer) {
    const out = [];
    check(node, value, pointer, out);
    return out;
  }
  return errors(schema, data, "");
}

// --- (b) The checks from rules.py that matter in a form -------------------
// The same patterns as rules.py. JavaScript's \w, \d and \b know only ASCII,
// where Python's know every script: around non-Latin text these can flag a
// little more than the Python validator, never less in Latin text.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CODE_SPAN = /(`+)(?:(?!\1).)+?\1/g;
const HTML = /<!--|<\?|<!\[CDATA\[|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>|<\/?[A-Za-z][A-Za-z0-9-]*\s*$/;
const UNSAFE_LINK = new RegExp(String.raw`(?:\]\(|\]:|<|\bhref\s*=\s*["']?)\s*<?\s*(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|` +
  String.raw`v\s*b\s*s\s*c\s*r\s*i\s*p\s*t|data|file)\s*:`, "gi");
const IMAGE = /!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+["'][^)]*["'])?\s*\)/g;
const HEADING = /^##[ \t]+(.+?)[ \t#]*$/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const PHONE_SOURCE = String.raw`(?<![\w+])(?:\+44[\s-]?\(?0?\)?[\s-]?|\(?0)[1-9]\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)`;
const PHONE = new RegExp(PHONE_SOURCE, "g");
const PHONE_AT = new RegExp(PHONE_SOURCE, "y");
const NI_NUMBER = /\b(?![DFIQUV])[A-CEGHJ-PR-TW-Z](?![DFIOQUV])[A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/g;
const NHS_CANDIDATE = /(?<![\d£$.,])(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?![\d.,])/g;
// The loader refuses these (controls, bidirectional overrides, a stray BOM), and a broken UTF-16 pair.
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PRIVATE = "remove it before you share the entry: pull requests are public; " +
  "put a team mailbox or contact page in 'contact' instead";

const foldHeading = text => text.toLowerCase().replace(/’/g, "'").replace(/'/g, "").replace(/[^a-z0-9]+/g, " ").trim();

function* bodyLines(lines) {
  let fence = null;
  let previousBlank = true;
  for (const [index, text] of lines.entries()) {
    const match = FENCE.exec(text);
    if (fence) {
      if (match && match[1][0] === fence[0] && match[1].length >= fence.length) fence = null;
      continue;
    }
    if (match) {
      fence = match[1];
      continue;
    }
    const indented = (text.startsWith("    ") || text.startsWith("\t")) && previousBlank;
    previousBlank = !text.trim() || (indented && previousBlank);
    if (!indented) yield [index, text.replace(CODE_SPAN, span => " ".repeat(span.length))];
  }
}

function nhsChecksumOk(digits) {
  let total = 0;
  for (let i = 0; i < 9; i++) total += Number(digits[i]) * (10 - i);
  const check = 11 - total % 11 === 11 ? 0 : 11 - total % 11;
  return check !== 10 && check === Number(digits[9]);
}

function* personalData(text) {
  for (const match of text.matchAll(EMAIL)) yield "an e-mail address";
  for (const match of text.matchAll(PHONE)) yield "a UK phone number";
  for (const match of text.matchAll(NI_NUMBER)) yield "a National Insurance number";
  for (const match of text.matchAll(NHS_CANDIDATE)) {
    PHONE_AT.lastIndex = match.index;
    if (nhsChecksumOk(match[1] + match[2] + match[3]) && !PHONE_AT.test(text)) yield "an NHS number";
  }
}

// Every string in the front matter with its pointer (outside `contact` for personal data).
function* texts(value, pointer = "") {
  if (isObject(value)) for (const [key, child] of Object.entries(value)) yield* texts(child, joinPointer(pointer, key));
  if (Array.isArray(value)) for (const [index, child] of value.entries()) yield* texts(child, joinPointer(pointer, index));
  if (typeof value === "string") yield [pointer, value];
}

export function ruleFindings(meta, bodyText, typeTerm, typeId) {
  const found = [];
  const lines = bodyText.split("\n");
  const add = (line, rule, message, hint, extra = {}) => found.push({pointer: "#body", line, rule, message, hint, ...extra});
  const prose = [...bodyLines(lines)];
  if (typeTerm) {
    const present = new Set(prose.map(([, text]) => HEADING.exec(text)).filter(Boolean).map(m => foldHeading(m[1])));
    for (const section of typeTerm.sections || []) {
      if (!present.has(foldHeading(section))) {
        add(0, "required-sections", `a ${typeTerm.label.toLowerCase()} needs a '## ${section}' section`,
          `add a line '## ${section}' and write under it (see examples/${typeId}.md)`, {section});
      }
    }
  }
  for (const [line, text] of prose) {
    if (/^#(?!#)\s/.test(text)) {
      add(line, "heading-level", "the body has a top-level heading (# …); the title is already the page's heading",
        "start sections with ## instead");
    }
  }
  for (const [line, text] of prose) {
    if (HTML.test(text)) {
      add(line, "no-raw-html", "the body contains raw HTML, which Casehub does not publish",
        "use Markdown instead: ## for headings, **bold**, [text](https://…) for links, a blank line for a new paragraph");
    }
  }
  lines.forEach((text, line) => {
    for (const match of text.matchAll(UNSAFE_LINK)) {
      add(line, "safe-link", "a link uses a javascript:, data: or file: address",
        "link only to web addresses (https://…) or to images beside the entry");
    }
  });
  for (const [line, text] of prose) {
    for (const match of text.matchAll(IMAGE)) {
      if (!match[1].trim()) {
        add(line, "image-alt", "the image has no alternative text",
          "describe the image between the square brackets: ![A chart of visits by month](chart.png)");
      }
      if (match[2] && !/^https?:\/\//i.test(match[2])) {
        add(line, "image-local", "the image is not inside the entry's own folder",
          "make the entry a folder (casestudies/<id>/index.md) and put the image beside it");
      }
    }
  }
  const strings = [...texts(meta)];
  for (const [pointer, text] of strings) {
    if (pointer.startsWith("/contact/")) continue;
    for (const kind of personalData(text)) found.push({pointer, rule: "personal-data", message: `this looks like ${kind}`, hint: PRIVATE});
  }
  lines.forEach((text, line) => {
    for (const kind of personalData(text)) add(line, "personal-data", `this looks like ${kind}`, PRIVATE);
  });
  const controls = [...strings, ...lines.map((text, line) => ["#body", text, line])];
  for (const [pointer, text, line] of controls) {
    const match = FORBIDDEN.exec(text);
    if (!match) continue;
    const code = match[0].codePointAt(0);
    const kind = code >= 0x61c && code <= 0x2069 ? "a bidirectional-text control character" : "an invisible control character";
    found.push({pointer, line, rule: "control-character",
      message: `the file contains ${kind} (U+${code.toString(16).toUpperCase().padStart(4, "0")})`,
      hint: "delete it; if you pasted this text, retype the line"});
  }
  return found;
}

export function idFindings(id, taken) {
  const finding = (rule, message, hint) => [{pointer: "#id", rule, message, hint}];
  if (!ID_PATTERN.test(id) || id.length > 80) {
    const suggestion = (fold(id).match(/[a-z0-9]+/g) || ["my-entry"]).join("-").slice(0, 80);
    return finding("id-format", `the id '${id}' (from the file name) is not valid`,
      `rename it to lower-case words joined by hyphens, such as '${suggestion}'`);
  }
  if (RESERVED.has(id) || taken.has(id)) {
    return finding("id-unique", `the id '${id}' is already used by a page on this site`,
      `choose a more specific file name, such as '${id}-${new Date().getFullYear()}'`);
  }
  return [];
}

// --- (c) The file: YAML front matter, then the Markdown body --------------

const FREE_TEXT = new Set(["title", "summary", "name", "team", "email", "url", "measure", "unit", "period", "text"]);
const DATES = new Set(["published", "last_reviewed", "review_by", "date"]);
const ESCAPES = {"\\": "\\\\", "\"": "\\\"", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"};

// Always double-quoted, so nothing in the text (": ", "#", quotes, a leading "-") can change its meaning.
export function quote(text) {
  return `"${text.replace(/[\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g,
    c => ESCAPES[c] || `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

function scalar(key, value) {
  if (typeof value !== "string") return String(value);
  if (DATES.has(key)) return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : quote(value);
  const plain = !FREE_TEXT.has(key) && ID_PATTERN.test(value) && !["true", "false", "null"].includes(value);
  return plain ? value : quote(value);
}

export function frontMatter(meta) {
  const lines = [];
  const write = (object, pad) => {
    for (const [key, value] of Object.entries(object)) {
      if (Array.isArray(value) && value.every(item => !isObject(item))) {
        lines.push(`${pad}${key}: [${value.map(item => scalar(key, item)).join(", ")}]`);
      } else if (Array.isArray(value)) {
        lines.push(`${pad}${key}:`);
        for (const item of value) {
          const first = lines.length;
          write(item, `${pad}    `);
          if (lines.length === first) lines.push(`${pad}  - {}`);
          else lines[first] = `${pad}  - ${lines[first].slice(pad.length + 4)}`;
        }
      } else if (isObject(value)) {
        if (Object.keys(value).length === 0) lines.push(`${pad}${key}: {}`);
        else {
          lines.push(`${pad}${key}:`);
          write(value, `${pad}  `);
        }
      } else lines.push(`${pad}${key}: ${scalar(key, value)}`);
    }
  };
  write(meta, "");
  return lines.join("\n");
}

// --- Reading the form -------------------------------------------------------

const oneLine = text => text.replace(/\s+/g, " ").trim();
const fold = text => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
const chosen = name => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(box => box.value);
let schema;
let idEdited = false;
const bodyTexts = {};

function numberOrText(text) {
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const shown = String(Number(text));
    // Only numbers the loader reads back as the same number; anything else stays text for the schema to explain.
    if (/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/.test(shown) && shown.length <= 20) return Number(text);
  }
  return text;
}

export function suggestId(title) {
  const words = fold(title.replace(/['’]/g, "")).match(/[a-z0-9]+/g) || [];
  let id = "";
  for (const word of words) {
    if (`${id}-${word}`.length > 60) break;
    id = id ? `${id}-${word}` : word;
  }
  return id || (words[0] || "").slice(0, 60);
}

function collect() {
  const value = id => oneLine(byId(id).value);
  const put = (object, key, item) => { if (item !== "" && item !== undefined) object[key] = item; };
  const meta = {};
  put(meta, "title", value("f-title"));
  put(meta, "summary", value("f-summary"));
  const type = chosen("type")[0];
  put(meta, "type", type);
  meta.status = "draft";
  const organisation = {};
  put(organisation, "name", value("f-org-name"));
  put(organisation, "role", value("f-org-role"));
  meta.organisations = [organisation];
  meta.geography = {};
  put(meta.geography, "nation", value("f-nation"));
  put(meta.geography, "region", value("f-region"));
  put(meta.geography, "council_type", value("f-council-type"));
  meta.topics = chosen("topics");
  put(meta, "stage", chosen("stage")[0]);
  put(meta, "published", value("f-published"));
  const outcome = {};
  put(outcome, "measure", value("f-outcome-measure"));
  put(outcome, "value", value("f-outcome-value") && numberOrText(value("f-outcome-value")));
  put(outcome, "unit", value("f-outcome-unit"));
  put(outcome, "evidence", value("f-outcome-evidence"));
  if (Object.keys(outcome).length) meta.outcomes = [outcome];
  meta.contact = {};
  put(meta.contact, "team", value("f-contact-team"));
  put(meta.contact, "email", value("f-contact-email"));
  put(meta.contact, "url", value("f-contact-url"));

  // The body: each box's text under its heading; lineFields says which box each line came from.
  const body = [];
  const lineFields = [];
  for (const box of byId("body-fields").querySelectorAll("textarea")) {
    const text = box.value.replace(/\r\n?/g, "\n").replace(/^(?:[ \t]*\n)+/, "").trimEnd();
    if (!text) continue;
    const lines = (box.dataset.section ? [`## ${box.dataset.section}`, ""] : []).concat(text.split("\n"), [""]);
    body.push(...lines);
    lineFields.push(...lines.map(() => box.id));
  }
  const bodyText = body.join("\n").replace(/\n+$/, "");
  const id = byId("f-id").value.trim();
  const file = `---\n${frontMatter(meta)}\n---\n${bodyText ? `${bodyText}\n` : ""}`;
  return {meta, type, id, bodyText, lineFields, file};
}

// --- Findings, as the form shows them -------------------------------------

const FIELDS = {
  "/title": "f-title", "/summary": "f-summary", "/type": "type", "/organisations": "f-org-name",
  "/organisations/0/name": "f-org-name", "/organisations/0/role": "f-org-role", "/geography": "f-nation",
  "/geography/nation": "f-nation", "/geography/region": "f-region", "/geography/council_type": "f-council-type",
  "/topics": "topics", "/stage": "stage", "/published": "f-published", "/outcomes": "f-outcome-measure",
  "/outcomes/0/measure": "f-outcome-measure", "/outcomes/0/value": "f-outcome-value",
  "/outcomes/0/unit": "f-outcome-unit", "/outcomes/0/evidence": "f-outcome-evidence", "/contact": "f-contact-email",
  "/contact/team": "f-contact-team", "/contact/email": "f-contact-email", "/contact/url": "f-contact-url", "#id": "f-id",
};
const MISSING = {
  "f-title": "Enter a title", "f-summary": "Enter a summary", type: "Choose what kind of entry it is",
  "f-org-name": "Enter the lead organisation's name", "f-org-role": "Choose the organisation's role",
  "f-nation": "Choose a nation", "f-region": "Choose a region", topics: "Choose at least one topic",
  stage: "Choose how far the work has got", "f-published": "Enter the date to publish it",
  "f-outcome-measure": "Say what was measured, or leave the whole result empty",
  "f-outcome-value": "Enter the result as a number, or leave the whole result empty",
  "f-outcome-unit": "Enter the unit, or leave the whole result empty",
  "f-outcome-evidence": "Choose how you know the result, or leave the whole result empty",
  "f-contact-team": "Enter the team or role to contact", "f-contact-email": "Enter the team's shared mailbox or its contact page",
  "f-id": "Enter a file name for the entry", "f-body": "Write the text of the entry",
};
const capital = text => text.charAt(0).toUpperCase() + text.slice(1);

function control(key) {
  if (!key) return null;
  return byId(key) || form.querySelector(`input[name="${key}"]`);
}

function fieldKey(finding, state) {
  if (finding.pointer === "#body") {
    if (finding.section) {
      const box = [...byId("body-fields").querySelectorAll("textarea")].find(b => b.dataset.section === finding.section);
      return box ? box.id : null;
    }
    return state.lineFields[finding.line] || (byId("body-fields").querySelector("textarea") || {}).id;
  }
  for (let pointer = finding.pointer; ; pointer = pointer.slice(0, pointer.lastIndexOf("/"))) {
    if (pointer in FIELDS) return FIELDS[pointer];
    if (!pointer) return null;
  }
}

function labelOf(element) {
  const wrapper = element.closest("fieldset.field");
  const label = wrapper ? wrapper.querySelector("legend") : form.querySelector(`label[for="${element.id}"]`);
  return label ? label.textContent.replace(/\s*\(optional\)\s*$/, "").trim() : "";
}

function present(finding, state) {
  const key = fieldKey(finding, state);
  const element = control(key);
  const empty = element && !(element.type === "radio" || element.type === "checkbox" ? chosen(element.name).length : element.value.trim());
  let message = `${finding.message} — ${finding.hint}`;
  let summary = element ? `${labelOf(element)}: ${finding.message}` : finding.message;
  const missing = ["schema-required", "schema-anyOf", "schema-minItems", "body-empty"].includes(finding.rule)
    || (finding.rule === "id-format" && !state.id);
  if (missing && MISSING[key]) message = summary = MISSING[key];
  else if (finding.rule === "required-sections" && empty) {
    summary = `${capital(finding.message.replace("'## ", "'"))}`;
    message = `${summary} — write it in this box`;
  }
  return {key, element, summary: capital(summary), message: capital(message)};
}

function findingsFor(state, taken) {
  const typeTerm = state.type && (LABELS.types || {})[state.type];
  const found = [...validate(schema, state.meta), ...ruleFindings(state.meta, state.bodyText, typeTerm, state.type),
    ...(state.id ? idFindings(state.id, taken) : [{pointer: "#id", rule: "id-format", message: "", hint: ""}])];
  if (state.type && !state.bodyText.trim() && !(typeTerm && (typeTerm.sections || []).length)) {
    // Stricter than rules.py, which accepts an empty body: an entry with no text helps nobody.
    found.push({pointer: "#body", line: 0, rule: "body-empty", message: "the entry has no text", hint: "write it in this box"});
  }
  const seen = new Set();
  const shown = [];
  for (const finding of found) {
    const item = present(finding, state);
    const key = `${item.key}\n${item.message}`;
    if (!seen.has(key)) shown.push(item);
    seen.add(key);
  }
  // In the order of the form, as the error summary should be.
  const order = el => el ? [...form.querySelectorAll("input, select, textarea")].indexOf(el) : 1e6;
  return shown.sort((a, b) => order(a.element) - order(b.element));
}

let takenIds;
function loadTaken() {
  // Ids already taken: the first path segment of every page in the site's own sitemap.
  takenIds ||= fetch(form.dataset.sitemap).then(response => response.ok ? response.text() : "").then(xml => {
    const base = new URL(form.dataset.schema, location.href).pathname.replace(/schema\/entry\.schema\.json$/, "");
    const ids = new Set();
    for (const match of xml.matchAll(/<loc>([^<]+)<\/loc>/g)) {
      const path = new URL(match[1].trim(), location.href).pathname;
      const first = (path.startsWith(base) ? path.slice(base.length) : path.slice(1)).split("/")[0];
      if (first) ids.add(decodeURIComponent(first));
    }
    return ids;
  }).catch(() => new Set());
  return takenIds;
}

// --- Showing errors (GOV.UK's pattern: a summary linking to inline messages) ---

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function wrapperOf(element) { return element.closest(".field"); }
function describedTarget(element) { return element.type === "radio" || element.type === "checkbox" ? wrapperOf(element) : element; }

function clearErrors() {
  for (const message of form.querySelectorAll(".error-message")) message.remove();
  for (const wrapper of form.querySelectorAll(".field-error")) wrapper.classList.remove("field-error");
  for (const target of form.querySelectorAll("[data-described]")) {
    target.setAttribute("aria-describedby", target.dataset.described);
    if (!target.dataset.described) target.removeAttribute("aria-describedby");
    target.removeAttribute("data-described");
  }
  for (const invalid of form.querySelectorAll("[aria-invalid]")) invalid.removeAttribute("aria-invalid");
}

function showErrors(items) {
  clearErrors();
  const list = byId("error-list");
  list.replaceChildren(...items.map(item => {
    const li = el("li");
    li.append(item.element ? el("a", {href: `#${item.element.id}`}, item.summary) : item.summary);
    return li;
  }));
  const byWrapper = new Map();
  for (const item of items.filter(i => i.element)) {
    const wrapper = wrapperOf(item.element);
    if (!byWrapper.has(wrapper)) byWrapper.set(wrapper, {element: item.element, messages: []});
    byWrapper.get(wrapper).messages.push(item.message);
  }
  for (const [wrapper, {element, messages}] of byWrapper) {
    const target = describedTarget(element);
    const id = `${wrapper.id || element.id}-error`;
    const message = el("p", {class: "error-message", id});
    for (const text of messages) {
      const line = el("span", {class: "error-line"});
      line.append(el("span", {class: "visually-hidden"}, "Error: "), text);
      message.append(line);
    }
    wrapper.classList.add("field-error");
    wrapper.insertBefore(message, wrapper.querySelector(":scope > input, :scope > select, :scope > textarea, :scope > .choices"));
    target.dataset.described = target.getAttribute("aria-describedby") || "";
    target.setAttribute("aria-describedby", `${target.dataset.described} ${id}`.trim());
    if (target === element) element.setAttribute("aria-invalid", "true");
  }
}

// --- (d) The preview: plain text in the shape of the entry page -----------

function label(vocabulary, id) {
  const term = (LABELS[vocabulary] || {})[id];
  return term ? term.label : capital(String(id).replace(/-/g, " "));
}

function renderPreview(state) {
  const {meta} = state;
  const nodes = [el("h3", meta.title ? {} : {class: "placeholder"}, meta.title || "Your title")];
  nodes.push(el("p", meta.summary ? {class: "preview-summary"} : {class: "placeholder"}, meta.summary || "Your summary"));
  const facts = [];
  const fact = (name, text) => { if (text) facts.push(el("dt", {}, name), el("dd", {}, text)); };
  fact("Type", meta.type && label("types", meta.type));
  const organisation = meta.organisations[0];
  fact("Organisation", organisation.name && `${organisation.name}${organisation.role ? ` (${organisation.role})` : ""}`);
  fact("Where", [meta.geography.region && label("regions", meta.geography.region),
    meta.geography.nation && NATIONS[meta.geography.nation]].filter(Boolean).filter((x, i, all) => all.indexOf(x) === i).join(", "));
  fact("Council type", meta.geography.council_type && label("council-types", meta.geography.council_type));
  fact("Topics", meta.topics.map(topic => label("topics", topic)).join(", "));
  fact("Stage", meta.stage && label("stages", meta.stage));
  fact("Published", meta.published);
  const result = (meta.outcomes || [])[0];
  fact("Result", result && [result.measure, [result.value, result.unit].filter(v => v !== undefined).join(" ")].filter(Boolean).join(": "));
  fact("Contact", [meta.contact.team, meta.contact.email, meta.contact.url].filter(Boolean).join(", "));
  if (facts.length) {
    const box = el("div", {class: "key-facts"});
    const list = el("dl");
    list.append(...facts);
    box.append(el("h4", {}, "Key facts"), list);
    nodes.push(box);
  }
  let paragraph = [];
  const flush = () => { if (paragraph.length) nodes.push(el("p", {class: "preview-text"}, paragraph.join("\n"))); paragraph = []; };
  for (const line of state.bodyText.split("\n")) {
    const heading = HEADING.exec(line);
    if (heading) {
      flush();
      nodes.push(el("h4", {}, heading[1]));
    } else if (line.trim()) paragraph.push(line);
    else flush();
  }
  flush();
  byId("preview-body").replaceChildren(...nodes);
  byId("preview-file").textContent = state.file;
}

// --- (e) The hand-over to GitHub -------------------------------------------

function githubRepo(address) {
  try {
    const url = new URL(address);
    const [owner, name] = url.pathname.split("/").filter(Boolean);
    if (url.origin === "https://github.com" && owner && name) return `https://github.com/${owner}/${name.replace(/\.git$/, "")}`;
  } catch { /* not a web address: offer the copy only */ }
  return null;
}

function fillReady(state) {
  const path = `casestudies/${state.id}.md`;
  byId("file-text").value = state.file;
  byId("file-name").textContent = path;
  const repo = githubRepo(form.dataset.repo);
  const link = byId("open-github");
  link.parentElement.hidden = byId("github-empty-hint").hidden = !repo;
  let fits = true;
  if (repo) {
    const base = `${repo}/new/${BRANCH}?filename=${path}`;
    const full = `${base}&value=${encodeURIComponent(state.file)}`;
    fits = full.length <= MAX_URL;
    link.href = fits ? full : base;
  }
  byId("step-copy").hidden = byId("step-paste").hidden = fits;
  byId("ready-stale").hidden = true;
  byId("ready-steps").hidden = false;
}

// --- Building the choices from the schema, and wiring it up ---------------

function choices(containerId, name, type, values, vocabulary, withHints) {
  const container = byId(containerId);
  container.replaceChildren(...values.map(value => {
    const id = `f-${name}-${value}`;
    const term = (LABELS[vocabulary] || {})[value] || {};
    const item = el("div", {class: "choice"});
    const input = el("input", {type, id, name, value});
    item.append(input, el("label", {for: id}, label(vocabulary, value)));
    if (withHints && term.description) {
      item.append(el("p", {class: "hint", id: `${id}-hint`}, term.description));
      input.setAttribute("aria-describedby", `${id}-hint`);
    }
    return item;
  }));
}

function options(selectId, values, text) {
  const select = byId(selectId);
  const current = select.value;
  select.replaceChildren(select.options[0], ...values.map(value => el("option", {value}, text(value))));
  select.value = values.includes(current) ? current : "";
}

function regionOptions() {
  const nation = byId("f-nation").value;
  const all = schema.properties.geography.properties.region.enum;
  const regions = nation ? all.filter(id => ((LABELS.regions || {})[id] || {}).nation === nation) : all;
  options("f-region", regions.length ? regions : all, id => label("regions", id));
  if (regions.length === 1) byId("f-region").value = regions[0];
}

function bodyFields() {
  const container = byId("body-fields");
  for (const box of container.querySelectorAll("textarea")) bodyTexts[box.dataset.section || ""] = box.value;
  const type = chosen("type")[0];
  const term = type && (LABELS.types || {})[type];
  if (!type) {
    container.replaceChildren(el("p", {class: "hint"}, "Choose what kind of entry it is, and a box for each of its sections appears here."));
    return;
  }
  const required = (term && term.sections) || [];
  const sections = required.length ? required.map(name => [name, false]) : [["", false]];
  sections.push(...((term && term.recommended) || []).filter(name => !required.includes(name)).map(name => [name, true]));
  container.replaceChildren(...sections.map(([name, optional]) => {
    const id = name ? `f-body-${suggestId(name)}` : "f-body";
    const wrapper = el("div", {class: "field"});
    const text = name ? `${name}${optional ? " (optional)" : ""}` : `Your ${label("types", type).toLowerCase()}`;
    const box = el("textarea", {id, rows: name ? "6" : "12", spellcheck: "true", "aria-describedby": "body-hint"});
    if (name) box.dataset.section = name;
    box.value = bodyTexts[name] || "";
    wrapper.append(el("label", {for: id}, text), box);
    return wrapper;
  }));
}

function updateCount() {
  const limits = schema.properties.summary;
  const count = length(oneLine(byId("f-summary").value));
  const plural = n => `${n} character${n === 1 ? "" : "s"}`;
  const text = count === 0 ? `You can enter up to ${limits.maxLength} characters`
    : count < limits.minLength ? `Write at least ${plural(limits.minLength - count)} more`
      : count <= limits.maxLength ? `You have ${plural(limits.maxLength - count)} remaining`
        : `You have ${plural(count - limits.maxLength)} too many`;
  const shown = byId("f-summary-count");
  shown.textContent = text;
  shown.classList.toggle("count-over", count > limits.maxLength);
  clearTimeout(updateCount.timer);
  updateCount.timer = setTimeout(() => { byId("f-summary-count-live").textContent = text; }, 1000);
}

function update() {
  const state = collect();
  renderPreview(state);
  updateCount();
  byId("id-address").textContent = `/${state.id || "your-entry"}/`;
  const ready = byId("ready");
  if (!ready.hidden && byId("file-text").value !== state.file) {
    // Keep the hand-over in step with the form, and never hand over a file that has not passed.
    loadTaken().then(taken => {
      if (findingsFor(state, taken).length) {
        byId("ready-stale").hidden = false;
        byId("ready-steps").hidden = true;
      } else fillReady(state);
    });
  }
}

async function check(event) {
  event.preventDefault();
  const taken = await loadTaken();
  const state = collect();
  renderPreview(state);
  const items = findingsFor(state, taken);
  const summary = byId("error-summary");
  const ready = byId("ready");
  showErrors(items);
  summary.hidden = items.length === 0;
  ready.hidden = items.length > 0;
  document.title = items.length ? `Error: ${PAGE_TITLE}` : PAGE_TITLE;
  if (items.length) {
    summary.focus();
    summary.scrollIntoView({block: "start"});
  } else {
    fillReady(state);
    ready.focus();
    ready.scrollIntoView({block: "start"});
  }
}

let timer;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(update, 150);
}

async function start() {
  const response = await fetch(form.dataset.schema);
  if (!response.ok) throw new Error(`schema: HTTP ${response.status}`);
  schema = await response.json();
  const props = schema.properties;
  choices("type-options", "type", "radio", props.type.enum, "types", true);
  choices("topic-options", "topics", "checkbox", props.topics.items.enum, "topics", false);
  choices("stage-options", "stage", "radio", props.stage.enum, "stages", true);
  options("f-org-role", props.organisations.items.properties.role.enum, capital);
  byId("f-org-role").value = "lead";
  options("f-nation", props.geography.properties.nation.enum, id => NATIONS[id] || capital(id.replace(/-/g, " ")));
  regionOptions();
  options("f-council-type", props.geography.properties.council_type.enum, id => label("council-types", id));
  options("f-outcome-evidence", props.outcomes.items.properties.evidence.enum, id => capital(id.replace(/-/g, " ")));
  const today = new Date();
  const pad = n => String(n).padStart(2, "0");
  byId("f-published").value ||= `${today.getFullYear()}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  bodyFields();

  form.addEventListener("input", event => {
    if (event.target.id === "f-id") idEdited = byId("f-id").value.trim() !== "";
    if (event.target.id === "f-title" && !idEdited) byId("f-id").value = suggestId(byId("f-title").value);
    if (event.target.id === "f-summary") updateCount();
    schedule();
  });
  form.addEventListener("change", event => {
    if (event.target.name === "type") bodyFields();
    if (event.target.id === "f-nation") regionOptions();
    schedule();
  });
  form.addEventListener("submit", check);
  byId("error-list").addEventListener("click", event => {
    // Focus the field and show its label or question, not just the box.
    const link = event.target.closest("a");
    if (!link) return;
    const target = byId(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    const wrapper = wrapperOf(target);
    (wrapper.querySelector("legend, label") || target).scrollIntoView({block: "start"});
    target.focus({preventScroll: true});
  });
  byId("copy-file").addEventListener("click", async () => {
    const status = byId("copy-status");
    const box = byId("file-text");
    try {
      await navigator.clipboard.writeText(box.value);
      status.textContent = "Copied. Paste it into GitHub's editor.";
    } catch {
      box.focus();
      box.select();
      status.textContent = "The file is selected: press Control and C (or Command and C on a Mac) to copy it.";
    }
  });
  form.hidden = false;
  byId("preview").hidden = false;
  update();
}

start().catch(error => {
  byId("form-status").textContent = "The form could not start. You can still send an entry with git, as described above.";
  console.error(error);
});
