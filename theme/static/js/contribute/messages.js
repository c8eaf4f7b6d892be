// Findings said as GOV.UK's error messages say them: what to do, about the field by its
// label ("Enter a title", "Summary must be 30 characters or more", "Enter a web address
// starting with https://"), the same words in the error summary and beside the field.
// The validator's own message and hint are kept for what has no better words here.
import {capital} from "./page.js";

// What to ask for when a field is empty, by the id of its control or its radio/checkbox name.
const MISSING = {
  "f-title": "Enter a title", "f-summary": "Enter a summary", type: "Choose what kind of entry it is",
  "f-nation": "Choose a nation", "f-region": "Choose a region", topics: "Choose at least one topic",
  stage: "Choose how far the work has got",
  "f-contact-team": "Enter the team or role to contact",
  "f-contact-email": "Enter the team's shared mailbox or its contact page",
  "f-id": "Enter a file name for the entry", "f-body": "Write the text of the entry",
};
// The same for a field in a repeated row, by its key ("Enter the name of organisation 2").
const MISSING_IN_ROW = {
  name: row => row === "organisation 1" ? "Enter the lead organisation's name" : `Enter the name of ${row}`, role: row => `Choose the role of ${row}`,
  measure: row => `Enter what was measured for ${row}, or remove it`,
  value: row => `Enter ${row} as a number, or remove it`, unit: row => `Enter the unit of ${row}, or remove it`,
  evidence: row => `Choose how you know ${row}, or remove it`,
  title: row => `Enter what ${row} is, or remove it`, url: row => `Enter the web address of ${row}, or remove it`,
};
const URL_FIELDS = /^f-(contact-url|outcomes-\d+-source|links-\d+-url)$/;
const NUMBER_FIELDS = /^f-outcomes-\d+-(value|baseline)$/;
const MISSING_RULES = ["schema-required", "schema-anyOf", "schema-minItems", "body-empty"];

// The row a control is in, as its legend names it ("organisation 2"), or "".
function rowName(element) {
  const row = element && element.closest(".row");
  return row ? row.querySelector("legend").textContent.toLowerCase() : "";
}

// GOV.UK's words for a finding at a field, or null to keep the validator's.
export function plainly(finding, key, label, empty, state) {
  const row = rowName(key && document.getElementById(key));
  const {rule} = finding;
  if (MISSING_RULES.includes(rule) || (rule === "id-format" && !state.id)) {
    if (row && MISSING_IN_ROW[key.split("-").pop()]) return MISSING_IN_ROW[key.split("-").pop()](row);
    if (key && key.startsWith("f-published-")) return "Enter the date to publish it";
    return MISSING[key] || null;
  }
  if (key && key.startsWith("f-published-")) return state.date.problem || "Date to publish it must be a real date";
  if (rule === "schema-minLength") return `${label} must be ${finding.limit} characters or more`;
  if (rule === "schema-maxLength") return `${label} must be ${finding.limit} characters or fewer`;
  if (URL_FIELDS.test(key) && (rule === "schema-pattern" || rule === "schema-format")) {
    return "Enter a web address starting with https://";
  }
  if (key === "f-contact-email" && (rule === "schema-pattern" || rule === "schema-format")) {
    return "Enter an e-mail address in the correct format, like digital@yourcouncil.gov.uk";
  }
  if (NUMBER_FIELDS.test(key) && rule === "schema-type") {
    const what = key.endsWith("-value") ? capital(row) : `The figure before the work for ${row}`;
    return `${what} must be a number, like 42 or 3.5, without units or commas`;
  }
  if (rule === "schema-pattern" && /-name$/.test(key)) return `The name of ${row} must include a letter or a number`;
  if (rule === "schema-maxItems") return `${label}: choose ${finding.limit} at most`;
  if (rule === "contact-personal") {
    return finding.kind === "webmail" ? "Enter your team's shared mailbox, not a personal webmail address"
      : "Enter a team's shared mailbox, not a person's own address";
  }
  if (rule === "personal-data") {
    return `${label}: remove ${finding.message.replace(/^this looks like /, "what looks like ")} — entries are public`;
  }
  if (rule === "required-sections" && empty) return `Write the ‘${finding.section}’ section`;
  if (rule === "id-format") return `File name must be lower-case words joined by hyphens, ${finding.hint.replace(/^rename it to /, "")}`;
  if (rule === "id-unique") return `File name is already used by a page on this site: ${finding.hint}`;
  return null;
}
