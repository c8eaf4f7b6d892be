"""What the Contribute page's script shares with the Python validator.

The form in the browser checks an entry before it reaches GitHub, and must
agree with `casehub validate`: the ids the site keeps for itself, the nations'
names, the id pattern and the personal-data patterns are defined once, in
Python, and the Contribute page carries them (in its form's `data-shared`) for
the script to read. Patterns go as their sources: each one here is written so
that JavaScript reads it the same way in Latin text (no named groups, no
Python-only syntax); tests/test_contribute_form.py holds the two to that.
"""

from __future__ import annotations

from ..core.entry import NATIONS
from ..core.project import RESERVED_IDS
from ..core.rules import PERSONAL_DATA_PATTERNS
from ..core.safetext import ID_MAX_LENGTH, ID_PATTERN


def shared_with_the_form() -> dict:
    """The values, as the page's JSON: plain lists, mappings and strings."""
    return {
        "reserved": sorted(RESERVED_IDS),
        "nations": dict(NATIONS),
        "idPattern": ID_PATTERN.pattern,
        "idMaxLength": ID_MAX_LENGTH,
        "personalData": {kind: pattern.pattern for kind, pattern in PERSONAL_DATA_PATTERNS.items()},
    }
