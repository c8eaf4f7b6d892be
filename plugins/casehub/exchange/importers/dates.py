"""Dates as sources write them, read as dates: UK numeric, written out, ISO, RFC 2822, spreadsheet numbers.

`parse_date` never guesses silently: a date read as month/day/year (because it
only makes sense that way) or given without a day comes with a note.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], 1) for name in names}


def parse_date(value) -> tuple[date | None, str]:
    """A date from a source: ISO, UK numeric (3/3/2021, 03.03.21), written out (3rd March 2021, March 3, 2021),
    month and year, RFC 2822, or a spreadsheet's day number. Returns the date and a note ('' when certain)."""
    if isinstance(value, datetime):
        return value.date(), ""
    if isinstance(value, date):
        return value, ""
    text = " ".join(str(value or "").replace(",", " ").split()).strip()
    if not text:
        return None, ""
    low = text.lower()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ].*)?", low):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), ""
        if m := re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", low):
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))), ""
        if m := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", low):
            day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            year += (2000 if year < 70 else 1900) if len(m.group(3)) == 2 else 0
            if month > 12 and day <= 12:
                return date(year, day, month), f"'{text}' only makes sense as month/day/year, so it was read that way"
            return date(year, month, day), ""
        words = re.sub(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s+", "", low)
        if m := re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+([a-z]+)\.?\s+(\d{4})", words):
            if m.group(2) in _MONTHS:
                return date(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1))), ""
        if m := re.fullmatch(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s+(\d{4})", words):
            if m.group(1) in _MONTHS:
                return date(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2))), ""
        if m := re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", words):
            if m.group(1) in _MONTHS:
                return (date(int(m.group(2)), _MONTHS[m.group(1)], 1),
                        f"'{text}' has no day, so the 1st of the month was used")
        if m := re.fullmatch(r"(\d{5})(?:\.\d+)?", low):
            serial = int(m.group(1))
            if 20000 <= serial <= 80000:
                return date(1899, 12, 30) + timedelta(days=serial), ""
        if re.fullmatch(r"[a-z]{3}\s+\d{1,2}\s+[a-z]{3}\s+\d{4}.*", low):
            return parsedate_to_datetime(str(value)).date(), ""
    except (ValueError, TypeError, OverflowError):
        pass
    return None, f"'{text[:40]}' is not a date that could be read"
