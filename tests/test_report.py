"""Reporters present the same findings three ways."""

from casehub.core.findings import Finding
from casehub.core.report import as_github, as_json, as_text

FINDING = Finding("casestudies/a,b.md", 4, 7, "schema-enum", "'stroy' is not an allowed value",
                  "did you mean 'story'?\nsecond line: 100%", "/type")


def test_text():
    assert as_text([FINDING], 1) == (
        "casestudies/a,b.md:4:7: type: 'stroy' is not an allowed value — did you mean 'story'?\n"
        "second line: 100%\nChecked 1 entry: 1 problem in 1 file.\n")
    assert as_text([], 3) == "Checked 3 entries: no problems found.\n"


def test_github_annotations_escape_what_they_must():
    line = as_github([FINDING], 1).splitlines()[0]
    assert line == ("::error file=casestudies/a%2Cb.md,line=4,col=7,title=type%3A schema-enum::"
                    "'stroy' is not an allowed value — did you mean 'story'?%0Asecond line: 100%25")


def test_json_round_trip():
    import json
    data = json.loads(as_json([FINDING], 1))
    assert data["findings"][0]["field"] == "type"
    assert data["findings"][0]["rule"] == "schema-enum"
