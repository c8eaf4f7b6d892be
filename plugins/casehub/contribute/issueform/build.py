"""The answers mapped to an entry's fields and body: `build_entry`, in named steps.

Each step reads its answers through `neutralise.Answers` (so every change is a
note) and returns its fields: identity (title, summary, type), organisation,
geography, topics and stage, contact, consent, then the body's sections in the
issue's order. `entry_text` writes the entry with the one entry-file writer,
`core.entryfile.dump`, every value quoted and escaped as it needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ...core.entryfile import dump
from ...core.project import Project
from ...core.safetext import UNSAFE_SCHEME, contact_address
from .form import is_ticked, section_labels, ticked_options
from .neutralise import Answers, Note


@dataclass
class Entry:
    """A draft entry: its fields (in the order of the examples), its body, and what was changed."""

    metadata: dict[str, object]
    body: str
    notes: list[Note]
    title: str
    type: str


def identity(answers: Answers) -> dict[str, str]:
    """The title, summary and type, as the contributor gave them (the validator checks the type)."""
    return {"title": answers.line("Title", "/title"), "summary": answers.line("Summary", "/summary"),
            "type": answers.line("Type of entry", "/type")}


def organisation(answers: Answers) -> dict[str, str]:
    """The contributor's organisation and its role (lead unless the form says otherwise)."""
    name = answers.line("Organisation", "/organisations/0/name")
    role = answers.line("Your organisation's role", "/organisations/0/role") or "lead"
    return {k: v for k, v in (("name", name), ("role", role)) if v}


def geography(project: Project, answers: Answers) -> dict[str, str]:
    """Nation, region and council type; the nation from the region when it is not given."""
    nation = answers.line("Nation", "/geography/nation")
    region = answers.line("Region", "/geography/region")
    council_type = answers.line("Council or organisation type", "/geography/council_type")
    regions = project.vocabularies["regions"].by_id
    if not nation and region in regions:
        nation = regions[region].get("nation", "")
    return {k: v for k, v in (("nation", nation), ("region", region), ("council_type", council_type)) if v}


def contact(answers: Answers) -> dict[str, str]:
    """The contact team, and an e-mail address or web page (https:// added to a bare domain)."""
    team = answers.line("Contact team", "/contact/team")
    given = answers.line("Contact email or web page", "/contact")
    value, kind = contact_address(given)
    found: dict[str, str] = {}
    if not value:
        pass
    elif kind == "url":
        found = {"url": value}
    elif re.match(r"(?i)\s*" + UNSAFE_SCHEME, value):
        answers.notes.append(Note("/contact", "issue-unsafe-link-removed",
                                  "the contact address was not a web address or e-mail address, so it was left out",
                                  "give the team's shared mailbox or a web page starting https://"))
    elif kind == "email":
        found = {"email": value}
    elif kind == "domain":
        answers.notes.append(Note("/contact/url", "issue-contact-https", "https:// was added to the contact web page",
                                  "check the address opens the right page"))
        found = {"url": "https://" + value}
    else:
        found = {"url": value}
    return {k: v for k, v in (("team", team), *found.items()) if v}


def consent(answers: Answers) -> None:
    """An error note unless the box confirming no personal data and the licence was ticked."""
    if not is_ticked(answers.text("Before you submit")):
        answers.notes.append(Note("#consent", "issue-consent",
                                  "the box confirming there is no personal data and agreeing to the Open Government "
                                  "Licence was not ticked",
                                  "edit the issue and tick the box under 'Before you submit'", "error"))


def body(project: Project, answers: Answers) -> str:
    """Each answered section under its `## ` heading, in the issue's order."""
    known_sections = set(section_labels(project))
    sections = []
    for label in [label for label in answers.answers if label in known_sections]:
        cleaned = answers.section(label)
        if cleaned:
            sections.append(f"## {label}\n\n{cleaned}\n")
    if not sections:
        answers.notes.append(Note("#body", "issue-no-text", "the entry has no text yet",
                                  "edit the issue and answer the questions about what you did and learned"))
    return "\n".join(sections)


def build_entry(project: Project, answers: dict[str, str], today: date) -> Entry:
    """The entry's fields (in the order of the examples), its body, and what was changed on the way."""
    read = Answers(answers)
    fields = identity(read)
    organisation_fields = organisation(read)
    place = geography(project, read)
    topics = ticked_options(read.text("Topics"))
    stage = read.line("Stage", "/stage")
    contact_fields = contact(read)
    consent(read)
    metadata = {**fields, "status": "draft",
                "organisations": [organisation_fields] if organisation_fields else [],
                "geography": place,
                "topics": topics, "stage": stage, "published": today, "contact": contact_fields}
    metadata = {k: v for k, v in metadata.items() if v not in ("", [], {})}
    text = body(project, read)
    read.invisible_characters_note()
    return Entry(metadata, text, read.notes, fields["title"], fields["type"])


def entry_text(entry: Entry) -> str:
    """The entry file's text, every value written by the one entry-file writer."""
    return dump(entry.metadata, entry.body)
