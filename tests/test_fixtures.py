"""Every invalid fixture gives exactly its expected finding, located, through
the library and through the command (exit 1, no traceback); every valid
example and sample entry passes (exit 0)."""

import json

import pytest
from click.testing import CliRunner

from casehub.cli import cli
from casehub.core.validate import validate

from .support import FIXTURES, ROOT

INVALID = FIXTURES / "invalid"

# (fixture, line, column, rule, field, message)
EXPECTED = [
    ("body-data-link.md", 19, 15, "safe-link", "body",
     'a link uses a javascript:, data: or file: address'),
    ("body-email-address.md", 19, 30, "personal-data", "body",
     'this looks like an e-mail address'),
    ("body-entry-link-unknown.md", 19, 6, "entry-link", "body",
     "the link points to '../repairs-redesigned/', but there is no entry with the id 'repairs-redesigned'"),
    ("body-example-text.md", 21, 1, "example-text", "body",
     "this paragraph is the example's text from examples/minimal.md, unchanged"),
    ("body-heading-level-one.md", 19, 1, "heading-level", "body",
     "the body has a top-level heading (# …); the title is already the page's heading"),
    ("body-html-comment.md", 19, 11, "no-raw-html", "body",
     'the body contains raw HTML, which Casehub does not publish'),
    ("body-image-missing/index.md", 21, 1, "image-exists", "body",
     "the image 'photo.png' does not exist"),
    ("body-image-space-missing/index.md", 21, 1, "image-exists", "body",
     "the image 'team photo.png' does not exist"),
    ("body-image-no-alt.md", 21, 1, "image-alt", "body",
     'the image has no alternative text'),
    ("body-image-outside-folder.md", 21, 1, "image-local", "body",
     "the image is not inside the entry's own folder"),
    ("body-image-svg/index.md", 21, 1, "image-type", "body",
     "'chart.svg' is not a PNG, JPEG, GIF, WebP or AVIF image"),
    ("body-javascript-link.md", 19, 17, "safe-link", "body",
     'a link uses a javascript:, data: or file: address'),
    ("body-missing-section.md", 19, 1, "required-sections", "body",
     "a how-to needs a '## Steps' section"),
    ("body-nhs-number.md", 19, 9, "personal-data", "body",
     'this looks like an NHS number'),
    ("body-ni-number.md", 19, 27, "personal-data", "body",
     'this looks like a National Insurance number'),
    ("body-phone-number.md", 19, 22, "personal-data", "body",
     'this looks like a UK phone number'),
    ("body-raw-html.md", 21, 1, "no-raw-html", "body",
     'the body contains raw HTML, which Casehub does not publish'),
    ("contact-personal-name.md", 17, 10, "contact-personal", "contact.email",
     "this looks like a person's own e-mail address, not a team's shared mailbox"),
    ("contact-webmail.md", 17, 10, "contact-personal", "contact.email",
     "'gmail.com' is a personal webmail service, not a team's mailbox"),
    ("contact-no-email-or-url.md", 16, 3, "schema-anyOf", "contact",
     'the contact has neither an email nor a url'),
    ("control-character-bidi.md", 19, 33, "control-character", "(front matter)",
     'the file contains a bidirectional-text control character (U+202E)'),
    ("control-character-escape.md", 16, 16, "control-character", "(front matter)",
     'the file contains an invisible control character (U+001B)'),
    ("encoding-latin1.md", 2, 22, "encoding", "(front matter)",
     'byte 0xe9 is not valid UTF-8'),
    ("featured-yes.md", 14, 11, "schema-type", "featured",
     "'yes' should be true or false"),
    ("front-matter-empty.md", 1, 1, "front-matter-empty", "(front matter)",
     'the front matter is empty'),
    ("front-matter-list.md", 2, 1, "front-matter-not-mapping", "(front matter)",
     'the front matter is not a list of fields'),
    ("front-matter-missing.md", 1, 1, "front-matter-missing", "(front matter)",
     'the file does not start with front matter'),
    ("front-matter-unterminated.md", 1, 1, "front-matter-unterminated", "(front matter)",
     'the front matter starts here but never ends'),
    ("geography-region-missing.md", 10, 3, "schema-required", "geography.region",
     "'region' is missing"),
    ("key-not-text.md", 14, 1, "key-not-text", "(front matter)",
     'the field name 12 is not text'),
    ("last-reviewed-before-published.md", 15, 16, "date-order", "last_reviewed",
     'last_reviewed (2023-03-01) is before published (2024-03-01)'),
    ("links-javascript-url.md", 16, 10, "schema-pattern", "links[0].url",
     "'javascript:alert(1)' is not in the expected form"),
    ("number-too-long.md", 16, 12, "number-too-long", "outcomes[0].value",
     'the number is 24 characters long'),
    ("organisations-gss-malformed.md", 9, 10, "schema-pattern", "organisations[0].gss",
     "'E0800007' is not in the expected form"),
    ("organisations-gss-unknown.md", 9, 10, "known-council", "organisations[0].gss",
     "'E09999999' is not the GSS code of a current UK council"),
    ("organisations-not-a-list.md", 6, 16, "schema-type", "organisations",
     "'Example Borough Council' should be a list"),
    ("organisations-role-unknown.md", 8, 11, "schema-enum", "organisations[0].role",
     "'leader' is not an allowed value"),
    ("outcomes-evidence-unknown.md", 18, 15, "schema-enum", "outcomes[0].evidence",
     "'anecdotal' is not an allowed value"),
    ("outcomes-value-trailing-zero.md", 16, 12, "schema-type", "outcomes[0].value",
     "'1.10' should be a number"),
    ("published-not-a-date.md", 14, 12, "schema-format", "published",
     "'2024-13-01' is not a real date"),
    ("published-uk-format.md", 14, 12, "schema-format", "published",
     "'01/03/2024' is not a real date"),
    ("related-unknown-id.md", 14, 11, "known-reference", "related[0]",
     "there is no entry with the id 'stockport-digital-strategies'"),
    ("status-archived-without-reason.md", 2, 1, "schema-required", "archived_reason",
     "'archived_reason' is missing"),
    ("summary-empty.md", 3, 9, "schema-type", "summary",
     'empty should be text'),
    ("summary-personal-email.md", 3, 39, "personal-data", "summary",
     'this looks like an e-mail address'),
    ("summary-too-long.md", 3, 10, "schema-maxLength", "summary",
     'the text is 340 characters long, over the limit of 300'),
    ("tags-misspelt-field.md", 14, 1, "schema-additionalProperties", "tag",
     "'tag' is not a field Casehub knows"),
    ("tags-uppercase.md", 14, 8, "schema-pattern", "tags[0]",
     "'Recycling' is not in the expected form"),
    ("title-duplicate-key.md", 4, 1, "duplicate-key", "title",
     "'title' appears twice (first on line 2)"),
    ("title-missing.md", 2, 1, "schema-required", "title",
     "'title' is missing"),
    ("title-unquoted-colon.md", 2, 15, "yaml-syntax", "(front matter)",
     "this value contains ': ', which YAML reads as a new field"),
    ("topics-repeated.md", 12, 34, "schema-uniqueItems", "topics[1]",
     "'digital-and-technology' appears more than once"),
    ("topics-unknown.md", 12, 10, "schema-enum", "topics[0]",
     "'digital-technology' is not an allowed value"),
    ("type-unknown.md", 4, 7, "schema-enum", "type",
     "'stroy' is not an allowed value"),
    ("yaml-alias.md", 12, 9, "yaml-alias", "topics",
     'the alias *shared is not allowed'),
    ("yaml-anchor.md", 12, 9, "yaml-anchor", "topics",
     'the anchor &shared is not allowed'),
    ("yaml-merge-key.md", 10, 3, "yaml-merge-key", "geography",
     'merge keys (<<) are not allowed'),
    ("yaml-tab-indent.md", 16, 1, "yaml-syntax", "(front matter)",
     'this line starts with a character YAML cannot read here'),
    ("yaml-tag.md", 2, 8, "yaml-tag", "title",
     'the tag !!str is not allowed'),
    ("yaml-too-deep.md", 14, 16, "too-deep", "links[0][0][0][0][0][0][0][0]",
     'the fields nest more than 8 levels deep'),
    ("yaml-unclosed-quote.md", 2, 8, "yaml-syntax", "(front matter)",
     'a quoted value is never closed'),
    # Hardening (issue 15): each way in a red-team pass found, with the message that now closes it.
    ("title-escaped-bidi.md", 2, 8, "control-character", "title",
     'the value contains a bidirectional-text control character (U+202E), written as an escape'),
    ("funding-escaped-nul.md", 14, 19, "control-character", "funding_sources[0]",
     'the value contains an invisible control character (U+0000), written as an escape'),
    ("body-character-reference-bidi.md", 19, 9, "control-character", "body",
     'the body contains a bidirectional-text control character (U+202E), written as &#x202E;'),
    ("body-javascript-link-spaced.md", 19, 3, "safe-link", "body",
     'a link uses a javascript:, data: or file: address'),
    ("body-unclosed-brackets.md", 19, 1, "render-limit", "body",
     'brackets here are not closed, or are nested too deeply, for the page to be built in good time'),
    ("body-unclosed-tags.md", 19, 2, "render-limit", "body",
     "'<' signs here are not closed by a '>', too many for the page to be built in good time"),
    ("contact-email-query.md", 17, 10, "schema-pattern", "contact.email",
     "'team@example.gov.uk?bcc=attacker%40evil.example&subject=hi' is not in the expected form"),
    ("tags-trailing-newline.md", 14, 8, "schema-pattern", "tags[0]",
     "'energy\\n' is not in the expected form"),
    ("organisations-gss-trailing-newline.md", 9, 10, "schema-pattern", "organisations[0].gss",
     "'E08000007\\n' is not in the expected form"),
    ("related-trailing-newline.md", 14, 11, "schema-pattern", "related[0]",
     "'stockport-digital-strategy\\n' is not in the expected form"),
    ("organisations-name-near-duplicate.md", 9, 11, "organisation-name", "organisations[1].name",
     "'Example Borough Council.' is another spelling of 'Example Borough Council', the name their shared "
     "organisation page shows"),
    ("body-html-split-tag.md", 21, 1, "no-raw-html", "body",
     'the body contains raw HTML, which Casehub does not publish'),
    ("title-markup.md", 2, 8, "no-markup", "title",
     'the text contains HTML markup, which Casehub does not publish'),
]


# Fixtures whose finding is a warning: reported, but the command still succeeds.
WARNINGS = {"organisations-name-near-duplicate.md"}


def test_every_fixture_is_in_the_table():
    on_disk = {str(p.relative_to(INVALID)) for p in INVALID.rglob("*.md")}
    assert on_disk == {row[0] for row in EXPECTED}


@pytest.mark.parametrize("name, line, column, rule, field, message", EXPECTED, ids=[r[0] for r in EXPECTED])
def test_invalid_fixture(project, name, line, column, rule, field, message):
    report = validate(project, [INVALID / name])
    assert [(f.line, f.column, f.rule, f.field, f.message) for f in report.findings] == [
        (line, column, rule, field, message)]
    finding = report.findings[0]
    assert finding.hint, "every finding says how to fix it"
    assert str(finding).startswith(f"tests/fixtures/invalid/{name}:{line}:{column}: {field}: {message} — ")


@pytest.mark.parametrize("name", [r[0] for r in EXPECTED])
def test_invalid_fixture_through_the_command(name):
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "validate", str(INVALID / name)])
    assert result.exit_code == (0 if name in WARNINGS else 1), result.output
    assert "Traceback" not in result.output
    assert f"invalid/{name}:" in result.output


def test_personal_data_is_never_echoed(project):
    for name in ("body-email-address.md", "body-phone-number.md", "body-ni-number.md",
                 "body-nhs-number.md", "summary-personal-email.md", "contact-personal-name.md", "contact-webmail.md"):
        finding = validate(project, [INVALID / name]).findings[0]
        for secret in ("jane.smith", "07700", "AB 12", "943 476", "jo.bloggs"):
            assert secret not in str(finding)


@pytest.mark.parametrize("folder", ["examples", "casestudies", "tests/fixtures/valid"])
def test_valid_files_pass(project, folder):
    report = validate(project, [ROOT / folder])
    assert report.findings == []
    assert report.checked >= 2
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "validate", str(ROOT / folder)])
    assert result.exit_code == 0, result.output


def test_scenario_examples_cover_every_type_and_state(project):
    names = {p.stem for p in (ROOT / "examples").glob("*.md")}
    assert {"minimal", "full", "archived"} | set(project.vocabularies["types"].ids) <= names


def test_full_example_uses_every_field(project):
    from casehub.core.loader import load
    from casehub.core.schema import source_schema

    metadata = load(ROOT / "examples" / "full.md").metadata
    assert set(metadata) == set(source_schema()["properties"])


def test_json_format_carries_the_same_findings(project):
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "validate", "--format", "json",
                                      str(INVALID / "type-unknown.md")])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False and data["checked"] == 1
    [finding] = data["findings"]
    assert finding["line"] == 4 and finding["column"] == 7 and finding["field"] == "type"
    assert finding["pointer"] == "/type" and finding["hint"] == "did you mean 'story'?"


def test_several_missing_fields_are_each_reported_once(new_project):
    from .support import MINIMAL

    text = MINIMAL.replace("stage: live\n", "").replace("topics: [digital-and-technology]\n", "")
    report = validate(new_project({"missing.md": text}))
    assert sorted(f.field for f in report.findings) == ["stage", "topics"]


def test_example_text_is_found_however_it_is_wrapped_and_item_by_item(new_project):
    import shutil
    import textwrap

    from .support import MINIMAL

    project = new_project()
    shutil.copytree(ROOT / "examples", project.root / "examples")
    paragraph = ("Example City Council collects waste from about 150,000 homes, many of them tenement flats with "
                 "shared bins in narrow streets.")
    lessons = ("1. Ask frontline staff first; they usually know what goes wrong.\n"
               "2. Change one thing at a time, and say which thing you changed.\n"  # edited: not flagged
               "3. Tell residents about changes before they happen.")
    body = "\n".join(textwrap.wrap(paragraph, 31)) + "\n\nOur own words about the work.\n\n" + lessons + "\n"
    text = MINIMAL.replace("The body of the story, in plain Markdown.\n", body)
    (project.entries_dir / "copied.md").write_text(text)
    lines = text.split("\n")
    report = validate(project)
    unchanged = "this paragraph is the example's text from examples/case-study.md, unchanged"
    assert [(f.line, f.message) for f in report.findings] == [
        (19, unchanged), (lines.index(lessons.split("\n")[0]) + 1, unchanged),
        (lines.index(lessons.split("\n")[2]) + 1, unchanged)]
