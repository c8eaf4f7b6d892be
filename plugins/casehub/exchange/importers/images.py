"""Images an entry's body points to, carried into the entry's own folder.

Relative raster images (PNG, JPEG, GIF, WebP, AVIF) from inside the imported
folder are found, given names unique within the entry and listed as `Image`s
for the writer to copy beside `casestudies/<id>/index.md`. SVGs, missing files,
symbolic links and files from outside the imported folder are left out, their
alternative text kept, each with a note. Web images are left as links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...core.entry import slugify
from ...core.rules import IMAGE_SUFFIXES, fenced_segments
from .model import Note

MAX_IMAGE_BYTES = 10_000_000
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*(<[^>\n]*>|[^)\s]*)(\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)")


@dataclass
class Image:
    source: Path
    name: str


def carry_images(body: str, base_dir: Path | None, root: Path) -> tuple[str, list[Image], list[Note]]:
    """Relative images found and renamed for the entry's folder; SVGs, missing files and images from
    outside the imported folder are left out, their alternative text kept, each with a note."""
    images: list[Image] = []
    by_source: dict[Path, str] = {}
    notes: list[Note] = []
    root = root.resolve()
    base_dir = base_dir.resolve() if base_dir else None

    def replace_image(match):
        alt, target, title = match.group(1), match.group(2), match.group(3) or ""
        target = target.strip()
        if target.startswith("<") and target.endswith(">"):
            target = target[1:-1].strip()
        if not target or re.match(r"(?i)https?://", target):
            return match.group()
        shown = target if len(target) <= 80 else target[:77] + "…"
        path = unquote(urlsplit(target).path)

        def leave_out(reason: str) -> str:
            notes.append(Note(f"the image '{shown}' was not imported: {reason}; its alternative text was kept"))
            return alt.strip()

        if urlsplit(target).scheme or not path:
            return leave_out("it is not a web address or a file beside the page")
        if base_dir is None:
            return leave_out("there is no folder to find it in")
        if path.startswith("/"):  # site-absolute: from the site's root, or Hugo's static/, at or above the page
            folders = [base_dir, *base_dir.parents]
            folders = folders[:folders.index(root) + 1] if root in folders else [root]
            places = [f / sub / path.lstrip("/") for f in folders for sub in ("", "static", "assets")]
        else:
            places = [base_dir / path]
        found = next((p for p in places if p.is_file() or p.is_symlink()), None)
        if found is None:
            return leave_out("the file does not exist")
        if found.is_symlink() or not found.resolve().is_relative_to(root):
            return leave_out("it is outside the imported folder or a symbolic link")
        suffix = found.suffix.lower()
        if suffix == ".svg":
            return leave_out("SVG images are not accepted (they can carry script); save it as PNG and add it")
        if suffix not in IMAGE_SUFFIXES:
            return leave_out("only PNG, JPEG, GIF, WebP and AVIF images are accepted")
        if found.stat().st_size > MAX_IMAGE_BYTES:
            return leave_out(f"it is over {MAX_IMAGE_BYTES // 1_000_000} MB")
        key = found.resolve()
        if key not in by_source:
            stem = slugify(found.stem)[:60].strip("-") or "image"
            name, number = f"{stem}{suffix}", 2
            taken = {i.name for i in images}
            while name in taken:
                name, number = f"{stem}-{number}{suffix}", number + 1
            by_source[key] = name
            images.append(Image(found, name))
        return f"![{alt}]({by_source[key]}{title})"

    lines = []
    for is_code, segment in fenced_segments(body.split("\n")):
        lines.extend(segment if is_code else [_IMAGE.sub(replace_image, line) for line in segment])
    return "\n".join(lines), images, notes
