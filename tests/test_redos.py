"""No text can make a check slow: every user-facing pattern, and the routes that run them,
take time linear in their input, at the largest input each route accepts.

Every regular expression in core/, contribute/ and exchange/ (compiled at module level,
or written literally in a `re.` call) is fed a catalogue of adversarial texts; a pattern
that backtracks, or whose scans from many starts overlap, takes seconds on them where a
linear one takes a millisecond. Then `casehub validate` runs on files at the loader's
1 MB cap, and `from-issue` on issue bodies at GitHub's 65,536-character limit, built from
the inputs that used to take minutes. Times are CPU time of this process (or, for a
pattern, of the child it runs in), so other work on the machine does not make them fail.
"""

from __future__ import annotations

import ast
import importlib
import multiprocessing
import re
import time
from datetime import date
from pathlib import Path
from queue import Empty

import pytest

import casehub
from casehub.contribute.issueform import convert_issue
from casehub.core.loader import MAX_FILE_BYTES
from casehub.core.validate import validate

from .support import MINIMAL

PACKAGE = Path(casehub.__file__).parent
USER_FACING = ("core", "contribute", "exchange")
GITHUB_ISSUE_CHARS = 65_536

# What adversarial text is made of: (prefix, piece, suffix), the piece repeated to SWEEP_CHARS.
# Single characters, each alone and before a character nothing matches; the openers and
# fragments the patterns look for; and the frames that put a pattern in the state where
# a repeated piece hurts (inside a heading, an image's text, a code span, a tag, a shortcode).
_CHARACTERS = list(" \ta0A1`[]()<>!#-=*_{}%\"':.@\n&;/|~+\\$,?") + ["\u00e9", "\u202f"]
_PIECES = [
    "[a", "![", "](", "<a ", "<a", "``", "`a", "`a``", "## ", "# ", "{{<", "{%", "{{", "a@", "@a", "a.", ".a", "a-",
    "0 ", "1-", "- ", "* ", "[ ]", "- [", "a:", ": ", "&#", "](a", "<!--", "]:", "href=", "a=", '"a', " #",
    "\t ", "a\n", "[]", "((", "( ", ") ", "](x ", "a a", "a1", "1a", '="', "=a", "---", "# a", "e0", "£1",
    "1,", "1.", "1 ", "\n\n", "\n ", "-\n", "> ", "1)", "1. ", "<a\n", "x]", "|a", "<script>", "<svg>",
    "{% comment %}", "{% highlight x %}", "{{< figure ", "<meta", "<h1>", "</", "](javascript:",
    "javascript:", "<a href='", "a]([", "a@b.", "date ", "x.png ", "[[", "![a](", "[a](x ",
]
_FRAMES = [("## ", "x"), ("### ", "x"), ("# ", "x"), ("![", ""), ("[", ""), ("`", ""), ("<a ", ""), ("{{<", ""),
           ("{%", ""), ("@", ""), ("<!--", ""), ("[a](", "")]
RECIPES = ([("", c, "") for c in _CHARACTERS] + [("", c, "\x00") for c in _CHARACTERS]
           + [("", piece, "") for piece in _PIECES]
           + [(prefix, c, suffix) for prefix, suffix in _FRAMES for c in " \ta0.#`[]<>-@!(){}%\n"])
SWEEP_CHARS = 16_000
# Linear patterns take well under a millisecond on SWEEP_CHARS; a quadratic one at least a
# tenth of a second (16,000² steps), a worse one far longer.
PATTERN_SECONDS = 0.05
SWEEP_TIMEOUT = 120
ROUTE_SECONDS = 1.0


# --- Finding the patterns ------------------------------------------------------------------------

_SCANNING = {"search", "finditer", "findall", "sub", "subn", "split"}
_ANCHORED = {"match", "fullmatch"}


def _modules():
    for part in USER_FACING:
        for path in sorted((PACKAGE / part).rglob("*.py")):
            yield path, "casehub." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def user_facing_patterns() -> dict[str, tuple[re.Pattern, bool]]:
    """Every pattern, by where it is: (pattern, whether it is only ever used anchored,
    by match or fullmatch, which is then how the sweep runs it)."""
    source = "\n".join(path.read_text(encoding="utf-8") for path, _ in _modules())
    found: dict[str, tuple[re.Pattern, bool]] = {}
    seen: set[tuple[str, int]] = set()

    def add(name: str, pattern: re.Pattern, anchored: bool) -> None:
        if isinstance(pattern.pattern, str) and (pattern.pattern, pattern.flags) not in seen:
            seen.add((pattern.pattern, pattern.flags))
            found[name] = (pattern, anchored)

    containers = []
    for path, module_name in _modules():
        module = importlib.import_module(module_name)
        text = path.read_text(encoding="utf-8")
        for name, value in vars(module).items():
            if not re.search(rf"^{re.escape(name)}\b[^=\n]*=", text, re.MULTILINE):
                continue  # imported: named where it is defined
            if isinstance(value, re.Pattern):
                uses = set(re.findall(rf"\b{re.escape(name)}\.([a-z]+)\(", source))
                add(f"{module_name}.{name}", value, bool(uses) and uses <= _ANCHORED)
            elif isinstance(value, (tuple, list, dict)):
                containers.append((f"{module_name}.{name}", value))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _SCANNING | _ANCHORED | {"compile"}
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                flags = 0
                for flag in ("IGNORECASE", "DOTALL", "MULTILINE"):
                    if f"re.{flag}" in ast.unparse(node):
                        flags |= getattr(re, flag)
                add(f"{module_name}:{node.lineno}", re.compile(node.args[0].value, flags), node.func.attr in _ANCHORED)
    for name, value in containers:  # patterns kept in a tuple or dict: their use is not known
        for index, item in enumerate(value.values() if isinstance(value, dict) else value):
            if isinstance(item, re.Pattern):
                add(f"{name}[{index}]", item, False)
    return found


PATTERNS = user_facing_patterns()


def test_the_patterns_are_found():
    """The collection above finds the patterns it must (a renamed module would hide them)."""
    names = set(PATTERNS)
    assert len(PATTERNS) > 80
    for expected in ("casehub.core.safetext.HTML", "casehub.core.safetext.EMAIL_ADDRESS", "casehub.core.rules._IMAGE",
                     "casehub.core.personal._PHONE", "casehub.core.personal._NI_NUMBER",
                     "casehub.contribute.issueform.form._QUESTION", "casehub.exchange.importers.templating._SHORTCODE",
                     "casehub.exchange.importers.links._INLINE", "casehub.exchange.importers.images.IMAGE"):
        assert expected in names
    from casehub.core.rules import HEADING  # the same pattern as examples._HEADING: found once, under that name

    assert HEADING.pattern in {p.pattern for p, _ in PATTERNS.values()}
    from casehub.core.personal import _NUMBER_CORES  # a tuple of patterns: found too

    assert {p.pattern for p in _NUMBER_CORES} <= {p.pattern for p, _ in PATTERNS.values()}
    assert PATTERNS["casehub.core.loader._FLOAT"][1], "used only with fullmatch"
    assert not PATTERNS["casehub.core.safetext.EMAIL_ADDRESS"][1], "also used with finditer"


# --- Each pattern, swept ------------------------------------------------------------------------

def _run(pattern: re.Pattern, anchored: bool, text: str) -> float:
    start = time.process_time()
    if anchored:
        pattern.match(text)
        pattern.fullmatch(text)
    else:
        pattern.findall(text)  # every match, as finditer, sub and split find them
    return time.process_time() - start


def _slowest(pattern: re.Pattern, anchored: bool) -> tuple[float, str]:
    """The longest CPU time any adversarial text takes, and that text's recipe."""
    worst = (0.0, "")
    for prefix, piece, suffix in RECIPES:
        text = prefix + piece * (SWEEP_CHARS // len(piece)) + suffix
        spent = _run(pattern, anchored, text)
        if spent > PATTERN_SECONDS:  # once more, in case the collector or the machine took the time
            spent = min(spent, _run(pattern, anchored, text))
        if spent > worst[0]:
            worst = (spent, f"{prefix!r} + {piece!r} × {SWEEP_CHARS // len(piece)} + {suffix!r}")
        if spent > PATTERN_SECONDS:
            break
    return worst


def _sweep_in_child(names: list[str], results) -> None:
    for name in names:
        pattern, anchored = PATTERNS[name]
        results.put((name, *_slowest(pattern, anchored)))
    results.put(None)


def _sweep(names: list[str], timeout: float = SWEEP_TIMEOUT) -> dict[str, tuple[float, str]]:
    """Sweep patterns in a forked child, so one that never finishes fails the test, not hangs it."""
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    child = context.Process(target=_sweep_in_child, args=(names, results), daemon=True)
    child.start()
    found: dict[str, tuple[float, str]] = {}
    deadline = time.monotonic() + timeout
    try:
        while len(found) < len(names):
            item = results.get(timeout=max(0.1, deadline - time.monotonic()))
            if item is None:
                break
            found[item[0]] = item[1:]
    except Empty:  # the pattern being swept never finished
        hung = next(name for name in names if name not in found)
        found[hung] = (float("inf"), "it did not finish")
    finally:
        child.kill()
        child.join()
    return found


_NAMES = sorted(PATTERNS)
_GROUPS = [_NAMES[i::4] for i in range(4)]  # four tests, so both workers share the sweep


@pytest.mark.parametrize("group", range(len(_GROUPS)))
def test_no_pattern_backtracks_on_adversarial_text(group):
    slow = {name: result for name, result in _sweep(_GROUPS[group]).items() if result[0] > PATTERN_SECONDS}
    assert not slow, "\n".join(f"{name} took {seconds:.2f}s on {recipe}" for name, (seconds, recipe) in slow.items())


def test_the_sweep_catches_a_pattern_that_backtracks():
    """The sweep's bound means something: the patterns this issue replaced fail it."""
    for old in (r"(`+)(?:(?!\1).)+?\1", r"^##[ \t]+(.+?)[ \t#]*$", r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?",
                r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"):
        pattern = re.compile(old, re.DOTALL)
        PATTERNS[f"old:{old}"] = (pattern, False)
        try:
            [(seconds, _)] = _sweep([f"old:{old}"], timeout=3).values()
        finally:
            del PATTERNS[f"old:{old}"]
        assert seconds > PATTERN_SECONDS, old


# --- The routes, at the largest input each accepts ----------------------------------------------

def _body(pump: str, size: int) -> str:
    return (pump * (size // len(pump)))[:size]


# Bodies that took from seconds to hours before (the issue's reproductions among them).
ATTACKS = {
    "unsafe-link spaces": "[a](" + " " * 1_000 + "x)",  # repeated: the issue's `[a](` + 16,000 spaces
    "link openers": "[",
    "image openers": "![",
    "backticks": "`",
    "backtick pairs": "`a``",
    "comments": "<!--",
    "tags cut off": "<a ",
    "heading closers": " #",
    "e-mail run": "a",
    "e-mail with at": "a@",
    "script": "<script>",
    "javascript chain": "](javascript:",
    "spaces": " ",
    "digits": "1",
    "entities": "&#x202e",
    "nested brackets": "[[",
}


def _entry(body: str, budget: int) -> str:
    head = MINIMAL.split("---\n", 2)[1]
    text = f"---\n{head}---\n"
    return text + body[:budget - len(text.encode("utf-8")) - 8] + "\n"


@pytest.mark.parametrize("name", list(ATTACKS))
def test_validate_finishes_at_the_size_cap(new_project, name):
    pump = ATTACKS[name]
    body = _body(pump, MAX_FILE_BYTES)
    if name == "heading closers":
        body = "## " + body + "x"
    project = new_project({"attack.md": _entry(body, MAX_FILE_BYTES)})
    path = project.entries_dir / "attack.md"
    assert path.stat().st_size <= MAX_FILE_BYTES
    start = time.process_time()
    report = validate(project, [path])
    spent = time.process_time() - start
    assert spent < ROUTE_SECONDS, f"{name}: {spent:.2f}s"
    assert report.checked == 1


def test_validate_finishes_on_long_front_matter_values(new_project):
    """The rules also read every value of the front matter (markup, personal data)."""
    values = "\n".join(f"  - \"{_body(pump, 12_000)}\"" for pump in ("a", "a@", "<a ", "1 ", "`", "[")
                       if '"' not in pump)
    text = MINIMAL.replace("stage: live\n", f"stage: live\nfunding_sources:\n{values}\n")
    project = new_project({"values.md": text})
    start = time.process_time()
    report = validate(project)
    assert time.process_time() - start < ROUTE_SECONDS
    assert report.findings


ISSUE_LABELS = ("Title", "Summary", "Organisation", "Contact team", "Contact email or web page", "What happened")


@pytest.mark.parametrize("name", ["unsafe-link spaces", "link openers", "backticks", "comments", "tags cut off",
                                  "script", "javascript chain", "heading closers", "e-mail run"])
def test_from_issue_finishes_at_githubs_limit(new_project, name):
    pump = ATTACKS[name]
    share = GITHUB_ISSUE_CHARS // len(ISSUE_LABELS) - 40
    answer = _body(pump, share)
    text = "".join(f"### {label}\n\n{answer}\n\n" for label in ISSUE_LABELS)
    text = ("### Type of entry\n\nstory\n\n" + text)[:GITHUB_ISSUE_CHARS]
    project = new_project()
    start = time.process_time()
    conversion = convert_issue(project, text, number=1, today=date(2026, 1, 1))
    spent = time.process_time() - start
    assert spent < ROUTE_SECONDS, f"{name}: {spent:.2f}s"
    assert conversion.path
