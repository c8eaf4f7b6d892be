"""An import's report presented: `report_text` for people, `report_json` for programs.

Totals come first: how many entries, what happened to items imported before
(unchanged, updated, changed but not updated), what was left out as asked
(templates, rows the filter leaves out), and how many entries had each kind
of change (by the notes' codes). Then each entry that needs a person, with
what to check first, then what the importer changed, then the validator's
findings; then the entries ready to publish that the importer changed, so no
change goes unseen; then, briefly, the items skipped as asked.
"""

from __future__ import annotations

import json

from .model import ImportReport, Outcome

# The kinds of change in words, for the totals; a code not listed is shown as it is.
CHANGE_WORDS = {
    "link-resolved-internal": "links pointed at entries from this import",
    "link-to-original": "links pointed at the original site (pages not imported)",
    "link-unresolved": "links removed, words kept: the page was not imported and the site's address is unknown",
    "link-dropped-empty": "empty links removed, words kept",
    "image-carried": "images copied beside the entry",
    "image-missing": "images missing from the source",
    "image-not-carried": "images that could not be carried (SVG, too big, outside the folder)",
    "image-on-original-site": "images still on the original site",
    "image-lost": "images lost in conversion",
    "image-from-shortcode": "image shortcodes made Markdown images",
    "image-from-include": "image includes made Markdown images",
    "image-dropped": "image shortcodes without an image",
    "embed-linked": "embeds (videos, maps, frames) made links",
    "layout-table-unwrapped": "layout tables unwrapped into their content",
    "text-kept-share": "the share of the page's words kept, noted for each page (total above)",
    "facts-read": "fields read from the facts a page shows",
    "shortcode-removed": "Hugo shortcodes removed",
    "liquid-removed": "Liquid tags removed",
    "include-removed": "Liquid includes removed",
    "liquid-comment-removed": "Liquid comments removed",
    "kramdown-attributes-removed": "attribute lists removed (kramdown, {#id})",
    "code-block-converted": "highlight blocks made code blocks",
    "html-converted": "HTML converted to Markdown",
    "unsafe-html-removed": "scripts, styles, frames or forms removed",
    "hidden-html-removed": "hidden content removed",
    "unsafe-links-removed": "unsafe links removed, words kept",
    "html-escaped": "text that read as HTML escaped",
    "heading-removed": "a first heading repeating the title removed",
    "headings-demoted": "headings moved down a level",
    "summary-from-body": "summaries taken from the first paragraph",
    "type-defaulted": "no type given: saved as stories",
    "fields-not-imported": "front matter fields or a page's facts not imported",
    "draft-source": "drafts because of where they came from",
    "id-clash": "ids already taken: saved under another",
    "personal-data-removed": "personal data removed (a person's e-mail address, phone, NI or NHS numbers)",
    "default-applied": "the mapping's default used where the source's value matched nothing",
    "value-not-in-vocabulary": "values not in a vocabulary (map them in the mapping's values:)",
    "value-dropped": "values the mapping maps to nothing, left out",
    "place-from-council": "placed from the council register (region, council type)",
    "region-from-council": "a council given as the region, placed from the council register",
    "gss-from-council": "GSS codes added from the council register",
    "place-disagrees": "the source places its council differently from the register",
    "expired-at-source": "expired at the source (Hugo expirydate): archived, or drafts saying so",
    "section-from-front-matter": "body sections filled from front matter (section: mappings)",
    "section-renamed": "body headings renamed (section: mappings)",
    "section-not-found": "section: mappings that found nothing in the file",
    "imported-twice": "earlier imports made more than one entry of the item",
    "updated-from-source": "changed upstream: unedited drafts updated",
    "upstream-changed-edited": "changed upstream, but the draft was edited: not updated",
    "upstream-changed-published": "changed upstream, but the entry is published: not updated",
    "unchanged": "unchanged since the last import, skipped",
    "filtered-out": "left out by the filter",
    "template-skipped": "templates, list pages and read-me files: skipped",
    "other": "other notes (see each entry)",
}
# Outcomes listed briefly at the end, grouped by their code, rather than one by one.
BRIEF = ("unchanged", "filtered-out", "template-skipped")
MAX_LISTED = 10


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"

KEPT_SHARE = "text-kept-share"


def text_kept(report: ImportReport) -> dict | None:
    """The words of the source pages that came across, over all entries (from their `text-kept-share`
    notes), or None when no importer measured it."""
    found = [n.data for o in report.outcomes for n in o.notes if n.code == KEPT_SHARE]
    if not found:
        return None
    kept, total = sum(d["kept_words"] for d in found), sum(d["page_words"] for d in found)
    return {"kept_words": kept, "page_words": total, "share": round(100 * kept / total) if total else 100}


def report_text(report: ImportReport) -> str:
    imported = report.count("published") + report.count("draft") + report.count("archived")
    verb = "Would import" if report.dry_run else "Imported"
    lines = [f"{verb} {imported} entr{'y' if imported == 1 else 'ies'} from {report.source} ({report.format}) "
             f"into {report.output}/: {report.count('published')} ready to publish, "
             f"{report.count('draft')} saved as drafts"
             + (f", {report.count('archived')} archived (withdrawn at the source)." if report.count("archived")
                else ".")]
    updated = "updated from the source" if not report.dry_run else "that would be updated from the source"
    again = [text for count, text in (
        (report.count("unchanged"), "unchanged since the last import (skipped)"),
        (report.count("updated"), _plural(report.count("updated"), "draft", "drafts").split(" ", 1)[1]
         + " " + updated),
        (_coded(report, "upstream-changed-edited", "upstream-changed-published"),
         "changed upstream but not updated (edited or published; listed below)")) if count
        for text in [f"{count} {text}"]]
    if again:
        lines.append("Imported before: " + "; ".join(again) + ".")
    asked = [f"{count} {text}" for count, text in (
        (_coded(report, "filtered-out"), "left out by the filter"),
        (_coded(report, "template-skipped"), "templates, list pages or read-me files skipped")) if count]
    others = report.count("skipped") - _coded(report, "filtered-out", "template-skipped", "upstream-changed-edited",
                                              "upstream-changed-published")
    if others:
        asked.append(_plural(others, "other item skipped", "other items skipped"))
    if report.count("failed"):
        asked.append(f"{report.count('failed')} could not be imported")
    if asked:
        lines.append("; ".join(asked).capitalize() + ".")
    kept = text_kept(report)
    if kept:
        rest = "; the rest was navigation, page furniture and text repeated across pages" \
            if kept["kept_words"] < kept["page_words"] else ""
        lines.append(f"Kept {kept['kept_words']:,} of the pages' {kept['page_words']:,} words "
                     f"({kept['share']}%){rest}.")
    changes = {code: n for code, n in report.changes().items() if code not in BRIEF}
    if changes:
        lines.append("")
        lines.append("Entries with each kind of change:")
        width = max(len(str(n)) for n in changes.values())
        lines += [f"  {n:>{width}}  {CHANGE_WORDS.get(code, code)} ({code})" for code, n in changes.items()]
    attention = report.attention
    lines.append("")
    lines.append(f"{len(attention)} need{'s' if len(attention) == 1 else ''} a person's attention"
                 + (":" if attention else "."))
    for outcome in attention:
        lines += _detail(outcome, f"{outcome.status}, from {outcome.origin}")
    changed = [o for o in report.outcomes if o.status in ("published", "archived") and o.notes]
    if changed:
        lines.append("")
        lines.append(f"{len(changed)} ready to publish, with changes to check:")
        for outcome in changed:
            lines += _detail(outcome, f"{outcome.status}, from {outcome.origin}")
    lines += _brief(report)
    if report.notes:
        lines.append("")
        lines += [f"Note: {note}" for note in report.notes]
    if report.dry_run:
        lines.append("")
        lines.append("This was a dry run: nothing was written.")
    elif imported or report.count("updated"):
        lines.append("")
        lines.append(f"Next: review the drafts, then run 'casehub validate {report.output}'.")
    return "\n".join(lines) + "\n"


def _coded(report: ImportReport, *codes: str) -> int:
    """How many items have a note with one of these codes."""
    return sum(1 for o in report.outcomes if any(n.code in codes for n in o.notes))


def _detail(outcome: Outcome, about: str) -> list[str]:
    lines = ["", f"{outcome.path or '(nothing written)'} — {about}"]
    lines += [f"  - {note.message}" for note in outcome.notes if note.review]  # what needs a person first
    lines += [f"  - (changed) {note.message}" for note in outcome.notes if not note.review]
    lines += [f"  - {finding}" for finding in outcome.findings]
    return lines


def _brief(report: ImportReport) -> list[str]:
    """The items skipped as asked or unchanged, a line each (why, or where its entry is), at most
    MAX_LISTED of each kind."""
    lines: list[str] = []
    for code in BRIEF:
        found = [o for o in report.outcomes if not o.needs_attention and any(n.code == code for n in o.notes)]
        if not found:
            continue
        lines += ["", f"{CHANGE_WORDS[code].capitalize()} ({len(found)}):"]
        for outcome in found[:MAX_LISTED]:
            why = outcome.path if code == "unchanged" else next(n.message for n in outcome.notes if n.code == code)
            lines.append(f"  - {outcome.origin}: {why}")
        if len(found) > MAX_LISTED:
            lines.append(f"  - and {len(found) - MAX_LISTED} more (--format json lists them all)")
    return lines


def report_json(report: ImportReport) -> str:
    data = report.as_dict()
    kept = text_kept(report)
    if kept:
        data["text_kept"] = kept
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
