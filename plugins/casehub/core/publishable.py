"""What makes an entry publishable, and which findings may wait in a draft.

The one definition: **an entry is publishable when it has no findings at all as
a published entry** — `validate.validate_document` finds nothing in it (the
schema, every single-file rule and its references; none of them depends on the
status) and its file name is a sound, unique id (`rules.check_ids`). Publishing
a draft (`casehub publish`) is refused until that holds.

Drafts are never published, so what a draft still lacks (a topic, a section, a
summary within the limit, a value from the vocabulary) is work to do, not a
failure: `classify` gives those findings the severity "todo", which neither
`casehub validate` nor `casehub build` fails on. Findings about **safety** stay
errors in drafts too, because the repository is public and a draft is read
there: markup or links that are unsafe, raw HTML, personal data, a file that is
not where or what it should be (a symbolic link, an unsound or clashing id, an
SVG), and anything that stops a file loading (which has no status to go by).
Only the status `draft` softens findings; an entry with any other status, or
none, is held to everything.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .findings import Finding
from .safetext import UNSAFE_SCHEME

ERROR, WARNING, TODO = "error", "warning", "todo"
DRAFT = "draft"

# Rules whose findings fail a draft as they fail a published entry.
SAFETY_RULES = frozenset({
    "no-raw-html",     # raw HTML in the body
    "safe-link",       # a javascript:, data: or file: link in the body
    "personal-data",   # residents' e-mail addresses, phone, NI and NHS numbers
    "contact-personal",  # a person's own mailbox (webmail, or shaped like a name) as the contact
    "image-type",      # an SVG (it can carry script) or another file that is not a raster image
    "no-symlink",      # an entry reached through a link could read anything on the machine
    "id-format",       # a file name that is not an id can hold anything
    "id-unique",       # two files claiming one id break the site
    "entry-location",  # a Markdown file Casehub does not read as an entry
})
# A front matter value starting with such a scheme is unsafe wherever it is, even where the
# schema already refuses it for its form (a link's url).
_UNSAFE_VALUE = re.compile(r"\s*" + UNSAFE_SCHEME, re.IGNORECASE)


def is_safety(finding: Finding, metadata: dict | None = None) -> bool:
    """Whether a finding is about safety: it fails a draft as it fails a published entry."""
    if finding.rule in SAFETY_RULES:
        return True
    value = _value_at(metadata, finding.pointer) if metadata is not None else None
    return isinstance(value, str) and bool(_UNSAFE_VALUE.match(value))


def classify(findings: list[Finding], metadata: dict | None) -> list[Finding]:
    """The findings of one loaded entry, each with its severity as the entry's status decides:
    in a draft, what is not about safety is "todo"; otherwise every finding stays as it is."""
    if not findings or not isinstance(metadata, dict) or metadata.get("status") != DRAFT:
        return findings
    return [f if f.severity != ERROR or is_safety(f, metadata) else replace(f, severity=TODO) for f in findings]


def blocks_publishing(finding: Finding) -> bool:
    """Whether the entry cannot be published while it has this finding (warnings do not block)."""
    return finding.severity in (ERROR, TODO)


def _value_at(metadata, pointer: str):
    if not pointer.startswith("/"):
        return None
    value = metadata
    for token in pointer[1:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict):
            value = value.get(token)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return None
    return value


# --- What a finding asks for, in a few words ------------------------------------------------

_TOP_FIELD = re.compile(r"^[a-z_]+")


def top_field(finding: Finding) -> str:
    """The top-level field a finding is about ('geography' for geography.region), or 'body'."""
    match = _TOP_FIELD.match(finding.field)
    return match.group() if match and finding.pointer.startswith("/") else "body"


# (rule, what is wrong) for findings whose rule alone says what is needed.
_NEEDS = {
    "required-sections": "a required section",
    "heading-level": "headings to start at ##",
    "image-alt": "alternative text for an image",
    "image-local": "an image moved into the entry's folder",
    "image-exists": "a missing image",
    "date-order": "dates in order",
    "known-reference": "a link to an entry that exists",
    "id-reserved": "a different id",
    "personal-data": "personal data removed",
    "no-raw-html": "raw HTML turned into Markdown",
    "safe-link": "an unsafe link removed",
    "image-type": "an image in PNG, JPEG, GIF, WebP or AVIF",
    "contact-personal": "a team's mailbox as the contact",
    "example-text": "its own text in place of the example's",
}


def todo_label(finding: Finding) -> str:
    """What a finding asks for, the same words for the same kind of gap in any entry: a group's
    name in the review queue, the job summary and the worklist ('topics', 'a shorter summary')."""
    if finding.rule in _NEEDS:
        return _NEEDS[finding.rule]
    field = finding.field if finding.rule == "schema-required" else top_field(finding)
    kind = finding.rule.removeprefix("schema-")
    if kind == "required":
        return field
    if kind == "maxLength":
        return f"a shorter {field}"
    if kind == "minLength":
        return f"a longer {field}"
    if kind == "enum":
        return f"a {field} value from the vocabulary"
    return f"a valid {field}"
