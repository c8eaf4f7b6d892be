"""Keeping knowledge current: review dates, and the facilitators' review queue.

`review_state` says whether an entry is current, due soon or overdue, from its
`review_by` date or, without one, its last review (or publication) plus the
library's review period. `review_queue` lists what needs a facilitator, each
item saying what to do; `reminders` turns the overdue part into one issue body
per topic for the scheduled workflow. Reads only; never changes a file.
"""

from __future__ import annotations

import calendar
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from ..core.loader import Document
from ..core.project import Project
from ..core.rules import HEADING, REFERENCE_FIELDS, body_lines, fold_heading
from ..core.safetext import markdown_text
from ..core.validate import validate

STATES = ("current", "due", "overdue")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_due_date(meta: dict, settings: dict) -> date:
    """When the entry should next be checked."""
    if meta.get("review_by"):
        return date.fromisoformat(meta["review_by"])
    last = date.fromisoformat(meta.get("last_reviewed") or meta["published"])
    return add_months(last, settings["review_period_months"])


def review_state(meta: dict, today: date, settings: dict) -> str:
    """'current', 'due' (within the due-soon window) or 'overdue'."""
    due = review_due_date(meta, settings)
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=settings["due_soon_days"]):
        return "due"
    return "current"


@dataclass
class QueueItem:
    """One thing a facilitator should do about one entry."""

    id: str
    path: str
    title: str
    topics: list[str]
    kind: str  # invalid, draft, overdue, due, weak
    problem: str
    action: str
    facilitators: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


KIND_ORDER = {"invalid": 0, "draft": 1, "overdue": 2, "due": 3, "weak": 4}
KIND_HEADINGS = {"invalid": "Fails validation", "draft": "Open submissions (drafts)",
                 "overdue": "Overdue for review", "due": "Due for review soon", "weak": "Could be stronger"}


def _weak_signals(document: Document, project: Project, statuses: dict[str, str]) -> list[tuple[str, str]]:
    meta, settings = document.metadata, project.settings
    signals = []
    summary = len(meta["summary"])
    if summary < settings["summary_min_characters"]:
        signals.append((f"the summary is short ({summary} characters)",
                        f"ask for a summary of at least {settings['summary_min_characters']} characters "
                        "that says what changed"))
    elif summary > settings["summary_max_characters"]:
        signals.append((f"the summary is long ({summary} characters)",
                        f"trim it to {settings['summary_max_characters']} characters so it reads well in listings"))
    term = project.vocabularies["types"].by_id.get(meta["type"], {})
    headings = {fold_heading(m.group(1)) for _, text in body_lines(document) if (m := HEADING.match(text))}
    for section in term.get("recommended", []):
        if fold_heading(section) not in headings:
            signals.append((f"no '## {section}' section", f"suggest adding a '{section}' section"))
    if meta["type"] == "case-study" and not meta.get("outcomes"):
        signals.append(("no measured outcomes", "ask for at least one outcome with a number and how it is known"))
    for name in REFERENCE_FIELDS:
        for other in meta.get(name, []):
            if statuses.get(other) in ("draft", "archived"):
                signals.append((f"{name} points at {other}, which is {statuses[other]}",
                                f"remove {other} from {name} or ask whether it should be republished"))
    return signals


def review_queue(project: Project, today: date, topic: str | None = None) -> list[QueueItem]:
    """Everything that needs a facilitator, most urgent first."""
    report = validate(project)
    topics = project.vocabularies["topics"]
    statuses = {d.id: d.metadata["status"] for d in report.documents}
    items: list[QueueItem] = []

    def add(document_id, path, meta, kind, problem, action):
        entry_topics = [t for t in (meta or {}).get("topics", []) if t in topics.by_id]
        facilitators = sorted({f for t in entry_topics for f in topics.by_id[t].get("facilitators", [])})
        items.append(QueueItem(document_id, path, (meta or {}).get("title", document_id), entry_topics, kind,
                               problem, action, facilitators))

    invalid: dict[str, int] = {}
    for finding in report.findings:
        invalid[finding.path] = invalid.get(finding.path, 0) + 1
    for path, count in invalid.items():
        entry_id = path.rsplit("/", 2)[-2] if path.endswith("/index.md") else path.rsplit("/", 1)[-1][:-3]
        add(entry_id, path, None, "invalid", f"{count} problem{'s' if count != 1 else ''} found by the validator",
            f"run 'casehub validate {path}' and ask the contributor to fix them")
    for document in report.documents:
        meta, path = document.metadata, document.display_path
        if meta["status"] == "draft":
            add(document.id, path, meta, "draft", "a draft waiting for review",
                "review it against the acceptance criteria, then set status: published")
            continue
        if meta["status"] == "archived":
            continue
        state = review_state(meta, today, project.settings)
        due = review_due_date(meta, project.settings)
        if state == "overdue":
            add(document.id, path, meta, "overdue", f"review was due on {due.isoformat()}",
                f"check it is still accurate, then run 'casehub reviewed {document.id}' "
                f"(or 'casehub archive {document.id} --reason ...')")
        elif state == "due":
            add(document.id, path, meta, "due", f"review is due on {due.isoformat()}",
                f"check it is still accurate, then run 'casehub reviewed {document.id}'")
        for problem, action in _weak_signals(document, project, statuses):
            add(document.id, path, meta, "weak", problem, action)
    if topic:
        items = [i for i in items if topic in i.topics]
    return sorted(items, key=lambda i: (KIND_ORDER[i.kind], i.path, i.problem))


EMPTY_QUEUE = "Nothing needs a facilitator: no drafts, nothing due, no weak entries.\n"


def _grouped(items: list[QueueItem]):
    """(heading, items) for each kind of work that has any, most urgent first."""
    for kind, heading in KIND_HEADINGS.items():
        group = [i for i in items if i.kind == kind]
        if group:
            yield heading, group


def queue_as_text(items: list[QueueItem]) -> str:
    if not items:
        return EMPTY_QUEUE
    lines = []
    for heading, group in _grouped(items):
        lines += [f"{heading} ({len(group)})", *(f"  {i.path}: {i.problem} — {i.action}" for i in group), ""]
    lines.append(f"{len(items)} item{'s' if len(items) != 1 else ''} in the review queue.")
    return "\n".join(lines) + "\n"


def queue_as_markdown(items: list[QueueItem]) -> str:
    if not items:
        return EMPTY_QUEUE
    lines = []
    for heading, group in _grouped(items):
        lines += [f"## {heading} ({len(group)})", ""]
        lines += [f"- [ ] **{markdown_text(i.title)}** (`{i.path}`): {i.problem}. {i.action[0].upper()}{i.action[1:]}."
                  for i in group]
        lines.append("")
    return "\n".join(lines)


def reminders(project: Project, today: date) -> list[dict]:
    """One issue per topic with overdue entries: its title, and a body naming the facilitators."""
    items = [i for i in review_queue(project, today) if i.kind == "overdue"]
    topics = project.vocabularies["topics"]
    issues = []
    for term in topics.items:
        group = [i for i in items if term["id"] in i.topics]
        if not group:
            continue
        mentions = " ".join(f"@{name}" for name in term.get("facilitators", []))
        body = [f"These {term['label']} entries are past their review date. "
                "Please check each one is still accurate, then record the review with "
                "`casehub reviewed <id>` in a pull request, or archive it with a reason.", ""]
        body += [f"- [ ] **{markdown_text(i.title)}** (`{i.path}`): {i.problem}." for i in group]
        body += ["", f"Facilitators for this topic: {mentions or 'none listed in data/topics.yaml'}.", "",
                 f"_Updated by the review reminder workflow on {today.isoformat()}._"]
        issues.append({"topic": term["id"], "title": f"Review due: {term['label']} ({len(group)} overdue)",
                       "label": f"review:{term['id']}", "body": "\n".join(body) + "\n"})
    return issues
