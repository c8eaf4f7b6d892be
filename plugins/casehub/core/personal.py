"""Personal data in an entry: what looks like residents' details, and a contact that is a
person's own mailbox rather than a team's.

Two named checks for `rules.check_document`, kept here apart from the other rules: personal
data (e-mail addresses other than a team's, UK phone numbers, National Insurance and NHS
numbers) anywhere but the contact, located and never echoed back; and the contact's mailbox, which must not be at
a webmail provider or shaped like a person's name (safetext.personal_mailbox). The
patterns' sources also go to the Contribute page's script (contribute/webform.py).
"""

from __future__ import annotations

import re

from .findings import Finding, join_pointer
from .loader import Document
from .safetext import EMAIL_ADDRESS, personal_mailbox, team_mailbox

_PHONE = re.compile(r"(?<![\w+])(?:\+44[\s-]?\(?0?\)?[\s-]?|\(?0)[1-9]\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\d])")
_NI_NUMBER = re.compile(
    r"\b(?![DFIQUV])[A-CEGHJ-PR-TW-Z](?![DFIOQUV])[A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
_NHS_CANDIDATE = re.compile(r"(?<![\d£$.,])(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?![\d.,])")
# The personal-data patterns by kind, for the Contribute page's script (which reads their sources).
PERSONAL_DATA_PATTERNS = {"email": EMAIL_ADDRESS, "phone": _PHONE, "ni-number": _NI_NUMBER,
                          "nhs-candidate": _NHS_CANDIDATE}


def check_personal_data(document: Document) -> list[Finding]:
    """Flag what looks like residents' personal data, without repeating it. A team's mailbox
    (digital@…, info@…) is not personal: it may be anywhere in an entry."""
    found = []
    for pointer, text, line, col in _texts(document):
        for kind, start in _personal_data(text):
            at_line = line + text.count("\n", 0, start)
            at_col = (start - text.rfind("\n", 0, start)) if "\n" in text[:start] else col + start
            found.append(Finding(
                document.display_path, at_line, at_col, "personal-data",
                f"this looks like {kind}",
                "remove it before you share the entry: pull requests are public; "
                "put a team mailbox or contact page in 'contact' instead", pointer))
    return found


def _texts(document: Document):
    """Every string value outside `contact`, with its position, then the body; leaving out
    what `_may_hold_personal_data` clears, since most entries have nothing to report.

    The fields are tested together, in one string: only if that may hold something
    are they walked one by one, with their pointers and positions."""
    metadata = document.metadata
    if isinstance(metadata, dict):
        texts: list[str] = []
        strings({key: value for key, value in metadata.items() if key != "contact"}, texts)
        if _may_hold_personal_data("\0".join(texts)):
            yield from _walk_texts(document, metadata, "")
    else:
        yield from _walk_texts(document, metadata, "")
    if _may_hold_personal_data(document.body):
        yield "#body", document.body, document.body_line, 1  # one pass over the whole body


def field_texts(document: Document):
    """Every string value of the front matter, the contact's too: (pointer, text, line, column)."""
    yield from _walk_texts(document, document.metadata, "", skip=None)


def _walk_texts(document: Document, value, pointer: str, skip: str | None = "contact"):
    if isinstance(value, dict):
        for key, child in value.items():
            if pointer == "" and key == skip:
                continue
            yield from _walk_texts(document, child, join_pointer(pointer, key), skip)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk_texts(document, child, join_pointer(pointer, index), skip)
    elif isinstance(value, str):
        line, col = document.position(pointer)
        yield pointer, value, line, col


def strings(value: dict | list, into: list[str]) -> None:
    """Every string in a structure, in order."""
    for child in value.values() if isinstance(value, dict) else value:
        if isinstance(child, str):
            into.append(child)
        elif isinstance(child, (dict, list)):
            strings(child, into)


# For ASCII text, a necessary part of each of _PHONE, _NI_NUMBER and _NHS_CANDIDATE: it matches
# wherever they do, whatever is around (no lookaround), and starts with a character class, which
# the regex engine scans for much faster than it tries the whole pattern at each character.
_NUMBER_CORES = (
    re.compile(r"[1-9]\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}"),
    re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]"),
    re.compile(r"[0-9]\d{2}[\s-]?\d{3}[\s-]?\d{4}"),
)


def _may_hold_personal_data(text: str) -> bool:
    """False only where `_personal_data` finds nothing; quick. It is true of texts joined
    (with NULs between them) if it is true of any one of them: each test below finds
    in the whole whatever it finds in a part."""
    if "@" in text or not text.isascii():
        return True
    raw = text.encode("ascii")
    if len(raw) - len(raw.translate(None, b"0123456789")) < 6:
        return False  # each number pattern has at least six digits
    return any(core.search(text) for core in _NUMBER_CORES)


def personal_data_kinds(text: str) -> list[str]:
    """What kinds of personal data a text seems to hold ('an e-mail address'…), each once."""
    return list(dict.fromkeys(kind for kind, _ in _personal_data(text)))


_DIGIT = re.compile(r"\d")


def _personal_data(text: str):
    for kind, start, _ in personal_data_spans(text):
        yield kind, start


def personal_data_spans(text: str):
    """(kind, start, end) of each piece of personal data in a text, in the order of the kinds: e-mail
    addresses other than a team's (safetext.team_mailbox), UK phone numbers, NI and NHS numbers. The
    importers remove what this finds (exchange/importers/redact.py)."""
    if "@" in text:  # cheap tests first: most text has neither
        for match in EMAIL_ADDRESS.finditer(text):
            if not team_mailbox(match.group()):
                yield "an e-mail address", match.start(), match.end()
    if not _DIGIT.search(text):
        return
    for match in _PHONE.finditer(text):
        yield "a UK phone number", match.start(), match.end()
    for match in _NI_NUMBER.finditer(text):
        yield "a National Insurance number", match.start(), match.end()
    for match in _NHS_CANDIDATE.finditer(text):
        if _nhs_checksum_ok("".join(match.groups())) and not _PHONE.match(text, match.start()):
            yield "an NHS number", match.start(), match.end()


def _nhs_checksum_ok(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def check_contact(document: Document) -> list[Finding]:
    """The contact's mailbox is a team's, not a person's own: not webmail, not shaped like a name."""
    contact = document.metadata.get("contact") if isinstance(document.metadata, dict) else None
    email = contact.get("email") if isinstance(contact, dict) else None
    if not isinstance(email, str) or not EMAIL_ADDRESS.fullmatch(email.strip()):
        return []  # the schema explains a missing or malformed address
    kind = personal_mailbox(email)
    if not kind:
        return []
    if kind == "webmail":
        message = f"'{email.strip().rpartition('@')[2].lower()}' is a personal webmail service, not a team's mailbox"
    else:
        message = "this looks like a person's own e-mail address, not a team's shared mailbox"
    line, column = document.position("/contact/email")
    return [Finding(document.display_path, line, column, "contact-personal", message,
                    "give a shared mailbox for the team or role at your organisation (such as digital@…), "
                    "or its contact page as 'url:'; entries are public", "/contact/email")]
