"""Building and serving the site: Pelican, then Pagefind, as one step.

`build()` is what `casehub build` and the tests call; it returns the output
folder. `build_site()` does the work and returns the whole `state.BuildState`
(the output folder and the generator that wrote the entry pages), passed to
Pelican through the CASEHUB_BUILD setting. `serve()` builds with development
settings, serves the output on loopback and rebuilds when an entry, page,
vocabulary, template or setting changes, updating single entries through the
state of its last good build. A bad entry never stops the server: it prints the
findings and keeps the last good site.
"""

from __future__ import annotations

import functools
import gc
import logging
import shutil
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from ..core.cache import default_folder
from ..core.findings import CasehubError
from ..core.publishable import TODO
from ..core.report import as_text
from .state import SETTING, BuildState


class BuildError(CasehubError):
    """Pelican stopped for a reason other than bad entries (a template error, a warning made fatal)."""


def build(root: Path | str = ".", settings_file: str = "publishconf.py", output: Path | str | None = None,
          fatal_warnings: bool = True, search: bool = True, quiet: bool = True, shortcuts: bool = True,
          cache: Path | str | bool = True) -> Path:
    """Build the site and its search index; return the output folder.

    `shortcuts=False` builds the straightforward way (stock Markdown, each card
    rendered where it is used), for comparing with the optimised build. `cache` is the
    content cache's folder (`core/cache.py`): True for the default, False for none.

    Raises BuildStopped (with the validator's findings) for bad entries and
    BuildError for anything else that stops Pelican."""
    return build_site(root, settings_file, output, fatal_warnings, search, quiet, shortcuts, cache=cache).output


def build_site(root: Path | str = ".", settings_file: str = "publishconf.py", output: Path | str | None = None,
               fatal_warnings: bool = True, search: bool = True, quiet: bool = True,
               shortcuts: bool = True, in_background: bool = False, cache: Path | str | bool = True) -> BuildState:
    """`build()`, returning what the build leaves behind rather than only where it wrote.

    The site is built into a fresh folder beside the output folder and swapped in only when
    the whole build (pages, open data, search index) has succeeded, so a failed build never
    touches the last good site. `in_background` removes the replaced site in a thread.
    What the build took from the content cache, or put there, is kept; the rest of the
    cache is pruned (`ContentCache.prune`)."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    root = Path(root).resolve()
    init_logging(level=logging.WARNING if quiet else logging.INFO,
                 fatal="warnings" if fatal_warnings else "")
    state = BuildState()
    folder = default_folder(root) if cache is True else Path(cache).resolve() if cache else None
    overrides = {"CASEHUB_ROOT": str(root), "CASEHUB_SEARCH": search, "CASEHUB_SHORTCUTS": shortcuts,
                 "CASEHUB_CACHE_DIR": str(folder) if folder else "", SETTING: state}
    if output is not None:
        overrides["OUTPUT_PATH"] = str(Path(output).resolve())
    settings = _read_settings(root, settings_file, overrides)
    from .search import stop_indexing

    final = Path(settings["OUTPUT_PATH"])
    staging = final.with_name(f".{final.name}.building")
    _remove(staging)
    state.previous = final if final.is_dir() and not final.is_symlink() else None
    settings["OUTPUT_PATH"] = str(staging)  # written beside, swapped in only when whole
    finished = False
    try:
        Pelican(settings).run()  # the generator freezes the loaded library out of the collector's way
        finished = True
    except CasehubError:
        raise
    except RuntimeError as error:  # Pelican's fatal warnings
        raise BuildError(f"the build stopped: {error}") from None
    except Exception as error:  # a template or settings error: name it, do not dump a traceback
        raise BuildError(f"the build stopped: {type(error).__name__}: {error}") from None
    finally:
        gc.unfreeze()
        stop_indexing(state)  # a background Pagefind run of a build that stopped before waiting for it
        if not finished:
            _remove(staging)  # a failed build leaves the last good site exactly as it was
    _swap(staging, final, in_background=in_background)
    if state.cache is not None and search:
        state.cache.prune(("entries", "search", "pages"), used={"pages": state.cached_pages})
    state.output, state.previous = final, None
    if settings.get("CASEHUB_PRODUCTION") and not settings.get("SITEURL"):
        state.notes.append("No site address: sitemap.xml and the Atom feeds need absolute addresses, so they point "
                           "at http://localhost:8000/. Set CASEHUB_SITEURL to the site's address (for example "
                           "CASEHUB_SITEURL=https://practice.example.gov.uk casehub build) before publishing.")
    if state.generator is not None:
        state.generator.output_path = str(final)  # later previews write into the site being served
    return state


def _read_settings(root: Path, settings_file: str, overrides: dict) -> dict:
    """The project's settings, read afresh: `publishconf.py` imports `pelicanconf`, and Python would
    otherwise reuse the module an earlier build imported (another project's, or this one's before
    an edit `casehub serve` is rebuilding for)."""
    from pelican.settings import read_settings

    sys.modules.pop("pelicanconf", None)
    sys.path.insert(0, str(root))
    try:
        return read_settings(str(root / settings_file), override=overrides)
    finally:
        sys.path.remove(str(root))
        sys.modules.pop("pelicanconf", None)


def _remove(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)


def _swap(staging: Path, final: Path, in_background: bool = False) -> None:
    """Put the new build where the old one was: two renames, so a reader (or `casehub serve`)
    sees the whole old site or the whole new one. The old one is removed afterwards —
    in the background for `casehub serve`, where a large site takes seconds to delete."""
    old = final.with_name(f".{final.name}.old")
    _remove(old)
    if final.exists() or final.is_symlink():
        final.rename(old)
    staging.rename(final)
    if in_background:
        threading.Thread(target=_remove, args=(old,), daemon=True).start()
    else:
        _remove(old)


REJECTED = "rejected"  # `_preview` found problems: nothing was updated, and it said so


def _preview(changes, root: Path, echo, state: BuildState | None) -> bool | str:
    """Update edited entries in place, through the generator of the last good build (`state`),
    when that is all that changed; False means rebuild in full, REJECTED that the edit was
    refused (and the findings printed).

    New, deleted or re-statused entries, and any change to pages, vocabularies,
    templates or settings, take the full build."""
    from watchfiles import Change

    last = state.generator if state is not None else None
    entries = root / "casestudies"
    if last is None or not changes:
        return False
    paths = []
    for change, name in changes:
        path = Path(name)
        if change != Change.modified or path.suffix != ".md" or entries not in path.parents:
            return False
        old = last.library.by_id.get(path.parent.name if path.name == "index.md" else path.stem)
        if old is None:
            return False
        paths.append((path, old.status))
    for path, status in paths:
        findings = last.update_entry(path)
        if findings and all(f.severity == TODO for f in findings):
            return False  # a draft that is not complete now leaves the library: the full build counts it
        if findings:
            echo(as_text(findings, 1).rstrip("\n") + "\nNot updated: fix the problems above.")
            return REJECTED
        if last.library.by_id[path.parent.name if path.name == "index.md" else path.stem].status != status:
            return False
    return True


class _Reindexer:
    """Re-runs the search indexing in a background thread after quick updates, one run at a
    time: the parts of the last good build's index, each from the cache unless its pages changed."""

    def __init__(self, output: Path, state: BuildState | None):
        self.output = output
        self.state = state  # the last good build (its parts and its cache); `serve` keeps it current
        self.wanted = threading.Event()
        threading.Thread(target=self._loop, daemon=True).start()

    def request(self) -> None:
        self.wanted.set()

    def _loop(self) -> None:
        from .search import Indexer, index_site

        while True:
            self.wanted.wait()
            self.wanted.clear()
            state = self.state
            try:
                if state is not None and state.generator is not None:
                    Indexer(self.output, state.generator.search_parts, state.cache).wait()
                else:
                    index_site(self.output)
            except CasehubError:
                pass  # the next full build reports it


class _Handler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".json": "application/json"}

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def list_directory(self, path):
        """No directory listings: a folder without index.html is not a page of the site."""
        self.send_error(404)
        return None

    def translate_path(self, path):
        # A NUL (%00) or other control character cannot name a file; answer 404, not a traceback.
        if any(ord(char) < 32 for char in unquote(path.split("?", 1)[0].split("#", 1)[0])):
            return str(Path(self.directory) / ".casehub-no-such-file")
        return super().translate_path(path)

    def log_message(self, format, *args):  # keep the terminal for build messages
        pass


def make_server(output: Path, bind: str, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(_Handler, directory=str(output))
    ThreadingHTTPServer.allow_reuse_address = True
    return ThreadingHTTPServer((bind, port), handler)


def serve(root: Path | str = ".", settings_file: str = "pelicanconf.py", bind: str = "127.0.0.1",
          port: int = 8000, echo=print) -> None:
    """Build, serve on http://bind:port/, and rebuild on every change until interrupted."""
    from watchfiles import watch

    from .generator import BuildStopped

    root = Path(root).resolve()

    def rebuild() -> BuildState | None:
        try:
            return build_site(root, settings_file, fatal_warnings=False, in_background=True)
        except BuildStopped as stopped:
            echo(str(stopped.code))
        except CasehubError as error:
            echo(str(error))
        return None

    last = rebuild()  # the last good build, whose generator previews single entries
    output = last.output if last is not None else root / "output"
    output.mkdir(parents=True, exist_ok=True)
    server = make_server(output, bind, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    echo(f"Serving the library at http://{bind}:{port}/ — press Ctrl+C to stop.")
    watched = [p for p in (root / "casestudies", root / "content", root / "data", root / "theme",
                           root / settings_file, root / "pelicanconf.py", root / "hubs.yaml", root / "federated")
               if p.exists()]
    indexer = _Reindexer(output, last)
    try:
        for changes in watch(*watched, raise_interrupt=False):
            names = ", ".join(sorted({Path(p).name for _, p in changes}))
            started = time.perf_counter()
            previewed = _preview(changes, root, echo, last)
            if previewed == REJECTED:
                continue
            if previewed:
                echo(f"Changed: {names}. Updated in {1000 * (time.perf_counter() - started):.0f} ms; "
                     "search catches up in the background.")
                indexer.request()
                continue
            echo(f"Changed: {names}. Rebuilding…")
            built = rebuild()
            if built is not None:
                last = indexer.state = built
                echo("Rebuilt.")
    finally:
        server.shutdown()
        server.server_close()
        sys.stdout.flush()
