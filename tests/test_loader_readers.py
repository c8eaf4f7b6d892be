"""The fast paths give exactly what the slow ones give.

Validation parses front matter without positions (`parse(..., positions=False)`),
by `_read_simply` when it can and `_read_plainly` when it cannot, and the rules
and listings take shortcuts. Each is checked here against the full, located
walk or the plain pathlib way, on the fixtures and on generated input."""

import os
import random
import re
from pathlib import Path, PurePosixPath

import pytest

from casehub.core import loader, parallel, personal, rules, safetext
from casehub.core.loader import LoadError, _Builder, _read_plainly, _read_simply, _Unsure, parse
from casehub.core.project import Project, entry_id_of, entry_names, path_order, stray_names
from casehub.core.validate import validate

from .support import FIXTURES, MINIMAL, ROOT

ENTRY_FILES = sorted(
    [*(FIXTURES / "invalid").rglob("*.md"), *(FIXTURES / "valid").rglob("*.md"), *(ROOT / "examples").glob("*.md"),
     *(ROOT / "casestudies").rglob("*.md")])


def outcome(data: bytes, **options):
    try:
        document = parse(data, "entry.md", **options)
    except LoadError as error:
        return ("error", error.finding)
    return ("document", repr(document.metadata), document.body, document.body_line)


@pytest.mark.parametrize("path", ENTRY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_parsing_without_positions_gives_the_same_document_or_error(path):
    data = path.read_bytes()
    assert outcome(data, positions=False) == outcome(data)


# --- Generated front matter --------------------------------------------------

PLAIN = ["a", "b c", "title", "Null", "null", "true", "false", "True", "yes", "~", "0", "1", "-1", "+1", "1.5",
         "1.50", "0755", "12:30", "2024-01-01", "http://x.y/z", "a,b", "a:b", "a?", "..a", ".5", "<<", "it's",
         'say "hi"', "Q&A", "a - b", "caf\u00e9", "\u00a0a", "a\u00a0", "12345678901234567890", "123456789012345678901"]
ODD = ["", "a: b", "a:", "a #b", "#a", "- a", "-", "---", "...", "? a", "&a", "*a", "!a", "!!str a", "|", ">-",
       "'a''b'", '"a\\"b"', '"a\\nb"', "'a", '"a', "%a", "@a", "`a", "[a, [b]]", "[a: b]", "{a: b}", "{}", "[a,]",
       "[a,,b]", "[-1]", "[a#b]", "[a]]", "a[b]", "a\u2028b", "a\tb", "k" * 1030]
KEYS = ["a", "b", "title", "x_y", "_k", "k1", "yes", "on", "y", "null", "true", "1", "1a", "-a", "a-b", "a b",
        "<<", "'q'", '"q"', "~", "caf\u00e9", "k" * 1030, "if"]


def generated(rng: random.Random, odd: float) -> str:
    """Front matter in the plain form, with odd things (`odd` of the time) in and around it."""
    def value():
        if rng.random() < odd:
            return rng.choice(ODD)
        word = rng.choice(PLAIN)
        return rng.choice([word, word, f"'{word}'", f'"{word}"', f"[{word}, {rng.choice(PLAIN)}]", "[]"])

    def key():
        return rng.choice(KEYS) if rng.random() < odd else rng.choice(KEYS[:6])

    def node(depth):
        roll = rng.random()
        if depth > 9 or roll < 0.55:
            return "scalar", value()
        if roll < 0.8:
            return "mapping", [(key(), node(depth + 1)) for _ in range(rng.randint(0, 4))]
        return "sequence", [node(depth + 1) for _ in range(rng.randint(0, 4))]

    def step():
        return rng.choice([1, 2, 3, 4]) if rng.random() < odd else 2

    def mapping(fields, indent, out):
        for name, (kind, content) in fields:
            if rng.random() < odd / 3:
                out.append(rng.choice(["", "   ", "# a comment", "  # indented", "#"]))
            gap = rng.choice(["", "  "]) if rng.random() < odd else " "
            if kind == "scalar":
                out.append(f"{' ' * indent}{name}:{gap}{content}" + (rng.choice([" ", " # c"]) if rng.random() < odd
                                                                       else ""))
            elif kind == "mapping":
                out.append(f"{' ' * indent}{name}:")
                mapping(content, indent + step(), out)
            else:
                out.append(f"{' ' * indent}{name}:")
                sequence(content, indent if rng.random() < 0.3 else indent + step(), out)

    def sequence(items, indent, out):
        for kind, content in items:
            dash = rng.choice(["-", "-  ", "-   "]) if rng.random() < odd else "- "
            if kind == "scalar":
                out.append(f"{' ' * indent}{dash}{content}")
            elif kind == "mapping" and content:
                lines = []
                mapping(content, 0, lines)
                column = indent + len(dash) + (rng.choice([-1, 1]) if rng.random() < odd / 2 else 0)
                out.append(" " * indent + dash + lines[0].lstrip(" "))
                out.extend(" " * column + line if line.strip() else line for line in lines[1:])
            else:
                out.append(f"{' ' * indent}{dash}" + ("[a, b]" if kind == "sequence" and not content else "{}"))
                sequence(content if kind == "sequence" else [], indent + step(), out)

    out: list[str] = []
    mapping([(key(), node(1)) for _ in range(rng.randint(0, 6))], 0, out)
    if out and rng.random() < odd:
        i = rng.randrange(len(out))
        out[i] = rng.choice([" " + out[i], out[i][1:], out[i] + ":", out[i] + " x: y"])
    return "\n".join(out) + "\n"


def full_walk(source: str):
    try:
        return _Builder("entry.md", line_offset=1).build(source)
    except LoadError as error:
        return error


@pytest.mark.parametrize("odd", [0.0, 0.05, 0.3])
def test_the_readers_agree_with_the_full_walk(odd):
    """Whatever `_read_simply` or `_read_plainly` accepts, the full walk reads the same way."""
    rng = random.Random(f"readers {odd}")
    accepted = 0
    for _ in range(3000):
        source = generated(rng, odd)
        expected = full_walk(source)
        for read in (_read_simply, _read_plainly):
            try:
                data = read(source)
            except _Unsure:
                continue
            accepted += read is _read_simply
            assert isinstance(expected, dict) and repr(data) == repr(expected), (read.__name__, source)
    assert accepted > 100, "enough of the generated documents should be in the plain form"


@pytest.mark.parametrize("source", [
    "a: &x 1\n", "a: *x\n", "a: !!str 1\n", "<<: {a: 1}\n", "a: 1\na: 2\n", "1: a\n", "null: a\n", "a: |\n  b\n",
    "a: b\n  c\n", "a:\tb\n", "a: b # c\n", "a: 'b\n  c'\n", "  a: b\n", "a: [b, [c]]\n", "a: {b: c}\n", "- a\n",
    "a: b\u2028c\n", "a: \"b\\tc\"\n", "a: 'b''c'\n", "k" * 1030 + ": a\n", "a: " + "[" * 9 + "]" * 9 + "\n",
    "a: 123456789012345678901\n", "a: b: c\n", "a:b\n", "a: -1\n", "\n", "# only a comment\n",
])
def test_the_simple_reader_leaves_everything_else_to_libyaml(source):
    with pytest.raises(_Unsure):
        _read_simply(source)


def test_the_simple_reader_reads_the_usual_entry():
    source = MINIMAL.split("---\n")[1]
    assert _read_simply(source) == full_walk(source)


# --- The rules' shortcuts -------------------------------------------------------

def random_text(rng: random.Random) -> str:
    pieces = ["jane@example.gov.uk", "07700 900123", "+44 (0)161 496 0000", "QQ 12 34 56 C", "943 476 5919",
              "2024-03-01", "1234567", "12 34", "0161", "AB123456C", "x@y", "\u0663\u0664\u0665\u0666\u0667\u0668",
              "(020) 7946 0018", "word", " ", "\n", "-", ".", "£12", "NHS", "\0"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))


def test_the_personal_data_prefilter_never_hides_a_finding():
    rng = random.Random("personal data")
    for _ in range(5000):
        texts = [random_text(rng) for _ in range(rng.randint(1, 4))]
        for text in texts:
            if list(personal._personal_data(text)):
                assert personal._may_hold_personal_data(text), text
                assert personal._may_hold_personal_data("\0".join(texts)), texts


def slow_body_lines(document):
    """`body_lines` as it was, one line at a time."""
    fence, previous_blank, lines = None, True, []
    for offset, text in enumerate(document.body.split("\n")):
        match = safetext.FENCE.match(text)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        indented = text.startswith(("    ", "\t")) and previous_blank
        previous_blank = not text.strip() or (indented and previous_blank)
        if not indented:
            lines.append((document.body_line + offset, safetext.replace_code_spans(text, lambda span: " " * len(span))))
    return lines


def _closed_later(prose: list[tuple[int, str]], index: int) -> bool:
    """A tag cut off at the end of a line is one if the rest of its paragraph (joined, as
    Markdown joins it) has a `>` before any `<`: the straightforward reading of that rule."""
    paragraph = []
    for offset, (number, text) in enumerate(prose[index + 1:], 1):
        if number != prose[index][0] + offset or not text.strip() or text.lstrip().startswith(">"):
            break
        paragraph.append(text)
    rest = re.sub(r"[^<>]", "", "\n".join(paragraph))
    return rest.startswith(">")


def test_body_lines_and_the_body_checks_match_a_line_by_line_reading():
    rng = random.Random("bodies")
    pieces = ["text", "`code <b>`", "```", "~~~", "    indented", "\tTab", "", "## Steps", "# Title", "<i>",
              "[a](javascript:x)", "![](a.png)", "<!-- c -->", "` `` `", "href = 'data:x'", "Data :", ":",
              '<img src="x"', "<b", 'alt="y">', "a > b"]
    for _ in range(3000):
        body = "\n".join(rng.choice(pieces) + rng.choice(["", " ", " x"]) for _ in range(rng.randint(0, 8)))
        document = parse((MINIMAL.rsplit("---\n", 1)[0] + "---\n" + body).encode(), "entry.md")
        assert rules.body_lines(document) == slow_body_lines(document), body
        per_line = [(number, match.start() + 1) for number, text in enumerate(body.split("\n"), document.body_line)
                    for match in safetext.UNSAFE_LINK.finditer(text)]
        assert [(f.line, f.column) for f in rules.check_safe_links(document)] == per_line, body
        prose = slow_body_lines(document)
        html = [(number, match.start() + 1) for index, (number, text) in enumerate(prose)
                if (match := safetext.HTML.search(text))
                and (match.group().endswith(">") or match.group()[1] in "!?" or _closed_later(prose, index))]
        assert [(f.line, f.column) for f in rules.check_raw_html(document)] == html, body


# --- Listing the library -----------------------------------------------------------

def test_path_order_is_pathlibs():
    rng = random.Random("paths")
    parts = ["a", "b", "a.md", "a b", "index.md", "-", "_", "A", "\u00e9", "e\u0301", "\U0001F600", "..", "a.b"]
    names = list({"/".join(rng.choice(parts) for _ in range(rng.randint(1, 3))) for _ in range(3000)})
    for spelled in (names, ["/" + name for name in names], ["//" + name for name in names[:50]]
                    + ["/" + name for name in names[50:]]):
        spelled = [str(PurePosixPath(name)) for name in spelled]
        assert sorted(spelled, key=path_order) == [str(p) for p in sorted(map(PurePosixPath, spelled))]


def test_listing_matches_globbing(tmp_path):
    folder = tmp_path / "casestudies"
    for name in ["a.md", "B.md", "_draft.md", ".hidden.md", "README.md", "readme.MD", "notes.txt", "x.md.bak",
                 "dir/index.md", "dir/notes.md", "dir.md/index.md", "_hidden/index.md", ".git/x.md",
                 "deep/er/x.md", "empty/other.md", "a b/index.md", "caf\u00e9.md"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    os.symlink(folder / "dir", folder / "linked")
    os.symlink(folder / "nowhere.md", folder / "broken.md")
    ignored = re.compile(r"^[_.]|^readme\.md$", re.IGNORECASE)
    entries = sorted([p for p in folder.glob("*.md") if not ignored.search(p.name)]
                     + [p for p in folder.glob("*/index.md") if not ignored.search(p.parent.name)])
    assert [folder / name for name in entry_names(folder)] == entries
    strays = sorted(p for p in folder.rglob("*.md") if p not in set(entries)
                    and not any(ignored.search(part) for part in p.relative_to(folder).parts))
    assert [folder / name for name in stray_names(folder, entry_names(folder))] == strays
    for path in entries + strays:
        expected = path.parent.name if path.name == "index.md" else path.stem
        assert entry_id_of(path) == entry_id_of(str(path)) == expected


def test_parallel_and_plain_validation_are_identical(monkeypatch):
    def report(workers):
        monkeypatch.setenv("CASEHUB_WORKERS", workers)
        result = validate(Project(ROOT), [FIXTURES, ROOT / "examples", ROOT / "casestudies"])
        return ([(f.path, f.line, f.column, f.rule, f.message, f.hint, f.pointer) for f in result.findings],
                [(d.path, d.metadata, d.body, d.body_line, d.positions) for d in result.documents])

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    assert report("1") == report("2")


def test_loaded_documents_keep_their_positions():
    document = loader.load(ROOT / "examples" / "full.md")
    assert document.positions and document.key_positions
    assert parse(Path(ROOT / "examples" / "full.md").read_bytes(), positions=False).positions == {}
