// The page the form lives on: its elements, and the data the build wrote into it.
// data-labels holds the vocabularies' labels and each type's sections; data-shared
// holds the values the Python validator owns (plugins/casehub/contribute/webform.py:
// the reserved ids, the nations, the id pattern, the personal-data patterns and the
// personal-mailbox list and pattern), so the form checks with exactly those, not with
// a copy kept in step by hand; data-routes says where an entry can be sent.
export const form = document.getElementById("entry-form");
export const byId = id => document.getElementById(id);
export const LABELS = JSON.parse(form.dataset.labels || "{}");
const SHARED = JSON.parse(form.dataset.shared);
// RESERVED_IDS in plugins/casehub/core/project.py; ids of existing pages come from the sitemap.
export const RESERVED = new Set(SHARED.reserved);
export const NATIONS = SHARED.nations;  // NATIONS in plugins/casehub/core/entry.py
export const ID_PATTERN = new RegExp(`^(?:${SHARED.idPattern})$`);  // rules.ID_PATTERN, matched whole
export const ID_MAX_LENGTH = SHARED.idMaxLength;
export const PERSONAL_DATA = SHARED.personalData;  // each pattern's source, by kind
export const WEBMAIL = new Set(SHARED.webmail);  // safetext.WEBMAIL_DOMAINS
export const PERSONAL_MAILBOX = new RegExp(SHARED.personalMailbox, "i");  // safetext.PERSONAL_MAILBOX
export const ROUTES = JSON.parse(form.dataset.routes || "{}");

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
