"""The facilitators' review board: submissions waiting (open pull requests, issues without one)
beside the review queue (files that fail, drafts, entries due or overdue for review, weak ones),
as text for a terminal, JSON for programs, or Markdown for the "Review board" issue.

Presents only: the submissions come from submissions.py, the queue from review.py. Text from
GitHub and from entries is escaped for Markdown (safetext.markdown_text), and addresses are
linked only when they are plain https addresses, so a title cannot become a link or a mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..core.project import Project
from ..core.safetext import markdown_text
from .review import EMPTY_QUEUE, QueueItem, queue_as_markdown, queue_as_text
from .submissions import CHECK_STATES, Submission

ISSUE_LIMIT = 60_000  # characters: a GitHub issue body holds 65,536
_LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?")
_PLAIN_URL = re.compile(r"https://[^\s()<>\[\]\\\"'`]+")
NO_PULLS = "Submissions in open pull requests are not shown: give --pulls (see 'casehub review --help')."


@dataclass
class Board:
    today: date
    submissions: list[Submission] | None  # None: no pull-request list was given
    other_pulls: int
    queue: list[QueueItem]

    def as_dict(self) -> dict:
        return {"today": self.today.isoformat(),
                "submissions": None if self.submissions is None else [s.as_dict() for s in self.submissions],
                "other_pull_requests": self.other_pulls, "queue": [i.as_dict() for i in self.queue]}


def _days(count: int) -> str:
    return "opened today" if count == 0 else f"waiting {count} day{'s' if count != 1 else ''}"


def _topics(project: Project, submission: Submission) -> str:
    labels = [project.vocabularies["topics"].label(t) for t in submission.topics]
    return f"topic{'s' if len(labels) > 1 else ''}: {', '.join(labels)}" if labels else "no topic yet"


def _checks(submission: Submission) -> str:
    return CHECK_STATES[submission.checks] + ("; a draft pull request" if submission.draft else "")


def _other_line(board: Board) -> list[str]:
    if board.other_pulls == 1:
        return ["1 other open pull request changes no entry (code or settings), so it is not on this board."]
    if board.other_pulls:
        return [f"{board.other_pulls} other open pull requests change no entry (code or settings), "
                "so they are not on this board."]
    return []


def board_as_text(project: Project, board: Board) -> str:
    lines = []
    if board.submissions is None:
        lines += [NO_PULLS, ""]
    elif board.submissions:
        lines.append(f"Submissions waiting ({len(board.submissions)}), longest first")
        for s in board.submissions:
            kind = "pull request" if s.checks != "held" else "issue"
            lines.append(f"  #{s.number} {s.title} — {kind} from {s.submitter}, "
                         f"{_days(s.age_days)}; {_topics(project, s)}; {_checks(s)}")
            if s.preview:
                lines.append(f"      preview: {s.preview}")
            lines.append(f"      {s.url}: {s.action}")
        lines += [*_other_line(board), ""]
    else:
        lines += ["No submissions waiting: no open pull request adds or changes an entry.", *_other_line(board), ""]
    queue = queue_as_text(board.queue)
    return "".join(line + "\n" for line in lines) + (queue if board.queue or board.submissions is None else EMPTY_QUEUE)


def _link(text: str, url: str | None) -> str:
    return f"[{text}]({url})" if url and _PLAIN_URL.fullmatch(url) else text


def _who(submitter: str) -> str:
    """A login links to its profile without an @, so a weekly update mentions nobody."""
    if _LOGIN.fullmatch(submitter):
        return _link(markdown_text(submitter), f"https://github.com/{submitter.removesuffix('[bot]')}")
    return markdown_text(submitter)


def board_as_markdown(project: Project, board: Board, limit: int = ISSUE_LIMIT) -> str:
    """The board as the body of one issue, cut at a whole line to fit `limit` characters if it must."""
    waiting = len(board.submissions or [])
    queued = f"{len(board.queue)} item{'s' if len(board.queue) != 1 else ''} in the review queue"
    if board.submissions is not None:
        queued = f"{waiting} submission{'s' if waiting != 1 else ''} waiting and {queued}"
    lines = [f"_{queued} on {board.today.isoformat()}. Tick items off as you go; the next update starts afresh._",
             ""]
    if board.submissions is None:
        lines += ["Submissions in open pull requests are not shown: run `casehub review --pulls pulls.json` "
                  "with the list `gh pr list --json …` saves.", ""]
    else:
        lines += [f"## Submissions waiting ({waiting})", ""]
        if not board.submissions:
            lines.append("No open pull request adds or changes an entry.")
        for s in board.submissions:
            facts = [f"from {_who(s.submitter)}", f"**{_days(s.age_days)}**", markdown_text(_topics(project, s)),
                     markdown_text(_checks(s))] + ([_link("preview", s.preview)] if s.preview else [])
            action = markdown_text(s.action)
            lines.append(f"- [ ] #{s.number} **{markdown_text(s.title)}**: {'; '.join(facts)}. "
                         f"{action[0].upper()}{action[1:]}.")
        lines += ["", *_other_line(board), ""]
    lines.append(queue_as_markdown(board.queue) if board.queue else EMPTY_QUEUE)
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    note = "\n\n_The board is longer than an issue can hold: run `casehub review` for all of it._\n"
    cut = text[: limit - len(note)]
    return cut[: cut.rfind("\n")] + note
