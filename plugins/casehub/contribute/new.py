"""A new entry from a few answers: the git route's first step (`casehub new`).

Turns answers (type, title, organisation, place, topics…) into an entry file
whose front matter is written safely and whose body is the scenario example
for that type (examples/<type>.md), so the contributor starts from guidance
and a valid file. Never overwrites a file; warns about personal data in the
answers before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..core.entry import slugify
from ..core.findings import CasehubError
from ..core.loader import load, parse
from ..core.project import Project
from ..core.rules import personal_data_kinds
from ..curate.edit import format_value


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


def entry_text(project: Project, answers: Answers, today: date) -> str:
    """The file's text: front matter from the answers, body from the type's scenario example."""
    lines = ["---",
             f"title: {format_value(answers.title, quoted=True)}",
             f"summary: {format_value(answers.summary, quoted=True)}",
             f"type: {answers.type}",
             "status: draft",
             "organisations:",
             f"  - name: {format_value(answers.organisation, quoted=True)}",
             f"    role: {answers.role}",
             "geography:",
             f"  nation: {answers.nation}",
             f"  region: {answers.region}"]
    if answers.council_type:
        lines.append(f"  council_type: {answers.council_type}")
    lines += [f"topics: [{', '.join(answers.topics)}]",
              f"stage: {answers.stage}",
              f"published: {today.isoformat()}",
              "contact:",
              f"  team: {format_value(answers.contact_team, quoted=True)}"]
    if answers.contact_email:
        lines.append(f"  email: {format_value(answers.contact_email, quoted=True)}")
    if answers.contact_url:
        lines.append(f"  url: {format_value(answers.contact_url, quoted=True)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + _template_body(project, answers.type)


def _template_body(project: Project, entry_type: str) -> str:
    example = project.root / "examples" / f"{entry_type}.md"
    if example.is_file():
        return load(example).body.lstrip("\n")
    sections = project.vocabularies["types"].by_id[entry_type].get("sections", [])
    return "\n".join(f"## {section}\n\nWrite this section.\n" for section in sections) or "Write your entry here.\n"


def write_new_entry(project: Project, answers: Answers, today: date) -> Path:
    """Write casestudies/<id>.md; refuses to overwrite anything."""
    entry_id = answers.entry_id or suggested_id(answers.title)
    path = project.entries_dir / f"{entry_id}.md"
    folder = project.entries_dir / entry_id / "index.md"
    if path.exists() or folder.exists():
        existing = path if path.exists() else folder
        raise NewEntryError(f"{project.relative(existing)} already exists; nothing was written. "
                            "Choose another id with --id, or edit the existing entry")
    text = entry_text(project, answers, today)
    parse(text.encode("utf-8"), path, project.relative(path))  # the loader must read back what we write
    project.entries_dir.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:  # "x": fail rather than overwrite, even in a race
        handle.write(text)
    return path
