// A JSON Schema validator for the subset entry.schema.json uses, as a small
// interpreter of the schema (the Content-Security-Policy allows no eval).
// Findings carry a JSON pointer, a rule and the same plain-English message and
// hint as plugins/casehub/core/schema.py gives for the same problem.

const NOUNS = {array: "a list", object: "a group of fields", boolean: "true or false", string: "text",
  number: "a number", integer: "a whole number"};
const TYPE_HINTS = {boolean: "use true or false", array: "write a list, one '- item' per line",
  object: "write its fields on the indented lines below it", integer: "write a whole number, without units or commas"};

export const length = text => Array.from(text).length;  // code points, as Python counts them
export const joinPointer = (pointer, token) => `${pointer}/${String(token).replace(/~/g, "~0").replace(/\//g, "~1")}`;
export const isObject = value => value !== null && typeof value === "object" && !Array.isArray(value);
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
        out[out.length - 1].limit = node.minLength;
      }
      if (node.maxLength !== undefined && length(value) > node.maxLength) {
        add("maxLength", `the text is ${length(value)} characters long, over the limit of ${node.maxLength}`,
          `shorten it by ${length(value) - node.maxLength} characters`);
        out[out.length - 1].limit = node.maxLength;
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
        out[out.length - 1].limit = node.maxItems;
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
