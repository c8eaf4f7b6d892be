// Personal data in the entry's text: e-mail addresses, UK phone numbers, National
// Insurance and NHS numbers, with the same patterns as plugins/casehub/core/rules.py.
// JavaScript's \w, \d and \b know only ASCII, where Python's know every script:
// around non-Latin text these can flag a little more than the Python validator,
// never less in Latin text.

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const PHONE_SOURCE = String.raw`(?<![\w+])(?:\+44[\s-]?\(?0?\)?[\s-]?|\(?0)[1-9]\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)`;
const PHONE = new RegExp(PHONE_SOURCE, "g");
const PHONE_AT = new RegExp(PHONE_SOURCE, "y");
const NI_NUMBER = /\b(?![DFIQUV])[A-CEGHJ-PR-TW-Z](?![DFIOQUV])[A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/g;
const NHS_CANDIDATE = /(?<![\d£$.,])(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?![\d.,])/g;
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
