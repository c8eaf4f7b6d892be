// Repeated groups of fields (organisations, results, links) in GOV.UK's "add another"
// pattern: each row a fieldset with a numbered legend, an "Add another" button after
// the rows and a "Remove" button on each row that can go. Rows are numbered from 1 in
// their ids (f-organisations-2-name) and renumbered when one is removed, so an id always
// names the row the contributor sees; adding or removing is announced, and focus moves
// to the new row's first field, or to the "Add" button after a removal.
import {byId, el} from "./page.js";

export const GROUPS = {
  organisations: {title: "Organisation", min: 1, max: 30, add: "Add another organisation",
    defaults: index => ({role: index ? "partner" : "lead"}), fields: [
    {key: "name", label: "Name", autocomplete: "organization"},
    {key: "role", label: "Its role in the work", select: "Choose a role"},
  ]},
  outcomes: {title: "Result", min: 0, max: 20, add: "Add a result", more: "Add another result", fields: [
    {key: "measure", label: "What was measured", hint: "For example, missed bin collections per 100,000."},
    {key: "value", label: "Result, as a number", short: true, numeric: true},
    {key: "unit", label: "Unit", hint: "For example percent, pounds, people or hours.", short: true},
    {key: "baseline", label: "Before the work, as a number (optional)", short: true, numeric: true},
    {key: "period", label: "Period it covers (optional)", hint: "For example, first 6 months."},
    {key: "evidence", label: "How you know", select: "Choose"},
    {key: "source", label: "Where it is published (optional)", hint: "A web address starting https://", url: true},
  ]},
  links: {title: "Link", min: 0, max: 20, add: "Add a link", more: "Add another link", fields: [
    {key: "title", label: "What it is", hint: "For example, “Evaluation report, 2024”."},
    {key: "url", label: "Web address", hint: "Starting https://", url: true},
  ]},
};
const defaults = (group, index) => (GROUPS[group].defaults || (() => ({})))(index);
const choicesOf = {};  // group -> key -> [[value, text]…], for the selects in each new row
let changed = () => {};

export const rowId = (group, index, key) => `f-${group}-${index + 1}-${key}`;
const container = group => byId(`${group}-rows`);
const rowsOf = group => [...container(group).querySelectorAll(":scope > .row")];
export const rowCount = group => rowsOf(group).length;

function live(text) {
  let region = byId("rows-live");
  if (!region) {
    region = el("p", {id: "rows-live", class: "visually-hidden", role: "status"});
    byId("entry-form").append(region);
  }
  region.textContent = text;
}

function makeRow(group) {
  const spec = GROUPS[group];
  const row = el("fieldset", {class: "row"});
  row.append(el("legend"));
  for (const field of spec.fields) {
    const wrapper = el("div", {class: "field"});
    const label = el("label", {}, field.label);
    wrapper.append(label);
    let hint;
    if (field.hint) {
      hint = el("p", {class: "hint"}, field.hint);
      wrapper.append(hint);
    }
    let control;
    if (field.select) {
      control = el("select");
      control.append(el("option", {value: ""}, field.select),
        ...(choicesOf[group]?.[field.key] || []).map(([value, text]) => el("option", {value}, text)));
    } else {
      control = el("input", {type: field.url ? "url" : "text", autocomplete: field.autocomplete || "off"});
      if (field.numeric) control.setAttribute("inputmode", "decimal");
      if (field.url) control.setAttribute("spellcheck", "false");
      if (field.short) control.className = "input-short";
    }
    control.dataset.key = field.key;
    wrapper.append(control);
    row.append(wrapper);
  }
  const remove = el("button", {type: "button", class: "button-secondary remove-row"});
  remove.addEventListener("click", () => removeRow(group, rowsOf(group).indexOf(row)));
  row.append(remove);
  return row;
}

// Ids, legends and labels follow the rows' order; only rows beyond the group's minimum can go.
function renumber(group) {
  const spec = GROUPS[group];
  const rows = rowsOf(group);
  rows.forEach((row, index) => {
    const name = `${spec.title} ${index + 1}`;
    row.id = `w-${group}-${index + 1}`;
    row.querySelector("legend").textContent = name;
    for (const wrapper of row.querySelectorAll(".field")) {
      const control = wrapper.querySelector("input, select");
      const id = rowId(group, index, control.dataset.key);
      control.id = id;
      control.name = id.slice(2);
      wrapper.querySelector("label").htmlFor = id;
      const hint = wrapper.querySelector(".hint");
      if (hint) {
        hint.id = `${id}-hint`;
        control.setAttribute("aria-describedby", hint.id);
      }
    }
    const remove = row.querySelector(".remove-row");
    remove.replaceChildren(`Remove ${spec.title.toLowerCase()} ${index + 1}`);
    remove.hidden = rows.length <= spec.min;
  });
  const add = byId(`add-${group}`);
  add.textContent = rows.length && spec.more ? spec.more : spec.add;
  add.hidden = rows.length >= spec.max;
}

export function addRow(group, values = {}, focus = false) {
  const row = makeRow(group);
  container(group).insertBefore(row, byId(`add-${group}`));
  for (const control of row.querySelectorAll("input, select")) control.value = values[control.dataset.key] ?? "";
  renumber(group);
  if (focus) {
    row.querySelector("input, select").focus();
    live(`${row.querySelector("legend").textContent} added`);
  }
  return row;
}

export function removeRow(group, index) {
  const rows = rowsOf(group);
  const name = rows[index].querySelector("legend").textContent;
  rows[index].remove();
  renumber(group);
  byId(`add-${group}`).focus();
  live(`${name} removed`);
  changed();
}

// Every row's values, as typed (trimmed), in order.
export function rowValues(group) {
  return rowsOf(group).map(row => Object.fromEntries(
    [...row.querySelectorAll("input, select")].map(control => [control.dataset.key, control.value.trim()])));
}

// Replace the rows (a restored draft): at least the group's minimum.
export function setRows(group, list) {
  for (const row of rowsOf(group)) row.remove();
  const rows = list.length ? list : Array.from({length: GROUPS[group].min}, (_, index) => defaults(group, index));
  for (const values of rows) addRow(group, values);
  renumber(group);
}

// Build each group with its minimum of rows; `choices` gives each select's options, `onChange` is
// called after a row is added or removed.
export function startRows(choices, onChange) {
  changed = onChange;
  for (const group of Object.keys(GROUPS)) {
    choicesOf[group] = choices[group] || {};
    const add = el("button", {type: "button", id: `add-${group}`, class: "button-secondary add-row"});
    add.addEventListener("click", () => {
      addRow(group, defaults(group, rowCount(group)), true);
      changed();
    });
    container(group).append(add);
    setRows(group, []);
  }
}
