"""Named checks beyond the schema: the body of one entry, and rules across files.

Each check is a function `check_<rule>` returning findings; the rule name in
each finding is what a contributor can search the docs for. Checks read, they
never change a file, and personal data is located but never echoed back.
"""

from __future__ import annotations

import difflib
import functools
import html
import os
import re
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from .bodycost import render_cost_findings
from .councils import GSS
from .examples import example_text_left
from .findings import Finding, join_pointer
from .loader import Document
from .personal import check_contact, check_personal_data, field_texts, strings
from .project import Project, entry_id_of, fold_id
from .safetext import (
    FENCE,
    HTML,
    ID_MAX_LENGTH,
    ID_PATTERN,
    LINK_TEXT,
    UNSAFE_LINK,
    character_kind,
    fenced_segments,
    replace_code_spans,
    tag_goes_on,
    unsafe_character,
)

# Raster images only: an SVG can carry script.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"})
REFERENCE_FIELDS = ("adopted_by", "inspired_by", "related")

# ![alt](target "title"): the target in <…>, or as written up to a title or the bracket (Python-Markdown takes
# spaces in it); ![alt][label] with [label]: target.
# (Brackets nest one level deep in the text and the parentheses, so no scan runs past the next
# image: see safetext. `_image_target` takes the title off what is between the parentheses.)
_IMAGE = re.compile(r"!" + LINK_TEXT + r"\(([^()\n]*+(?:\([^()\n]*\)[^()\n]*+)*)\)")
_REFERENCE_IMAGE = re.compile(r"!" + LINK_TEXT + r"\[([^\[\]\n]*)\]")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:\s*(<[^>]*>|\S+)")
# A section heading; its text ends at its last character that is not a space or a closing #.
HEADING = re.compile(r"^##[ \t]+(.*[^ \t#]|[ \t#])[ \t#]*$")
_TOP_HEADING = re.compile(r"#(?!#)\s")
# A link to another entry's page, as the importer writes them: [text](../<id>/) or (../<id>/#section).
_ENTRY_LINK = re.compile(r"\[[^\[\]\n]*\]\(\s*<?\.\./([^/#?()<>\s]+)/(?:#[^()<>\s]*)?>?"
                         r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# A character reference as Python-Markdown passes it through to the page (`&#x202E;`, `&rlm;`).
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_WEB_ADDRESS = re.compile(r"https?://", re.IGNORECASE)

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
        prose.append((number, replace_code_spans(text, _blank) if "`" in text else text))
    return prose


def _blank(span: str) -> str:
    return " " * len(span)


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
    lines = body_lines(document)
    for index, (number, text) in enumerate(lines):
        match = HTML.search(text) if "<" in text else None
        if match and (match.group().endswith(">") or match.group()[1] in "!?" or tag_goes_on(lines, index)):
            found.append(_body_finding(
                document, number, match.start() + 1, "no-raw-html",
                "the body contains raw HTML, which Casehub does not publish",
                "use Markdown instead: ## for headings, **bold**, [text](https://…) for links, "
                "a blank line for a new paragraph; write &lt; for a '<' shown as itself"))
    return found


def check_character_references(document: Document) -> list[Finding]:
    """No character reference in prose writes a character the file itself may not hold:
    `&#x202E;` reaches the page as U+202E, as if it had been typed."""
    if "&" not in document.body:
        return []
    found = []
    for number, text in body_lines(document):
        for match in _CHARACTER_REFERENCE.finditer(text) if "&" in text else ():
            character = unsafe_character(html.unescape(match.group()))
            if character:
                char = character.group()
                found.append(_body_finding(
                    document, number, match.start() + 1, "control-character",
                    f"the body contains {character_kind(char)} (U+{ord(char):04X}), written as {match.group()}",
                    "delete the reference; to show it as code, put it in `backticks`"))
    return found


def check_render_cost(document: Document) -> list[Finding]:
    """The body is not one the Markdown renderer takes quadratic time over (see bodycost)."""
    if "[" not in document.body and "<" not in document.body:
        return []

    def without_fenced_code() -> str:  # what the renderer's raw-HTML pass reads
        return "\n".join("\n" * (len(lines) - 1) if code else "\n".join(lines)
                         for code, lines in fenced_segments(document.body.split("\n")))

    return render_cost_findings(document, body_lines(document), without_fenced_code)


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
    lines = body_lines(document)
    definitions = {m.group(1).lower(): m.group(2) for _, text in lines if "]:" in text
                   and (m := _DEFINITION.match(text))} if "]:" in document.body else {}
    for number, text in lines:
        if "![" not in text:
            continue
        images = [(m.start(), m.group(1), _image_target(m.group(2))) for m in _IMAGE.finditer(text)]
        images += [(m.start(), m.group(1), definitions.get((m.group(2) or m.group(1)).lower(), ""))
                   for m in _REFERENCE_IMAGE.finditer(text) if definitions]
        for start, alt, target in images:
            column = start + 1
            target = target.strip()
            target = target[1:-1].strip() if target.startswith("<") and target.endswith(">") else target
            if not alt.strip():
                found.append(_body_finding(
                    document, number, column, "image-alt", "the image has no alternative text",
                    "describe the image between the square brackets: ![A chart of visits by month](chart.png)"))
            if _WEB_ADDRESS.match(target) or not target:
                continue
            if folder is None:
                folder = document.path.parent.resolve()
            name = unquote(target.split("#", 1)[0].split("?", 1)[0])  # my%20photo.png is the file 'my photo.png'
            image = (folder / name).resolve()
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
            elif (folder / name).is_symlink() or not image.is_file():
                found.append(_body_finding(
                    document, number, column, "image-exists",
                    f"the image '{target}' does not exist",
                    "check the file name (it is case-sensitive) and that the image is committed"))
    return found


def _image_target(inside: str) -> str:
    """An image's target: what is between its parentheses, less a title ("…", '…' or (…))."""
    inside = inside.strip()
    if inside.startswith("<") and ">" in inside:
        return inside[:inside.index(">") + 1]
    for opening, closing in ('""', "''", "()"):
        if len(inside) > 1 and inside.endswith(closing):
            start = inside.rfind(opening, 0, len(inside) - 1)
            if start > 0 and inside[start - 1].isspace():
                return inside[:start]
    return inside


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


def check_field_markup(document: Document) -> list[Finding]:
    """No text in the front matter holds HTML markup: the rule partner hubs apply to our
    feed (`federation.entry_problems`), with the same pattern, so what passes here passes there."""
    texts: list[str] = []
    if isinstance(document.metadata, dict):
        strings(document.metadata, texts)
    if not any("<" in text for text in texts):  # every tag, comment or CDATA starts with one
        return []
    return [Finding(document.display_path, line, col, "no-markup",
                    "the text contains HTML markup, which Casehub does not publish",
                    "write plain text without tags; a '<' before a letter starts one, so put a space after it",
                    pointer)
            for pointer, text, line, col in field_texts(document)
            if "<" in text and HTML.search(text)]


def check_example_text(document: Document, project: Project) -> list[Finding]:
    """No paragraph is still a scenario example's (examples/*.md), guidance or invented text, unchanged."""
    if document.path.parent == project.root / "examples":
        return []  # the examples themselves are the text
    return [_body_finding(document, line, 1, "example-text", message, hint)
            for line, message, hint in example_text_left(project.root, body_lines(document))]


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
            + check_character_references(document) + check_render_cost(document) + check_safe_links(document)
            + check_images(document) + check_entry_folder(document) + check_councils(document, project)
            + check_date_order(document) + check_field_markup(document) + check_personal_data(document)
            + check_contact(document) + check_example_text(document, project))


# The files the build writes in an entry's own folder of the site, beside its images.
BUILT_NAMES = ("index.html", "entry.json")


def check_entry_folder(document: Document) -> list[Finding]:
    """An entry folder (casestudies/<id>/) must not hold anything named like the files the
    build writes there: its images are copied beside them, and one would stop the build."""
    if document.path.name != "index.md":
        return []
    try:
        names = os.listdir(document.path.parent)
    except OSError:
        return []
    return [Finding(document.display_path, 1, 1, "entry-folder",
                    f"the entry's folder holds '{name}', a name the site writes for the entry itself",
                    f"rename or remove {name} in the entry's folder; keep only index.md and its images there",
                    "#folder")
            for name in sorted(names) if name in BUILT_NAMES]


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


def check_entry_links(document: Document, known_ids: set[str], project: Project) -> list[Finding]:
    """Links to another entry's page (`../<id>/`) name an entry that exists (or a page the site makes)."""
    if "](../" not in document.body and "](<../" not in document.body:
        return []
    found = []
    for number, text in body_lines(document):
        for match in _ENTRY_LINK.finditer(text) if "../" in text else ():
            target = match.group(1)
            if target in known_ids or project.is_reserved(target):
                continue
            close = difflib.get_close_matches(target, sorted(known_ids), n=1)
            found.append(_body_finding(
                document, number, match.start() + 1, "entry-link",
                f"the link points to '../{target}/', but there is no entry with the id '{target}'",
                f"did you mean '../{close[0]}/'?" if close else
                "link to another entry as ../<its id>/ (its file name without .md), or to a web address"))
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
