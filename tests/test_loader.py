"""The strict loader: what it accepts, where it says things are, and that it
raises nothing but LoadError whatever bytes it is given."""

import random

import pytest

from casehub.core.loader import MAX_FILE_BYTES, LoadError, load, parse

from .support import FIXTURES, MINIMAL


def test_positions_point_at_keys_and_values():
    doc = parse(MINIMAL.encode())
    assert doc.position("/title") == (2, 8)
    assert doc.key_position("/title") == (2, 1)
    assert doc.position("/organisations/0/role") == (8, 11)
    assert doc.position("/geography/region") == (11, 11)
    assert doc.position("/topics/0") == (12, 10)
    # A field that is not there falls back to its nearest ancestor.
    assert doc.position("/geography/council_type") == (10, 3)
    assert doc.body_line == 19
    assert doc.body == "The body of the story, in plain Markdown.\n"


def test_bom_and_crlf_are_accepted():
    doc = load(FIXTURES / "valid" / "bom-and-crlf.md")
    assert doc.metadata["title"] == "An example story from a council"
    assert "\r" not in doc.body
    assert doc.position("/title") == (2, 8)


def test_yaml_11_lookalikes_stay_strings():
    doc = load(FIXTURES / "valid" / "yaml-lookalikes.md")
    assert doc.metadata["tags"] == ["yes", "off"]
    assert doc.metadata["funding_sources"] == ["NO", "1.10", "0755", "12:30", "2024-01-01"]
    assert doc.metadata["published"] == "2024-03-01"


@pytest.mark.parametrize("text, value", [
    ("true", True), ("false", False), ("12", 12), ("-3", -3), ("1.5", 1.5), ("0.25", 0.25),
    ("null", None), ("~", None), ("", None), ("'true'", "true"), ('"12"', "12"),
    ("True", "True"), ("yes", "yes"), ("1e3", "1e3"), ("0x1F", "0x1F"), (".inf", ".inf"),
    ("1_000", "1_000"), ("2024-03-01T10:00:00", "2024-03-01T10:00:00"),
])
def test_scalar_resolution(text, value):
    doc = parse(f"---\nx: {text}\n---\n".encode())
    assert doc.metadata["x"] == value
    assert type(doc.metadata["x"]) is type(value)


def test_oversized_file(tmp_path):
    path = tmp_path / "big.md"
    path.write_bytes(MINIMAL.encode() + b"x" * MAX_FILE_BYTES)
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.finding.rule == "file-size"


def test_symlinked_file_is_refused(tmp_path):
    real = tmp_path / "real.md"
    real.write_text(MINIMAL)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    with pytest.raises(LoadError) as caught:
        load(link)
    assert caught.value.finding.rule == "no-symlink"


def test_a_missing_file_is_a_load_error(tmp_path):
    with pytest.raises(LoadError) as caught:
        load(tmp_path / "nope.md")
    assert caught.value.finding.rule == "unreadable"


def test_body_may_contain_rules_and_dots():
    doc = parse(b"---\ntitle: a\n...\nBody\n\n---\n\nMore\n")
    assert doc.metadata == {"title": "a"}
    assert doc.body == "Body\n\n---\n\nMore\n"


def test_loader_never_raises_anything_else():
    """Mutated entries, random bytes and all: LoadError or a document, never a crash."""
    rng = random.Random(20261122)
    base = MINIMAL.encode()
    alphabet = b"-:[]{}&*!|>'\"#%@`\t\n \\?,<=~\x00\xff\xc3\xa9"
    for _ in range(1500):
        data = bytearray(base)
        for _ in range(rng.randint(1, 6)):
            position = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.4:
                data[position] = rng.choice(alphabet)
            elif choice < 0.7:
                data.insert(position, rng.choice(alphabet))
            else:
                del data[position]
        try:
            parse(bytes(data))
        except LoadError as error:
            finding = error.finding
            assert finding.line >= 1 and finding.column >= 1
            assert finding.message and finding.hint
