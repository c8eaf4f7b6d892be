// The entry file's YAML front matter (the Markdown body follows it as written).
import {ID_PATTERN} from "./page.js";
import {isObject} from "./schema.js";

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
