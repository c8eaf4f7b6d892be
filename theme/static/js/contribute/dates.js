// The publication date in GOV.UK's date pattern: day, month and year in three boxes.
// A whole date pasted or typed into any box ("31/03/2025", "31-3-2025", "31 March 2025",
// "2025-03-31") is split across the three; a month can be its name or the first three
// letters of it. The entry gets YYYY-MM-DD; what is wrong is said GOV.UK's way.
import {byId} from "./page.js";

const PARTS = ["day", "month", "year"];
const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
  "october", "november", "december"];
const DAY_FIRST = /^\s*(\d{1,2})(?:st|nd|rd|th)?[\s/.-]+(\d{1,2}|[A-Za-z]{3,9})\.?[\s/.,-]+(\d{4})\s*$/;
const YEAR_FIRST = /^\s*(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\s*$/;

export const dateBox = part => byId(`f-published-${part}`);
const pad = n => String(n).padStart(2, "0");

function monthNumber(text) {
  const word = text.trim().toLowerCase();
  if (/^\d{1,2}$/.test(word)) return Number(word);
  const index = word.length >= 3 ? MONTHS.findIndex(month => month.startsWith(word)) : -1;
  return index + 1 || NaN;
}

// [day, month, year] as text from a whole date, or null if the text is not one.
export function splitDate(text) {
  let match = DAY_FIRST.exec(text);
  if (match && monthNumber(match[2])) return [match[1], String(monthNumber(match[2])), match[3]];
  match = YEAR_FIRST.exec(text);
  return match ? [match[3], match[2], match[1]] : null;
}

function realDate(day, month, year) {
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1000 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

// The date as the entry stores it, and what is wrong with it in GOV.UK's words ("" if nothing):
// {iso, text, problem, part} where `text` is what to write when the date is not real (the schema
// then refuses it) and `part` is the box to point the error at.
export function readDate() {
  for (const part of PARTS) {  // a whole date typed into one box, not yet left
    const parts = splitDate(dateBox(part).value);
    if (parts) PARTS.forEach((name, index) => { dateBox(name).value = parts[index]; });
  }
  const [day, month, year] = PARTS.map(part => dateBox(part).value.trim());
  if (!day && !month && !year) return {iso: "", text: "", problem: "", part: "day"};
  const missing = PARTS.filter((part, index) => ![day, month, year][index]);
  const text = `${year}-${month}-${day}`;
  if (missing.length) {
    return {iso: "", text, part: missing[0],
      problem: `Date to publish it must include a ${missing.join(" and a ")}`};
  }
  if (!/^\d{4}$/.test(year)) return {iso: "", text, part: "year", problem: "Year must include 4 numbers"};
  const [d, m] = [/^\d{1,2}$/.test(day) ? Number(day) : NaN, monthNumber(month)];
  if (!realDate(d, m, Number(year))) {
    return {iso: "", text, part: Number.isNaN(d) ? "day" : Number.isNaN(m) ? "month" : "day",
      problem: "Date to publish it must be a real date"};
  }
  const iso = `${year}-${pad(m)}-${pad(d)}`;
  return {iso, text: iso, problem: "", part: "day"};
}

export function setDate(date) {
  [dateBox("year").value, dateBox("month").value, dateBox("day").value] =
    [String(date.getFullYear()), String(date.getMonth() + 1), String(date.getDate())];
}

// A whole date pasted or typed into one box goes into all three.
export function wireDate(changed) {
  const fill = parts => {
    PARTS.forEach((part, index) => { dateBox(part).value = parts[index]; });
    changed();
  };
  for (const part of PARTS) {
    const box = dateBox(part);
    box.addEventListener("paste", event => {
      const parts = splitDate(event.clipboardData?.getData("text") || "");
      if (!parts) return;
      event.preventDefault();
      fill(parts);
    });
    box.addEventListener("change", () => {
      const parts = splitDate(box.value);
      if (parts) fill(parts);
    });
  }
}
