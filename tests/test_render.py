"""The Markdown renderer's two shortcuts (heading ids without toc's contents list; no inline
patterns tried on text none can match) give exactly what stock Python-Markdown gives."""

import pytest
from markdown.extensions.toc import TocExtension

from casehub.core.loader import load
from casehub.core.project import Project
from casehub.site.render import PlainTextInline, markdown_renderer
from casehub.site.synthetic import entry_text

from .support import ROOT

TRICKY = [
    "## Context\n\ntext\n\n## Context\n\n## Context",  # repeated headings get -1, -2
    "## Using `code` & *emphasis*\n\n### Café, naïve: “quotes”\n\n#### 50% of <3 users",
    "## [A link](https://example.org) in a heading\n\n## &amp; entities &copy;",
    "Setext heading\n--------------\n\n# Top level\n\n###### Six",
    "[TOC]\n\n## First\n\n### Second\n\n## Third",  # the marker: toc's contents list, as before
    "## _\n\n## 123\n\n##    spaced    out   \n\nNo headings after",
    "```\n## not a heading\n```\n\n## A heading after code",
]
INLINE = [
    "Plain prose with no markup at all, over\ntwo lines.",
    "*em* and _em_ and **strong** and __strong__ and ***both***",
    "a [link](https://example.org \"title\") and ![an image](photo.png) and [a reference][1]\n\n"
    "[1]: https://example.org/ref",
    "an <https://example.org> autolink, <someone@example.org>, and <b>raw html</b>",
    "entities &amp; &copy; &#169; &#xA9; and a bare & ampersand; 5 < 6 > 4",
    "escapes \\*not em\\* and \\[not a link\\] and `code with *stars*`",
    "a hard line break  \nhere, and a soft one\nthere",
    "| a | b |\n| - | - |\n| *x* | plain |\n| `y` | [z](https://example.org) |",
    "- item *one*\n- item two\n\n1. first\n2. second with !bang and trailing!",
    "snake_case_words and 2*3*4 and under_score_ and *unclosed",
]


def bodies():
    project = Project(ROOT)
    files = sorted((ROOT / "casestudies").rglob("*.md")) + sorted((ROOT / "examples").glob("*.md"))
    found = [load(path).body for path in files]
    found += [entry_text(i, project).split("\n---\n", 1)[1] for i in range(200)]
    return found


def stock():
    return markdown_renderer(TocExtension, plain_text_shortcut=False)


def test_the_plain_text_shortcut_is_installed():
    assert isinstance(markdown_renderer().treeprocessors["inline"], PlainTextInline)
    assert not isinstance(stock().treeprocessors["inline"], PlainTextInline)


@pytest.mark.parametrize("body", TRICKY + INLINE)
def test_tricky_headings_and_inline_markup_render_as_stock(body):
    assert markdown_renderer().convert(body) == stock().convert(body)


def test_every_sample_example_and_synthetic_body_renders_as_stock():
    ours, plain = markdown_renderer(), stock()
    checked = 0
    for body in bodies():
        assert ours.reset().convert(body) == plain.reset().convert(body)
        checked += 1
    assert checked > 220
