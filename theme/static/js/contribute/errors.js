// Findings, as the form shows them: each one at its field, in GOV.UK's pattern of
// a summary linking to inline messages.
import {LABELS, byId, capital, chosen, el, form} from "./page.js";
import {idFindings, ruleFindings} from "./rules.js";
import {validate} from "./schema.js";
import {schema} from "./fields.js";

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
    wrapper.insertBefore(message, wrapper.querySelector(":scope > input, :scope > select, :scope > textarea, :scope > .choices"));
    target.dataset.described = target.getAttribute("aria-describedby") || "";
    target.setAttribute("aria-describedby", `${target.dataset.described} ${id}`.trim());
    if (target === element) element.setAttribute("aria-invalid", "true");
  }
}
