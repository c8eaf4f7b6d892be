// The hand-over to GitHub, for contributors with an account: the repository's "Share a
// case study" issue form, filled in through its address (GitHub reads a field's value from
// the query parameter named by the field's id), and the "new file" editor, with the whole
// file in the address when it fits. An address GitHub would refuse as too long carries
// what fits, and the page says what to paste.
import {ROUTES, byId, form} from "./page.js";

const BRANCH = "main";
const MAX_URL = 8000;  // GitHub answers longer addresses with an error (its limit is 8 KB)

function githubRepo(address) {
  try {
    const url = new URL(address);
    const [owner, name] = url.pathname.split("/").filter(Boolean);
    if (url.origin === "https://github.com" && owner && name) return `https://github.com/${owner}/${name.replace(/\.git$/, "")}`;
  } catch { /* not a web address: offer the other routes only */ }
  return null;
}

// The issue form's address, and the names of what did not fit in it or has no place in the form.
export function issueLink(repo, state) {
  const issue = ROUTES.issue;
  const {meta} = state;
  const fields = issue.fields;
  const first = meta.organisations[0] || {};
  const answers = [
    ["title", `Share a case study: ${meta.title || ""}`],
    [fields.type, meta.type], [fields.title, meta.title], [fields.summary, meta.summary],
    [fields.organisation, first.name], [fields.role, first.role], [fields.nation, meta.geography.nation],
    [fields.region, meta.geography.region], [fields.council_type, meta.geography.council_type],
    [fields.topics, meta.topics.join(",")], [fields.stage, meta.stage],
    [fields.contact_team, meta.contact.team], [fields.contact, meta.contact.email || meta.contact.url],
  ];
  for (const box of byId("body-fields").querySelectorAll("textarea")) {
    const section = box.dataset.section || "What happened";  // a story's own box
    if (box.value.trim()) answers.push([issue.sections[section], box.value.trim(), section]);
  }
  let address = `${repo}/issues/new?template=${encodeURIComponent(issue.template)}`;
  const tooLong = [];
  for (const [name, value, section] of answers) {
    if (!name || !value) continue;
    const part = `&${encodeURIComponent(name)}=${encodeURIComponent(value)}`;
    if (address.length + part.length <= MAX_URL) address += part;
    else tooLong.push(section || name);
  }
  const noPlace = [];
  if (meta.organisations.length > 1) noPlace.push("other organisations");
  if (meta.outcomes) noPlace.push("results");
  if (meta.links) noPlace.push("further reading");
  if (meta.tags) noPlace.push("keywords");
  return {address, tooLong, noPlace};
}

function listed(items) {
  return items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}` : items[0];
}

export function fillGithub(state) {
  const repo = githubRepo(form.dataset.repo);
  const link = byId("open-github");
  if (!link) return;
  byId("github-route").hidden = !repo;
  byId("issue-route").hidden = !ROUTES.issue;
  if (!repo) return;
  const path = `casestudies/${state.id}.md`;
  const base = `${repo}/new/${BRANCH}?filename=${path}`;
  const full = `${base}&value=${encodeURIComponent(state.file)}`;
  const fits = full.length <= MAX_URL;
  link.href = fits ? full : base;
  byId("step-paste").hidden = fits;
  byId("github-empty-hint").hidden = !fits;
  if (!ROUTES.issue) return;
  const {address, tooLong, noPlace} = issueLink(repo, state);
  byId("open-issue").href = address;
  const notes = [];
  if (tooLong.length) {
    notes.push(`Too long to pass in the link, so paste ${tooLong.length > 1 ? "these" : "this"} in yourself: `
      + `${listed(tooLong)}.`);
  }
  if (noPlace.length) notes.push(`The issue form has no place for ${listed(noPlace)}: the editor keeps them.`);
  const leftOut = byId("issue-left-out");
  leftOut.textContent = notes.join(" ");
  leftOut.hidden = !notes.length;
}
