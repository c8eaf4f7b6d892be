// Contribute page: a form that writes one entry file in the browser, checks it
// against the published schema and the body rules of plugins/casehub/core/rules.py,
// previews it, keeps it in the browser as a draft, and hands it over: by e-mail or to
// the publisher's form handler for contributors without a GitHub account, or to
// GitHub's issue form or "new file" editor. Loaded only on the Contribute page, as
// external modules (the Content-Security-Policy allows no inline script and no eval, so
// the validator in contribute/schema.js is a small interpreter of the schema, not
// compiled code). User text is only ever written with textContent. Nothing is sent
// anywhere until the contributor chooses: the page reads the schema and the sitemap from
// its own site.
//
// This entry wires the form up; the work is in the modules of contribute/. Each is
// imported (or re-exported) from here and preloaded by the page, so on a slow network
// they all load at once rather than one after another.
import {setDate, wireDate} from "./contribute/dates.js";
import {handedOver, saveDraft, startDrafts} from "./contribute/draft.js";
import {fillEmail, sendEntry} from "./contribute/email.js";
import {findingsFor, loadTaken, showErrors, wrapperOf} from "./contribute/errors.js";
import {
  bodyFields, choices, collect, options, regionOptions, setSchema, suggestId, updateCount,
} from "./contribute/fields.js";
import {fillGithub} from "./contribute/github.js";
import "./contribute/messages.js";  // imported by errors.js: named here so it is fetched with the rest
import {LABELS, NATIONS, byId, capital, form, label} from "./contribute/page.js";
import "./contribute/personal.js";  // imported by rules.js too
import {renderPreview} from "./contribute/preview.js";
import {startRows} from "./contribute/rows.js";

export {validate} from "./contribute/schema.js";
export {idFindings, ruleFindings} from "./contribute/rules.js";
export {frontMatter, quote} from "./contribute/yaml.js";
export {suggestId};

const PAGE_TITLE = document.title;

function fillReady(state) {
  byId("file-text").value = state.file;
  byId("file-name").textContent = `casestudies/${state.id}.md`;
  fillEmail(state);
  fillGithub(state);
  byId("ready-stale").hidden = true;
  byId("ready-steps").hidden = false;
}

function update() {
  const state = collect();
  renderPreview(state);
  updateCount();
  byId("id-address").textContent = `/${state.id || "your-entry"}/`;
  saveDraft();
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

let checks = 0;  // checks started; only the latest one shows its result (the first waits for the sitemap)
async function check(event) {
  event.preventDefault();
  const run = ++checks;
  form.dataset.checksStarted = String(run);
  try {
    await showCheck(run);
  } finally {
    form.dataset.checksDone = String(Math.max(run, Number(form.dataset.checksDone || 0)));
  }
}

async function showCheck(run) {
  const taken = await loadTaken();
  if (run !== checks) return;  // a newer check has started: it speaks for the form as it is now
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

// Links such as the statistics page's "share one" (?topic=…&council-type=…) open the form with
// those choices made. Only values the form offers are taken; nothing already chosen is undone.
function prefill(params) {
  const pick = (name, value) => {
    const input = [...form.querySelectorAll(`input[name="${name}"]`)].find(box => box.value === value);
    if (input) input.checked = true;
  };
  const select = (id, value) => {
    const box = byId(id);
    if (value && !box.value && [...box.options].some(option => option.value === value)) box.value = value;
  };
  params.getAll("topic").forEach(topic => pick("topics", topic));
  if (params.get("type") && !form.querySelector('input[name="type"]:checked')) pick("type", params.get("type"));
  if (params.get("stage") && !form.querySelector('input[name="stage"]:checked')) pick("stage", params.get("stage"));
  select("f-council-type", params.get("council-type"));
  const region = params.get("region");
  const nation = region && ((LABELS.regions || {})[region] || {}).nation;
  if (nation) {
    select("f-nation", nation);
    regionOptions();
    select("f-region", region);
  }
}

let timer;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(update, 150);
}

async function copyFile() {
  const status = byId("copy-status");
  const box = byId("file-text");
  try {
    await navigator.clipboard.writeText(box.value);
    status.textContent = "Copied. Paste it into your e-mail or GitHub's editor.";
  } catch {
    box.focus();
    box.select();
    status.textContent = "The file is selected: press Control and C (or Command and C on a Mac) to copy it.";
  }
  handedOver();
}

function wire() {
  form.addEventListener("input", event => {
    if (event.target.id === "f-id") form.dataset.idEdited = String(byId("f-id").value.trim() !== "");
    if (event.target.id === "f-title" && form.dataset.idEdited !== "true") byId("f-id").value = suggestId(byId("f-title").value);
    if (event.target.id === "f-summary") updateCount();
    if (event.target.id !== "reply-to") schedule();
  });
  form.addEventListener("change", event => {
    if (event.target.name === "type") bodyFields();
    if (event.target.id === "f-nation") regionOptions();
    if (event.target.id !== "reply-to") schedule();
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
  byId("copy-file").addEventListener("click", copyFile);
  for (const id of ["download-file", "email-link", "open-issue", "open-github"]) {
    const link = byId(id);
    if (link) link.addEventListener("click", handedOver);
  }
  const send = byId("send-endpoint");
  if (send) send.addEventListener("click", async () => { if (await sendEntry(collect())) handedOver(); });
}

async function start() {
  const response = await fetch(form.dataset.schema);
  if (!response.ok) throw new Error(`schema: HTTP ${response.status}`);
  const schema = await response.json();
  setSchema(schema);
  const props = schema.properties;
  choices("type-options", "type", "radio", props.type.enum, "types", true);
  choices("topic-options", "topics", "checkbox", props.topics.items.enum, "topics", false);
  choices("stage-options", "stage", "radio", props.stage.enum, "stages", true);
  const pairs = (values, text) => values.map(value => [value, text(value)]);
  startRows({
    organisations: {role: pairs(props.organisations.items.properties.role.enum, capital)},
    outcomes: {evidence: pairs(props.outcomes.items.properties.evidence.enum, id => capital(id.replace(/-/g, " ")))},
  }, schedule);
  options("f-nation", props.geography.properties.nation.enum, id => NATIONS[id] || capital(id.replace(/-/g, " ")));
  regionOptions();
  options("f-council-type", props.geography.properties.council_type.enum, id => label("council-types", id));
  setDate(new Date());
  wireDate(schedule);
  prefill(new URLSearchParams(location.search));  // before the draft: a draft put back wins
  bodyFields();
  startDrafts();
  wire();
  form.hidden = false;
  byId("preview").hidden = false;
  update();
}

start().catch(error => {
  byId("form-status").textContent = "The form could not start. You can still send an entry with git, as described below.";
  console.error(error);
});
