"""Pull request labels for entry files: `type:<type>` and `topic:<topic>`, from the vocabularies' ids only."""

from __future__ import annotations

from pathlib import Path

from ...core.loader import LoadError, load
from ...core.project import Project


def entry_labels(project: Project, paths: list[Path]) -> list[str]:
    """`type:<type>` and `topic:<topic>` labels for the entry files, from the vocabularies' ids only.

    Files that are missing (deleted in a pull request) or cannot be loaded are skipped."""
    types = project.vocabularies["types"].by_id
    topics = project.vocabularies["topics"].by_id
    found: list[str] = []
    for path in paths:
        path = Path(path)
        if not path.is_file() or path.suffix != ".md":
            continue
        try:
            metadata = load(path, project.relative(path)).metadata
        except LoadError:
            continue
        entry_type = metadata.get("type")
        if isinstance(entry_type, str) and entry_type in types:
            found.append(f"type:{entry_type}")
        values = metadata.get("topics")
        for topic in values if isinstance(values, list) else []:
            if isinstance(topic, str) and topic in topics:
                found.append(f"topic:{topic}")
    unique = list(dict.fromkeys(found))
    return [label for label in unique if label.startswith("type:")] + \
        [label for label in unique if label.startswith("topic:")]
