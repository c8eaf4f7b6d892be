// The page the form lives on: its elements, the data the build wrote into it
// (data-labels: the vocabularies' labels and each type's sections) and the site's
// own ids and names.
export const form = document.getElementById("entry-form");
export const byId = id => document.getElementById(id);
export const LABELS = JSON.parse(form.dataset.labels || "{}");
// Mirrors RESERVED_IDS in plugins/casehub/core/project.py; ids of existing pages come from the sitemap.
export const RESERVED = new Set(("404 about all archive assets collections contribute council-types data drafts entries " +
  "favicon feeds feed fields hubs index open-data organisations page pages pagefind regions review robots schema " +
  "search sitemap stages static stats tags theme topics types").split(" "));
export const NATIONS = {england: "England", scotland: "Scotland", wales: "Wales", "northern-ireland": "Northern Ireland", uk: "UK-wide"};
export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const chosen = name => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(box => box.value);
export const capital = text => text.charAt(0).toUpperCase() + text.slice(1);

export function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function label(vocabulary, id) {
  const term = (LABELS[vocabulary] || {})[id];
  return term ? term.label : capital(String(id).replace(/-/g, " "));
}
