"""HTML tables: data tables become Markdown tables, layout tables are unwrapped into their content.

A table is for layout (and `unwrap_layout_tables` turns it into its cells' content,
in reading order) when it says so (`role="presentation"` or `"none"`), holds
another table, has one column, is one row without a header, or, without a header
row, has cells holding headings, quotations, figures or several blocks of text.
Every other table is data: `table_markdown` writes it as one Markdown table
(GitHub style, which entries render), on a grid that keeps columns in place under
`colspan` and `rowspan` (the text in the first cell it spans, the rest empty).

The header is the `<thead>` row or a first row of `<th>` (or wholly bold) cells;
without one the first row is taken as the header. A two-column table whose first
column is all labels (`<th>`, bold or ending in a colon) is a list of facts and
becomes a bullet list (`- **Label:** value`). Text in a cell is one line: its
paragraphs joined by spaces, its list items by semicolons, and `|` written `\\|`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

LAYOUT_ROLES = frozenset({"presentation", "none"})
# In a cell, these mean the table lays out a page rather than holds data.
_BLOCKS_IN_CELL = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figure", "hr", "table", "form",
                             "section", "article", "aside", "nav", "header", "footer"})
MAX_BLOCKS_IN_DATA_CELL = 3
MAX_SPAN = 50
MAX_LABEL = 60
_LIST_MARKER = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s+")
_BOLD = re.compile(r"^\*\*(.+)\*\*$")


def rows_of(table) -> list:
    """The table's own rows (not those of a table inside it), in order."""
    rows = []
    for child in table.children:
        if child.name == "tr":
            rows.append(child)
        elif child.name in ("thead", "tbody", "tfoot"):
            rows += [row for row in child.children if row.name == "tr"]
    return rows


def cells_of(row) -> list:
    return [cell for cell in row.children if cell.name in ("td", "th")]


def _span(cell, name: str) -> int:
    value = str(cell.get(name, "1")).strip()
    return max(1, min(MAX_SPAN, int(value))) if value.isdigit() else 1


def _has_header(table, rows: list) -> bool:
    return (any(child.name in ("thead", "caption") for child in table.children)
            or any(cell.name == "th" for row in rows[:1] for cell in cells_of(row)))


def is_layout(table) -> bool:
    """Whether a table lays out a page (to be unwrapped) rather than holds data (to become a Markdown table)."""
    if str(table.get("role", "")).strip().lower() in LAYOUT_ROLES:
        return True
    inside = {tag.name for tag in table.descendants if tag.name}
    if "table" in inside:
        return True
    rows = [row for row in rows_of(table) if cells_of(row)]
    if not rows or max(len(cells_of(row)) for row in rows) <= 1:
        return True  # nothing, or one column: a box around content
    if _has_header(table, rows):
        return False
    if len(rows) == 1:
        return True  # one row of cells side by side, no header: columns of a page
    if inside & _BLOCKS_IN_CELL:
        return True
    return any(sum(1 for child in cell.children if child.name in ("p", "ul", "ol", "div", "dl"))
               > MAX_BLOCKS_IN_DATA_CELL for row in rows for cell in cells_of(row))


def unwrap_layout_tables(soup) -> int:
    """Layout tables replaced by their content, outermost first; how many were."""
    count = 0
    for table in [tag for tag in soup.descendants if tag.name == "table"]:
        if table.decomposed or not is_layout(table):
            continue
        for child in list(table.children):
            if child.name == "caption":
                child.name = "p"
            elif child.name == "colgroup":
                child.decompose()
        for row in rows_of(table):
            for cell in cells_of(row):
                cell.name, cell.attrs = "div", {}
            row.name, row.attrs = "div", {}
        for child in list(table.children):
            if child.name in ("thead", "tbody", "tfoot"):
                child.unwrap()
        table.name, table.attrs = "div", {}
        count += 1
    return count


def one_line(markdown: str) -> str:
    """A cell's Markdown on one line: paragraphs joined by spaces, list items by semicolons, pipes escaped."""
    pieces: list[str] = []
    previous_item = False
    for line in markdown.split("\n"):
        text = line.strip()
        if not text:
            continue
        marker = _LIST_MARKER.match(text)
        if marker:
            text = text[marker.end():]
        if pieces:
            pieces.append("; " if marker and previous_item else " ")
        pieces.append(text)
        previous_item = bool(marker)
    text = " ".join("".join(pieces).split())
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def _grid(rows: list, cell_text: Callable) -> list[list[str]]:
    """Each row's cells' text on a grid, spans filled with empty cells so columns stay in place."""
    grid: list[list[str]] = []
    spanned: dict[int, int] = {}  # column -> rows still covered by a cell above
    for row in rows:
        line: list[str] = []
        cells = list(cells_of(row))
        while cells or any(n > 0 for c, n in spanned.items() if c >= len(line)):
            column = len(line)
            if spanned.get(column, 0) > 0:  # covered by a cell above
                line.append("")
                spanned[column] -= 1
                continue
            if not cells:
                line.append("")  # a gap before columns still covered at the end of the row
                continue
            cell = cells.pop(0)
            text, width, height = cell_text(cell), _span(cell, "colspan"), _span(cell, "rowspan")
            for offset in range(width):
                if height > 1:
                    spanned[column + offset] = height - 1
                line.append(text if offset == 0 else "")
        grid.append(line)
    return grid


def _is_label(cell, text: str) -> bool:
    return bool(text) and len(text) <= MAX_LABEL and (cell.name == "th" or text.endswith(":")
                                                       or bool(_BOLD.match(text)))


def _plain_label(text: str) -> str:
    bold = _BOLD.match(text)
    return (bold.group(1) if bold else text).strip().rstrip(":").strip()


def table_markdown(table, cell_text: Callable) -> str:
    """A data table as Markdown (with its caption before it), or a fact list for a table of labels and values.

    `cell_text(cell)` gives a cell's content as one line of Markdown (see `one_line`)."""
    rows = [row for row in rows_of(table) if cells_of(row)]
    if not rows:
        return ""
    caption = next((child for child in table.children if child.name == "caption"), None)
    caption_text = " ".join(caption.get_text(" ").split()) if caption else ""
    first_is_header = (rows[0].parent.name == "thead"
                       or all(cell.name == "th" for cell in cells_of(rows[0])))
    texts = _grid(rows, cell_text)
    cells = [cells_of(row) for row in rows]
    if (not first_is_header and all(len(row) == 2 for row in cells)
            and all(_is_label(row[0], text[0]) for row, text in zip(cells, texts, strict=True))):
        items = [f"- **{_plain_label(text[0])}:** {text[1]}".rstrip() for text in texts]
        return "\n".join(([caption_text, ""] if caption_text else []) + items)
    width = max(len(row) for row in texts)
    texts = [row + [""] * (width - len(row)) for row in texts if any(row)]
    if not texts:
        return ""
    header = texts[0]
    if not first_is_header and all(_BOLD.match(text) for text in header if text):
        header = [_plain_label(text) if _BOLD.match(text) else text for text in header]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] * width) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in texts[1:]]
    return "\n".join(([caption_text, ""] if caption_text else []) + lines)
