// Search page behaviour, built on Pagefind's JavaScript API. Loaded only on
// the search page, as an external module (the Content-Security-Policy allows
// no inline script). Results are written with textContent, never as HTML.
const script = document.currentScript || document.querySelector("script[data-pagefind]");
const FILTERS = ["type", "topic", "region", "council type", "organisation", "stage", "year", "hub"];
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const filterBox = document.getElementById("search-filters");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
// Results are fetched ten at a time: each one is a request, and the first search
// should stay light on a slow connection. "Show more results" fetches the next ten.
const PAGE = 10;
let current = null;  // {search, shown} for the results on screen

function paramName(filter) { return filter.replace(" ", "-"); }

function readState() {
  const params = new URLSearchParams(location.search);
  const state = {q: params.get("q") || "", sort: params.get("sort") === "date" ? "date" : "relevance", filters: {}};
  for (const f of FILTERS) {
    const values = params.getAll(paramName(f));
    if (values.length) state.filters[f] = values;
  }
  return state;
}

function writeState(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [f, values] of Object.entries(state.filters)) values.forEach(v => params.append(paramName(f), v));
  if (state.sort === "date") params.set("sort", "date");
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function currentState() {
  const filters = {};
  for (const box of filterBox.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.dataset.filter] ||= []).push(box.value);
  }
  return {q: input.value.trim(), sort: filterBox.querySelector("#search-sort").value, filters};
}

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

// The filters are in the page already (rendered at build time); script only
// sets them from the address, keeps their counts current and opens chosen groups.
function applyState(state) {
  input.value = state.q;
  filterBox.querySelector("#search-sort").value = state.sort;
  for (const box of filterBox.querySelectorAll("input[type=checkbox]")) {
    box.checked = (state.filters[box.dataset.filter] || []).includes(box.value);
  }
  for (const group of filterBox.querySelectorAll("details.filter")) {
    if (group.querySelector("input:checked")) group.open = true;
  }
}

let pagefind;
let latest = 0;

async function run(state) {
  if (!pagefind) return;  // start() runs the search once Pagefind has loaded
  const ticket = ++latest;
  const hasFilters = Object.keys(state.filters).length > 0;
  if (!state.q && !hasFilters) {
    list.replaceChildren();
    current = null;
    more.hidden = true;
    statusLine.textContent = "Type to search, or choose filters.";
    updateCounts(await pagefind.filters());
    return;
  }
  const options = {filters: {}};
  for (const [f, values] of Object.entries(state.filters)) options.filters[f] = {any: values};
  if (state.sort === "date") options.sort = {date: "desc"};
  const search = await pagefind.search(state.q || null, options);
  if (ticket !== latest || !search) return;
  const results = await Promise.all(search.results.slice(0, PAGE).map(r => r.data()));
  if (ticket !== latest) return;
  updateCounts(search.filters);
  list.replaceChildren(...results.map(renderResult));
  current = {search, shown: results.length};
  showProgress();
  if (!results.length) {
    statusLine.textContent = "No results. Try fewer or different words, check the spelling, or remove a filter.";
    if (hasFilters || state.q) list.append(suggestions());
  }
}

function showProgress() {
  const {search, shown} = current;
  const total = search.results.length;
  if (shown) {
    statusLine.textContent = `${total} result${total === 1 ? "" : "s"}` +
      (total > shown ? `, showing the first ${shown}` : "") + ".";
  }
  more.hidden = shown >= total;
}

async function showMore() {
  if (!current) return;
  const ticket = latest;
  const {search, shown} = current;
  const next = await Promise.all(search.results.slice(shown, shown + PAGE).map(r => r.data()));
  if (ticket !== latest || !next.length) return;
  const items = next.map(renderResult);
  list.append(...items);
  current.shown += next.length;
  showProgress();
  items[0].querySelector("a").focus();  // keyboard and screen reader users continue from the new results
}

function updateCounts(counts) {
  for (const box of filterBox.querySelectorAll("input[type=checkbox]")) {
    const label = filterBox.querySelector(`label[for="${box.id}"]`);
    const count = (counts[box.dataset.filter] || {})[box.value] ?? 0;
    label.textContent = `${box.value} (${count})`;
  }
  for (const group of filterBox.querySelectorAll("details.filter")) {
    const summary = group.querySelector("summary");
    summary.dataset.label ||= summary.textContent;
    const chosen = group.querySelectorAll("input:checked").length;
    summary.textContent = chosen ? `${summary.dataset.label} (${chosen} selected)` : summary.dataset.label;
  }
}

function suggestions() {
  const li = el("li", {class: "card"});
  li.append(el("p", {}, "You could also browse: "));
  const base = script.dataset.pagefind.replace(/pagefind\/pagefind\.js$/, "");
  for (const [path, text] of [["entries/", "all entries"], ["topics/", "topics"], ["regions/", "regions"]]) {
    const a = el("a", {href: base + path}, text);
    li.lastChild.append(a, " ");
  }
  return li;
}

function renderResult(data) {
  const li = el("li", {class: "card"});
  const h2 = el("h2");
  h2.append(el("a", {href: data.url}, data.meta.title || data.url));
  li.append(h2);
  if (data.meta.hub) li.append(el("p", {class: "from-hub"}, `From ${data.meta.hub}`));
  li.append(el("p", {}, data.meta.summary || ""));
  const facts = [data.meta.type, data.meta.organisation, data.meta.region].filter(Boolean);
  const meta = el("p", {class: "meta"}, facts.join(" · "));
  if (data.meta.date) {
    meta.append(facts.length ? " · " : "");
    const when = new Date(data.meta.date);
    meta.append(el("time", {datetime: data.meta.date}, when.toLocaleDateString("en-GB", {day: "numeric", month: "long", year: "numeric"})));
  }
  li.append(meta);
  return li;
}

let timer;
function schedule() {
  clearTimeout(timer);
  timer = setTimeout(() => { const s = currentState(); writeState(s); run(s); }, 200);
}

async function start() {
  // Listen first: anything typed while Pagefind loads is searched once it is ready.
  input.addEventListener("input", schedule);
  more.addEventListener("click", showMore);
  filterBox.addEventListener("change", schedule);
  form.addEventListener("submit", event => { event.preventDefault(); clearTimeout(timer); const s = currentState(); writeState(s); run(s); });
  applyState(readState());
  pagefind = await import(script.dataset.pagefind);
  await pagefind.options({excerptLength: 20});
  await pagefind.init();
  await run(currentState());
}

start().catch(error => {
  statusLine.textContent = "Search could not start. You can still browse all entries, topics and regions from the menu.";
  console.error(error);
});
