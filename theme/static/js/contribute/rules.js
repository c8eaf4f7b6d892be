// The checks from plugins/casehub/core/rules.py that matter in a form. The same
// patterns as rules.py (those for personal data and ids come from it, through the
// page). JavaScript's \w, \d and \b know only ASCII, where Python's know every
// script: around non-Latin text these can flag a little more than the Python
// validator, never less in Latin text.
import {ID_MAX_LENGTH, ID_PATTERN, RESERVED} from "./page.js";
import {EMAIL_WHOLE, PRIVATE, personalData, personalMailbox} from "./personal.js";
import {isObject, joinPointer} from "./schema.js";

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CODE_SPAN = /(`+)(?:(?!\1).)+?\1/g;
const HTML = /<!--|<\?|<!\[CDATA\[|<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>|<\/?[A-Za-z][A-Za-z0-9-]*\s*$/;
const UNSAFE_LINK = new RegExp(String.raw`(?:\]\(|\]:|<|\bhref\s*=\s*["']?)\s*<?\s*(?:j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t|` +
  String.raw`v\s*b\s*s\s*c\s*r\s*i\s*p\s*t|data|file)\s*:`, "gi");
const IMAGE = /!\[([^\]]*)\]\(\s*(<[^>\n]*>|[^)\n]*?)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)/g;
export const HEADING = /^##[ \t]+(.+?)[ \t#]*$/;
// The loader refuses these (controls, bidirectional overrides, a stray BOM), and a broken UTF-16 pair.
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

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
      const target = match[2].trim().replace(/^<(.*)>$/, "$1").trim();
      if (target && !/^https?:\/\//i.test(target)) {
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
  const email = isObject(meta.contact) ? meta.contact.email : undefined;
  const mailbox = typeof email === "string" && EMAIL_WHOLE.test(email.trim()) ? personalMailbox(email) : "";
  if (mailbox) {
    found.push({pointer: "/contact/email", rule: "contact-personal", kind: mailbox,
      message: mailbox === "webmail"
        ? `'${email.trim().slice(email.trim().lastIndexOf("@") + 1).toLowerCase()}' is a personal webmail service, not a team's mailbox`
        : "this looks like a person's own e-mail address, not a team's shared mailbox",
      hint: "give a shared mailbox for the team or role at your organisation (such as digital@…), " +
        "or its contact page as 'url:'; entries are public"});
  }
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
  if (!ID_PATTERN.test(id) || id.length > ID_MAX_LENGTH) {
    const suggestion = (fold(id).match(/[a-z0-9]+/g) || ["my-entry"]).join("-").slice(0, ID_MAX_LENGTH);
    return finding("id-format", `the id '${id}' (from the file name) is not valid`,
      `rename it to lower-case words joined by hyphens, such as '${suggestion}'`);
  }
  if (RESERVED.has(id) || taken.has(id)) {
    return finding("id-unique", `the id '${id}' is already used by a page on this site`,
      `choose a more specific file name, such as '${id}-${new Date().getFullYear()}'`);
  }
  return [];
}

export const fold = text => text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
