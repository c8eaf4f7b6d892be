"""Organisation names across entries: one spelling for each organisation page.

Entries name organisations in free text, and names that slug alike share one
page (`entry.Term` compares by slug; the page shows `entry.canonical_names`'
spelling). This check, run by `validate` over the files checked together,
warns on every other spelling, so a stray full stop neither splits an
organisation nor renames its page unnoticed. It reads; it changes no file.
"""

from __future__ import annotations

from .entry import canonical_names, slugify
from .findings import Finding
from .loader import Document, LoadError, load


def check_organisation_names(documents: list[Document]) -> list[Finding]:
    """Names that share an organisation page (they slug alike) are spelled one way.

    Each other spelling is a warning, with the one the page shows (`entry.canonical_names`:
    the spelling most entries use, the earliest on a tie) as the fix, so a stray full stop
    neither splits an organisation nor renames its page unnoticed."""
    uses = [(organisation["name"], (False, document.metadata["published"], document.id), document, index)
            for document in documents for index, organisation in enumerate(document.metadata["organisations"])]
    names = canonical_names((name, rank) for name, rank, _, _ in uses)
    found = []
    for name, _, document, index in uses:
        expected = names[slugify(name)]
        if name == expected:
            continue
        pointer = f"/organisations/{index}/name"
        try:  # positions are dropped from documents that passed: read this one's again
            line, column = load(document.path, document.display_path).position(pointer)
        except LoadError:
            line, column = 1, 1
        found.append(Finding(document.display_path, line, column, "organisation-name",
                             f"'{name}' is another spelling of '{expected}', the name their shared "
                             "organisation page shows",
                             f"write it as '{expected}', or, if it is another organisation, name it so",
                             pointer, severity="warning"))
    return found
