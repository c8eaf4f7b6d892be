"""Word documents: `casehub import docx case-studies/`.

Much of a knowledge-sharing network's library is documents: the LGA's case
studies were a Word template sent by e-mail. Each `.docx` becomes one entry:

- converted with mammoth (semantic HTML from Word's styles: headings, lists,
  bold, italic, links and tables, not its fonts), then to Markdown by the
  importers' one HTML converter;
- the title from the document's Title (or first Heading 1) paragraph, else its
  properties (docProps/core.xml), else the file name; the date from its
  properties when the text gives none;
- a two-column table of facts near the top ("Council | Southvale District
  Council", "Region | East of England") read into fields by label — the shape
  of the LGA template — and left out of the body;
- embedded images saved and carried into the entry's folder with their
  alternative text; paragraph styles Word knows but Casehub does not are
  reported, not guessed at.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from .htmltomd import change_notes, html_to_markdown
from .model import Candidate, Failure, FileImporter, Note
from .vocab import label_key

MAX_BYTES = 20_000_000
# Word's built-in Title and Subtitle are not headings mammoth knows; the rest are its defaults.
STYLE_MAP = "p[style-name='Title'] => h1:fresh\np[style-name='Subtitle'] => p:fresh"
# Labels of a facts table, as a person writes them, and the field each fills.
FACT_LABELS = {
    "council": "organisation", "organisation": "organisation", "organisation name": "organisation",
    "lead organisation": "organisation", "authority": "organisation", "local authority": "organisation",
    "partners": "partners", "partner organisations": "partners",
    "region": "region", "nation": "nation", "council type": "council_type", "type of council": "council_type",
    "topic": "topics", "topics": "topics", "theme": "topics", "themes": "topics", "keywords": "tags", "tags": "tags",
    "date": "published", "published": "published", "date published": "published", "stage": "stage",
    "budget": "budget_band", "cost": "budget_band", "funding": "funding_sources",
    "contact": "contact", "contact email": "contact_email", "contact team": "contact_team", "type": "type",
    "summary": "summary",
}
MAX_FACT_LABEL = 40
_CORE = {"title": "{http://purl.org/dc/elements/1.1/}title",
         "created": "{http://purl.org/dc/terms/}created", "modified": "{http://purl.org/dc/terms/}modified"}
_IMAGE_TYPES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}


def document_properties(path: Path) -> dict[str, str]:
    """Title and dates from docProps/core.xml ('' for what is missing)."""
    try:
        with zipfile.ZipFile(path) as docx:
            data = docx.read("docProps/core.xml")
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return {}
    found = {}
    for key, tag in _CORE.items():
        element = root.find(tag)
        found[key] = " ".join((element.text or "").split()) if element is not None else ""
    return found


def facts_table(soup) -> dict[str, str]:
    """Fields from the first two-column table whose first cells are short labels; the table is removed."""
    for table in soup.find_all("table")[:2]:
        rows = [row.find_all(["td", "th"], recursive=False) for row in table.find_all("tr")]
        if not rows or any(len(cells) != 2 for cells in rows):
            continue
        pairs = [(cells[0].get_text(" ", strip=True).rstrip(":"), cells[1].get_text(" ", strip=True))
                 for cells in rows]
        fields = [(FACT_LABELS.get(label_key(label).replace("-", " ")) if len(label) <= MAX_FACT_LABEL else None,
                   value) for label, value in pairs]
        known = {field: value for field, value in fields if field}
        if len(known) * 2 >= len(pairs):  # mostly labels we know: a facts table, not a data table
            table.decompose()
            return {field: value for field, value in known.items() if value}
    return {}


class DocxImporter(FileImporter):
    max_bytes = MAX_BYTES
    noun = "document"
    suffixes = (".docx",)
    kind = "a Word document (.docx)"

    format = "docx"
    description = "Word documents (.docx), one case study a document"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._images = tempfile.TemporaryDirectory(prefix="casehub-docx-")  # removed when the run is over

    def close(self) -> None:
        self._images.cleanup()

    def wanted(self, parts: tuple[str, ...]) -> bool:
        # Word's lock files (~$name.docx) are not documents.
        return super().wanted(parts) and not parts[-1].startswith("~$")

    def items(self) -> list[Path]:
        files = self.source_files()
        if not files:
            from .model import ImportUsageError

            raise ImportUsageError(f"{self.source} has no Word documents (.docx) to import")
        return files

    def convert(self, path: Path) -> Candidate:
        import mammoth
        from bs4 import BeautifulSoup

        self.read(path)  # the size limit and a readable file, as for every importer
        folder = Path(self._images.name) / f"{len(list(Path(self._images.name).iterdir())):05d}"
        folder.mkdir()
        saved: list[str] = []

        def save_image(image):
            suffix = _IMAGE_TYPES.get(image.content_type)
            if suffix is None:
                return {"alt": image.alt_text or ""}  # an EMF or SVG: its alternative text is kept
            name = f"image-{len(saved) + 1}{suffix}"
            with image.open() as source:
                (folder / name).write_bytes(source.read())
            saved.append(name)
            return {"src": name, "alt": image.alt_text or ""}

        try:
            with open(path, "rb") as handle:
                result = mammoth.convert_to_html(handle, style_map=STYLE_MAP,
                                                 convert_image=mammoth.images.img_element(save_image))
        except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as error:
            raise Failure(f"it is not a Word document that can be read ({type(error).__name__})") from None
        notes = [Note(f"Word's paragraph style '{m}' has no match here; its text was kept as paragraphs", False,
                      "word-style-unmatched")
                 for m in sorted({re.sub(r" \(Style ID: .*\)$", "", msg.message.split(": ", 1)[-1])
                                  for msg in result.messages if "Unrecognised" in msg.message})]
        soup = BeautifulSoup(result.value, "html.parser")
        properties = document_properties(path)
        heading = soup.find("h1")
        title = heading.get_text(" ", strip=True) if heading else ""
        if heading is not None and title:
            heading.decompose()
        title = title or properties.get("title", "") or path.stem.replace("-", " ").replace("_", " ").strip()
        values: dict[str, object] = {"title": title, **facts_table(soup)}
        if not values.get("published") and properties.get("created"):
            values["published"] = properties["created"][:10]
            notes.append(Note("the date is when the document was created (from its properties): "
                              "check it is when the work was published", False, "date-from-properties"))
        changes: set[str] = set()
        body = html_to_markdown(soup, changes)
        changes.discard("html")
        notes += change_notes(changes)
        return Candidate(origin=self.origin(path), values=values, body=body, source_path=self.relative(path),
                         base_dir=folder, image_root=folder, notes=notes, fallback_id=path.stem,
                         topics_to_tags=True)
