"""A new entry from a few answers: the git route's first step (`casehub new`).

Turns answers (type, title, organisation, place, topics…) into an entry file
whose front matter is written safely and whose body is the headings of the
scenario example for that type (examples/<type>.md), each with its prompt, so
the contributor starts from guidance, never from the example's invented text.
The validator flags a prompt left in place (rule `example-text`). Never
overwrites a file; warns about personal data in the answers before anything
is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.entry import slugify
from ..core.entryfile import EntryFileError, IdClaims, IdTakenError, dump
from ..core.examples import WRITE_HERE, example_for
from ..core.findings import CasehubError
from ..core.loader import parse
from ..core.personal import personal_data_kinds
from ..core.project import Project
from ..core.rules import fold_heading


class NewEntryError(CasehubError):
    """The entry cannot be written (the file exists, or an answer is unusable)."""


@dataclass
class Answers:
    type: str
    title: str
    summary: str
    organisation: str
    role: str
    nation: str
    region: str
    topics: list[str]
    stage: str
    contact_team: str
    contact_email: str = ""
    contact_url: str = ""
    council_type: str = ""
    entry_id: str = ""

    def texts(self) -> dict[str, str]:
        """The free-text answers, by the name a contributor knows them by, for the personal-data check."""
        return {"title": self.title, "summary": self.summary, "organisation": self.organisation,
                "contact team": self.contact_team}


def personal_data_warnings(answers: Answers) -> list[str]:
    """Plain-English warnings for answers that look like personal data; the values are not repeated."""
    return [f"The {name} looks like it contains {kind}. Remove it: pull requests are public, and an entry "
            "names teams, not residents or private individuals."
            for name, text in answers.texts().items() for kind in personal_data_kinds(text)]


def suggested_id(title: str) -> str:
    return slugify(title)[:80].strip("-") or "new-entry"


def entry_fields(answers: Answers, today: date) -> dict:
    """The new entry's front matter, from the answers: a draft, published today."""
    geography = {"nation": answers.nation, "region": answers.region}
    if answers.council_type:
        geography["council_type"] = answers.council_type
    contact = {"team": answers.contact_team}
    if answers.contact_email:
        contact["email"] = answers.contact_email
    if answers.contact_url:
        contact["url"] = answers.contact_url
    return {"title": answers.title, "summary": answers.summary, "type": answers.type, "status": "draft",
            "organisations": [{"name": answers.organisation, "role": answers.role}], "geography": geography,
            "topics": list(answers.topics), "stage": answers.stage, "published": today, "contact": contact}


def entry_text(project: Project, answers: Answers, today: date) -> str:
    """The file's text: front matter from the answers, body from the type's scenario example."""
    return dump(entry_fields(answers, today), _template_body(project, answers.type))


def _template_body(project: Project, entry_type: str) -> str:
    """Each section's heading and its prompt from the type's example (examples/<type>.md), never the
    example's own text: its invented figures would otherwise pass for the contributor's."""
    example = example_for(project.root, entry_type)
    sections = list(example.prompts()) if example else []
    named = {fold_heading(heading) for heading, _ in sections}
    for section in project.vocabularies["types"].by_id[entry_type].get("sections", []):
        if fold_heading(section) not in named:
            sections.append((section, WRITE_HERE))
    if not sections:
        return WRITE_HERE + "\n"
    return "\n".join(f"## {heading}\n\n{prompt}\n" for heading, prompt in sections)


def write_new_entry(project: Project, answers: Answers, today: date) -> Path:
    """Write casestudies/<id>.md; refuses to overwrite anything, or to take an id another entry has."""
    entry_id = answers.entry_id or suggested_id(answers.title)
    try:
        text = entry_text(project, answers, today)
    except EntryFileError as error:
        raise NewEntryError(f"{error}; nothing was written") from None
    path = project.entries_dir / f"{entry_id}.md"
    parse(text.encode("utf-8"), path, project.relative(path))  # the loader must read back what we write
    claims = IdClaims(project)
    if holder := claims.holder(entry_id):
        raise NewEntryError(f"{holder} already exists; nothing was written. "
                            "Choose another id with --id, or edit the existing entry")
    try:
        claimed = claims.claim(entry_id, suffix=False)
    except IdTakenError as error:
        raise NewEntryError(f"{error}; nothing was written. Choose another id with --id, "
                            "or edit the existing entry") from None
    return claimed.write(text)
