// Reading the form into an entry, and building its choices from the schema.
import {readDate} from "./dates.js";
import {LABELS, byId, chosen, el, label} from "./page.js";
import {rowValues} from "./rows.js";
import {fold} from "./rules.js";
import {length} from "./schema.js";
import {frontMatter} from "./yaml.js";

export let schema;  // the published schema, once fetched: setSchema() sets it for every module that reads it
export function setSchema(value) { schema = value; }
// What was typed in each section's box, by section (kept when a change of type hides the box).
export const bodyTexts = {};

export const oneLine = text => text.replace(/\s+/g, " ").trim();

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

// Keywords as the schema wants them: lower-case words joined by hyphens, each once.
export const tagsOf = text => [...new Set(text.split(/[,;\n]/)
  .map(tag => (fold(tag.replace(/['’]/g, "")).match(/[a-z0-9]+/g) || []).join("-").slice(0, 40).replace(/-$/, ""))
  .filter(Boolean))];

export function collect() {
  const value = id => oneLine(byId(id).value);
  const put = (object, key, item) => { if (item !== "" && item !== undefined) object[key] = item; };
  const rowIndex = {};  // for each group, the row each item came from: rows left empty are left out
  const rows = (group, numbers = []) => {
    const all = rowValues(group);
    rowIndex[group] = all.map((row, index) => index).filter(index => Object.values(all[index]).some(Boolean));
    return rowIndex[group].map(index => {
      const item = {};
      for (const [key, text] of Object.entries(all[index])) {
        put(item, key, numbers.includes(key) && text ? numberOrText(oneLine(text)) : oneLine(text));
      }
      return item;
    });
  };
  const meta = {};
  put(meta, "title", value("f-title"));
  put(meta, "summary", value("f-summary"));
  const type = chosen("type")[0];
  put(meta, "type", type);
  meta.status = "draft";
  const organisations = rows("organisations");
  meta.organisations = organisations.length ? organisations : [{}];
  meta.geography = {};
  put(meta.geography, "nation", value("f-nation"));
  put(meta.geography, "region", value("f-region"));
  put(meta.geography, "council_type", value("f-council-type"));
  meta.topics = chosen("topics");
  const tags = tagsOf(byId("f-tags").value);
  if (tags.length) meta.tags = tags;
  put(meta, "stage", chosen("stage")[0]);
  const date = readDate();
  put(meta, "published", date.text);
  const outcomes = rows("outcomes", ["value", "baseline"]);
  if (outcomes.length) meta.outcomes = outcomes;
  meta.contact = {};
  put(meta.contact, "team", value("f-contact-team"));
  put(meta.contact, "email", value("f-contact-email"));
  put(meta.contact, "url", value("f-contact-url"));
  const links = rows("links");
  if (links.length) meta.links = links;

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
  return {meta, type, id, bodyText, lineFields, file, date, rowIndex};
}

export function choices(containerId, name, type, values, vocabulary, withHints) {
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

export function options(selectId, values, text) {
  const select = byId(selectId);
  const current = select.value;
  select.replaceChildren(select.options[0], ...values.map(value => el("option", {value}, text(value))));
  select.value = values.includes(current) ? current : "";
}

export function regionOptions() {
  const nation = byId("f-nation").value;
  const all = schema.properties.geography.properties.region.enum;
  const regions = nation ? all.filter(id => ((LABELS.regions || {})[id] || {}).nation === nation) : all;
  options("f-region", regions.length ? regions : all, id => label("regions", id));
  if (regions.length === 1) byId("f-region").value = regions[0];
}

export function bodyFields() {
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

export function updateCount() {
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
