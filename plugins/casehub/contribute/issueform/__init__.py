"""GitHub issue-form submissions into entries: `casehub from-issue` and `casehub labels`.

A contributor fills in the "Share a case study" issue form
(`.github/ISSUE_TEMPLATE/share-a-case-study.yml`). GitHub turns the answers into
Markdown, one `### <label>` heading per question, `_No response_` for an empty
answer and `- [X] ...` for a ticked box. `convert_issue` reads that text, writes
a draft entry (`casestudies/<id>.md`, never overwriting a file), runs the
validator on it, and returns what the issue-to-PR workflow needs: the path, the
findings, a pull request title and a plain-English body.

Everything in an issue is untrusted, so the text is neutralised before it is
written: every front matter value is double-quoted and escaped (no YAML
injection), single-line answers lose their line breaks, invisible control and
bidirectional characters are removed, raw HTML tags are stripped (words kept),
`javascript:`, `data:` and `file:` links are removed, headings inside answers
are demoted below the section headings, and over-long values are cut and
reported. Each change is reported to the contributor as a warning.

`entry_labels` gives the `type:<type>` and `topic:<topic>` labels for entry
files, only ever from the vocabularies' ids.

One module a step: form.py (the questions; parsing the issue's Markdown),
neutralise.py (answers made safe, every change a note), build.py (answers to
fields and body), convert.py (writing the file, checking it, `convert_issue`),
pullrequest.py (the pull request's title and body, or the comment holding it
back), labels.py (labels).
"""

from .build import Entry, build_entry, entry_text
from .convert import Conversion, IssueFormError, base_id, convert_issue, read_issue_body
from .form import EXTRA_SECTIONS, FORM_FIELDS, NATIONS, ROLES, parse_issue_body, section_labels
from .labels import entry_labels
from .neutralise import Note, clean_section
from .pullrequest import held_comment, pr_body, pr_title

__all__ = ["EXTRA_SECTIONS", "FORM_FIELDS", "NATIONS", "ROLES", "Conversion", "Entry", "IssueFormError", "Note",
           "base_id", "build_entry", "clean_section", "convert_issue", "entry_labels", "entry_text", "held_comment",
           "parse_issue_body", "pr_body", "pr_title", "read_issue_body", "section_labels"]
