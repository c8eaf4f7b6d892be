// Findings, as the form shows them: each one at its field, in GOV.UK's pattern of
// a summary linking to inline messages, in GOV.UK's words where messages.js has them.
import {schema} from "./fields.js";
import {plainly} from "./messages.js";
import {LABELS, byId, capital, chosen, el, form} from "./page.js";
import {GROUPS, rowId} from "./rows.js";
import {idFindings, ruleFindings} from "./rules.js";
import {validate} from "./schema.js";

const FIELDS = {
  "/title": "f-title", "/summary": "f-summary", "/type": "type", "/geography": "f-nation",
  "/geography/nation": "f-nation", "/geography/region": "f-region", "/geography/council_type": "f-council-type",
  "/topics": "topics", "/stage": "stage", "/tags": "f-tags", "/contact": "f-contact-email",
  "/contact/team": "f-contact-team", "/contact/email": "f-contact-email", "/contact/url": "f-contact-url", "#id": "f-id",
};
const IN_ROW = /^\/(organisations|outcomes|links)(?:\/(\d+)(?:\/([a-z_]+))?)?/;

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
  if (finding.pointer === "/published") return `f-published-${state.date.part}`;
  const row = IN_ROW.exec(finding.pointer);
  if (row) {  // the row the item came from (empty rows are left out of the entry), at the field named
    const [, group, index, key] = row;
    const at = index === undefined ? 0 : state.rowIndex[group][Number(index)] ?? 0;
    return rowId(group, at, key || GROUPS[group].fields[0].key);
  }
  for (let pointer = finding.pointer; ; pointer = pointer.slice(0, pointer.lastIndexOf("/"))) {
    if (pointer in FIELDS) return FIELDS[pointer];
    if (!pointer) return null;
  }
}

function labelOf(element) {
  const wrapper = element.closest("fieldset.field");
  const label = wrapper ? wrapper.querySelector("legend") : form.querySelector(`label[for="${element.id}"]`);
  const text = label ? label.textContent.replace(/\s*\(optional\)\s*$/, "").trim() : "";
  const row = element.closest(".row");
  return row ? `${row.querySelector("legend").textContent}: ${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}

function present(finding, state) {
  const key = fieldKey(finding, state);
  const element = control(key);
  const empty = element && !(element.type === "radio" || element.type === "checkbox" ? chosen(element.name).length : element.value.trim());
  const label = element ? labelOf(element) : "";
  const plain = plainly(finding, key, label, empty, state);
  return {key, element, summary: capital(plain || (element ? `${label}: ${finding.message}` : finding.message)),
    message: capital(plain || `${finding.message} — ${finding.hint}`)};
}

export function findingsFor(state, taken) {
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
export function loadTaken() {
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

export function wrapperOf(element) { return element.closest(".field"); }
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

export function showErrors(items) {
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
    wrapper.insertBefore(message, wrapper.querySelector(":scope > input, :scope > select, :scope > textarea, :scope > .choices, :scope > .date-input"));
    target.dataset.described = target.getAttribute("aria-describedby") || "";
    target.setAttribute("aria-describedby", `${target.dataset.described} ${id}`.trim());
    if (target === element) element.setAttribute("aria-invalid", "true");
  }
}
