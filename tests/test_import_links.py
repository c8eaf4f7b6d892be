"""`casehub import` of whole sites: links, images and old addresses survive.

Two fixture archives in the shapes real ones have: a Hugo site
(tests/fixtures/import/hugo-site: hugo.toml with baseURL and permalinks,
figure/img/image/ref/relref/youtube shortcodes, aliases, a page bundle, static/
images with spaces in their names, a README and an archetype that are not
content) and a Jekyll site (tests/fixtures/import/jekyll-site: _config.yml with
url, baseurl and permalink, Liquid links and includes, kramdown attribute lists,
redirect_from, _posts/ and assets/). Each test asserts what survives: the words,
each link's target (an entry of the import, or the original site), the images
(count and alternative text), the old addresses and the redirect map."""

from __future__ import annotations

import csv
import json
import re
import shutil

from casehub.core.loader import load
from casehub.core.validate import validate
from casehub.exchange.importers.links import LINK_MARKER

from .test_import import IMPORT, assert_safe_and_accounted_for, cli_import, run_import

HUGO = IMPORT / "hugo-site"
JEKYLL = IMPORT / "jekyll-site"
EMPTY_LINK = re.compile(r"\]\(\s*(<\s*>)?\s*\)")
LEFTOVERS = re.compile(r"\{\{|\{%|\{:|" + re.escape(LINK_MARKER))


def words(markdown: str) -> set[str]:
    """The words a Markdown page shows: no templating, addresses or markup, nor what its site never showed
    (Liquid comments, the line kramdown replaces with a table of contents)."""
    text = re.sub(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|^\* TOC$", " ", markdown,
                  flags=re.DOTALL | re.MULTILINE)
    text = re.sub(r"\{\{[<%].*?[>%]\}\}|\{%.*?%\}|\{\{.*?\}\}|\{:[^}]*\}", " ", text, flags=re.DOTALL)
    text = re.sub(r"\]\([^)]*\)|<[^>]*>|https?://\S+", " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z']{2,}", text)}


def body_of(path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


def by_origin(report) -> dict:
    return {o.origin: o for o in report.outcomes}


def codes(outcome) -> set[str]:
    return {n.code for n in outcome.notes}


def assert_kept_words(source, written, share=0.97):
    before = words(body_of(source))
    after = words(written.read_text(encoding="utf-8"))
    kept = len(before & after) / len(before)
    assert kept >= share, sorted(before - after)


def test_a_hugo_site_keeps_its_links_images_and_old_addresses(new_project):
    project = new_project()
    report = run_import(project, "markdown", HUGO)
    assert_safe_and_accounted_for(project, report)
    found = by_origin(report)
    # Only the content folder is read: not the README, the archetype or the section indexes.
    assert sorted(found) == ["content/case-studies/library-app.md", "content/case-studies/repairs-online/index.md",
                             "content/guides/user-research.md"]
    assert any("read as a Hugo site (hugo.toml): its address is https://www.example.gov.uk/service-manual/" in n
               for n in report.notes)

    repairs = found["content/case-studies/repairs-online/index.md"]
    path = project.root / repairs.path
    body = load(path).body
    assert not EMPTY_LINK.search(body) and not LEFTOVERS.search(body)
    # ref and relref to pages of this import point to their new entries, anchors kept.
    assert "[user research](../plan-user-research-for-your-service/)" in body
    assert "[library app team](../example-countys-library-app/)" in body
    assert "[accessibility checklist](../example-countys-library-app/#accessibility)" in body
    # A site-relative link and a ref to pages that were not imported: the original site's addresses.
    assert "[service standard](https://www.example.gov.uk/service-manual/service-standard/)" in body
    assert "[assessment report](https://www.example.gov.uk/service-manual/reports/repairs-assessment/)" in body
    # The figure (a name with spaces) and a Markdown image, carried with their alternative text and caption.
    assert "![The old repair form beside the new one](before-and-after.png)" in body
    assert "The old form had 31 questions; the new one has 9." in body
    assert '![Timeline of the project](timeline.png "From discovery to live in nine months")' in body
    assert sorted(p.name for p in path.parent.iterdir()) == ["before-and-after.png", "index.md", "timeline.png"]
    assert (path.parent / "before-and-after.png").read_bytes() == \
        (HUGO / "content/case-studies/repairs-online/before and after.png").read_bytes()
    assert "[Watch the video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)" in body
    assert "Start with the calls you get most." in body
    assert_kept_words(HUGO / "content/case-studies/repairs-online/index.md", path)
    source = load(path).metadata["source"]
    assert source["url"] == "https://www.example.gov.uk/service-manual/case-studies/repairs-online/"
    assert source["aliases"] == ["https://www.example.gov.uk/service-manual/case-studies/repairs/",
                                 "https://www.example.gov.uk/service-manual/news/2022/repairs-online.html"]
    assert {"link-resolved-internal", "link-to-original", "image-from-shortcode", "image-carried", "embed-linked",
            "shortcode-removed"} <= codes(repairs)

    library = found["content/case-studies/library-app.md"]
    path = project.root / library.path
    body = load(path).body
    # Images from static/, named with a space and with %20; an SVG left out with its words and a note.
    assert "![The app's home screen, with renew and opening hours buttons](app-screen.png)" in body
    assert "![A map of branches in the app](app-map.png)" in body
    assert sorted(p.name for p in path.parent.iterdir()) == ["app-map.png", "app-screen.png", "index.md"]
    assert "How loans are renewed" in body and "diagram.svg" not in body
    assert "[user research guide](../plan-user-research-for-your-service/)" in body  # /service-manual/guides/…
    assert "[reused our checklist](../example-borough-moves-repairs-online/)" in body
    assert "[full write-up](https://www.example-county.gov.uk/library-app)" in body  # another site: as it was
    assert [n.code for n in library.notes if n.review] == ["image-not-carried"]
    assert load(path).metadata["source"]["aliases"] == ["https://www.example.gov.uk/service-manual/case-studies/library/"]

    guide = found["content/guides/user-research.md"]
    body = load(project.root / guide.path).body
    assert "[Example Borough moved repairs online](../example-borough-moves-repairs-online/)" in body
    assert "[library app](../example-countys-library-app/)" in body  # a relative link to a file
    assert "A wall of sticky notes from a research session" in body  # a missing image: its words kept
    missing = next(n for n in guide.notes if n.code == "image-missing")
    assert missing.review and "research wall.png" in missing.message
    assert load(project.root / guide.path).metadata["source"]["url"] == \
        "https://www.example.gov.uk/service-manual/guides/user-research/"  # permalinks: guides = /guides/:slug/


def test_a_part_of_a_hugo_site_links_to_the_rest_on_the_original_site(new_project):
    project = new_project()
    report = run_import(project, "markdown", HUGO / "content" / "case-studies")
    assert len(report.outcomes) == 2
    repairs = load(project.root / by_origin(report)["repairs-online/index.md"].path)
    assert "[user research](https://www.example.gov.uk/service-manual/guides/user-research/)" in repairs.body
    assert "[library app team](../example-countys-library-app/)" in repairs.body
    # Images from the site's static/ folder above the imported folder are still found.
    assert (project.entries_dir / "example-countys-library-app" / "app-screen.png").is_file()


def test_without_the_sites_address_links_keep_their_words_and_ask_for_it(new_project, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(HUGO, site)
    config = site / "hugo.toml"
    config.write_text(config.read_text().replace('baseURL = "https://www.example.gov.uk/service-manual/"', ""))
    project = new_project()
    report = run_import(project, "markdown", site / "content" / "case-studies")
    outcome = by_origin(report)["repairs-online/index.md"]
    body = load(project.root / outcome.path).body
    assert "Read the service standard and our assessment report." in body
    assert "We ran user research with tenants" in body and not EMPTY_LINK.search(body)
    unresolved = next(n for n in outcome.notes if n.code == "link-unresolved")
    assert unresolved.review and "--base-url" in unresolved.message and "'service standard'" in unresolved.message
    assert load(project.root / outcome.path).metadata["source"]["aliases"] == [
        "/case-studies/repairs-online/", "/case-studies/repairs/", "/news/2022/repairs-online.html"]

    again = new_project_again(new_project, tmp_path)
    report = run_import(again, "markdown", site / "content" / "case-studies", base_url="https://manual.example.org/")
    body = load(again.root / by_origin(report)["repairs-online/index.md"].path).body
    assert "[service standard](https://manual.example.org/service-manual/service-standard/)" in body
    assert "[user research](https://manual.example.org/guides/user-research/)" in body


def new_project_again(new_project, tmp_path):
    shutil.rmtree(tmp_path / "project")
    return new_project()


def test_a_jekyll_site_with_liquid_kramdown_and_redirects(new_project, tmp_path):
    project = new_project()
    redirects_csv, redirects_file = tmp_path / "redirects.csv", tmp_path / "_redirects"
    result = cli_import(project, "markdown", str(JEKYLL), "--format", "json", "--redirects", str(redirects_csv),
                        "--redirects", str(redirects_file))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["base_url"] == "https://blog.example-council.gov.uk/digital/" and data["imported"] == 3
    entries = {e["origin"]: e for e in data["entries"]}
    assert sorted(entries) == ["_posts/2021-03-03-repairs-redesign.md", "_posts/2021-06-10-warm-spaces.md",
                               "about.md"]
    assert data["changes"]["link-resolved-internal"] == 3 and data["changes"]["kramdown-attributes-removed"] == 2

    repairs = entries["_posts/2021-03-03-repairs-redesign.md"]
    path = project.root / repairs["path"]
    body = load(path).body
    assert not LEFTOVERS.search(body.replace("```liquid\n{{ page.title }}\n```", ""))
    assert not EMPTY_LINK.search(body) and "TOC" not in body and ".intro" not in body and "_blank" not in body
    assert "[warm spaces team](../a-map-of-warm-spaces-kept-by-volunteers/)" in body  # {% link %}
    assert ("[the evaluation](https://blog.example-council.gov.uk/digital/assets/files/repairs-evaluation.pdf)"
            in body)  # {{ site.baseurl }}: a file that was not imported, on the original site
    assert ("[earlier post](https://blog.example-council.gov.uk/digital/2019/11/20/listening-to-tenants/)"
            in body)  # {% post_url %} of a post that was not imported
    assert "![Repeat calls fell from 31% to 18%](repairs-chart.png)" in body  # {{ site.baseurl }}, a space
    assert "![Tenants and staff at the first design session](tenant-panel.jpg)" in body  # include image.html
    assert "Tenants can now follow a repair online." in body  # an include's text argument
    assert "Remember to add the photos" not in body  # a Liquid comment was never shown
    assert "```liquid\n{{ page.title }}\n```" in body  # {% raw %} keeps what it holds
    assert "We should have involved the repairs contractor from the first week." in body
    assert sorted(p.name for p in path.parent.iterdir()) == ["index.md", "repairs-chart.png", "tenant-panel.jpg"]
    assert_kept_words(JEKYLL / "_posts/2021-03-03-repairs-redesign.md", path)
    source = load(path).metadata["source"]
    assert source["url"] == "https://blog.example-council.gov.uk/digital/housing/2021/03/03/repairs-redesign/"
    assert source["aliases"] == ["https://blog.example-council.gov.uk/digital/repairs/",
                                 "https://blog.example-council.gov.uk/digital/blog/2021/repairs-redesign.html"]
    note_codes = [n["code"] for n in repairs["notes"]]
    assert {"include-removed", "image-from-include", "liquid-comment-removed", "kramdown-attributes-removed",
            "image-carried", "link-resolved-internal", "link-to-original"} <= set(note_codes)
    assert all(code for code in note_codes if code != "")

    warm = entries["_posts/2021-06-10-warm-spaces.md"]
    path = project.root / warm["path"]
    body = load(path).body
    assert "[repairs work](../redesigning-repairs-with-tenants/)" in body  # {{ site.baseurl }}{% post_url %}
    assert "[about the team](../about-the-digital-team/)" in body  # /digital/about/, the page's permalink
    assert "or email us." in body and "[email us]" not in body  # an empty link: its words kept
    images = re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", body)
    assert images == [("The warm spaces map on a phone", "warm-spaces-map.png"),
                      ("Volunteers at the library", "volunteers-at-library.png"),  # %20, under the base path
                      ("Opening hours of each warm space", "opening-hours.png")]  # <img> in an HTML block
    assert "Comments are open." in body
    assert {"link-dropped-empty", "liquid-removed", "include-removed"} <= {n["code"] for n in warm["notes"]}

    about = entries["about.md"]
    assert "[latest post](../a-map-of-warm-spaces-kept-by-volunteers/)" in load(project.root / about["path"]).body

    with open(redirects_csv, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    old_to_new = {row["old"]: row["new"] for row in rows}
    assert old_to_new == {
        "https://blog.example-council.gov.uk/digital/housing/2021/03/03/repairs-redesign/":
            "/redesigning-repairs-with-tenants/",
        "https://blog.example-council.gov.uk/digital/repairs/": "/redesigning-repairs-with-tenants/",
        "https://blog.example-council.gov.uk/digital/blog/2021/repairs-redesign.html":
            "/redesigning-repairs-with-tenants/",
        "https://blog.example-council.gov.uk/digital/communities/2021/06/10/warm-spaces/":
            "/a-map-of-warm-spaces-kept-by-volunteers/",
        "https://blog.example-council.gov.uk/digital/about/": "/about-the-digital-team/"}
    assert {row["status"] for row in rows} == {"draft"}
    lines = redirects_file.read_text().splitlines()
    assert lines[0].startswith("#")
    assert "/digital/repairs/ /redesigning-repairs-with-tenants/ 301" in lines and len(lines) == 6


def test_imported_sites_validate_and_build_with_working_links_and_images(new_project, tmp_path):
    from casehub.site.build import build

    project = new_project()
    complete = [f"--default={pair}" for pair in (
        "type=story", "organisation=Example Council", "region=London", "stage=live", "topics=Digital and technology",
        "contact_team=Digital team", "contact_url=https://www.example.gov.uk/contact")]
    for site in (HUGO, JEKYLL):
        result = cli_import(project, "markdown", str(site), *complete)
        assert result.exit_code == 0, result.output
    # A facilitator fills in what the sources did not say (a page's date, a topic) and publishes.
    fixes = {"published": "published: 2020-01-01\n", "topics": "topics:\n  - digital-and-technology\n"}
    published = project.entry_files()
    for path in published:
        text = path.read_text(encoding="utf-8")
        missing = "".join(fixes.get(f.field, "") for f in validate(project, [path]).findings)
        path.write_text(text.replace("status: draft", "status: published").replace("source:", missing + "source:"),
                        encoding="utf-8")
    assert len(published) == 6
    assert validate(project).ok
    out = build(project.root, "pelicanconf.py", tmp_path / "out", search=False)
    internal = 0
    for path in published:
        entry_id = path.parent.name if path.name == "index.md" else path.stem
        html = (out / entry_id / "index.html").read_text(encoding="utf-8")
        assert 'href=""' not in html and LINK_MARKER not in html
        links = re.findall(r'href="\.\./([a-z0-9-]+)/', html)
        assert all((out / target / "index.html").is_file() for target in links), links  # each a page of the site
        internal += len(links)
        for image in re.findall(r'<img[^>]* src="([^"]+)"', html):
            if not image.startswith("http"):
                assert (out / entry_id / image).is_file(), (entry_id, image)
    assert internal >= 10
