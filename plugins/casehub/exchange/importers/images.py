"""Images an entry's body points to, carried into the entry's own folder.

Raster images (PNG, JPEG, GIF, WebP, AVIF) from inside the imported folder
(or the site it belongs to: Hugo's `static/`, Jekyll's `assets/`) are found —
relative, site-absolute (`/images/…`) or on the original site's own address,
with spaces in their names written as they are, in `<…>` or as `%20` — given
names unique within the entry and listed as `Image`s for the writer to copy
beside `casestudies/<id>/index.md`. Reference-style images (`![alt][label]`)
become inline ones. SVGs, missing files, symbolic links and files from outside
the folder are left out, their alternative text kept, each with a note; images
still on the original site are left as links, with a note. Every change is a
note with a code: `image-carried`, `image-missing`, `image-not-carried`,
`image-on-original-site`, `image-lost`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...core.entry import slugify
from ...core.rules import IMAGE_SUFFIXES
from ...core.safetext import fenced_segments
from .model import Note

MAX_IMAGE_BYTES = 10_000_000
MAX_LISTED = 5
# ![alt](target "title"): the target in <…>, or as written up to the title or the closing bracket (spaces kept).
# Linear as safetext's patterns are: brackets nest one deep, and each run is taken whole (possessive) or
# stops where the next image could start, so no scan is repeated from a later start.
IMAGE = re.compile(r"!\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
                   r"\(\s*+(<[^<>\n]*>|(?:[^()\s]|\([^()\n]*\)|\s++(?![\s\"'()]))*+)(\s++(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*+\)")
_REFERENCE_IMAGE = re.compile(r"!\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\](?:\[([^\[\]\n]*)\])?(?![(\[:])")
_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n^][^\]\n]*)\]:[ \t]*(<[^<>\n]*>|\S+)(?:[ \t]+(\"[^\"\n]*\"|'[^'\n]*'|"
                         r"\([^)\n]*\)))?[ \t]*$", re.MULTILINE)
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']?(?!data:)[^\s\"'>]", re.IGNORECASE)
_TINY = re.compile(r"\b(?:width|height)\s*=\s*[\"']?[01][\"'\s/>]", re.IGNORECASE)


@dataclass
class Image:
    source: Path
    name: str


def count_images(text: str) -> int:
    """How many images a body shows: Markdown images and HTML <img> (not 1-pixel trackers), outside code."""
    total = 0
    for is_code, lines in fenced_segments(text.split("\n")):
        if is_code:
            continue
        segment = "\n".join(lines)
        total += len(IMAGE.findall(segment)) + len(_REFERENCE_IMAGE.findall(segment))
        total += sum(1 for m in re.finditer(r"<img\b[^>]*>", segment, re.IGNORECASE)
                     if _HTML_IMAGE.match(m.group()) and not _TINY.search(m.group()))
    return total


def lost_images(before: str, after: str, notes: list[Note]) -> list[Note]:
    """A note if the body shows fewer images than its source did, beyond those already noted as left out."""
    left_out = sum(1 for n in notes if n.code in ("image-missing", "image-not-carried"))
    lost = count_images(before) - count_images(after) - left_out
    if lost <= 0:
        return []
    return [Note(f"{lost} image{'s' if lost != 1 else ''} in the original could not be converted and "
                 f"{'were' if lost != 1 else 'was'} lost: check the original and add {'them' if lost != 1 else 'it'} "
                 "by hand", True, "image-lost")]


def inline_references(body: str) -> str:
    """Reference-style images as inline ones (`![alt][photo]` with `[photo]: photo.png`), so they are carried;
    a definition only images used goes."""
    if "![" not in body or "]:" not in body:
        return body
    definitions = {m.group(1).lower(): m for m in _DEFINITION.finditer(body)}
    used: set[str] = set()

    def inline(match: re.Match) -> str:
        alt, label = match.group(1), match.group(2)
        found = definitions.get((label or alt).lower())
        if not found:
            return match.group()
        used.add(found.group(1).lower())
        title = f" {found.group(3)}" if found.group(3) else ""
        return f"![{alt}]({found.group(2)}{title})"

    body = _REFERENCE_IMAGE.sub(inline, body)
    for label in used:
        name = re.escape(definitions[label].group(1))
        linked = re.compile(r"(?<!!)\[(?:[^\]\n]*\]\[" + name + r"\]|" + name + r"\](?:\[\])?(?![(:]))", re.IGNORECASE)
        if not linked.search(body):  # only images used it
            body = re.sub(r"^ {0,3}\[" + name + r"\]:[^\n]*\n?", "", body, flags=re.MULTILINE | re.IGNORECASE)
    return body


class ImageCarrier:
    """One body's images: found, named for the entry's folder, and every change noted."""

    def __init__(self, base_dir: Path | None, root: Path, site_url: str = ""):
        self.root = root.resolve()
        self.base_dir = base_dir.resolve() if base_dir else None
        parts = urlsplit(site_url)
        self.site_host = parts.netloc.lower()
        self.site_path = parts.path.rstrip("/")
        self.images: list[Image] = []
        self.by_source: dict[Path, str] = {}
        self.notes: list[Note] = []
        self.on_original: list[str] = []

    def replace(self, match: re.Match) -> str:
        alt, target, title = match.group(1), match.group(2).strip(), match.group(3) or ""
        if target.startswith("<") and target.endswith(">"):
            target = target[1:-1].strip()
        if not target:
            return match.group()
        shown = unquote(target) if len(target) <= 80 else unquote(target)[:77] + "…"  # as a person names the file
        parts = urlsplit(target)
        path = unquote(parts.path)
        if parts.scheme.lower() in ("http", "https") or target.startswith("//"):
            if not self.site_host or parts.netloc.lower() != self.site_host or not path.startswith("/"):
                return match.group()  # a web image: shown from where it is
            path = path[len(self.site_path):] if path.startswith(self.site_path + "/") else path
            found = self._find(path)
            if found is None or isinstance(found, str):
                self.on_original.append(shown)
                return match.group()
        elif parts.scheme or not path:
            return self._leave_out(alt, shown, "it is not a web address or a file beside the page")
        else:
            if self.site_path and path.startswith(self.site_path + "/"):
                path = path[len(self.site_path):]
            found = self._find(path)
        if isinstance(found, str):
            return self._leave_out(alt, shown, found, "image-missing" if "does not exist" in found else "")
        return f"![{alt}]({self._name(found)}{title})"

    def _find(self, path: str) -> Path | str:
        """The image's file, or why it cannot be carried."""
        if self.base_dir is None:
            return "there is no folder to find it in"
        if path.startswith("/"):  # site-absolute: from the site's root, or Hugo's static/, at or above the page
            folders = [self.base_dir, *self.base_dir.parents]
            folders = folders[:folders.index(self.root) + 1] if self.root in folders else [self.root]
            places = [f / sub / path.lstrip("/") for f in folders for sub in ("", "static", "assets")]
        else:
            places = [self.base_dir / path]
        found = next((p for p in places if p.is_file() or p.is_symlink()), None)
        if found is None:
            return "the file does not exist"
        if found.is_symlink() or not found.resolve().is_relative_to(self.root):
            return "it is outside the imported folder or a symbolic link"
        suffix = found.suffix.lower()
        if suffix == ".svg":
            return "SVG images are not accepted (they can carry script); save it as PNG and add it"
        if suffix not in IMAGE_SUFFIXES:
            return "only PNG, JPEG, GIF, WebP and AVIF images are accepted"
        if found.stat().st_size > MAX_IMAGE_BYTES:
            return f"it is over {MAX_IMAGE_BYTES // 1_000_000} MB"
        return found

    def _name(self, found: Path) -> str:
        key = found.resolve()
        if key not in self.by_source:
            suffix = found.suffix.lower()
            stem = slugify(found.stem)[:60].strip("-") or "image"
            name, number = f"{stem}{suffix}", 2
            taken = {i.name for i in self.images}
            while name in taken:
                name, number = f"{stem}-{number}{suffix}", number + 1
            self.by_source[key] = name
            self.images.append(Image(found, name))
        return self.by_source[key]

    def _leave_out(self, alt: str, shown: str, reason: str, code: str = "") -> str:
        self.notes.append(Note(f"the image '{shown}' was not imported: {reason}; its alternative text was kept",
                               True, code or "image-not-carried"))
        return alt.strip()

    def summary(self) -> list[Note]:
        notes = list(self.notes)
        if self.images:
            names = ", ".join(i.name for i in self.images[:MAX_LISTED]) + (" …" if len(self.images) > MAX_LISTED
                                                                            else "")
            n = len(self.images)
            notes.insert(0, Note(f"{n} image{'s were' if n != 1 else ' was'} copied into the entry's folder "
                                 f"({names})", False, "image-carried"))
        if self.on_original:
            shown = ", ".join(dict.fromkeys(self.on_original[:MAX_LISTED]))
            notes.append(Note(f"{len(self.on_original)} image(s) are still on the original site ({shown}) and "
                              "stop showing when it closes: save them beside the entry", False,
                              "image-on-original-site"))
        return notes


def carry_images(body: str, base_dir: Path | None, root: Path, site_url: str = "") -> tuple[str, list[Image],
                                                                                               list[Note]]:
    """Images found and renamed for the entry's folder; SVGs, missing files and images from outside the
    imported folder are left out, their alternative text kept, each with a note."""
    carrier = ImageCarrier(base_dir, root, site_url)
    body = inline_references(body)
    lines = []
    for is_code, segment in fenced_segments(body.split("\n")):
        lines.extend(segment if is_code else [IMAGE.sub(carrier.replace, line) for line in segment])
    return "\n".join(lines), carrier.images, carrier.summary()
