"""Councils like mine, on the built site and in the library: organisations resolve to councils,
every vocabulary value has a page, council pages credit mySociety, related entries are ranked by
what they share (not by recency), and the rules the page's script applies are the build's."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup

from casehub.core.councils import PEER_SCORE, POPULATION_BANDS, band_label, peer_score, population_band
from casehub.core.findings import FindingsError
from casehub.core.project import VOCABULARIES, Project
from casehub.site.generator import load_library

from .support import ROOT
from .support.entries import entry


def page(site, path):
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


# --- Rules -----------------------------------------------------------------------------------

NEIGHBOURS = {"east-of-england": ["london", "south-east"], "london": ["east-of-england"]}


@pytest.mark.parametrize("theirs, score", [
    ({"type": "district", "region": "east-of-england", "population": 95_000}, 4),  # same region and size
    ({"type": "district", "region": "london", "population": 1_000_000}, 2),  # neighbouring region only
    ({"type": "district", "region": "wales", "population": 150_000}, 2),  # similar size only
    ({"type": "district", "region": "wales", "population": 500_000}, 1),  # the same type, no more: not a peer
    ({"type": "unitary", "region": "east-of-england", "population": 90_000}, 0),  # another kind of council
])
def test_a_peer_is_the_same_kind_of_council_nearby_or_of_a_similar_size(theirs, score):
    mine = {"type": "district", "region": "east-of-england", "population": 90_000}
    assert peer_score(mine, theirs, NEIGHBOURS) == score
    assert (score >= PEER_SCORE) == (score in (2, 3, 4))


def test_population_bands_double():
    assert [population_band(n) for n in (None, 2_000, 50_000, 99_999, 150_000, 1_100_000)] == [None, 0, 1, 1, 2, 5]
    assert band_label(0) == "Under 50,000 people" and band_label(2) == "100,000 to 200,000 people"
    assert band_label(len(POPULATION_BANDS) - 1) == "Over 800,000 people"


def test_neighbouring_regions_are_data_and_listed_both_ways(tmp_path):
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    regions = tmp_path / "data" / "regions.yaml"
    text = regions.read_text(encoding="utf-8")
    regions.write_text(text.replace("neighbours: [east-midlands, london, south-east]}",
                                    "neighbours: [east-midlands, london, south-east, wales, atlantis]}"),
                       encoding="utf-8")
    with pytest.raises(FindingsError) as raised:
        Project(tmp_path).vocabularies  # noqa: B018
    messages = [f.message for f in raised.value.findings]
    assert messages == ["'wales' is a neighbour of 'east-of-england', but not the other way round",
                        "'atlantis' is not another term in this file"]
    assert all(f.path == "data/regions.yaml" and f.line > 1 for f in raised.value.findings)


def test_organisations_resolve_to_councils_by_gss_code_or_name(project):
    library = load_library(project)
    leeds = library.by_id["100-percent-digital-leeds"]
    assert [c.name for _, c in leeds.councils] == ["Leeds City Council"]  # by its GSS code; Leeds Libraries is not one
    assert leeds.peer == {"type": "metropolitan-borough", "region": "yorkshire-and-the-humber",
                          "population": leeds.council.population}
    assert leeds.organisation_url(leeds.meta["organisations"][0]) == "councils/leeds/"
    assert leeds.organisation_url(leeds.meta["organisations"][1]) == "organisations/leeds-libraries/"
    verify = library.by_id["gov-uk-verify"]
    assert verify.councils == [] and verify.peer["population"] is None


# --- Related entries ---------------------------------------------------------------------------

RELATED = {
    # The entry we ask about: a district in the East of England, on housing, tagged rough-sleeping.
    "mine.md": entry("Our district ends rough sleeping", tags=["rough-sleeping", "outreach"],
                     geography={"nation": "england", "region": "east-of-england", "council_type": "district"}),
    # Newest of all, but shares only a topic: recency counts for nothing.
    "newest.md": entry("Newest entry on housing", published="2026-01-01",
                       geography={"nation": "england", "region": "north-east", "council_type": "unitary"}),
    # Older, shares the tag and the kind of council nearby: the best match.
    "older-peer.md": entry("Another district's outreach", published="2019-05-01", tags=["rough-sleeping"],
                           geography={"nation": "england", "region": "london", "council_type": "district"}),
    # Shares the tag only.
    "tagged.md": entry("Outreach in the north", published="2020-05-01", tags=["outreach"],
                       topics=["economy-and-skills"],
                       geography={"nation": "england", "region": "north-west", "council_type": "unitary"}),
    # Shares nothing: never suggested.
    "unrelated.md": entry("Bus lanes in the west", published="2025-01-01", topics=["transport-and-highways"],
                          geography={"nation": "england", "region": "east-of-england", "council_type": "district"}),
    # Linked: always first, whatever it shares.
    "linked.md": entry("The scheme that inspired ours", published="2015-01-01", topics=["transport-and-highways"],
                       adopted_by=["mine"]),
    "draft.md": entry("A draft that shares everything", status="draft", tags=["rough-sleeping", "outreach"]),
}


def test_related_entries_are_ranked_by_what_they_share_not_by_recency(new_project):
    library = load_library(new_project(RELATED))
    related = library.related(library.by_id["mine"])
    assert [(e.id, why) for e, why in related] == [
        ("linked", "Adopted from here"),
        ("older-peer", "Tagged rough-sleeping; on housing and homelessness; by another district council; "
                       "in a neighbouring region"),
        ("tagged", "Tagged outreach"),
        ("newest", "On housing and homelessness"),
    ]


def test_related_work_per_entry_stays_small_in_a_large_library(tmp_path):
    """Candidates come from a few buckets, and only a window of each large one, so each entry's
    work does not grow with the library; and suggestions spread over it, not the newest few."""
    from casehub.site.related import WINDOW, _keys
    from casehub.site.synthetic import write_site

    project = Project(write_site(ROOT, tmp_path / "big", 1000))
    library = load_library(project)
    library.prepare_related()
    index = library._related  # noqa: SLF001 - the index's own bound is what is tested
    suggested = {}
    for item in library.listed:
        assert len(index.candidates(item)) <= len(_keys(item)) * (2 * WINDOW + 1)
        for other, _ in library.related(item):
            suggested[other.id] = suggested.get(other.id, 0) + 1
    assert len(suggested) > len(library.listed) * 0.6
    assert max(suggested.values()) < 25


# --- The built site -------------------------------------------------------------------------------

def test_every_vocabulary_value_has_a_page_and_a_search_filter(project, built_site):
    search = page(built_site, "search")
    for name in VOCABULARIES:
        for item in project.vocabularies[name].items:
            soup = page(built_site, f"{name}/{item['id']}")
            assert soup.h1.get_text() == item["label"]
            empty = soup.select_one(".empty-term")
            if empty:  # no entries yet: share one (the form pre-filled) or ask for one
                assert "No entries yet" in empty.get_text()
                share, ask = empty.find_all("a")
                assert urlsplit(share["href"]).path == "/contribute/"
                assert dict(parse_qsl(urlsplit(share["href"]).query)) == {
                    {"topics": "topic", "regions": "region", "council-types": "council-type", "types": "type",
                     "stages": "stage"}[name]: item["id"]}
                assert "issues/new" in ask["href"] and "ask-for-a-case-study.yml" in ask["href"]
            if name != "types":
                filter_name = {"topics": "topic", "regions": "region", "council-types": "council-type",
                               "stages": "stage"}[name]
                assert search.select_one(f"input[name='{filter_name}'][value='{item['label']}']"), item
    assert search.select_one("input[name='council-type'][value='District council']")  # a district officer's choice


def test_key_facts_link_to_their_listings(built_site):
    soup = page(built_site, "100-percent-digital-leeds")
    links = {a.get_text(): a["href"] for a in soup.select(".key-facts a")}
    assert links["Case study"] == "/types/case-study/"
    assert links["Yorkshire and the Humber"] == "/regions/yorkshire-and-the-humber/"
    assert links["Metropolitan borough"] == "/council-types/metropolitan-borough/"
    assert links["Scaled"] == "/stages/scaled/"
    assert links["Leeds City Council"] == "/councils/leeds/"
    assert links["Leeds Libraries"] == "/organisations/leeds-libraries/"
    assert links["Digital and technology"] == "/topics/digital-and-technology/"
    for href in links.values():
        if href.startswith("/") and "?" not in href:
            assert (built_site / href.strip("/") / "index.html").is_file(), href


def test_council_pages_give_the_councils_facts_and_credit_mysociety(built_site):
    index = page(built_site, "councils")
    assert "mySociety" in index.get_text()
    names = [a.get_text() for a in index.select(".terms a")]
    assert "Leeds City Council" in names and "Stockport Metropolitan Borough Council" in names
    leeds = page(built_site, "councils/leeds")
    facts = leeds.select_one(".council-facts").get_text(" ", strip=True)
    assert "E08000035" in facts and "Metropolitan borough" in facts and "Yorkshire and the Humber" in facts
    assert re.search(r"\d{3},\d{3} \(2020\)", facts)
    assert "mySociety" in leeds.select_one("main").get_text() and "mySociety" in leeds.footer.get_text()
    assert [a.get_text() for a in leeds.select(".cards h3 a")] == [
        "100% Digital Leeds: digital inclusion through the organisations people already trust"]
    # Stockport is a metropolitan borough in a neighbouring region, of a similar size: a council like Leeds.
    assert "Stockport Metropolitan Borough Council" in [a.get_text() for a in leeds.select("ul:not(.cards) a")]


def test_councils_json_has_every_council_and_what_comparing_needs(project, built_site):
    data = json.loads((built_site / "councils.json").read_text(encoding="utf-8"))
    assert len(data["councils"]) == 397 and "mySociety" in data["source"]
    rows = [dict(zip(data["fields"], row, strict=True)) for row in data["councils"]]
    leeds = next(r for r in rows if r["gss"] == "E08000035")
    assert leeds["type"] == "metropolitan-borough" and leeds["page"] is True and leeds["slug"] == "leeds"
    assert sum(r["page"] for r in rows) == len(list((built_site / "councils").glob("*/index.html")))
    assert data["bands"] == list(POPULATION_BANDS)
    assert data["regions"]["london"]["neighbours"] == ["east-of-england", "south-east"]
    assert data["types"]["district"] == "District council"


def test_the_home_page_lists_never_repeat_an_entry(built_site):
    soup = page(built_site, "")
    featured = [a["href"] for a in soup.select("section[aria-labelledby=featured] .card h3 a")]
    newest = [a["href"] for a in soup.select("section[aria-labelledby=new] .card h3 a")]
    assert featured and newest and not set(featured) & set(newest)


def test_listings_explain_how_to_follow_them(built_site):
    soup = page(built_site, "topics/digital-and-technology")
    follow = soup.select_one("details.follow")
    assert follow.summary.get_text() == "Follow this topic"
    hrefs = [a["href"] for a in follow.select("a")]
    assert "/topics/digital-and-technology/feed.xml" in hrefs and "/follow/" in hrefs
    assert (built_site / "follow" / "index.html").is_file()


def test_peer_councils_compare_only_councils_of_a_type_and_find_what_comparing_all_would(new_project):
    from casehub.core.councils import profile

    project = new_project()
    councils = project.councils.all[::5][:60]  # every kind of council, from every region
    for i, council in enumerate(councils):
        (project.entries_dir / f"entry-{i}.md").write_text(
            entry(f"Work by {council.name}", organisations=[{"name": council.name, "role": "lead"}]),
            encoding="utf-8")
    library = load_library(project)
    groups = next(f for f in library.browse_facets if f.key == "councils").groups
    assert len(groups) == len(councils) and len({c.council_type for c in councils}) > 3
    register = project.councils
    for term, _ in groups:  # the straightforward way: every council against every other
        mine = profile(register.by_slug[term.id])
        scored = []
        for other, entries in groups:
            council = register.by_slug[other.id]
            score = peer_score(mine, profile(council), library.neighbours)
            if other.id != term.id and score >= PEER_SCORE:
                scored.append((-score, council.name, council, len(entries)))
        assert library.peer_councils(term.id) == [(c, n) for *_, c, n in sorted(scored)[:8]]
    assert any(library.peer_councils(term.id) for term, _ in groups)
