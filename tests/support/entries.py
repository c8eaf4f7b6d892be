"""Entries written for a test, through the one entry-file writer."""

from __future__ import annotations

from casehub.core.entryfile import dump

HOUSING = "housing-and-homelessness"


def entry(title: str, topics=(HOUSING,), outcomes=(), status="published", **fields) -> str:
    meta = {"title": title, "summary": "A short example summary, long enough to pass the minimum length.",
            "type": "story", "status": status, "organisations": [{"name": "Example Borough Council", "role": "lead"}],
            "geography": {"nation": "england", "region": "london"}, "topics": list(topics), "stage": "live",
            "published": "2024-03-01", "contact": {"team": "Digital team", "url": "https://www.example.gov.uk/"},
            **fields}
    if outcomes:
        meta["outcomes"] = list(outcomes)
    if status == "archived":
        meta["archived_reason"] = "Kept for reference only, for this test."
    return dump(meta, "The body of the story, in plain Markdown.\n")
