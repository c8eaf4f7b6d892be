"""The one entry-file writer and the one id claim: what `dump` writes reads back as the same
fields, and every route that creates entries goes through `dump` and `IdClaims.claim`."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casehub.contribute import issueform, new
from casehub.contribute.issueform import build as issueform_build
from casehub.core import entryfile
from casehub.core.entryfile import EntryFileError, IdClaims, IdTakenError, claim, dump
from casehub.core.loader import parse
from casehub.core.safetext import unsafe_character
from casehub.exchange.importers import writer as importer_writer

from .support import FIXTURES, MINIMAL

# Text a contributor could type: anything but the invisible characters the loader refuses.
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).filter(
    lambda s: not unsafe_character(s) and "\r" not in s and "\x85" not in s)
word = st.from_regex(r"[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
scalar = st.one_of(text, word, st.booleans(), st.integers(-10**9, 10**9),
                   st.dates(date(1900, 1, 1), date(2100, 12, 31)),
                   st.builds(lambda n, places: n / 10 ** places, st.integers(-10**7, 10**7), st.integers(1, 4))
                   .filter(lambda f: not f.is_integer()))
key = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)
mapping = st.dictionaries(key, scalar, min_size=1, max_size=4)
value = st.one_of(scalar, st.lists(scalar, min_size=1, max_size=4), mapping,
                  st.lists(mapping, min_size=1, max_size=3))
fields = st.dictionaries(key, value, min_size=1, max_size=8)


def loaded(value):
    """A value as the loader gives it back: dates as text, floats as written."""
    if isinstance(value, dict):
        return {k: loaded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [loaded(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields, st.text(max_size=60).filter(lambda s: not unsafe_character(s) and "\r" not in s))
def test_parsing_what_dump_writes_gives_back_the_same_fields(written, body):
    text = dump(written, "## Body\n\n" + body)
    document = parse(text.encode("utf-8"), "entry.md")
    assert document.metadata == loaded(written)


def test_keys_come_in_the_schemas_order_nested_ones_too():
    text = dump({"contact": {"url": "https://x.example/", "team": "Digital team"}, "topics": ["housing"],
                 "title": "A title", "organisations": [{"role": "lead", "name": "Leeds City Council"}],
                 "zzz_unknown": "last"})
    keys = [line.split(":")[0].strip(" -") for line in text.splitlines() if ":" in line]
    assert keys == ["title", "organisations", "name", "role", "topics", "contact", "team", "url", "zzz_unknown"]


@pytest.mark.parametrize("bad", ["tab\x07bell", "bidi\u202eflip", date.today().__class__.today, object()])
def test_dump_refuses_what_it_cannot_write_faithfully(bad):
    with pytest.raises(EntryFileError):
        dump({"title": bad})


def test_one_quoting_rule(tmp_path):
    text = dump({"title": "yes", "type": "case-study", "summary": "2024-01-01", "stage": "null",
                 "published": date(2025, 3, 31), "tags": ["on", "energy"]})
    assert 'title: "yes"' in text and "type: case-study" in text and 'summary: 2024-01-01' in text
    assert 'stage: "null"' in text and "published: 2025-03-31" in text
    assert '  - "on"' in text and "  - energy" in text


def test_claim_takes_the_next_free_id_ignoring_case_and_accents_and_reserved_paths(new_project):
    project = new_project({"cafe-opening.md": MINIMAL})
    claims = IdClaims(project)
    first = claims.claim("Café-Opening".lower().replace("é", "e"))
    assert first.id == "cafe-opening-2" and first.why_not_first == "casestudies/cafe-opening.md exists"
    assert first.path.exists() and first.path.read_text() == ""  # reserved by an exclusive create
    assert claims.claim("cafe-opening").id == "cafe-opening-3"
    assert claims.claim("fresh").why_not_first == ""
    assert "an earlier item in this run took the id 'fresh'" == claims.claim("fresh").why_not_first
    assert claims.claim("search").id == "search-2"  # the site's own page
    with pytest.raises(IdTakenError, match="cafe-opening.md exists"):
        claims.claim("cafe-opening", suffix=False)
    folder = claims.claim("with-images", as_folder=True)
    assert folder.path == project.entries_dir / "with-images" / "index.md"


def test_racing_claims_never_share_an_id(new_project):
    project = new_project({})
    won: list[str] = []
    barrier = threading.Barrier(8)

    def racer():
        barrier.wait()
        won.append(claim(project, "same-title").id)  # each racer has its own view of what is taken

    threads = [threading.Thread(target=racer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == len(set(won)) == 8


def test_every_route_that_creates_entries_uses_the_one_writer_and_the_one_claim(new_project, monkeypatch, tmp_path):
    """casehub new, casehub from-issue and casehub import each call `dump` and `IdClaims.claim`."""
    calls: list[str] = []
    real_dump, real_claim = entryfile.dump, IdClaims.claim

    def counting_dump(*args, **kwargs):
        calls.append("dump")
        return real_dump(*args, **kwargs)

    def counting_claim(self, *args, **kwargs):
        calls.append("claim")
        return real_claim(self, *args, **kwargs)

    for module in (new, issueform_build, importer_writer):
        monkeypatch.setattr(module, "dump", counting_dump)
    monkeypatch.setattr(IdClaims, "claim", counting_claim)

    project = new_project({})
    answers = new.Answers(type="story", title="Warm spaces", summary="A network of warm spaces in libraries.",
                          organisation="Leeds City Council", role="lead", nation="england",
                          region="yorkshire-and-the-humber", topics=["communities-and-engagement"], stage="live",
                          contact_team="Libraries team", contact_url="https://www.leeds.gov.uk/libraries")
    new.write_new_entry(project, answers, date(2026, 11, 22))
    assert calls == ["dump", "claim"]

    calls.clear()
    body = (FIXTURES / "issues" / "minimal-story.md").read_text(encoding="utf-8")
    issueform.convert_issue(project, body, number=4, today=date(2026, 11, 22))
    assert calls == ["dump", "claim"]

    calls.clear()
    source = tmp_path / "one.md"
    source.write_text("---\ntitle: Repairs line\n---\nWe rebuilt the repairs line with tenants.\n", encoding="utf-8")
    from casehub.exchange.importers import ImportOptions, prepare

    options = ImportOptions(today=date(2026, 11, 22))
    prepare(project, "markdown", source, options).run()
    assert "claim" in calls and "dump" in calls


# Any text at all, the characters the loader refuses included.
any_text = st.text(max_size=40)
any_fields = st.dictionaries(key, st.one_of(any_text, st.lists(any_text, min_size=1, max_size=3),
                                            st.dictionaries(key, any_text, min_size=1, max_size=3)),
                             min_size=1, max_size=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_fields)
def test_dump_refuses_or_writes_what_reads_back_the_same(written):
    """Whatever the fields hold, the writer either refuses them (EntryFileError, saying
    why) or writes a file the loader reads back as the same fields: never a file the
    loader refuses, never one that reads as something else."""
    try:
        text = dump(written, "Body.")
    except EntryFileError as error:
        assert str(error)
        return
    assert parse(text.encode("utf-8"), "entry.md").metadata == loaded(written)
