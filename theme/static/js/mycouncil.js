// "Councils like mine": the reader's council, kept in this browser (localStorage, never sent
// anywhere), and what it does on every page: entries from councils like it are marked ("A council
// like yours: district council, 90,000 people, East of England") and listed first. The control on
// the home and search pages loads the list of councils (/councils.json, written by the build from
// mySociety's register) only when the reader starts to use it. Text is written with textContent only.
//
// "Like yours" follows casehub.core.councils.peer_score: the same kind of council, and in the same
// or a neighbouring region (data/regions.yaml) or of a similar size (the same population band or
// the next one either side). The bands and neighbours come from councils.json, so they are the
// build's own.
const KEY = "casehub-council";
export const PEER = 2;  // the lowest score of "a council like yours" (PEER_SCORE in councils.py)
const script = document.querySelector("script[data-councils]");
const byId = id => document.getElementById(id);
let register = null;  // councils.json, once fetched

export function myCouncil() {
  try {
    const council = JSON.parse(localStorage.getItem(KEY));
    return council && council.slug && council.labels ? council : null;
  } catch {
    return null;  // storage turned off, or an old value
  }
}

export function band(population, bands) {
  if (!population) return null;
  let found = 0;
  bands.forEach((low, i) => { if (population >= low) found = i; });
  return found;
}

// "district east-of-england 90000" (Entry.peer_data) as {type, region, population}.
export function parsePeer(text) {
  const [type, region, population] = (text || "").split(" ");
  return {type: type === "-" ? "" : type, region: region || "", population: Number(population) || 0};
}

export function peerScore(mine, peer) {
  if (!mine || !mine.type || mine.type !== peer.type) return 0;
  let score = 1;
  if (mine.region === peer.region) score += 2;
  else if ((mine.neighbours || []).includes(peer.region)) score += 1;
  const a = band(mine.population, mine.bands), b = band(peer.population, mine.bands);
  if (a !== null && b !== null && Math.abs(a - b) <= 1) score += 1;
  return score;
}

const lowerFirst = text => /^(London|Scottish|Welsh|Northern|UK)\b/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);

// "district council, 90,000 people, East of England"
export function describe(mine, peer) {
  const parts = [lowerFirst(mine.labels.types[peer.type] || peer.type)];
  if (peer.population) parts.push(`${peer.population.toLocaleString("en-GB")} people`);
  if (peer.region) parts.push(mine.labels.regions[peer.region] || peer.region);
  return parts.join(", ");
}

export function markFor(mine, peer) {
  const mark = document.createElement("p");
  mark.className = "peer-mark";
  mark.textContent = `A council like yours: ${describe(mine, peer)}`;
  return mark;
}

// Mark the cards of every list on the page; in lists whose order is ours to change (not a
// collection's), move them first, most alike first, keeping the rest in their order.
export function markLists(root = document) {
  const mine = myCouncil();
  for (const list of root.querySelectorAll(".cards:not(.search-results)")) {
    const cards = [...list.children].filter(li => li.dataset.peer !== undefined);
    if (!cards.length) continue;
    cards.forEach((li, i) => { li.dataset.order ??= String(i); });
    for (const old of list.querySelectorAll(".peer-mark")) old.remove();
    if (list.previousElementSibling && list.previousElementSibling.matches(".peer-note")) list.previousElementSibling.remove();
    const scores = new Map(cards.map(li => [li, mine ? peerScore(mine, parsePeer(li.dataset.peer)) : 0]));
    for (const li of cards) {
      if (scores.get(li) >= PEER) li.querySelector("h2, h3").after(markFor(mine, parsePeer(li.dataset.peer)));
    }
    if (list.tagName !== "UL") continue;  // an ordered list (a collection) keeps its order
    const peers = cards.filter(li => scores.get(li) >= PEER);
    const order = li => Number(li.dataset.order);
    const sorted = [...cards].sort((a, b) => (scores.get(b) >= PEER) - (scores.get(a) >= PEER)
      || (scores.get(a) >= PEER ? scores.get(b) - scores.get(a) : 0) || order(a) - order(b));
    list.append(...sorted);
    if (peers.length) {
      const note = document.createElement("p");
      note.className = "peer-note meta";
      note.textContent = `${peers.length} of these ${peers.length === 1 ? "is" : "are"} from councils like yours (${mine.name}), shown first.`;
      list.before(note);
    }
  }
}

export async function loadRegister() {
  if (!register) {
    const response = await fetch(script.dataset.councils);
    if (!response.ok) throw new Error(`councils: HTTP ${response.status}`);
    register = await response.json();
  }
  return register;
}

// The record kept in the browser: the council, and what comparing needs (bands, neighbours, labels).
function record(data, row) {
  const council = Object.fromEntries(data.fields.map((name, i) => [name, row[i]]));
  return {
    ...council,
    neighbours: (data.regions[council.region] || {}).neighbours || [],
    bands: data.bands, bandLabels: data.band_labels,
    labels: {types: data.types, regions: Object.fromEntries(Object.entries(data.regions).map(([id, r]) => [id, r.label]))},
  };
}

function find(data, text) {
  const fold = value => value.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
  const wanted = fold(text);
  const names = data.fields.indexOf("name"), shorts = data.fields.indexOf("short_name"), slugs = data.fields.indexOf("slug");
  return data.councils.find(row => fold(row[names]) === wanted || fold(row[shorts]) === wanted || row[slugs] === text);
}

function save(council) {
  try {
    if (council) localStorage.setItem(KEY, JSON.stringify(council));
    else localStorage.removeItem(KEY);
  } catch {
    return false;
  }
  markLists();
  document.dispatchEvent(new CustomEvent("casehub:council"));  // the search page ranks again
  return true;
}

function showControl() {
  const mine = myCouncil();
  byId("my-council-chosen").hidden = !mine;
  byId("my-council-picker").hidden = !!mine;
  if (mine) byId("my-council-name").textContent = `${mine.name} (${describe(mine, mine)})`;
  byId("my-council-summary").textContent = mine ? `Your council: ${mine.short_name || mine.name}`
    : "Councils like mine: choose your council";
}

function setUp(form) {
  const input = byId("my-council-input"), error = byId("my-council-error"), status = byId("my-council-status");
  showControl();
  let filling = null;  // the suggestions are added once, however many events ask for them
  const fill = () => {
    filling ||= loadRegister().then(data => {
      const names = data.fields.indexOf("name");
      byId("my-council-list").append(...data.councils.map(row =>
        Object.assign(document.createElement("option"), {value: row[names]})));
    }).catch(() => { filling = null; });
  };
  input.addEventListener("focus", fill);
  input.addEventListener("input", fill);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    let data;
    try {
      data = await loadRegister();
    } catch {
      error.textContent = "The list of councils could not be loaded. Try again later.";
      return;
    }
    const row = find(data, input.value.trim());
    if (!row) {
      error.textContent = input.value.trim()
        ? `We don't know a council called '${input.value.trim()}'. Choose one from the list as you type.`
        : "Enter your council's name, then choose it from the list.";
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    const council = record(data, row);
    if (!save(council)) {
      error.textContent = "This browser does not let the site remember your council.";
      return;
    }
    showControl();
    status.textContent = `Your council is ${council.name}. Entries from councils like yours are now marked and shown first.`;
    byId("my-council-change").focus();
  });
  byId("my-council-change").addEventListener("click", () => {
    byId("my-council-chosen").hidden = true;
    byId("my-council-picker").hidden = false;
    input.value = (myCouncil() || {}).name || "";
    input.focus();
  });
  byId("my-council-forget").addEventListener("click", () => {
    save(null);
    input.value = "";
    showControl();
    status.textContent = "Your council is forgotten. Entries are no longer marked.";
    input.focus();
  });
}

// "This is my council" on a council's own page.
function setUpButton(button) {
  button.parentElement.hidden = false;
  button.addEventListener("click", async () => {
    const data = await loadRegister();
    const row = find(data, button.dataset.council);
    if (row && save(record(data, row))) button.textContent = "This is your council: entries from councils like it are marked";
  });
}

const control = byId("my-council-form");
if (control) setUp(control);
const button = document.querySelector("button[data-council]");
if (button) setUpButton(button);
if (myCouncil()) markLists();
