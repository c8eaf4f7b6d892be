"""Keeping knowledge current: review dates, and the facilitators' review queue.

`review_state` says whether an entry is current, due soon or overdue, from its
`review_by` date or, without one, its last review (or publication) plus the
library's review period. `review_queue` lists what needs a facilitator, each
item saying what to do; `reminders` turns the overdue part into one issue body
per topic for the scheduled workflow. Reads only; never changes a file.
"""

from __future__ import annotations

import calendar
import shlex
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from ..core.loader import Document
from ..core.project import Project
from ..core.publishable import TODO, todo_label
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


KIND_ORDER = {"invalid": 0, "batch": 1, "draft": 2, "overdue": 3, "due": 4, "weak": 5}
KIND_HEADINGS = {"invalid": "Fails validation", "batch": "Imported batches", "draft": "Open submissions (drafts)",
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


def _batch_items(project: Project, report) -> list[QueueItem]:
    """The imported batches: for each, its totals, then each group of drafts needing the same thing
    with the bulk command that fills it, in the workbench's order (failures first, then the largest)."""
    from .workbench import batch_work  # workbench reads batches, which edits: imported when used

    items = []
    for work in batch_work(project, report):
        action = (f"publish the ready ones: {work.publish_command()}" if work.ready
                  else f"share out the work: casehub worklist --batch {shlex.quote(work.name)} -o worklist.csv")
        items.append(QueueItem(work.name, "", work.name, [], "batch", work.overview(), action))
        for need in work.needs:
            count = len(need.paths)
            problem = f"{count} draft{'s' if count != 1 else ''} need{'s' if count == 1 else ''} {need.label}"
            if need.severity == "error":
                problem += " (fails validation: fix these first)"
            action = need.fix if need.fix.startswith("by hand") else f"suggested bulk fix: {need.fix}"
            items.append(QueueItem(work.name, "", work.name, [], "batch", problem, action))
    return items


def review_queue(project: Project, today: date, topic: str | None = None) -> list[QueueItem]:
    """Everything that needs a facilitator, most urgent first."""
    from .batches import batch_name  # batches reads ids as edit does, and edit reads review dates from here

    report = validate(project)
    topics = project.vocabularies["topics"]
    statuses = {d.id: d.metadata["status"] for d in report.documents + report.unfinished}
    items: list[QueueItem] = []

    def add(document_id, path, meta, kind, problem, action):
        entry_topics = [t for t in (meta or {}).get("topics", []) if isinstance(t, str) and t in topics.by_id]
        facilitators = sorted({f for t in entry_topics for f in topics.by_id[t].get("facilitators", [])})
        items.append(QueueItem(document_id, path, str((meta or {}).get("title", document_id)), entry_topics, kind,
                               problem, action, facilitators))

    invalid: dict[str, int] = {}
    todo: dict[str, list[str]] = {}
    for finding in report.findings:
        if finding.severity == TODO:
            todo.setdefault(finding.path, []).append(todo_label(finding))
        else:
            invalid[finding.path] = invalid.get(finding.path, 0) + 1
    for path, count in invalid.items():
        entry_id = path.rsplit("/", 2)[-2] if path.endswith("/index.md") else path.rsplit("/", 1)[-1][:-3]
        add(entry_id, path, None, "invalid", f"{count} problem{'s' if count != 1 else ''} found by the validator",
            f"run 'casehub validate {path}' and ask the contributor to fix them")
    for document in report.unfinished:  # drafts not complete yet; an import's are counted with its batch
        path = document.display_path
        if path in todo and path not in invalid and batch_name(document.metadata) is None:
            needs = ", ".join(dict.fromkeys(todo[path]))
            add(document.id, path, document.metadata, "draft", f"a draft that is not complete: it needs {needs}",
                f"ask the contributor to add what it needs ('casehub validate {path}' lists each), "
                f"then run 'casehub publish {document.id}'")
    for document in report.documents:
        meta, path = document.metadata, document.display_path
        if meta["status"] == "draft":
            if batch_name(meta) is None:
                add(document.id, path, meta, "draft", "a draft waiting for review",
                    f"review it against the acceptance criteria, then run 'casehub publish {document.id}'")
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
    items.sort(key=lambda i: (KIND_ORDER[i.kind], i.path, i.problem))
    if not topic:  # batches are not on a topic; they come after what fails validation, in their own order
        position = sum(1 for i in items if i.kind == "invalid")
        items[position:position] = _batch_items(project, report)
    else:
        items = [i for i in items if topic in i.topics]
    return items


EMPTY_QUEUE = "Nothing needs a facilitator: no drafts, nothing due, no weak entries.\n"


def _grouped(items: list[QueueItem]):
    """(heading, items) for each kind of work that has any, most urgent first."""
    for kind, heading in KIND_HEADINGS.items():
        group = [i for i in items if i.kind == kind]
        if group:
            yield kind, heading, group


def _batches(group: list[QueueItem]) -> dict[str, list[QueueItem]]:
    batches: dict[str, list[QueueItem]] = {}
    for item in group:
        batches.setdefault(item.id, []).append(item)
    return batches


def queue_as_text(items: list[QueueItem]) -> str:
    if not items:
        return EMPTY_QUEUE
    lines = []
    for kind, heading, group in _grouped(items):
        if kind == "batch":
            batches = _batches(group)
            lines.append(f"{heading} ({len(batches)})")
            for name, (overview, *needs) in batches.items():
                lines += [f"  {name}: {overview.problem} — {overview.action}",
                          *(f"    {i.problem} — {i.action}" for i in needs)]
            lines.append("")
            continue
        lines += [f"{heading} ({len(group)})", *(f"  {i.path}: {i.problem} — {i.action}" for i in group), ""]
    lines.append(f"{len(items)} item{'s' if len(items) != 1 else ''} in the review queue.")
    return "\n".join(lines) + "\n"


def queue_as_markdown(items: list[QueueItem]) -> str:
    if not items:
        return EMPTY_QUEUE
    lines = []
    for kind, heading, group in _grouped(items):
        if kind == "batch":
            batches = _batches(group)
            lines += [f"## {heading} ({len(batches)})", ""]
            for name, (overview, *needs) in batches.items():
                lines.append(f"- **{markdown_text(name)}**: {overview.problem}. {_sentence(overview.action)}")
                lines += [f"  - [ ] {i.problem}: {_code_or_text(i.action)}" for i in needs]
            lines.append("")
            continue
        lines += [f"## {heading} ({len(group)})", ""]
        lines += [f"- [ ] **{markdown_text(i.title)}** (`{i.path}`): {i.problem}. {_sentence(i.action)}."
                  for i in group]
        lines.append("")
    return "\n".join(lines)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _code_or_text(action: str) -> str:
    """A suggested command as code (it holds the batch's name, which is text from the source: the
    backticks keep it from becoming markup); anything else as it is."""
    prefix, found, command = action.partition("casehub ")
    if not found:
        return action
    return f"{prefix}`{('casehub ' + command).replace('`', chr(39))}`"


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
