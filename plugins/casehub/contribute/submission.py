"""An entry that arrived outside GitHub, added as a draft: `casehub add`.

A contributor without a GitHub account sends their entry from the Contribute
page by e-mail (the file attached, or pasted between BEGIN and END lines) or
to the publisher's form handler. A facilitator gives `add_submission` what
arrived: the .md file, the saved e-mail (.eml), or the text pasted from an
e-mail. It finds the entry in it, reads it with the strict loader, claims an
id (core/entryfile.IdClaims: a taken id gets a number, nothing is ever
overwritten), writes it as a draft with the one entry writer
(core/entryfile.dump), validates it, and, if asked, commits it alone on a new
git branch, ready to push as a pull request.

Nothing about the sender (their address, their name in the e-mail's headers
or signature) goes into the entry: only the text between the markers, or the
attached file, or the file pasted in up to a signature line ("-- ").
"""

from __future__ import annotations

import email
import email.policy
import re
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from ..core.entryfile import EntryFileError, IdClaims, dump
from ..core.findings import CasehubError, Finding
from ..core.loader import LoadError, parse
from ..core.project import Project
from ..core.safetext import ID_MAX_LENGTH, ID_PATTERN
from .new import suggested_id

MAX_INPUT_BYTES = 25_000_000  # an e-mail with attachments; the entry itself must fit the loader's cap
BEGIN = re.compile(r"^-{3,}\s*BEGIN CASEHUB ENTRY\b[ \t]*(?:(?:casestudies/)?([^\s/]+?)(?:\.md)?)?[ \t]*-*[ \t]*$",
                   re.MULTILINE)
END = re.compile(r"^-{3,}\s*END CASEHUB ENTRY\b.*$", re.MULTILINE)
_SIGNATURE = re.compile(r"^-- ?$", re.MULTILINE)
_HEADER = re.compile(r"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_QUOTED = re.compile(r"^> ?", re.MULTILINE)
_FRONT_MATTER_START = re.compile(r"^---[ \t]*$", re.MULTILINE)
_GENERIC_NAMES = frozenset({"entry", "file", "untitled", "attachment", "message", "text", "noname", "casehub"})


class SubmissionError(CasehubError):
    """What arrived holds no entry that can be added; nothing was written."""


@dataclass
class Received:
    text: str   # the entry file's text
    name: str   # the id the sender's file or markers gave, or ''
    where: str  # where in what arrived it was found, for messages


@dataclass
class Added:
    path: Path
    id: str
    where: str
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)
    branch: str = ""
    back_on: str = ""


# Finding the entry ---------------------------------------------------------------------


def find_entry(data: bytes, name: str = "") -> Received:
    """The entry in what arrived: an entry file, an e-mail with it attached or in its text, or pasted text."""
    if len(data) > MAX_INPUT_BYTES:
        raise SubmissionError(f"{name or 'the input'} is {len(data):,} bytes, more than any e-mail with an entry "
                              "would be; save just the entry file or the e-mail's text and add that")
    if name.lower().endswith(".eml") or _looks_like_email(data):
        return _from_email(data, name)
    text = _decode(data, name or "the pasted text")
    found = _from_text(text, "the pasted text" if not name else name)
    if not found.name and name:
        found.name = _id_from_name(name)
    return found


def _looks_like_email(data: bytes) -> bool:
    head = data[:4000].decode("utf-8", "replace").replace("\r\n", "\n").split("\n\n", 1)[0].split("\n")
    headers = [line for line in head if _HEADER.match(line)]
    names = {line.split(":", 1)[0].lower() for line in headers}
    return bool(head) and _HEADER.match(head[0]) is not None and len(names & {"from", "subject", "to", "date",
                                                                             "mime-version", "content-type"}) >= 2


def _decode(data: bytes, shown: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SubmissionError(f"{shown} is not UTF-8 text; save it as UTF-8 (or save the e-mail as a .eml "
                              "file) and add it again") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _from_text(text: str, where: str) -> Received:
    """The entry in text: between the page's BEGIN and END lines, or from the first '---' line on."""
    if "\n>" in "\n" + text and not _FRONT_MATTER_START.search(text):
        text = _QUOTED.sub("", text)  # a forwarded or replied-to e-mail, quoted with '>'
    begin = BEGIN.search(text)
    name = ""
    if begin:
        name = begin.group(1) or ""
        rest = text[begin.end():].lstrip("\n")
        end = END.search(rest)
        text = rest[:end.start()] if end else rest
        where = f"{where}, between its BEGIN and END lines"
    start = _FRONT_MATTER_START.search(text)
    if not start:
        raise SubmissionError(f"no entry was found in {where}: an entry starts with a line '---', then its "
                              "fields ('title: …'), then '---' and its text. Ask the sender to send the file "
                              "from the Contribute page, or paste in just the entry. Nothing was written")
    text = text[start.start():]
    if not begin:  # pasted in by hand, or the BEGIN line was broken by the mail program
        closing = _FRONT_MATTER_START.search(text, 4)
        after = closing.end() if closing else 0
        end = END.search(text, after) or _SIGNATURE.search(text, after)
        if end:
            text = text[:end.start()]  # the sender's signature (or the page's END line) is not part of the entry
    return Received(text.rstrip() + "\n", _id_from_name(name), where)


def _from_email(data: bytes, name: str) -> Received:
    message = email.message_from_bytes(data, policy=email.policy.default)
    shown = name or "the e-mail"
    attachments, texts, htmls = [], [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = part.get_filename() or ""
        kind = part.get_content_type()
        if filename.lower().endswith((".md", ".markdown", ".txt")) or kind == "text/markdown":
            attachments.append((filename, part))
        elif kind == "text/plain" and part.get_content_disposition() != "attachment":
            texts.append(part)
        elif kind == "text/html" and part.get_content_disposition() != "attachment":
            htmls.append(part)
    attachments.sort(key=lambda item: not item[0].lower().endswith((".md", ".markdown")))
    problems = []
    for filename, part in attachments:
        where = f"the attachment '{filename}' of {shown}" if filename else f"an attachment of {shown}"
        try:
            found = _from_text(_decode(part.get_payload(decode=True) or b"", where), where)
        except SubmissionError as error:
            problems.append(str(error))
            continue
        found.name = found.name or _id_from_name(filename)
        return found
    for part, html in [(p, False) for p in texts] + [(p, True) for p in htmls]:
        text = _part_text(part)
        if html:
            text = _html_text(text)
        try:
            return _from_text(text, f"the text of {shown}")
        except SubmissionError as error:
            problems.append(str(error))
    if problems:
        raise SubmissionError(problems[0])
    raise SubmissionError(f"{shown} has no text or attached file to read an entry from")


def _part_text(part) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeDecodeError):
        text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    text = text.replace("\r\n", "\n")
    if (part.get_param("format") or "").lower() == "flowed":
        text = _unflow(text, (part.get_param("delsp") or "").lower() == "yes")
    return text


def _unflow(text: str, delsp: bool) -> str:
    """Undo RFC 3676 'format=flowed': a line ending in a space continues on the next."""
    lines, current = [], ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffed
        if line.endswith(" ") and line != "-- ":
            current += line[:-1] if delsp else line
        else:
            lines.append(current + line)
            current = ""
    if current:
        lines.append(current)
    return "\n".join(lines)


class _Text(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "pre"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    """The text of an HTML-only e-mail, one line per paragraph or line break."""
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.parts).replace("\xa0", " ")
    return re.sub(r"\n{3,}", "\n\n", text)


def _id_from_name(name: str) -> str:
    stem = Path(name).name
    stem = stem[:-3] if stem.lower().endswith(".md") else stem
    if stem in _GENERIC_NAMES or not ID_PATTERN.fullmatch(stem) or len(stem) > ID_MAX_LENGTH:
        return ""
    return stem


# Adding it ----------------------------------------------------------------------------


def add_submission(project: Project, data: bytes, name: str = "", entry_id: str = "",
                   branch: bool = False) -> Added:
    """Write what arrived as a draft entry (and commit it on a new branch); never overwrites anything."""
    received = find_entry(data, name)
    try:
        document = parse(received.text.encode("utf-8"), "<submission>", received.where)
    except LoadError as error:
        finding = error.finding
        where = received.where + ("," if "," in received.where else "")
        raise SubmissionError(f"the entry in {where} cannot be read: line {finding.line}, column "
                              f"{finding.column}: {finding.message} — {finding.hint}. Nothing was written") from None
    fields, notes = _as_draft(document.metadata)
    try:
        text = dump(fields, document.body)
    except EntryFileError as error:
        raise SubmissionError(f"the entry in {received.where} cannot be written as it is ({error}). "
                              "Nothing was written") from None
    if entry_id and (not ID_PATTERN.fullmatch(entry_id) or len(entry_id) > ID_MAX_LENGTH):
        raise SubmissionError(f"'{entry_id}' is not an id: use lower-case words joined by hyphens. "
                              "Nothing was written")
    git = _Git(project.root) if branch else None
    if git:
        git.check()
    base = entry_id or received.name or suggested_id(str(fields.get("title") or ""))
    claims = IdClaims(project)
    claim = claims.claim(base, suffix=not entry_id)
    if claim.why_not_first:
        notes.append(f"the id '{base}' was taken ({claim.why_not_first}), so it is '{claim.id}'")
    added = Added(claim.path, claim.id, received.where, [], notes)
    try:
        claim.write(text)
    except BaseException:
        claim.path.unlink(missing_ok=True)  # our own half-written file: the claim is given back
        raise
    from ..core.validate import validate

    added.findings = validate(project, [claim.path]).findings
    if git:
        try:
            added.branch, added.back_on = git.commit_alone(claim.path, f"submission/{claim.id}",
                                                           _commit_message(claim.id, fields, received.where))
        except SubmissionError:
            claim.path.unlink(missing_ok=True)  # as the message says: nothing was written
            raise
    return added


def _as_draft(metadata) -> tuple[dict, list[str]]:
    if not isinstance(metadata, dict):
        raise SubmissionError("the entry's front matter is not a list of fields ('title: …'). Nothing was written")
    fields = dict(metadata)
    notes = []
    if fields.get("status") != "draft":
        notes.append(f"its status was '{fields.get('status', '(none)')}': it is written as a draft, for review")
        fields["status"] = "draft"
    if "featured" in fields:
        notes.append("its 'featured' field was removed: facilitators choose what to feature")
        del fields["featured"]
    for name in ("archived_reason", "last_reviewed", "review_by"):
        if name in fields:
            notes.append(f"its '{name}' field was removed: facilitators set it when they review")
            del fields[name]
    return fields, notes


def _commit_message(entry_id: str, fields: dict, where: str) -> str:
    title = " ".join(str(fields.get("title") or entry_id).split())[:200]
    return (f"Add {entry_id}: {title}\n\nA draft received outside GitHub ({where.split(',')[0]}) and added "
            "with 'casehub add', for review.\n")


# Git -----------------------------------------------------------------------------------


class _Git:
    """The few git commands a branch for one submission needs, run in the library's folder."""

    def __init__(self, root: Path):
        self.root = root

    def run(self, *args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise SubmissionError("git is not installed here, so --branch cannot make a branch. "
                                  "Nothing was written") from None

    def check(self) -> None:
        if self.run("rev-parse", "--is-inside-work-tree").stdout.strip() != "true":
            raise SubmissionError(f"{self.root} is not in a git repository, so --branch cannot make a branch. "
                                  "Nothing was written")
        if self.run("rev-parse", "--verify", "-q", "HEAD").returncode != 0:
            raise SubmissionError("the repository has no commits yet, so there is nothing to branch from. "
                                  "Nothing was written")

    def commit_alone(self, path: Path, branch: str, message: str) -> tuple[str, str]:
        """Commit `path` alone on a new branch from here, then come back; (branch, where we came back to)."""
        if self.run("rev-parse", "--verify", "-q", f"refs/heads/{branch}").returncode == 0:
            raise SubmissionError(f"the branch '{branch}' already exists; delete it or give another --id. "
                                  "Nothing was written")
        here = self.run("symbolic-ref", "--short", "-q", "HEAD").stdout.strip() \
            or self.run("rev-parse", "HEAD").stdout.strip()
        steps = [("switch", "-c", branch), ("add", "--", str(path)),
                 ("commit", "-q", "-m", message, "--only", "--", str(path))]
        for number, step in enumerate(steps):
            done = self.run(*step)
            if done.returncode != 0:
                if number:
                    self.run("reset", "-q", "--", str(path))
                    self.run("switch", "-q", here)
                    self.run("branch", "-D", branch)
                raise SubmissionError(f"git {step[0]} failed: {(done.stderr or done.stdout).strip()}. "
                                      "Nothing was written")
        back = self.run("switch", "-q", here)
        if back.returncode != 0:
            return branch, ""
        return branch, here
