"""Spreadsheets of case studies, saved as CSV: `casehub import csv case-studies.csv --mapping m.yaml`.

The form most councils keep case studies in. One row is one entry; which
column fills which field comes from `--map field="Column name"` options or a
mapping file (see examples/import/lga-style-mapping.yaml). With neither, columns
whose names match a field ("Title", "Summary", "Region", "Topics"…) or a body
section ("Context", "Lessons learned"…) are used, and the report says which.

Reading: UTF-8 (with or without a byte order mark), UTF-16 (Excel's "Unicode
text"), otherwise Windows-1252 with a note in the report; commas, semicolons,
tabs or bars between columns (csv.Sniffer, checked against the header line).
Cells that hold spreadsheet formulas (`=HYPERLINK(…)`) are never imported:
each is reported and the entry is saved as a draft. Columns the mapping does
not use are listed in the report, so nothing is left behind unnoticed.

A row filter (the mapping's `where:` and `skip:`, or --where and --skip) leaves
rows out, each reported. An id or slug column (`slug`) keeps the row's
identity: the entry's id is made from it when it has letters, and importing the
spreadsheet again finds the row's entry by it, whatever its title has become.
"""

from __future__ import annotations

import csv
import io

from ...core.entry import slugify
from .mapping import ItemFilter
from .model import FIELDS, Candidate, Importer, ImportUsageError, Note, Skip
from .text import looks_like_formula
from .vocab import label_key

MAX_BYTES = 50_000_000

# Column names that fill a field when no mapping is given (compared as slugs: case and punctuation ignored).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "name", "project-name", "project", "project-title", "case-study-title", "headline"),
    "slug": ("slug", "id", "ref", "reference", "case-study-id", "project-id", "identifier"),
    "summary": ("summary", "description", "overview", "abstract", "short-description"),
    "type": ("type", "entry-type"),
    "organisation": ("organisation", "organization", "council", "lead-organisation", "authority",
                     "local-authority"),
    "partners": ("partners", "partner-organisations"),
    "gss": ("gss", "gss-code", "ons-code"),
    "nation": ("nation", "country"),
    "region": ("region",),
    "council_type": ("council-type", "authority-type", "type-of-council", "organisation-type"),
    "topics": ("topics", "topic", "themes", "theme", "categories", "category"),
    "tags": ("tags", "keywords"),
    "stage": ("stage",),
    "published": ("published", "date", "date-published", "publication-date"),
    "budget_band": ("budget", "budget-band", "cost"),
    "funding_sources": ("funding", "funding-sources", "funded-by"),
    "contact": ("contact", "contact-details"),
    "contact_team": ("contact-team", "team"),
    "contact_email": ("contact-email", "email"),
    "contact_url": ("contact-url", "website"),
    "authors": ("authors", "author"),
    "licence": ("licence", "license"),
    "url": ("url", "link", "web-address", "source-url"),
    "body": ("body", "text", "content", "full-text", "details"),
}
assert set(ALIASES) == set(FIELDS)


def decode(data: bytes) -> tuple[str, str]:
    """The file's text, and a note when it was not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), ""
        except UnicodeDecodeError:
            pass
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), ""
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), ""
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), ("the file is not UTF-8, so it was read as Windows-1252 (Latin-1): "
                                       "check £ signs, accented letters and curly quotes in the entries")
    except UnicodeDecodeError:
        return data.decode("latin-1"), ("the file is not UTF-8 or Windows-1252, so it was read as Latin-1: "
                                        "check accented letters and symbols in the entries")


class _Dialect(csv.Dialect):
    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = False


def sniff(text: str) -> type[csv.Dialect]:
    """The delimiter: csv.Sniffer's guess if the header line has it, else the commonest of , ; tab |."""
    header = next(iter(text.splitlines()), "")
    try:
        delimiter = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ""
    if not delimiter or delimiter not in header:
        counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    return type("Sniffed", (_Dialect,), {"delimiter": delimiter})


class CsvImporter(Importer):
    format = "csv"
    description = "a spreadsheet saved as CSV, one case study a row"
    filters = True

    def items(self) -> list[tuple[int, list[str]]]:
        if not self.source.is_file():
            raise ImportUsageError(f"{self.source}: a CSV import reads one file, and this is not a file")
        try:
            data = self.source.read_bytes()
        except OSError as error:
            raise ImportUsageError(f"{self.source} cannot be read ({error.strerror})") from None
        if len(data) > MAX_BYTES:
            raise ImportUsageError(f"{self.source} is over {MAX_BYTES // 1_000_000} MB; split it")
        text, note = decode(data)
        if note:
            self.notes.append(note)
        if "\x00" in text:
            raise ImportUsageError(f"{self.source} is not a CSV file (it has NUL bytes: is it a .xlsx? "
                                   "Save it as 'CSV UTF-8' first)")
        dialect = sniff(text)
        if dialect.delimiter != ",":
            name = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}[dialect.delimiter]
            self.notes.append(f"the columns are separated by {name}")
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), dialect))
        except csv.Error as error:
            raise ImportUsageError(f"{self.source} cannot be read as CSV ({error})") from None
        if not rows or not any(cell.strip() for cell in rows[0]):
            raise ImportUsageError(f"{self.source} is empty: the first row should name the columns")
        self.header = [" ".join(cell.split()) for cell in rows[0]]
        self._map_columns()
        self.filter = ItemFilter(self.options.mapping.where, self.options.mapping.skip)
        self.filter_columns = {}
        for column in self.filter.columns:
            index = self._column(column)
            if index is None:
                raise ImportUsageError(f"the filter names the column '{column}', which is not in {self.source.name}; "
                                       "its columns are: " + ", ".join(f"'{c}'" for c in self.header if c))
            self.filter_columns[column] = index
        items = []
        for number, row in enumerate(rows[1:], 2):  # spreadsheet row numbers: the header is row 1
            if any(cell.strip() for cell in row):
                items.append((number, row))
        if not items:
            raise ImportUsageError(f"{self.source} has a header row but no case studies under it")
        return items

    def _column(self, name: str) -> int | None:
        wanted = " ".join(name.split()).casefold()
        for index, column in enumerate(self.header):
            if column.casefold() == wanted:
                return index
        for index, column in enumerate(self.header):  # then ignoring punctuation
            if label_key(column) == label_key(name) and label_key(name):
                return index
        return None

    def _map_columns(self) -> None:
        mapping = self.options.mapping
        self.columns: dict[str, int] = {}
        self.section_columns: list[tuple[str, int]] = []
        if mapping.empty:
            self._auto_map()
        else:
            missing = []
            for field, column in mapping.fields.items():
                index = self._column(column)
                if index is None:
                    missing.append((field, column))
                else:
                    self.columns[field] = index
            for heading, column in mapping.sections.items():
                index = self._column(column)
                if index is None:
                    missing.append((f"section '{heading}'", column))
                else:
                    self.section_columns.append((heading, index))
            if not self.columns and not self.section_columns:
                raise ImportUsageError(f"none of the mapping's columns are in {self.source.name}; its columns are: "
                                       + ", ".join(f"'{c}'" for c in self.header if c))
            if "title" not in self.columns:
                raise ImportUsageError(f"the mapping gives no column of {self.source.name} for the title; "
                                       "add one, for example --map title=\"Project name\"")
            for field, column in missing:
                self.notes.append(f"the column '{column}' (for {field}) is not in the file: "
                                  "entries without that field are saved as drafts if they need it")
        used = set(self.columns.values()) | {i for _, i in self.section_columns}
        used |= {i for i, c in enumerate(self.header) if c in mapping.where or c in mapping.skip}
        unused = [c for i, c in enumerate(self.header) if i not in used and c]
        if unused:
            self.notes.append("columns not imported (add them to the mapping to keep them): "
                              + ", ".join(f"'{c}'" for c in unused))

    def _auto_map(self) -> None:
        keys = {label_key(column): index for index, column in reversed(list(enumerate(self.header))) if column}
        for field, names in ALIASES.items():
            index = next((keys[n] for n in names if n in keys), None)
            if index is not None and index not in self.columns.values():
                self.columns[field] = index
        used = set(self.columns.values())
        for heading in self._section_headings():
            index = keys.get(label_key(heading))
            if index is not None and index not in used:
                self.section_columns.append((heading, index))
                used.add(index)
        if "title" not in self.columns:
            raise ImportUsageError(f"no mapping was given and no column of {self.source.name} is called 'Title'; "
                                   "give one with --map title=\"Column name\" or --mapping FILE (see "
                                   "examples/import/lga-style-mapping.yaml)")
        shown = [f"'{self.header[i]}' → {f}" for f, i in self.columns.items()]
        shown += [f"'{self.header[i]}' → ## {h}" for h, i in self.section_columns]
        self.notes.append("no mapping was given, so columns were matched by name: " + ", ".join(shown))

    def _section_headings(self) -> list[str]:
        headings: list[str] = []
        for term in self.project.vocabularies["types"].items:
            for heading in [*term.get("sections", []), *term.get("recommended", [])]:
                if heading not in headings:
                    headings.append(heading)
        return headings

    def origin(self, item) -> str:
        return f"{self.source.name}, row {item[0]}"

    def default_source_name(self) -> str:
        return self.source.name

    def convert(self, item) -> Candidate:
        number, row = item
        if self.filter:
            reason = self.filter.reason(lambda column: row[i] if (i := self.filter_columns[column]) < len(row) else "")
            if reason:
                raise Skip(reason, "filtered-out")
        notes: list[Note] = []
        if len(row) != len(self.header):
            notes.append(Note(f"the row has {len(row)} cells but the header has {len(self.header)}: "
                              "check the columns lined up", code="row-cells-mismatch"))

        def cell(index: int, label: str) -> str:
            value = row[index] if index < len(row) else ""
            if looks_like_formula(value):
                notes.append(Note(f"the cell in column '{label}' holds a spreadsheet formula, which was not "
                                  "imported: type the text it showed instead", code="formula-removed"))
                return ""
            return value

        values: dict[str, object] = {f: cell(i, self.header[i]) for f, i in self.columns.items()}
        sections = [(heading, cell(i, self.header[i])) for heading, i in self.section_columns]
        stem = slugify(self.source.stem) or "row"
        item_id = " ".join(str(values.get("slug") or "").split())
        return Candidate(
            origin=self.origin(item), values=values, sections=sections, source_path=self.source.name,
            source_name=self.source.name, base_dir=None, notes=notes, source_item=item_id,
            fallback_id=f"{stem[:50]}-row-{number}")
