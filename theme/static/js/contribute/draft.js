// The draft, kept in this browser (localStorage) as the contributor types and put back
// when the page is opened again, so a reload, a closed tab or a crash loses nothing.
// Leaving the page asks first only when there is work the browser could not keep (storage
// blocked or full) that has not been handed over: with the draft saved, leaving is safe.
// "Start again" deletes the draft. Nothing here leaves the browser.
import {bodyFields, bodyTexts, regionOptions} from "./fields.js";
import {byId, form} from "./page.js";
import {GROUPS, rowValues, setRows} from "./rows.js";

const KEY = `casehub-draft:${location.pathname}`;
const VERSION = 1;
let pristine = "";  // the empty form, with its defaults, as saved: a draft equal to it is no draft
let dirty = false;  // work the browser could not keep and that has not been handed over
let clearing = false;  // "Start again" reloads the page: keep nothing on the way out

const controls = () => [...form.querySelectorAll("input, select, textarea")]
  .filter(control => control.id && !control.closest(".row, #body-fields, #ready"));
const when = time => new Date(time).toLocaleString("en-GB", {day: "numeric", month: "long", year: "numeric",
  hour: "2-digit", minute: "2-digit"}).replace(",", " at");

function snapshot() {
  for (const box of byId("body-fields").querySelectorAll("textarea")) bodyTexts[box.dataset.section || ""] = box.value;
  const values = {};
  for (const control of controls()) {
    values[control.id] = control.type === "radio" || control.type === "checkbox" ? control.checked : control.value;
  }
  const rows = Object.fromEntries(Object.keys(GROUPS).map(group => [group, rowValues(group)]));
  return {values, rows, body: {...bodyTexts}, idEdited: form.dataset.idEdited === "true"};
}

const same = (a, b) => JSON.stringify({...a, saved: 0}) === JSON.stringify({...b, saved: 0});

function show(text) {
  byId("draft-status").textContent = text;
  byId("draft-bar").hidden = false;
}

// Keep the form in the browser; say so, or say that it cannot.
export function saveDraft() {
  const draft = {version: VERSION, saved: Date.now(), ...snapshot()};
  const empty = same(draft, JSON.parse(pristine));
  try {
    if (empty) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, JSON.stringify(draft));
    dirty = false;
    if (!empty) show(`Saved in this browser at ${new Date(draft.saved).toLocaleTimeString("en-GB", {hour: "2-digit", minute: "2-digit"})}. Nothing is sent until you choose to send it.`);
  } catch {
    dirty = !empty;
    show("This browser is not keeping a copy of your work (its storage is turned off or full): "
      + "send or download the entry before you leave this page.");
  }
}

// The work has gone somewhere (sent, downloaded, copied or taken to GitHub): leaving is safe.
export function handedOver() { dirty = false; }

function apply(draft) {
  Object.assign(bodyTexts, draft.body || {});
  const {values} = draft;
  for (const control of controls()) {
    if (!(control.id in values)) continue;
    if (control.type === "radio" || control.type === "checkbox") control.checked = values[control.id] === true;
  }
  bodyFields();
  if ("f-nation" in values) byId("f-nation").value = values["f-nation"];
  regionOptions();
  for (const control of controls()) {
    if (control.id in values && control.type !== "radio" && control.type !== "checkbox") control.value = values[control.id];
  }
  for (const group of Object.keys(GROUPS)) setRows(group, (draft.rows || {})[group] || []);
  form.dataset.idEdited = String(Boolean(draft.idEdited));
}

// Start keeping drafts; put back the one this browser has, if any. True if one was restored.
export function startDrafts() {
  pristine = JSON.stringify({version: VERSION, saved: 0, ...snapshot()});
  window.addEventListener("beforeunload", event => {
    if (clearing) return;
    saveDraft();
    if (dirty) {
      event.preventDefault();
      event.returnValue = "";  // older browsers show their "leave this page?" question only with this
    }
  });
  byId("clear-draft").addEventListener("click", () => {
    if (!window.confirm("Delete everything you have written in this form and start again?")) return;
    try { localStorage.removeItem(KEY); } catch { /* nothing kept */ }
    clearing = true;
    location.reload();
  });
  let draft;
  try {
    draft = JSON.parse(localStorage.getItem(KEY) || "null");
  } catch {
    draft = null;
  }
  if (!draft || draft.version !== VERSION) return false;
  apply(draft);
  byId("form-status").textContent = `We put back the entry you were writing (last saved on ${when(draft.saved)}).`;
  show(`Saved in this browser on ${when(draft.saved)}.`);
  return true;
}
