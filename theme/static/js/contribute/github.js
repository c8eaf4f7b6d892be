// The hand-over to GitHub: its "new file" editor, with the file in the address when it fits.
import {byId, form} from "./page.js";

const BRANCH = "main";
const MAX_URL = 8000;  // GitHub answers longer addresses with an error (its limit is 8 KB)

function githubRepo(address) {
  try {
    const url = new URL(address);
    const [owner, name] = url.pathname.split("/").filter(Boolean);
    if (url.origin === "https://github.com" && owner && name) return `https://github.com/${owner}/${name.replace(/\.git$/, "")}`;
  } catch { /* not a web address: offer the copy only */ }
  return null;
}

export function fillReady(state) {
  const path = `casestudies/${state.id}.md`;
  byId("file-text").value = state.file;
  byId("file-name").textContent = path;
  const repo = githubRepo(form.dataset.repo);
  const link = byId("open-github");
  link.parentElement.hidden = byId("github-empty-hint").hidden = !repo;
  let fits = true;
  if (repo) {
    const base = `${repo}/new/${BRANCH}?filename=${path}`;
    const full = `${base}&value=${encodeURIComponent(state.file)}`;
    fits = full.length <= MAX_URL;
    link.href = fits ? full : base;
  }
  byId("step-copy").hidden = byId("step-paste").hidden = fits;
  byId("ready-stale").hidden = true;
  byId("ready-steps").hidden = false;
}
