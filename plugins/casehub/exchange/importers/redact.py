"""Personal data taken out on the way in, so none of it reaches the repository.

A public repository publishes drafts too, so the importer removes what the
validator's personal-data rule finds (core.personal.personal_data_spans: e-mail
addresses other than a team's, UK phone numbers, National Insurance and NHS
numbers) from the body and from every value, and says what kind and how many
it removed, never what they were. A team's or a role's mailbox (digital@…,
info@…, housing.repairs@…: core.safetext.team_mailbox) is kept, wherever it is.

In Markdown, a `mailto:` or `tel:` link to what is removed loses its address
and keeps its words, unless the words are the address itself; whatever is
removed becomes a bracketed placeholder ("[phone number removed]"), so a
reader of the draft sees where the text needs a look.
"""

from __future__ import annotations

import re
from collections import Counter

from ...core.personal import personal_data_spans
from ...core.safetext import EMAIL_ADDRESS, team_mailbox
from .model import Note

PLACEHOLDERS = {
    "an e-mail address": "[e-mail address removed]",
    "a UK phone number": "[phone number removed]",
    "a National Insurance number": "[National Insurance number removed]",
    "an NHS number": "[NHS number removed]",
}
_NAMES = {"an e-mail address": ("personal e-mail address", "personal e-mail addresses"),
          "a UK phone number": ("phone number", "phone numbers"),
          "a National Insurance number": ("National Insurance number", "National Insurance numbers"),
          "an NHS number": ("NHS number", "NHS numbers")}
# A Markdown link or reference definition whose address is mailto: or tel:.
_CONTACT_LINK = re.compile(r"(?<!!)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"  # linear: see safetext.LINK_TEXT
                           r"\(\s*<?(mailto:|tel:)([^)\s>]*)>?(?:\s+\"[^\"\n]*\")?\s*\)",
                           re.IGNORECASE)
_CONTACT_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(?:mailto:|tel:)\S*.*$", re.IGNORECASE | re.MULTILINE)
_DIGITS = re.compile(r"\d")
MIN_DIGITS = 6  # every number the rule finds has at least six digits
_AUTOLINK = re.compile(r"<(?:mailto:)?([^<>\s@]+@[^<>\s]+)>", re.IGNORECASE)


def _quick(text: str) -> bool:
    """Whether a text may hold anything to remove (an @, or a run of digits): most text has neither."""
    return "@" in text or len(_DIGITS.findall(text)) >= MIN_DIGITS


def remove_personal_data(text: str, counts: Counter | None = None) -> str:
    """The text with personal data replaced by placeholders; `counts` gets how many of each kind."""
    counts = Counter() if counts is None else counts
    if not text or not _quick(text):
        return text
    spans = sorted(personal_data_spans(text), key=lambda span: (span[1], -span[2]))
    kept: list[tuple[str, int, int]] = []
    for kind, start, end in spans:  # an overlap (a number inside an address) is removed once, with what holds it
        if kept and start < kept[-1][2]:
            continue
        kept.append((kind, start, end))
    for kind, start, end in reversed(kept):
        text = text[:start] + PLACEHOLDERS[kind] + text[end:]
        counts[kind] += 1
    return text


def remove_from_markdown(body: str, counts: Counter | None = None) -> str:
    """A Markdown body with personal data removed: contact links first (their words kept), then the text."""
    counts = Counter() if counts is None else counts
    if not body or not _quick(body):
        return body

    def link(match: re.Match) -> str:
        words, scheme, address = match.group(1), match.group(2).lower(), match.group(3)
        target = address.split("?", 1)[0]
        personal = (not team_mailbox(target)) if scheme == "mailto:" else bool(list(personal_data_spans(target)))
        if not personal:
            return match.group()
        cleaned = remove_personal_data(words, counts)
        if cleaned != words or not words.strip():
            return cleaned if words.strip() else _placeholder(scheme, counts)
        counts["an e-mail address" if scheme == "mailto:" else "a UK phone number"] += 1
        return words

    def definition(match: re.Match) -> str:
        address = re.sub(r"(?i)^.*?(mailto:|tel:)", "", match.group()).split()[0].strip("<>")
        if team_mailbox(address.split("?", 1)[0]):
            return match.group()
        counts["an e-mail address" if "@" in address else "a UK phone number"] += 1
        return ""

    def autolink(match: re.Match) -> str:
        if team_mailbox(match.group(1)):
            return match.group()
        counts["an e-mail address"] += 1
        return PLACEHOLDERS["an e-mail address"]

    body = _CONTACT_LINK.sub(link, body)
    body = _CONTACT_DEFINITION.sub(definition, body)
    body = _AUTOLINK.sub(autolink, body)
    return remove_personal_data(body, counts)


def _placeholder(scheme: str, counts: Counter) -> str:
    kind = "an e-mail address" if scheme == "mailto:" else "a UK phone number"
    counts[kind] += 1
    return PLACEHOLDERS[kind]


def removal_note(counts: Counter, where: list[str]) -> Note | None:
    """The note for what was removed: how many of each kind, and where (never what)."""
    if not counts:
        return None
    parts = [f"{n} {_NAMES[kind][0 if n == 1 else 1]}" for kind, n in counts.items() if n]
    places = " and ".join([", ".join(where[:-1]), where[-1]] if len(where) > 1 else where) or "the text"
    listed = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else parts[0]
    return Note(f"personal data was removed from {places} ({listed}), so that none reaches the repository: "
                "check the text still reads well, and give a team's mailbox or contact page instead",
                code="personal-data-removed")


def is_personal_address(address: str) -> bool:
    """Whether a contact e-mail address may be a person's own, not a team's: it is then left out."""
    return bool(EMAIL_ADDRESS.fullmatch(address.strip())) and not team_mailbox(address)


class PersonalData:
    """What an entry builder removes: each text and field passed through it, counted by kind and where,
    for one note at the end."""

    def __init__(self):
        self.counts: Counter = Counter()
        self.where: list[str] = []

    def counted(self, kind: str, where: str) -> None:
        """Something left out whole (a personal contact address), counted."""
        self.counts[kind] += 1
        self.where.append(where)

    def remove(self, text: str, where: str, markdown: bool = False) -> str:
        """The text with personal data removed (Markdown: contact links too)."""
        before = sum(self.counts.values())
        text = remove_from_markdown(text, self.counts) if markdown else remove_personal_data(text, self.counts)
        if sum(self.counts.values()) > before:
            self.where.append(where)
        return text

    def from_field(self, key: str, value):
        """A front matter value (as the builder's (key, value) pairs hold it) without personal data; the
        source's record, the contact (whose personal mailbox is left out whole), dates and ids as they are.
        A tag that held any goes whole: a tag is an id."""
        if key in ("source", "contact", "published", "type", "status") or isinstance(value, (int, float)):
            return value
        where = f"the {key.replace('_', ' ')}"
        if key == "tags":
            return [tag for tag in value if self.remove(tag, where) == tag]
        if isinstance(value, str):
            return self.remove(value, where)
        if isinstance(value, list):
            return [self.from_field(key, item) for item in value]
        if isinstance(value, tuple):
            return (value[0], self.from_field(key, value[1]))
        return value

    def note(self) -> Note | None:
        return removal_note(self.counts, list(dict.fromkeys(self.where)))
