// Personal data in the entry's text: e-mail addresses, UK phone numbers, National
// Insurance and NHS numbers, found with the patterns of plugins/casehub/core/rules.py;
// and a contact mailbox that is a person's own (safetext.personal_mailbox). The page
// carries the patterns and the webmail list (data-shared). JavaScript's \w, \d and \b know only ASCII,
// where Python's know every script: around non-Latin text these can flag a little
// more than the Python validator, never less in Latin text.
import {PERSONAL_DATA, PERSONAL_MAILBOX, WEBMAIL} from "./page.js";

const EMAIL = new RegExp(PERSONAL_DATA.email, "g");
const PHONE = new RegExp(PERSONAL_DATA.phone, "g");
const PHONE_AT = new RegExp(PERSONAL_DATA.phone, "y");
const NI_NUMBER = new RegExp(PERSONAL_DATA["ni-number"], "g");
const NHS_CANDIDATE = new RegExp(PERSONAL_DATA["nhs-candidate"], "g");
export const PRIVATE = "remove it before you share the entry: pull requests are public; " +
  "put a team mailbox or contact page in 'contact' instead";

function nhsChecksumOk(digits) {
  let total = 0;
  for (let i = 0; i < 9; i++) total += Number(digits[i]) * (10 - i);
  const check = 11 - total % 11 === 11 ? 0 : 11 - total % 11;
  return check !== 10 && check === Number(digits[9]);
}

export function* personalData(text) {
  for (const match of text.matchAll(EMAIL)) yield "an e-mail address";
  for (const match of text.matchAll(PHONE)) yield "a UK phone number";
  for (const match of text.matchAll(NI_NUMBER)) yield "a National Insurance number";
  for (const match of text.matchAll(NHS_CANDIDATE)) {
    PHONE_AT.lastIndex = match.index;
    if (nhsChecksumOk(match[1] + match[2] + match[3]) && !PHONE_AT.test(text)) yield "an NHS number";
  }
}

export const EMAIL_WHOLE = new RegExp(`^(?:${PERSONAL_DATA.email})$`);

// Why a contact address looks like a person's own ("webmail" or "name"), or "".
export function personalMailbox(address) {
  const at = address.trim().lastIndexOf("@");
  const [local, domain] = [address.trim().slice(0, Math.max(at, 0)), address.trim().slice(at + 1)];
  if (WEBMAIL.has(domain.toLowerCase())) return "webmail";
  return local && PERSONAL_MAILBOX.test(local) ? "name" : "";
}
