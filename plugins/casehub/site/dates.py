"""Dates as the site shows them, and the date a build is for.

Pages show dates the GOV.UK way ("3 March 2025") and in English whatever the machine's
locale: Pelican sets the process's locale from its LOCALE setting (the user's, unless
set), and `strftime('%B')` would then give "Mawrth" on a Welsh desktop and "März" on a
German one, so the same library built on two machines would differ.

A build is "as of" a date (what is overdue for review, what is new this month): the
CASEHUB_TODAY setting if set, else SOURCE_DATE_EPOCH (the reproducible-builds convention:
seconds since 1970, read as a UTC date) if set, else today.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

from ..core.findings import CasehubError

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class BuildDateError(CasehubError):
    """SOURCE_DATE_EPOCH is set but is not a date the build can use."""


def long_date(value: date) -> str:
    """Jinja filter: "3 March 2025", in English on any machine."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month_name(value: date) -> str:
    """Jinja filter: "March", in English on any machine."""
    return MONTHS[value.month - 1]


def build_date(settings: dict, environ: dict | None = None) -> date:
    """The date this build is for: CASEHUB_TODAY, else SOURCE_DATE_EPOCH, else today."""
    configured = settings.get("CASEHUB_TODAY")
    if configured:
        return configured
    epoch = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return date.today()
    try:
        return datetime.fromtimestamp(int(epoch), tz=UTC).date()
    except (ValueError, OverflowError, OSError):
        raise BuildDateError(f"SOURCE_DATE_EPOCH is {epoch!r}, which is not a time: it must be a whole number of "
                             "seconds since 1 January 1970 (for example, from git: "
                             "SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)), or unset to build as of today") from None
