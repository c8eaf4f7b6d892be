"""What the Contribute page's script shares with the Python side.

The form in the browser checks an entry before it is sent, and must agree with
`casehub validate`: the ids the site keeps for itself, the nations' names, the
id pattern, the personal-data patterns and the personal-mailbox list and
pattern are defined once, in Python, and the Contribute page carries them (in
its form's `data-shared`) for the script to read. Patterns go as their
sources: each one here is written so that JavaScript reads it the same way in
Latin text (no named groups, no Python-only syntax); tests/test_contribute_form.py
holds the two to that.

`routes` is where the page can send an entry (its `data-routes`): the
library's mailbox and each topic's (data/casehub.yaml, data/topics.yaml), the
form handler the publisher runs, if any, and the fields of the repository's
"Share a case study" issue form, which the page fills in through the address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..core.entry import NATIONS
from ..core.loader import LoadError, load_data_document
from ..core.personal import PERSONAL_DATA_PATTERNS
from ..core.project import RESERVED_IDS, Project
from ..core.safetext import ID_MAX_LENGTH, ID_PATTERN, PERSONAL_MAILBOX, WEBMAIL_DOMAINS
from .issueform import FORM_FIELDS

ISSUE_TEMPLATE = ".github/ISSUE_TEMPLATE/share-a-case-study.yml"


def shared_with_the_form() -> dict:
    """The values, as the page's JSON: plain lists, mappings and strings."""
    return {
        "reserved": sorted(RESERVED_IDS),
        "nations": dict(NATIONS),
        "idPattern": ID_PATTERN.pattern,
        "idMaxLength": ID_MAX_LENGTH,
        "personalData": {kind: pattern.pattern for kind, pattern in PERSONAL_DATA_PATTERNS.items()},
        "webmail": sorted(WEBMAIL_DOMAINS),
        "personalMailbox": PERSONAL_MAILBOX.pattern,
    }


def routes(project: Project) -> dict:
    """Where the page can send an entry, as the page's JSON."""
    settings = project.settings
    return {
        "mailbox": settings["submission_mailbox"],
        "topicMailboxes": {item["id"]: item["mailbox"] for item in project.vocabularies["topics"].items
                           if item.get("mailbox")},
        "endpoint": settings["submission_endpoint"],
        "issue": issue_form(project),
    }


def endpoint_origin(project: Project) -> str:
    """The form handler's origin, which the page's Content-Security-Policy must let it post to ('' if none)."""
    endpoint = project.settings["submission_endpoint"]
    if not endpoint:
        return ""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def issue_form(project: Project) -> dict | None:
    """The issue form's file name and the ids of its fields: by the converter's name for the
    fields it reads (title, organisation, contact…), and by label for the writing sections."""
    path = project.root / ISSUE_TEMPLATE
    if not path.is_file():
        return None
    try:
        form = load_data_document(path, project.relative(path)).metadata
    except LoadError:
        return None  # the workflow tests report a broken form; the page just leaves the route out
    labels = {}
    for element in form.get("body", []) if isinstance(form, dict) else []:
        if isinstance(element, dict) and element.get("id") and isinstance(element.get("attributes"), dict):
            labels[element["attributes"].get("label")] = (element["id"], element.get("type"))
    return {
        "template": path.name,
        "fields": {name: labels[label][0] for label, name in FORM_FIELDS.items() if label in labels},
        "sections": {label: id_ for label, (id_, kind) in labels.items()
                     if kind == "textarea" and label not in FORM_FIELDS},
    }
