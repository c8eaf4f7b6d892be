"""Named checks beyond the schema: the body of one entry, and rules across files.

Each check is a function `check_<rule>` returning findings; the rule name in
each finding is what a contributor can search the docs for. Checks read, they
never change a file, and personal data is located but never echoed back.
"""

from __future__ import annotations

import difflib
import functools
import re
from datetime import date
from pathlib import Path

from .councils import GSS
from .findings import Finding, join_pointer
from .loader import Document
from .project import Project, entry_id_of, fold_id
from .safetext import CODE_SPAN, EMAIL_ADDRESS, FENCE, HTML, ID_MAX_LENGTH, ID_PATTERN, UNSAFE_LINK

# Raster images only: an SVG can carry script.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
REFERENCE_FIELDS = ("adopted_by", "inspired_by", "related")

_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^)]*[\"'])?\s*\)")
HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$")
_TOP_HEADING = re.compile(r"#(?!#)\s")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_WEB_ADDRESS = re.compile(r"https?://", re.IGNORECASE)

_PHONE = re.compile(r"(?<![\w+])(?:\+44[\s-]?\(?0?\)?[\s-]?|\(?0)[1-9]\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?![\d])")
_NI_NUMBER = re.compile(
    r"\b(?![DFIQUV])[A-CEGHJ-PR-TW-Z](?![DFIOQUV])[A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
_NHS_CANDIDATE = re.compile(r"(?<![\d£$.,])(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?![\d.,])")
# The personal-data patterns by kind, for the Contribute page's script (which reads their sources).
PERSONAL_DATA_PATTERNS = {"email": EMAIL_ADDRESS, "phone": _PHONE, "ni-number": _NI_NUMBER,
                          "nhs-candidate": _NHS_CANDIDATE}


def body_lines(document: Document) -> list[tuple[int, str]]:
    """(line number, text) for body lines that are prose, not code; worked out once per document,
    since most body checks need them."""
    if document.prose_lines is None:
        document.prose_lines = _scan_body(document)
    return document.prose_lines


def _scan_body(document: Document) -> list[tuple[int, str]]:
    body = document.body
    lines = enumerate(body.split("\n"), document.body_line)
    # Most bodies have no fence, code span or indented line: all prose, as written. (Single
    # characters first: looking for one is quicker than for a run.)
    if "`" not in body and "~" not in body and "\t" not in body and not body.startswith("    ") \
            and "\n    " not in body:
        return list(lines)
    fences = "```" in body or "~~~" in body
    prose = []
    fence = None
    previous_blank = True
    for number, text in lines:
        match = FENCE.match(text) if fences else None
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        indented = text.startswith(("    ", "\t")) and previous_blank
        previous_blank = not text.strip() or (indented and previous_blank)
        if indented:
            continue
        prose.append((number, CODE_SPAN.sub(_blank, text) if "`" in text else text))
    return prose


def _blank(match: re.Match) -> str:
    return " " * len(match.group())


def fenced_segments(lines: list[str]):
    """(is_code, lines) runs of Markdown: fenced code blocks kept apart from everything else.

    The one place that knows how fences open and close; the validator, the
    importers and the issue converter all walk bodies with it."""
    current: list[str] = []
    fence = None
    for line in lines:
        match = FENCE.match(line)
        if fence:
            current.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                yield True, current
                current, fence = [], None
            continue
        if match:
            if current:
                yield False, current
            current, fence = [line], match.group(1)
            continue
        current.append(line)
    if current:
        yield bool(fence), current


def unclosed_fence(code: list[str]) -> str | None:
    """The opening fence of a code block that never closes, or None."""
    opening = FENCE.match(code[0]).group(1)
    closing = FENCE.match(code[-1]) if len(code) > 1 else None
    closed = closing and closing.group(1)[0] == opening[0] and len(closing.group(1)) >= len(opening)
    return None if closed else opening


def _body_finding(document, number, column, rule, message, hint) -> Finding:
    return Finding(document.display_path, number, column, rule, message, hint, "#body")


def check_raw_html(document: Document) -> list[Finding]:
    if "<" not in document.body:  # every tag, comment or CDATA starts with one
        return []
    found = []
    for number, text in body_lines(document):
        match = HTML.search(text) if "<" in text else None
        if match:
            found.append(_body_finding(
                document, number, match.start() + 1, "no-raw-html",
                "the body contains raw HTML, which Casehub does not publish",
                "use Markdown instead: ## for headings, **bold**, [text](https://…) for links, "
                "a blank line for a new paragraph"))
    return found


def check_safe_links(document: Document) -> list[Finding]:
    # A link that matches on its line also matches in the whole body, so one search over
    # the body clears most entries (every such address ends in a colon).
    if ":" not in document.body or not UNSAFE_LINK.search(document.body):
        return []
    found = []
    for number, text in enumerate(document.body.split("\n"), document.body_line):
        for match in UNSAFE_LINK.finditer(text):
            found.append(_body_finding(
                document, number, match.start() + 1, "safe-link",
                "a link uses a javascript:, data: or file: address",
                "link only to web addresses (https://…) or to images beside the entry"))
    return found


def check_images(document: Document) -> list[Finding]:
    if "![" not in document.body:
        return []
    found = []
    folder = None  # resolved when first needed: most images are on the web, most entries have none
    for number, text in body_lines(document):
        for match in _IMAGE.finditer(text):
            alt, target = match.group(1).strip(), match.group(2)
            column = match.start() + 1
            if not alt:
                found.append(_body_finding(
                    document, number, column, "image-alt", "the image has no alternative text",
                    "describe the image between the square brackets: ![A chart of visits by month](chart.png)"))
            if _WEB_ADDRESS.match(target) or not target:
                continue
            if folder is None:
                folder = document.path.parent.resolve()
            image = (folder / target).resolve()
            if not image.is_relative_to(folder) or document.path.name != "index.md":
                found.append(_body_finding(
                    document, number, column, "image-local",
                    "the image is not inside the entry's own folder",
                    "make the entry a folder (casestudies/<id>/index.md) and put the image beside it"))
            elif image.suffix.lower() not in IMAGE_SUFFIXES:
                found.append(_body_finding(
                    document, number, column, "image-type",
                    f"'{target}' is not a PNG, JPEG, GIF, WebP or AVIF image",
                    "save the image in one of those formats (SVG is not accepted: it can carry script)"))
            elif (folder / target).is_symlink() or not image.is_file():
                found.append(_body_finding(
                    document, number, column, "image-exists",
                    f"the image '{target}' does not exist",
                    "check the file name (it is case-sensitive) and that the image is committed"))
    return found


def check_sections(document: Document, project: Project) -> list[Finding]:
    entry_type = document.metadata.get("type")
    term = project.vocabularies["types"].by_id.get(entry_type) if isinstance(entry_type, str) else None
    if not term:
        return []
    present = {fold_heading(m.group(1)) for _, text in body_lines(document)
               if text.startswith("##") and (m := HEADING.match(text))}
    return [
        _body_finding(document, document.body_line, 1, "required-sections",
                      f"a {term['label'].lower()} needs a '## {section}' section",
                      f"add a line '## {section}' and write under it (see examples/{entry_type}.md)")
        for section in term.get("sections", []) if fold_heading(section) not in present
    ]


def check_heading_levels(document: Document) -> list[Finding]:
    """The title is the page's only top-level heading; sections start at ##."""
    return [
        _body_finding(document, number, 1, "heading-level",
                      "the body has a top-level heading (# …); the title is already the page's heading",
                      "start sections with ## instead")
        for number, text in body_lines(document) if text.startswith("#") and _TOP_HEADING.match(text)
    ]


@functools.lru_cache(maxsize=4096)  # the same few headings, in entry after entry
def fold_heading(text: str) -> str:
    return _NOT_ALPHANUMERIC.sub(" ", text.casefold().replace("’", "'").replace("'", "")).strip()


def check_date_order(document: Document) -> list[Finding]:
    meta = document.metadata
    found = []
    for earlier, later in (("published", "last_reviewed"), ("last_reviewed", "review_by"),
                           ("published", "review_by")):
        first, second = _date(meta.get(earlier)), _date(meta.get(later))
        if first and second and second < first:
            line, col = document.position(f"/{later}")
            found.append(Finding(document.display_path, line, col, "date-order",
                                 f"{later} ({second}) is before {earlier} ({first})",
                                 "check the year and month; dates are YYYY-MM-DD", f"/{later}"))
            break
    return found


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def check_personal_data(document: Document) -> list[Finding]:
    """Flag what looks like residents' personal data, without repeating it."""
    found = []
    for pointer, text, line, col in _texts(document):
        for kind, start in _personal_data(text):
            at_line = line + text.count("\n", 0, start)
            at_col = (start - text.rfind("\n", 0, start)) if "\n" in text[:start] else col + start
            found.append(Finding(
                document.display_path, at_line, at_col, "personal-data",
                f"this looks like {kind}",
                "remove it before you share the entry: pull requests are public; "
                "put a team mailbox or contact page in 'contact' instead", pointer))
    return found


def _texts(document: Document):
    """Every string value outside `contact`, with its position, then the body; leaving out
    what `_may_hold_personal_data` clears, since most entries have nothing to report.

    The fields are tested together, in one string: only if that may hold something
    are they walked one by one, with their pointers and positions."""
    metadata = document.metadata
    if isinstance(metadata, dict):
        strings: list[str] = []
        _strings({key: value for key, value in metadata.items() if key != "contact"}, strings)
        if _may_hold_personal_data("\0".join(strings)):
            yield from _walk_texts(document, metadata, "")
    else:
        yield from _walk_texts(document, metadata, "")
    if _may_hold_personal_data(document.body):
        yield "#body", document.body, document.body_line, 1  # one pass over the whole body


def _walk_texts(document: Document, value, pointer: str):
    if isinstance(value, dict):
        for key, child in value.items():
            if pointer == "" and key == "contact":
                continue
            yield from _walk_texts(document, child, join_pointer(pointer, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk_texts(document, child, join_pointer(pointer, index))
    elif isinstance(value, str):
        line, col = document.position(pointer)
        yield pointer, value, line, col


def _strings(value: dict | list, into: list[str]) -> None:
    """Every string in a structure, in order."""
    for child in value.values() if isinstance(value, dict) else value:
        if isinstance(child, str):
            into.append(child)
        elif isinstance(child, (dict, list)):
            _strings(child, into)


# For ASCII text, a necessary part of each of _PHONE, _NI_NUMBER and _NHS_CANDIDATE: it matches
# wherever they do, whatever is around (no lookaround), and starts with a character class, which
# the regex engine scans for much faster than it tries the whole pattern at each character.
_NUMBER_CORES = (
    re.compile(r"[1-9]\d{1,3}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}"),
    re.compile(r"[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]"),
    re.compile(r"[0-9]\d{2}[\s-]?\d{3}[\s-]?\d{4}"),
)


def _may_hold_personal_data(text: str) -> bool:
    """False only where `_personal_data` finds nothing; quick. It is true of texts joined
    (with NULs between them) if it is true of any one of them: each test below finds
    in the whole whatever it finds in a part."""
    if "@" in text or not text.isascii():
        return True
    raw = text.encode("ascii")
    if len(raw) - len(raw.translate(None, b"0123456789")) < 6:
        return False  # each number pattern has at least six digits
    return any(core.search(text) for core in _NUMBER_CORES)


def personal_data_kinds(text: str) -> list[str]:
    """What kinds of personal data a text seems to hold ('an e-mail address'…), each once."""
    return list(dict.fromkeys(kind for kind, _ in _personal_data(text)))


_DIGIT = re.compile(r"\d")


def _personal_data(text: str):
    if "@" in text:  # cheap tests first: most text has neither
        for match in EMAIL_ADDRESS.finditer(text):
            yield "an e-mail address", match.start()
    if not _DIGIT.search(text):
        return
    for match in _PHONE.finditer(text):
        yield "a UK phone number", match.start()
    for match in _NI_NUMBER.finditer(text):
        yield "a National Insurance number", match.start()
    for match in _NHS_CANDIDATE.finditer(text):
        if _nhs_checksum_ok("".join(match.groups())) and not _PHONE.match(text, match.start()):
            yield "an NHS number", match.start()


def _nhs_checksum_ok(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def check_councils(document: Document, project: Project) -> list[Finding]:
    """An organisation's `gss` is the code of a current UK council (data/councils.csv)."""
    organisations = document.metadata.get("organisations")
    if not isinstance(organisations, list):
        return []
    found = []
    for index, org in enumerate(organisations):
        code = org.get("gss") if isinstance(org, dict) else None
        if not isinstance(code, str) or not GSS.fullmatch(code) or code in project.councils.by_gss:
            continue  # a malformed code is the schema's to report
        pointer = f"/organisations/{index}/gss"
        line, column = document.position(pointer)
        named = project.councils.find(str(org.get("name", "")))
        hint = (f"did you mean {named.gss}, the code of {named.name}?" if named
                else "use the council's current code (find it at https://mapit.mysociety.org/), "
                     "or leave gss out for a body that is not a council")
        found.append(Finding(document.display_path, line, column, "known-council",
                             f"'{code}' is not the GSS code of a current UK council", hint, pointer))
    return found


def check_document(document: Document, project: Project) -> list[Finding]:
    """Every single-file rule beyond the schema."""
    return (check_sections(document, project) + check_heading_levels(document) + check_raw_html(document)
            + check_safe_links(document) + check_images(document) + check_councils(document, project)
            + check_date_order(document) + check_personal_data(document))


# --- Rules across files ------------------------------------------------------

def check_ids(paths: list[Path] | list[str], project: Project) -> list[Finding]:
    """The file name is the id: well formed, not reserved, unique ignoring case and accents."""
    found = []
    seen: dict[str, Path | str] = {}
    for path in paths:
        entry_id = entry_id_of(path)
        shown = project.relative(path)
        if not ID_PATTERN.fullmatch(entry_id) or len(entry_id) > ID_MAX_LENGTH:
            suggestion = ("-".join(re.findall(r"[a-z0-9]+", fold_id(entry_id))) or "my-entry")[:ID_MAX_LENGTH]
            found.append(Finding(shown, 1, 1, "id-format",
                                 f"the id '{entry_id}' (from the file name) is not valid",
                                 f"rename it to lower-case words joined by hyphens, such as '{suggestion}'",
                                 "#id"))
        elif project.is_reserved(entry_id):
            found.append(Finding(shown, 1, 1, "id-reserved",
                                 f"the id '{entry_id}' is a path the site itself uses",
                                 f"rename the file to something more specific, such as '{entry_id}-in-practice'",
                                 "#id"))
        folded = fold_id(entry_id)
        if folded in seen:
            found.append(Finding(shown, 1, 1, "id-unique",
                                 f"the id '{entry_id}' is already used by {project.relative(seen[folded])}",
                                 "rename one of the files; ids must differ in more than case or accents",
                                 "#id"))
        else:
            seen[folded] = path
    return found


def check_references(document: Document, known_ids: set[str]) -> list[Finding]:
    """`adopted_by`, `inspired_by` and `related` name entries that exist."""
    found = []
    for name in REFERENCE_FIELDS:
        values = document.metadata.get(name)
        if not isinstance(values, list):
            continue
        for index, value in enumerate(values):
            if not isinstance(value, str) or value in known_ids or not ID_PATTERN.fullmatch(value):
                continue
            pointer = join_pointer(f"/{name}", index)
            line, col = document.position(pointer)
            close = difflib.get_close_matches(value, sorted(known_ids), n=1)
            hint = (f"did you mean '{close[0]}'?" if close
                    else "use the id of an entry in casestudies/ (its file name without .md)")
            found.append(Finding(document.display_path, line, col, "known-reference",
                                 f"there is no entry with the id '{value}'", hint, pointer))
    return found


def check_collections(project: Project, statuses: dict[str, str]) -> list[Finding]:
    """Collections name entries that exist and are published, and topics that exist, once each."""
    collections, positions = project.collections
    shown = project.relative(project.data_dir / "collections.yaml")
    topics = project.vocabularies["topics"].by_id
    found, seen = [], set()

    def finding(pointer, rule, message, hint):
        line, column = positions.get(pointer, (1, 1))
        return Finding(shown, line, column, rule, message, hint, pointer)

    for index, collection in enumerate(collections):
        if not ID_PATTERN.fullmatch(collection["id"]) or collection["id"] in seen:
            found.append(finding(f"/{index}/id", "collection-id",
                                 f"the collection id '{collection['id']}' is repeated or not lower-case words "
                                 "joined by hyphens", "give each collection its own id, such as 'climate-basics'"))
        seen.add(collection["id"])
        for position, entry_id in enumerate(collection["entries"]):
            status = statuses.get(entry_id)
            if status != "published":
                close = difflib.get_close_matches(str(entry_id), sorted(statuses), n=1)
                hint = (f"did you mean '{close[0]}'?" if status is None and close
                        else "collections list published entries only; remove it or publish it")
                found.append(finding(f"/{index}/entries/{position}", "collection-entries",
                                     f"'{entry_id}' is {'not an entry' if status is None else 'a ' + status}",
                                     hint))
        for position, topic in enumerate(collection.get("topics", [])):
            if topic not in topics:
                found.append(finding(f"/{index}/topics/{position}", "collection-topics",
                                     f"'{topic}' is not a topic in data/topics.yaml",
                                     "use a topic id from data/topics.yaml"))
    return found
