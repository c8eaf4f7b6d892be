"""Submissions waiting for a facilitator: open pull requests (and "Share a case study" issues)
as GitHub lists them, turned into what the review board shows.

Reads the JSON of `gh pr list --json number,title,author,createdAt,updatedAt,labels,files,
headRefName,url,isDraft,statusCheckRollup` or of the REST API's `GET /repos/{owner}/{repo}/pulls`
(which has no files and no checks), and optionally of `gh issue list --label submission --json
number,title,author,createdAt,updatedAt,url,labels` or `GET /repos/{owner}/{repo}/issues`. Each
submission gets its submitter (a GitHub login, never a person's name), topics (its `topic:` labels,
else the topics of entries the library already has that it changes), age in days, the state of
its checks, a preview link (the Validate run, which holds the built site) and what to do next.

Works on data only: it never calls GitHub and writes nothing. Text from GitHub is untrusted; the
board (board.py) escapes it for Markdown.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..core.findings import CasehubError
from ..core.loader import LoadError, load
from ..core.project import Project
from ..core.safetext import clean_characters, one_line
from .ids import entries_by_id

# What to ask `gh` for: every field read here.
GH_PR_FIELDS = "number,title,author,createdAt,updatedAt,labels,files,headRefName,url,isDraft,statusCheckRollup"
GH_ISSUE_FIELDS = "number,title,author,createdAt,updatedAt,url,labels"
SUBMISSION_LABEL = "submission"
ISSUE_BRANCH = re.compile(r"submission/issue-(\d+)$")  # the branch issue-to-pr.yml pushes
ENTRY_FILE = re.compile(r"casestudies/([^/]+?)(?:\.md|/.*)$")
PREVIEW_CHECK = "Check entries and build a preview"  # validate.yml's job, which uploads the site-preview artifact

# GitHub's check-run conclusions and commit-status states, as the board counts them.
PASSED = {"SUCCESS", "NEUTRAL", "SKIPPED"}
FAILED = {"FAILURE", "ERROR", "TIMED_OUT", "CANCELLED", "ACTION_REQUIRED", "STARTUP_FAILURE", "STALE"}

CHECK_STATES = {
    "failing": "checks failing",
    "running": "checks running",
    "passing": "checks pass",
    "not run": "checks not run",
    "unknown": "checks not in the list",
    "held": "no pull request yet",
}


class PullListError(CasehubError):
    """A pull request or issue list that cannot be read; the message names the file and the fix."""


@dataclass
class Submission:
    """One submission waiting for a facilitator: an open pull request, or an issue without one yet."""

    number: int
    title: str
    url: str
    submitter: str          # a GitHub login, or "issue #N" when a workflow opened it and the issue is unknown
    opened: str             # YYYY-MM-DD: when the contributor submitted it (the issue's date, for one from an issue)
    age_days: int
    updated: str
    topics: list[str]       # topic ids
    entries: list[str]      # entry ids its files add or change ([] when the list has no files)
    checks: str             # a key of CHECK_STATES
    failing_checks: list[str]
    preview: str | None     # the Validate run, which holds the built site as its site-preview artifact
    draft: bool
    issue: int | None       # the "Share a case study" issue it came from
    action: str
    facilitators: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def load_list(path: Path, what: str) -> list[dict]:
    """A JSON list of pull requests or issues, from a file; a plain-English error for anything else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise PullListError(f"{path}: this is not text; save the JSON that 'gh {what} list --json …' prints") from None
    except json.JSONDecodeError as error:
        raise PullListError(f"{path}:{error.lineno}:{error.colno}: this is not JSON ({error.msg}); save the output "
                            f"of 'gh {what} list --json …' or of GitHub's REST API") from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise PullListError(f"{path}: expected a list of {what}s, each an object, as 'gh {what} list --json …' "
                            "and the REST API give")
    return data


def _text(value) -> str:
    """A string from GitHub's JSON, on one line and without control characters (a title could carry a
    terminal's escape sequences)."""
    text, _ = clean_characters(str(value))
    return one_line(text)


def _field(item: dict, path: Path, index: int, *names: str):
    """The first of `names` the item has (gh's camelCase or the REST API's snake_case)."""
    for name in names:
        value = item
        for part in name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            return value
    raise PullListError(f"{path}: item {index + 1} has no '{names[0]}': list it with "
                        f"--json {','.join(n.split('.')[0] for n in names[:1])}")


def _number(item: dict, path: Path, index: int) -> int:
    value = _field(item, path, index, "number")
    if isinstance(value, bool) or not isinstance(value, int):
        raise PullListError(f"{path}: item {index + 1}'s number '{value}' is not a whole number")
    return value


def _day(value: str, path: Path, index: int, name: str) -> date:
    try:
        return datetime.fromisoformat(value).date()
    except (TypeError, ValueError):
        raise PullListError(f"{path}: item {index + 1}'s {name} '{value}' is not a date and time") from None


def _login(item: dict) -> tuple[str, bool]:
    """The author's login (never their name, which is personal data), and whether it is a bot."""
    author = item.get("author") or item.get("user") or {}
    login = _text(author.get("login") or "unknown").removeprefix("app/")
    bot = bool(author.get("is_bot")) or author.get("type") == "Bot" or login.endswith("[bot]")
    return login, bot


def _labels(item: dict) -> list[str]:
    return [_text(label.get("name", "")) for label in item.get("labels") or [] if isinstance(label, dict)]


def _checks(item: dict) -> tuple[str, list[str], str | None]:
    """The state of a pull request's checks, the failing ones by name, and the preview run's address."""
    if "statusCheckRollup" not in item:
        return "unknown", [], None  # the REST list has no checks
    states, failing, preview = [], [], None
    for check in item.get("statusCheckRollup") or []:
        name = _text(check.get("name") or check.get("context") or "a check")
        if check.get("__typename") == "StatusContext" or "state" in check:
            state = str(check.get("state", "")).upper()
            outcome = "passing" if state in PASSED else "failing" if state in FAILED else "running"
        elif str(check.get("status", "")).upper() != "COMPLETED":
            outcome = "running"
        else:
            outcome = "passing" if str(check.get("conclusion", "")).upper() in PASSED else "failing"
        states.append(outcome)
        if outcome == "failing":
            failing.append(name)
        if name == PREVIEW_CHECK and outcome != "running":
            preview = _text(check.get("detailsUrl") or check.get("targetUrl") or "") or None
    for state in ("failing", "running", "passing"):
        if state in states:
            return state, failing, preview
    return "not run", [], None


def _action(submission: Submission, bot: bool) -> str:
    if submission.issue is not None and submission.checks == "held":
        return ("the issue workflow could not open a pull request (personal data to remove, or answers it could "
                "not read): read its comment on the issue and help the contributor")
    if submission.draft:
        return "the contributor marked it as a draft: wait, or ask whether they need help"
    if submission.checks == "failing":
        return (f"the checks found problems ({', '.join(submission.failing_checks)}): the Validate job summary "
                "says what to fix in plain words; help the contributor, or suggest the fix in the pull request")
    if submission.checks == "running":
        return "the checks are still running: look again shortly"
    if submission.checks == "not run":
        if bot:
            return ("opened by a workflow, so no checks ran (its description lists what they found): read it, and "
                    "push a commit to the branch to run them")
        return ("no checks have run: a first-time contributor's workflows wait for approval, so approve them in "
                "the pull request")
    what = "read it against the acceptance criteria"
    if not submission.topics:
        what = "add its topic: label (the Validate summary suggests it), and " + what
    return f"{what}; when it is ready, set status: published on its branch and merge it"


def _entry_ids(item: dict) -> list[str]:
    paths = [_text(f.get("path", "")) for f in item.get("files") or [] if isinstance(f, dict)]
    return list(dict.fromkeys(m.group(1) for p in paths if (m := ENTRY_FILE.match(p))))


def _is_submission(item: dict, entries: list[str], labels: list[str], branch: str) -> bool:
    """Whether a pull request adds or changes entries (rather than code): its files, labels or branch say so.
    A REST list has no files, so there only the labels and the branch can tell."""
    return bool(entries) or SUBMISSION_LABEL in labels or bool(ISSUE_BRANCH.match(branch)) \
        or any(label.startswith(("topic:", "type:")) for label in labels)


def read_submissions(project: Project, pulls_path: Path, today: date,
                     issues_path: Path | None = None) -> tuple[list[Submission], int]:
    """The submissions in a saved pull-request list (and issue list), longest waiting first, and how
    many other open pull requests there are (ones that change no entry)."""
    topics = project.vocabularies["topics"]
    known = entries_by_id(project)
    issues = {}
    for index, item in enumerate(load_list(issues_path, "issue") if issues_path else []):
        if "pull_request" in item:  # the REST API lists pull requests among issues
            continue
        number = _number(item, issues_path, index)
        if SUBMISSION_LABEL in _labels(item) and str(item.get("state", "open")).lower() == "open":
            issues[number] = (item, index)
    submissions, others, from_issues = [], 0, set()
    for index, item in enumerate(load_list(pulls_path, "pr")):
        if str(item.get("state", "open")).lower() != "open":
            continue
        labels, branch = _labels(item), _text(_field(item, pulls_path, index, "headRefName", "head.ref"))
        entries = _entry_ids(item)
        if not _is_submission(item, entries, labels, branch):
            others += 1
            continue
        login, bot = _login(item)
        opened = _day(_field(item, pulls_path, index, "createdAt", "created_at"), pulls_path, index, "createdAt")
        match = ISSUE_BRANCH.match(branch)
        issue = int(match.group(1)) if match else None
        if issue is not None:
            from_issues.add(issue)
            if issue in issues:  # the contributor is the issue's author, and waited from the issue's date
                issue_item, issue_index = issues[issue]
                login, _ = _login(issue_item)
                opened = _day(_field(issue_item, issues_path, issue_index, "createdAt", "created_at"),
                              issues_path, issue_index, "createdAt")
            elif bot:
                login = f"issue #{issue}"
        checks, failing, preview = _checks(item)
        submissions.append(_submission(
            project, today, number=_number(item, pulls_path, index), title=_text(item.get("title", "")),
            url=_text(item.get("html_url") or _field(item, pulls_path, index, "url")), submitter=login, opened=opened,
            updated=_day(item.get("updatedAt") or item.get("updated_at") or opened.isoformat(),
                         pulls_path, index, "updatedAt"),
            topics=[t for t in (label.removeprefix("topic:") for label in labels if label.startswith("topic:"))
                    if t in topics.by_id] or _known_topics(project, entries, known),
            entries=entries, checks=checks, failing=failing, preview=preview,
            draft=bool(item.get("isDraft", item.get("draft", False))), issue=issue, bot=bot))
    for number, (item, index) in issues.items():
        if number in from_issues:
            continue
        opened = _day(_field(item, issues_path, index, "createdAt", "created_at"), issues_path, index, "createdAt")
        submissions.append(_submission(
            project, today, number=number, title=_text(item.get("title", "")),
            url=_text(item.get("html_url") or _field(item, issues_path, index, "url")), submitter=_login(item)[0],
            opened=opened, updated=opened, topics=[], entries=[], checks="held", failing=[], preview=None, draft=False,
            issue=number, bot=False))
    return sorted(submissions, key=lambda s: (-s.age_days, s.number)), others


def _known_topics(project: Project, entries: list[str], known: dict[str, list[Path]]) -> list[str]:
    """The topics of the entries a pull request changes that the library already has (an edit, not a new
    entry): read from our copy, as the pull request's own is not here. A copy that does not load gives none."""
    found = []
    for entry in entries:
        for path in known.get(entry, [])[:1]:
            try:
                meta = load(path, project.relative(path), positions=False).metadata
            except LoadError:
                continue
            value = meta.get("topics") if isinstance(meta, dict) else None
            found += [t for t in value if t in project.vocabularies["topics"].by_id] if isinstance(value, list) else []
    return list(dict.fromkeys(found))


def _submission(project: Project, today: date, *, opened: date, updated: date, failing: list[str], bot: bool,
                **values) -> Submission:
    topics = project.vocabularies["topics"]
    facilitators = sorted({f for t in values["topics"] for f in topics.by_id[t].get("facilitators", [])})
    submission = Submission(**values, opened=opened.isoformat(), age_days=max((today - opened).days, 0),
                            updated=updated.isoformat(), failing_checks=failing, action="",
                            facilitators=facilitators)
    submission.action = _action(submission, bot)
    return submission
