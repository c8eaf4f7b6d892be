"""The Markdown renderer's shortcuts (heading ids without toc's contents list; no pattern or block
processor asked about text it cannot match; plain paragraphs, whitespace, HTML blocks and fences
passed over) give exactly what stock Python-Markdown gives."""

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

# Each block or inline trigger in an unusual place, next to text the shortcuts pass over.
TRIGGERS = [
    "Text with a pipe | in it\nand a second line",
    "| one column |\n| --- |\n| cell |",
    "Title\n=====\n\nSubtitle\n---\n\nText\n-- not a rule",
    "A paragraph\n***\nafter a rule, and\n- - -\nanother",
    "A paragraph\n> with a quote inside\nand after",
    "See [the site][ref]\n[ref]: https://example.org \"Title\"\n\n[ref]",
    "Text then\n# a heading inside the block\nand text after",
    "2023 was a year.\n1. not a list here\n\n1. but this is\n2. a list",
    "\u201cQuoted\u201d opening, (parenthetical) and \u00c9cole\n'single' quotes",
    "**Bold** opening, *em* and _em_ and __strong__ after",
    "![an image](a.png) alone\n\n! a bang and [a link](https://example.org) and ! [spaced]",
    "\\[not a link\\] and \\`not code\\` and \\\\`code after escaped backslashes`",
    "a < b and c > d and &amp; and &copy and & alone and <b>bold</b> and <https://example.org>",
    "two spaces  \nthen a break, and one space \nno break",
    "- item with **bold** and [a link](https://example.org)\n- item two\n\n    continued paragraph\n\n- three",
    "    indented code\n\nText\n    with an indented second line",
    "* star list\n* two\n\n+ plus list\n\n  > quote in a list",
    "Line one\n  > indented quote in a paragraph\n  [x]: https://example.org",
    "_under_score_ and snake_case and 2*3*4 and *unclosed and **",
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


@pytest.mark.parametrize("body", TRICKY + INLINE + TRIGGERS)
def test_tricky_headings_and_inline_markup_render_as_stock(body):
    assert markdown_renderer().convert(body) == stock().convert(body)


def test_every_sample_example_and_synthetic_body_renders_as_stock():
    ours, plain = markdown_renderer(), stock()
    checked = 0
    for body in bodies():
        assert ours.reset().convert(body) == plain.reset().convert(body)
        checked += 1
    assert checked > 220
