"""An import's report presented: `report_text` for people, `report_json` for programs.

What needs a person's attention comes first under each entry, then what the
importer changed, then the validator's findings.
"""

from __future__ import annotations

import json

from .model import ImportReport


def report_text(report: ImportReport) -> str:
    imported = report.count("published") + report.count("draft")
    verb = "Would import" if report.dry_run else "Imported"
    lines = [f"{verb} {imported} entr{'y' if imported == 1 else 'ies'} from {report.source} ({report.format}) "
             f"into {report.output}/: {report.count('published')} ready to publish, "
             f"{report.count('draft')} saved as drafts."]
    if report.count("skipped") or report.count("failed"):
        lines.append(f"{report.count('skipped')} skipped, {report.count('failed')} could not be imported.")
    attention = report.attention
    lines.append(f"{len(attention)} need{'s' if len(attention) == 1 else ''} a person's attention"
                 + (":" if attention else "."))
    for outcome in attention:
        where = outcome.path or "(nothing written)"
        lines.append("")
        lines.append(f"{where} — {outcome.status}, from {outcome.origin}")
        for note in outcome.notes:  # what needs a person first, then what the importer changed
            if note.review:
                lines.append(f"  - {note.message}")
        for note in outcome.notes:
            if not note.review:
                lines.append(f"  - (changed) {note.message}")
        for finding in outcome.findings:
            lines.append(f"  - {finding}")
    if report.notes:
        lines.append("")
        lines += [f"Note: {note}" for note in report.notes]
    if report.dry_run:
        lines.append("")
        lines.append("This was a dry run: nothing was written.")
    elif imported:
        lines.append("")
        lines.append(f"Next: review the drafts, then run 'casehub validate {report.output}'.")
    return "\n".join(lines) + "\n"


def report_json(report: ImportReport) -> str:
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n"
