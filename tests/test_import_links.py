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

import pytest
from click.testing import CliRunner

from casehub.cli import cli as casehub_cli
from casehub.core.loader import load
from casehub.core.validate import validate
from casehub.exchange.importers.links import LINK_MARKER, LinkIndex, link_marker
from casehub.exchange.importers.model import Candidate
from casehub.exchange.importers.oldsite import OldSite
from casehub.exchange.importers.templating import render_templating

from .support import BASE
from .support.imports import IMPORT, assert_safe_and_accounted_for, cli_import, run_import

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
    """The items that became entries, by origin (templates, list pages and read-me files are skipped)."""
    return {o.origin: o for o in report.outcomes if not any(n.code == "template-skipped" for n in o.notes)}


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
    # Only the content folder is read: not the README; the archetype and the section indexes are skipped, named.
    assert sorted(found) == ["content/case-studies/library-app.md", "content/case-studies/repairs-online/index.md",
                             "content/guides/user-research.md"]
    assert sorted(o.origin for o in report.outcomes if o.status == "skipped") == [
        "archetypes/default.md", "content/_index.md", "content/case-studies/_index.md"]
    assert any("read as a Hugo site (hugo.toml): its address is https://www.example.gov.uk/service-manual/" in n
               for n in report.notes)

    repairs = found["content/case-studies/repairs-online/index.md"]
    path = project.root / repairs.path
    body = load(path).body
    assert not EMPTY_LINK.search(body) and not LEFTOVERS.search(body)
    # ref and relref to pages of this import point to their new entries, anchors kept.
    assert "[user research](../user-research/)" in body
    assert "[library app team](../library-app/)" in body
    assert "[accessibility checklist](../library-app/#accessibility)" in body
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
    assert "[user research guide](../user-research/)" in body  # /service-manual/guides/…
    assert "[reused our checklist](../repairs-online/)" in body
    assert "[full write-up](https://www.example-county.gov.uk/library-app)" in body  # another site: as it was
    assert [n.code for n in library.notes if n.review] == ["image-not-carried"]
    assert load(path).metadata["source"]["aliases"] == ["https://www.example.gov.uk/service-manual/case-studies/library/"]

    guide = found["content/guides/user-research.md"]
    body = load(project.root / guide.path).body
    assert "[Example Borough moved repairs online](../repairs-online/)" in body
    assert "[library app](../library-app/)" in body  # a relative link to a file
    assert "A wall of sticky notes from a research session" in body  # a missing image: its words kept
    missing = next(n for n in guide.notes if n.code == "image-missing")
    assert missing.review and "research wall.png" in missing.message
    assert load(project.root / guide.path).metadata["source"]["url"] == \
        "https://www.example.gov.uk/service-manual/guides/user-research/"  # permalinks: guides = /guides/:slug/


def test_a_part_of_a_hugo_site_links_to_the_rest_on_the_original_site(new_project):
    project = new_project()
    report = run_import(project, "markdown", HUGO / "content" / "case-studies")
    assert len(by_origin(report)) == 2 and report.count("skipped") == 1  # the section's _index.md
    repairs = load(project.root / by_origin(report)["repairs-online/index.md"].path)
    assert "[user research](https://www.example.gov.uk/service-manual/guides/user-research/)" in repairs.body
    assert "[library app team](../library-app/)" in repairs.body
    # Images from the site's static/ folder above the imported folder are still found.
    assert (project.entries_dir / "library-app" / "app-screen.png").is_file()


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


def cli(project, *args):
    return CliRunner().invoke(casehub_cli, ["--root", str(project.root), *args])


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
    entries = {e["origin"]: e for e in data["entries"] if e["status"] != "skipped"}
    assert sorted(entries) == ["_posts/2021-03-03-repairs-redesign.md", "_posts/2021-06-10-warm-spaces.md",
                               "about.md"]
    assert [e["origin"] for e in data["entries"] if e["status"] == "skipped"] == ["README.md"]
    assert data["changes"]["link-resolved-internal"] == 3 and data["changes"]["kramdown-attributes-removed"] == 2

    repairs = entries["_posts/2021-03-03-repairs-redesign.md"]
    path = project.root / repairs["path"]
    body = load(path).body
    assert not LEFTOVERS.search(body.replace("```liquid\n{{ page.title }}\n```", ""))
    assert not EMPTY_LINK.search(body) and "TOC" not in body and ".intro" not in body and "_blank" not in body
    assert "[warm spaces team](../warm-spaces/)" in body  # {% link %}
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
    assert "[repairs work](../repairs-redesign/)" in body  # {{ site.baseurl }}{% post_url %}
    assert "[about the team](../about-the-digital-team/)" in body  # /digital/about/, the page's permalink
    assert "or email us." in body and "[email us]" not in body  # an empty link: its words kept
    images = re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", body)
    assert images == [("The warm spaces map on a phone", "warm-spaces-map.png"),
                      ("Volunteers at the library", "volunteers-at-library.png"),  # %20, under the base path
                      ("Opening hours of each warm space", "opening-hours.png")]  # <img> in an HTML block
    assert "Comments are open." in body
    assert {"link-dropped-empty", "liquid-removed", "include-removed"} <= {n["code"] for n in warm["notes"]}

    about = entries["about.md"]
    assert "[latest post](../warm-spaces/)" in load(project.root / about["path"]).body

    with open(redirects_csv, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    old_to_new = {row["old"]: row["new"] for row in rows}
    assert old_to_new == {
        "https://blog.example-council.gov.uk/digital/housing/2021/03/03/repairs-redesign/":
            "/repairs-redesign/",
        "https://blog.example-council.gov.uk/digital/repairs/": "/repairs-redesign/",
        "https://blog.example-council.gov.uk/digital/blog/2021/repairs-redesign.html":
            "/repairs-redesign/",
        "https://blog.example-council.gov.uk/digital/communities/2021/06/10/warm-spaces/":
            "/warm-spaces/",
        "https://blog.example-council.gov.uk/digital/about/": "/about-the-digital-team/"}
    assert {row["status"] for row in rows} == {"draft"}
    lines = redirects_file.read_text().splitlines()
    assert lines[0].startswith("#")
    assert "/digital/repairs/ /repairs-redesign/ 301" in lines and len(lines) == 6


def test_imported_sites_validate_and_build_with_working_links_and_images(new_project, tmp_path):
    from casehub.site.build import build

    project = new_project()
    complete = [f"--default={pair}" for pair in (
        "type=story", "organisation=Example Council", "region=London", "stage=live", "topics=Digital and technology",
        "contact_team=Digital team", "contact_url=https://www.example.gov.uk/contact")]
    for site in (HUGO, JEKYLL):
        result = cli_import(project, "markdown", str(site), *complete)
        assert result.exit_code == 0, result.output
    assert cli(project, "validate").exit_code == 0  # drafts with things to do fail nothing
    # A facilitator fills in what the sources did not say (a page's date, a topic) and publishes both batches.
    for args in (["set", "topics=digital-and-technology", "--where", "topics="],
                 ["set", "published=2020-01-01", "--where", "published="],
                 ["publish", "--batch", "hugo-site"], ["publish", "--batch", "jekyll-site"], ["validate"]):
        result = cli(project, *args)
        assert result.exit_code == 0, (args, result.output)
    published = project.entry_files()
    assert len(published) == 6 and all(load(path).metadata["status"] == "published" for path in published)
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


# The parts, one at a time ---------------------------------------------------------------------------


@pytest.mark.parametrize("source, expected, code", [
    ('{{< figure src="/img/a b.png" title="A chart" caption="Visits rose." >}}',
     "![A chart](/img/a%20b.png)\n\nVisits rose.", "image-from-shortcode"),
    ('{{< img "pics/p q.jpg" "An alt" >}}', "![An alt](pics/p%20q.jpg)", "image-from-shortcode"),
    ('{{<figure src="x.png" alt="A > B" />}}', "![A > B](x.png)", "image-from-shortcode"),
    ('{{< figure caption="No picture named" >}}', "No picture named", "image-dropped"),
    ('{% include figure.html image="/assets/a.png" alt="Fig" %}', "![Fig](/assets/a.png)", "image-from-include"),
    ('{% include callout.html content="Book a visit" style="x" %}', "Book a visit", "include-removed"),
    ("{{< vimeo 12345 >}}", "[Watch the video on Vimeo](https://vimeo.com/12345)", "embed-linked"),
    ("{{< gist spf13 7896402 >}}", "[See the code on GitHub](https://gist.github.com/spf13/7896402)", "embed-linked"),
    ('{{< highlight go "linenos=table" >}}\nfunc main() {}\n{{< /highlight >}}', "```go\nfunc main() {}\n```",
     "code-block-converted"),
    ('{{< details summary="More" >}}Inner text{{< /details >}}', "Inner text", "shortcode-removed"),
    ("{% if page.x %}Shown{% endif %}", "Shown", "liquid-removed"),
    ("{% comment %}not shown{% endcomment %}Shown", "Shown", "liquid-comment-removed"),
    ("{% raw %}{{ kept }}{% endraw %}", "{{ kept }}", None),
    ('{{ "/about/" | relative_url }} {{ site.url }}{{ site.baseurl }}/y', "/blog/about/ https://ex.gov.uk/blog/y",
     None),
    ("Para\n{:.lead}\n\n1. TOC\n{:toc}\n\n{::comment}\nhidden\n{:/comment}\n[x](y){: .btn}", "Para\n\n\n\n\n\n[x](y)",
     "kramdown-attributes-removed"),
    ("## Heading {#custom-id}", "## Heading", "kramdown-attributes-removed"),
    ("```\n{{< kept in code >}}\n```", "```\n{{< kept in code >}}\n```", None),
])
def test_templating_becomes_markdown_with_a_note(source, expected, code):
    body, notes = render_templating(source, OldSite(base_url="https://ex.gov.uk/blog/"))
    assert body.strip("\n") == expected
    assert [n.code for n in notes] == ([code] if code else [])


def test_links_are_resolved_by_address_file_and_reference():
    links = LinkIndex("https://ex.gov.uk/blog/", lambda path: "/blog/" + path.rsplit(".", 1)[0] + "/")
    here = Candidate("a", addresses=["https://ex.gov.uk/blog/posts/a/", "https://ex.gov.uk/blog/old-a.html"],
                     content_path="posts/a.md")
    links.add("entry-a", here)
    links.add("entry-b", Candidate("b", addresses=["https://ex.gov.uk/blog/posts/b/"], content_path="posts/b/index.md"))
    body, notes = links.resolve(
        "[B](../b/) [file](b/index.md) [old](/blog/old-a.html) [abs](https://ex.gov.uk/blog/posts/b/#x)\n"
        "[![pic](p.png)](/blog/posts/b/) [gone](/blog/gone/) [mail](mailto:x@example.org) [top](#top)\n"
        "[ref][r] [empty]() [angle](<../b/>) [ref](" + link_marker("ref", "b") + ") Footnote[^1]\n"
        "`[code](/blog/posts/b/)`\n\n```\n[fenced](/blog/posts/b/)\n```\n\n"
        "[^1]: About [B](/blog/posts/b/).\n[r]: /blog/posts/a/\n", here)
    assert body.split("\n") == [
        "[B](../entry-b/) [file](../entry-b/) [old](../entry-a/) [abs](../entry-b/#x)",
        "[![pic](p.png)](../entry-b/) [gone](https://ex.gov.uk/blog/gone/) [mail](mailto:x@example.org) [top](#top)",
        "[ref][r] empty [angle](../entry-b/) [ref](../entry-b/) Footnote[^1]",
        "`[code](/blog/posts/b/)`", "", "```", "[fenced](/blog/posts/b/)", "```", "",
        "[^1]: About [B](../entry-b/).", "[r]: ../entry-a/", ""]
    assert [(n.code, n.review) for n in notes] == [("link-resolved-internal", False), ("link-to-original", False),
                                                   ("link-dropped-empty", False)]

    unknown = LinkIndex("")
    body, notes = unknown.resolve("[gone](/gone/) and [r1][gone] and [gone][], ![img][pic]\n\n"
                                  "[gone]: /nowhere/\n[pic]: p.png\n", Candidate("c"))
    assert body == "gone and r1 and gone, ![img][pic]\n\n[pic]: p.png\n"
    assert [(n.code, n.review) for n in notes] == [("link-unresolved", True)]


@pytest.mark.parametrize("config, path, meta, expected", [
    ("_config.yml", "_posts/2021-03-03-repairs.md", {}, "/2021/03/03/repairs.html"),
    ("_config.yml", "_posts/2021-03-03-repairs.md", {"categories": "housing news"},
     "/housing/news/2021/03/03/repairs.html"),
    ("_config.yml\npermalink: pretty", "_posts/2021-03-03-repairs.md", {}, "/2021/03/03/repairs/"),
    ("_config.yml\npermalink: /blog/:title/", "_posts/2021-03-03-repairs.md", {"slug": "fix"}, "/blog/fix/"),
    ("_config.yml", "about.md", {}, "/about.html"),
    ("_config.yml", "about.md", {"permalink": "/team/"}, "/team/"),
    ("_config.yml", "_guides/x.md", {}, ""),  # a collection without pages of its own
    ("hugo.toml", "content/posts/My Post.md", {}, "/posts/my-post/"),
    ("hugo.toml", "content/posts/bundle/index.md", {"slug": "other"}, "/posts/other/"),
    ("hugo.toml", "content/posts/x.md", {"url": "/elsewhere/"}, "/elsewhere/"),
    ('hugo.toml\n[permalinks]\nposts = "/:year/:month/:slug/"', "content/posts/x.md", {"date": "2020-05-01"},
     "/2020/05/x/"),
    ("eleventy.config.js", "blog/first.md", {}, "/blog/first/"),
    ("eleventy.config.js", "blog/index.md", {"permalink": False}, ""),
])
def test_a_pages_old_address_follows_its_generators_rules(tmp_path, config, path, meta, expected):
    name, _, settings = config.partition("\n")
    (tmp_path / name).write_text(settings + "\n")
    (tmp_path / "content").mkdir()
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text("x")
    site = OldSite.find(tmp_path)
    assert site.kind and site.own_path(site.content_path(tmp_path / path), meta) == expected


@pytest.mark.parametrize("line, rules", [
    ("![The team at work](team photo.png)", []),
    ("![The team at work](team%20photo.png)", []), ('![The team at work](team photo.png "A title")', []),
    ("![The team at work][team]\n\n[team]: team%20photo.png", []),
    ("![The team at work](team-photo.png)", ["image-exists"]),
    ("![The team at work][t]\n\n[t]: missing%20photo.png", ["image-exists"]),
    ("![](team photo.png)", ["image-alt"]),
    ("Read [how we did it](../no-such-entry/#start).", ["entry-link"]),
    ("Read [how we did it](../search/) or [the other](../other-entry/).", []),
])
def test_the_validator_finds_missing_images_and_links_to_no_entry(new_project, line, rules):
    body = BASE.split("---\n", 2)[2]
    project = new_project({"story/index.md": BASE.replace(body, line + "\n"), "other-entry.md": BASE})
    (project.entries_dir / "story" / "team photo.png").write_bytes((HUGO / "static/images/app map.png").read_bytes())
    assert [f.rule for f in validate(project, [project.entries_dir / "story" / "index.md"]).findings] == rules


def test_saved_pages_under_base_url_link_to_each_other(new_project, tmp_path):
    pages = tmp_path / "saved" / "service-manual"
    pages.mkdir(parents=True)
    shell = ('<html><head><title>{0} - Example Manual</title><meta name="description" content="Example data. '
             'A page about {0} for teams who build services in councils."></head><body><main><h1>{0}</h1>'
             "<p>{1}</p></main></body></html>")
    (pages / "agile-delivery.html").write_text(shell.format(
        "Agile delivery", 'Read <a href="user-research.html">user research</a>, <a href="/service-manual/'
        'user-research">by its path</a> and the <a href="/service-manual/service-standard">standard</a>.'))
    (pages / "user-research.html").write_text(shell.format(
        "User research", 'See <a href="agile-delivery.html#planning">agile delivery</a>.'))
    project = new_project()
    report = run_import(project, "html", tmp_path / "saved", base_url="https://www.example.gov.uk/")
    agile, research = (load(project.root / o.path) for o in report.outcomes)
    assert ("Read [user research](../user-research/), [by its path](../user-research/) and the "
            "[standard](https://www.example.gov.uk/service-manual/service-standard).") in agile.body
    assert "See [agile delivery](../agile-delivery/#planning)." in research.body
    assert agile.metadata["source"]["url"] == "https://www.example.gov.uk/service-manual/agile-delivery.html"


def test_the_command_refuses_a_bad_address_or_redirect_folder_and_a_dry_run_writes_no_map(new_project, tmp_path):
    project = new_project()
    bad = cli_import(project, "markdown", str(JEKYLL), "--base-url", "example.gov.uk")
    assert bad.exit_code == 2 and "--base-url 'example.gov.uk' is not the address of a site" in bad.output
    nowhere = cli_import(project, "markdown", str(JEKYLL), "--redirects", str(tmp_path / "no" / "map.csv"))
    assert nowhere.exit_code == 2 and "no such folder for the redirect map" in nowhere.output
    assert project.entry_files() == []
    dry = cli_import(project, "markdown", str(JEKYLL), "--dry-run", "--redirects", str(tmp_path / "map.csv"))
    assert dry.exit_code == 0 and "no redirect map was written" in dry.output
    assert not (tmp_path / "map.csv").exists() and project.entry_files() == []


def test_the_text_report_gives_totals_first_and_lists_ready_entries_with_changes(new_project):
    project = new_project()
    result = cli_import(project, "markdown", str(HUGO / "content" / "case-studies" / "library-app.md"),
                        "--default", "type=story")
    lines = result.output.splitlines()
    assert lines[2] == "Entries with each kind of change:"
    assert any(line.strip().startswith("1  images copied beside the entry (image-carried)") for line in lines)
    assert lines.index("Entries with each kind of change:") < lines.index("1 needs a person's attention:")
