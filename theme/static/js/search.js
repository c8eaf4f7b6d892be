// Search page behaviour, GOV.UK finder style, built on Pagefind's JavaScript API. Loaded only on
// the search page, as an external module (the Content-Security-Policy allows no inline script).
// Results are written with textContent, never as HTML; Pagefind's excerpts are rebuilt from their
// text and <mark> elements only.
//
// The address is the state: each filter or sort change is a new history entry (Back undoes it),
// typing updates the current one. A filter the page does not know is reported, not ignored.
// Screen readers hear one announcement when results settle, naming the count and the filters.
//
// A large library's index comes in parts, split by date (plugins/casehub/site/search.py): the
// newest part (with the next if it is small) is searched first and its results shown, then the
// older parts are merged in and the search runs again. #search-results says which it holds
// (data-search-state "partial", then "complete"); only the complete result is announced.
import {PEER, markFor, myCouncil, parsePeer, peerScore} from "./mycouncil.js";

const script = document.querySelector("script[data-pagefind]");
const byId = id => document.getElementById(id);
const form = byId("search-form");
const input = byId("search-input");
const filterForm = byId("search-filters");
const sortBox = byId("search-sort");
const statusLine = byId("search-status");
const announcer = byId("search-announce");
const list = byId("search-results");
const more = byId("search-more");
const notice = byId("search-notice");
const applied = byId("applied-filters");
const thin = byId("search-thin");
const toggle = byId("filter-toggle");
const panel = byId("filter-panel");
const boxes = [...filterForm.querySelectorAll("input[type=checkbox]")];
for (const box of boxes) Object.assign(box.dataset, box.closest("fieldset").dataset);  // its filter and group
const FILTERS = [...new Set(boxes.map(box => box.dataset.filter))];
const paramName = filter => filter.replace(/ /g, "-");
const PARAMS = new Map(FILTERS.map(f => [paramName(f), f]));
const GROUPS = new Map(boxes.map(box => [box.dataset.filter, box.dataset.group]));
// Results are fetched ten at a time: each one is a request, and the first search should stay
// light on a slow connection. "Show more results" fetches the next ten.
const PAGE = 10;
const THIN = 3;  // this many results or fewer: say so, and offer to ask for a case study
const SETTLE = 700;  // ms without a new search before the result is announced
let current = null;  // {results, shown} for the results on screen
let pagefind;
let partial = false;  // older parts of the index are still loading
let partCount = 1;
const PART = "index part";  // the filter each part of the index is tagged with
let partOf = null;  // result id: its part's number, once asked for
let partOfWhole = false;  // partOf was worked out with every part merged
let latest = 0;
let typing = false;  // the current history entry is being typed into

// --- The address -------------------------------------------------------------------------------

function readState() {
  const params = new URLSearchParams(location.search);
  const state = {q: "", sort: "relevance", filters: {}, unknown: []};
  for (const [name, value] of params) {
    if (name === "q") state.q = value;
    else if (name === "sort" && ["relevance", "date"].includes(value)) state.sort = value;
    else if (PARAMS.has(name) && boxes.some(b => b.dataset.filter === PARAMS.get(name) && b.value === value)) {
      (state.filters[PARAMS.get(name)] ||= []).push(value);
    } else state.unknown.push(`${name}=${value}`);
  }
  return state;
}

function address(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [f, values] of Object.entries(state.filters)) values.forEach(v => params.append(paramName(f), v));
  if (state.sort === "date") params.set("sort", "date");
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

function currentState() {
  const filters = {};
  for (const box of boxes) if (box.checked) (filters[box.dataset.filter] ||= []).push(box.value);
  return {q: input.value.trim(), sort: sortBox.value, filters, unknown: []};
}

// The form shows a state: from the address on arrival and on Back or Forward.
function applyState(state) {
  input.value = state.q;
  sortBox.value = state.sort;
  for (const box of boxes) box.checked = (state.filters[box.dataset.filter] || []).includes(box.value);
  for (const group of filterForm.querySelectorAll("details.filter")) {
    if (group.querySelector("input:checked")) group.open = true;
  }
}

function reportUnknown(unknown, state) {
  notice.hidden = !unknown.length;
  if (!unknown.length) return;
  const named = unknown.map(u => `'${u}'`).join(" or ");
  const rest = state.q || Object.keys(state.filters).length
    ? `showing results without ${unknown.length > 1 ? "them" : "it"}` : "showing all results";
  notice.replaceChildren(el("p", {}, `We don't know the filter${unknown.length > 1 ? "s" : ""} ${named}; ${rest}.`));
}

// --- Small helpers -----------------------------------------------------------------------------

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function describeFilters(state) {
  return Object.entries(state.filters).map(([f, values]) => `${GROUPS.get(f)}: ${values.join(" or ")}`).join("; ");
}

// Pagefind's excerpt is the page's text, escaped, with <mark> around the words that matched. It is
// parsed (never inserted as HTML) and rebuilt from text nodes and <mark> elements only.
function excerpt(html) {
  const p = el("p", {class: "excerpt"});
  p.append(el("span", {class: "excerpt-label"}, "Matched: "));
  const parsed = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html").body;
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") p.append(el("mark", {}, node.textContent));
    else p.append(node.textContent);
  }
  return p;
}

// --- Councils like mine ------------------------------------------------------------------------

let peerSets = null;  // {slug, type, region, near, size}: ids of pages with each peer fact

async function peersOf(mine) {
  if (peerSets && peerSets.slug === mine.slug) return peerSets;
  const ids = async filters => new Set((await pagefind.search(null, {filters})).results.map(r => r.id));
  const label = id => mine.labels.regions[id];
  const own = mine.population ? mine.bands.findLastIndex(low => mine.population >= low) : -1;
  const sizes = mine.bandLabels.filter((_, i) => own >= 0 && Math.abs(i - own) <= 1);
  peerSets = {
    slug: mine.slug,
    type: await ids({"council type": mine.labels.types[mine.type]}),
    region: await ids({region: label(mine.region)}),
    near: mine.neighbours.length ? await ids({region: {any: mine.neighbours.map(label)}}) : new Set(),
    size: sizes.length ? await ids({population: {any: sizes}}) : new Set(),
  };
  return peerSets;
}

// Results from councils like the reader's first (most alike first), the rest in their order.
async function rankForCouncil(results, state) {
  const mine = myCouncil();
  if (!mine || state.sort !== "relevance") return {results, ranked: false};
  const sets = await peersOf(mine);
  const score = r => !sets.type.has(r.id) ? 0
    : 1 + (sets.region.has(r.id) ? 2 : sets.near.has(r.id) ? 1 : 0) + (sets.size.has(r.id) ? 1 : 0);
  const scored = results.map((r, i) => ({r, i, s: score(r)}));
  scored.sort((a, b) => ((b.s >= PEER) - (a.s >= PEER)) || (a.s >= PEER ? b.s - a.s : 0) || a.i - b.i);
  return {results: scored.map(x => x.r), ranked: scored.some(x => x.s >= PEER)};
}

// --- Searching ---------------------------------------------------------------------------------

// Pagefind sorts each part of the index by date, then merges the parts by score, which mixes them:
// "newest first" puts the parts back in order (newest part first), each part's results as sorted.
async function newestPartsFirst(results, state) {
  if (state.sort !== "date" || partCount < 2) return results;
  if (!partOfWhole) {
    partOf = new Map();
    partOfWhole = !partial;
    for (let part = 0; part < partCount; part++) {
      const found = await pagefind.search(null, {filters: {[PART]: String(part)}});
      for (const r of found.results) partOf.set(r.id, part);
    }
  }
  return results.map((r, i) => ({r, i, p: partOf.get(r.id) ?? partCount}))
    .sort((a, b) => a.p - b.p || a.i - b.i).map(x => x.r);
}

async function run(state, arriving = false) {
  if (!pagefind) return;  // start() runs the search once Pagefind has loaded
  const ticket = ++latest;
  const hasFilters = Object.keys(state.filters).length > 0;
  showApplied(state);
  thin.hidden = true;
  if (!state.q && !hasFilters) {
    list.replaceChildren();
    current = null;
    more.hidden = true;
    statusLine.textContent = "Type to search, or choose filters.";
    updateCounts(await pagefind.filters());
    if (!arriving) announce(ticket, statusLine.textContent);  // an empty page says nothing on arrival
    return;
  }
  const options = {filters: {}};
  for (const [f, values] of Object.entries(state.filters)) options.filters[f] = {any: values};
  if (state.sort === "date") options.sort = {date: "desc"};
  const search = await pagefind.search(state.q || null, options);
  if (ticket !== latest || !search) return;
  const {results, ranked} = await rankForCouncil(await newestPartsFirst(search.results, state), state);
  const data = await Promise.all(results.slice(0, PAGE).map(r => r.data()));
  if (ticket !== latest) return;
  updateCounts(search.filters);
  list.replaceChildren(...data.map(d => renderResult(d, state)));
  current = {results, shown: data.length, ranked};
  showProgress();
  const total = results.length;
  if (partial) {
    statusLine.textContent += " Searching older entries…";
    return;  // announced once the older entries are searched too
  }
  if (!total) {
    statusLine.textContent = "No results. Try fewer or different words, check the spelling, or remove a filter.";
    list.append(suggestions());
  }
  if (total <= THIN) showThin(state, total);
  const what = [state.q && `for “${state.q}”`, hasFilters && `filtered by ${describeFilters(state)}`].filter(Boolean);
  announce(ticket, `${total || "No"} result${total === 1 ? "" : "s"} ${what.join(", ")}` +
    (ranked ? ", councils like yours first." : "."));
}

let announceTimer;
// One announcement per settled search: only once no other search has started for SETTLE ms, and
// emptied first, so the same words (a filter that left the count unchanged) are heard again.
function announce(ticket, text) {
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => {
    if (ticket !== latest) return;
    announcer.textContent = "";
    setTimeout(() => { if (ticket === latest) announcer.textContent = text; }, 100);
  }, SETTLE);
}

function showProgress() {
  const {results, shown, ranked} = current;
  const total = results.length;
  if (shown) {
    statusLine.textContent = `${total} result${total === 1 ? "" : "s"}` +
      (total > shown ? `, showing the first ${shown}` : "") + "." + (ranked ? " Councils like yours first." : "");
  }
  more.hidden = shown >= total;
}

function showThin(state, total) {
  thin.hidden = false;
  const link = byId("ask-link");
  const base = link.href.split("&")[0];
  const topic = state.q || describeFilters(state);
  link.href = `${base}&title=${encodeURIComponent(`Case study wanted: ${topic}`)}`;
  const lead = thin.querySelector("p");
  lead.firstChild.textContent = total ? `Only ${total} result${total === 1 ? "" : "s"}. Not finding what you need? `
    : "Not finding what you need? ";
}

async function showMore() {
  if (!current) return;
  const ticket = latest;
  const {results, shown} = current;
  const next = await Promise.all(results.slice(shown, shown + PAGE).map(r => r.data()));
  if (ticket !== latest || !next.length) return;
  const items = next.map(d => renderResult(d, currentState()));
  list.append(...items);
  current.shown += next.length;
  showProgress();
  items[0].querySelector("a").focus();  // keyboard and screen reader users continue from the new results
}

function updateCounts(counts) {
  for (const box of boxes) {
    const label = filterForm.querySelector(`label[for="${box.id}"]`);
    const count = (counts[box.dataset.filter] || {})[box.value] ?? 0;
    label.textContent = `${box.value} (${count})`;
  }
  for (const group of filterForm.querySelectorAll("details.filter")) {
    const summary = group.querySelector("summary");
    summary.dataset.label ||= summary.textContent;
    const chosen = group.querySelectorAll("input:checked").length;
    summary.textContent = chosen ? `${summary.dataset.label} (${chosen} selected)` : summary.dataset.label;
  }
  const chosen = boxes.filter(b => b.checked).length;
  toggle.textContent = chosen ? `Filter (${chosen} applied)` : "Filter";
}

// The applied filters as tags, each a button that removes it, and "Clear all filters".
function showApplied(state) {
  const tags = [];
  for (const [f, values] of Object.entries(state.filters)) {
    for (const value of values) {
      const button = el("button", {type: "button", "aria-label": `Remove filter ${GROUPS.get(f)}: ${value}`},
        `${GROUPS.get(f)}: ${value}`);
      button.addEventListener("click", () => {
        const box = boxes.find(b => b.dataset.filter === f && b.value === value);
        box.checked = false;
        changed();
        (byId("applied-list").querySelector("button") || input).focus();
      });
      const li = el("li");
      li.append(button);
      tags.push(li);
    }
  }
  byId("applied-list").replaceChildren(...tags);
  applied.hidden = !tags.length;
}

function suggestions() {
  const li = el("li", {class: "card"});
  li.append(el("p", {}, "You could also browse: "));
  const base = script.dataset.pagefind.replace(/pagefind\/pagefind\.js$/, "");
  for (const [path, text] of [["entries/", "all entries"], ["topics/", "topics"], ["regions/", "regions"]]) {
    li.lastChild.append(el("a", {href: base + path}, text), " ");
  }
  return li;
}

function renderResult(data, state) {
  const li = el("li", {class: "card"});
  const h2 = el("h2");
  h2.append(el("a", {href: data.url}, data.meta.title || data.url));
  li.append(h2);
  const mine = myCouncil();
  const peer = parsePeer(data.meta.peer);
  if (mine && peerScore(mine, peer) >= PEER) li.append(markFor(mine, peer));
  if (data.meta.hub) li.append(el("p", {class: "from-hub"}, `From ${data.meta.hub}`));
  li.append(el("p", {}, data.meta.summary || ""));
  // Why it matched: the words found, highlighted where they are in the entry.
  if (state.q && data.excerpt && data.excerpt.includes("<mark>")) li.append(excerpt(data.excerpt));
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

// --- Events ------------------------------------------------------------------------------------

let timer;
function typed() {
  clearTimeout(timer);
  timer = setTimeout(() => {
    const state = currentState();
    // The first words typed after a filter change start a new history entry; the rest update it.
    history[typing ? "replaceState" : "pushState"](null, "", address(state));
    typing = true;
    run(state);
  }, 200);
}

function changed() {
  clearTimeout(timer);
  typing = false;
  notice.hidden = true;
  const state = currentState();
  history.pushState(null, "", address(state));
  run(state);
}

async function start() {
  // Listen first: anything typed while Pagefind loads is searched once it is ready.
  input.addEventListener("input", typed);
  more.addEventListener("click", showMore);
  filterForm.addEventListener("change", changed);
  filterForm.addEventListener("submit", event => event.preventDefault());
  form.addEventListener("submit", event => {
    event.preventDefault();
    clearTimeout(timer);
    const state = currentState();
    history[typing ? "replaceState" : "pushState"](null, "", address(state));
    typing = false;
    run(state);
  });
  byId("clear-filters").addEventListener("click", () => {
    boxes.forEach(b => { b.checked = false; });
    changed();
    input.focus();
  });
  window.addEventListener("popstate", () => {
    clearTimeout(timer);
    typing = false;
    const state = readState();
    applyState(state);
    reportUnknown(state.unknown, state);
    run(state);
  });
  document.addEventListener("casehub:council", () => run(currentState()));
  // On a phone the results come first: the filters open from a button (search.css).
  toggle.addEventListener("click", () => {
    toggle.setAttribute("aria-expanded", String(panel.classList.toggle("is-open")));
  });
  const state = readState();
  applyState(state);
  reportUnknown(state.unknown, state);
  if (state.unknown.length) history.replaceState(null, "", address(state));
  pagefind = await import(script.dataset.pagefind);
  const base = script.dataset.pagefind.replace(/pagefind\.js$/, "");
  const parts = (script.dataset.pagefindParts || "").split(" ").filter(Boolean).map(part => base + part);
  partCount = parts.length + 1;
  // Each part is tagged with its number (newest 0), so that "newest first" can keep the parts in order.
  await pagefind.options({excerptLength: 24, ...(parts.length ? {mergeFilter: {[PART]: "0"}} : {})});
  const merge = (part, i) => pagefind.mergeIndex(part, {mergeFilter: {[PART]: String(parts.indexOf(part) + 1)}});
  const first = Number(script.dataset.pagefindFirst || 0);
  await Promise.all(parts.slice(0, first).map(merge));
  await pagefind.init();
  const older = parts.slice(first);
  partial = older.length > 0;
  list.dataset.searchState = partial ? "partial" : "complete";
  await run(currentState(), true);
  if (!partial) return;
  await Promise.all(older.map(merge));
  partial = false;
  await run(currentState(), true);
  list.dataset.searchState = "complete";
}

start().catch(error => {
  statusLine.textContent = "Search could not start. You can still browse all entries, topics and regions from the menu.";
  console.error(error);
});
