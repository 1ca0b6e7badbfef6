"""Turn a book's stylesheets and images into diagnostics: nothing remote or outside, nothing too big to lay out."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from dataclasses import astuple
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import confine, cssdecl
from . import model as m
from .diagnostics import BookError, Diagnostic, error, warning
from .images import check_raster, check_svg, css_urls
from .styles import DEFAULT, Styles
from .walk import blocks_of
from .weasy import import_weasyprint

#: Every stylesheet an edition ships or lays out with (publish/render/: html, bilingual, epub,
#: bilingual_epub, pdf, bilingual_pdf); tests/test_assets.py keeps this list in step with them.
USED_CSS = ("css/screen.css", "css/bilingual.css", "css/epub.css", "css/epub-bilingual.css",
            "css/print.css", "css/print-bilingual.css")
PRINT_CSS = ("css/print.css", "css/print-bilingual.css")
MAX_CSS_BYTES = 2_000_000
MAX_IMPORT_DEPTH = 16
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def check_assets(root: Path, book: m.Book, styles: Styles | None = None) -> list[Diagnostic]:
    """Every problem with the stylesheets the editions use and the images the book shows."""
    try:
        styles = styles or Styles.for_book(root)
    except BookError as exc:  # a styles/ leading outside the book
        return exc.diagnostics
    return Assets(Path(root), styles).check(book)


class Assets:
    def __init__(self, root: Path, styles: Styles):
        self.root = root.resolve()
        self.dirs = list(styles.dirs)  # as the renderers look in them
        self.style_dirs = [d.resolve() for d in styles.dirs]
        self.own_styles = self.root / "styles"
        self.allowed = [self.root, DEFAULT.resolve()]
        self.seen: set[Path] = set()
        self.out: list[Diagnostic] = []

    def check(self, book: m.Book) -> list[Diagnostic]:
        languages = {lang.split("-")[0].lower() for lang in (book.language, *book.translations)}
        for name in USED_CSS + tuple(f"css/print-{lang}.css" for lang in sorted(languages)):
            found = next((d / name for d in self.dirs if os.path.lexists(d / name)), None)
            if found is not None:
                self.stylesheet(found, name in PRINT_CSS or name.startswith("css/print-"))
        for unit in book.units:
            for block in blocks_of(unit.blocks):
                if isinstance(block, m.Figure) and block.image:
                    # outside, remote or missing: check_images says so
                    self.image(self.root / "manuscript", block.image.src, (block.pos.path, block.pos.line))
        for path in self._own_files(".svg"):
            if path not in self.seen:
                self.seen.add(path)
                self.out += check_svg(path, self.shown(path), None)
        return self.out

    def shown(self, path: Path) -> str:
        for base in (self.root, DEFAULT.resolve().parent):
            if path.is_relative_to(base):
                return path.relative_to(base).as_posix()
        return str(path)

    def inside(self, path: Path, dirs=None) -> bool:
        return any(path == d or path.is_relative_to(d) for d in dirs or self.allowed)

    def target(self, base: Path, url: str) -> Path | str | None:
        """The file a relative URL names; None for '#id' and data:; "denied" when remote or outside."""
        url = "".join(c for c in url.strip(_C0_AND_SPACE) if c not in "\t\n\r").replace("\\", "/")
        if not url or url.startswith("#"):
            return None
        parts = urlsplit(url)
        if parts.scheme.lower() == "data":
            return None
        if parts.scheme or parts.netloc or url.startswith("/"):
            return "denied"
        try:
            path = (base / unquote(parts.path)).resolve()
        except (OSError, RuntimeError, ValueError):
            return "denied"
        return path if self.inside(path) else "denied"

    def image(self, base: Path, url: str, referrer: tuple[str, int]) -> None:
        path = self.target(base, url)
        if isinstance(path, Path) and path.exists() and not path.is_file():
            self.out.append(error(*referrer, f"image '{url}' is not a regular file (a pipe, socket, device or folder)",
                                  "file-unreadable"))
        elif isinstance(path, Path) and path.is_file() and path not in self.seen:
            self.seen.add(path)
            svg = path.suffix.lower() == ".svg"
            self.out += check_svg(path, self.shown(path), referrer) if svg else check_raster(path, url, referrer)

    def stylesheet(self, path: Path, printed: bool, depth: int = 0) -> None:
        shown = self.shown(path)
        real = path.resolve()
        if real in self.seen:
            return
        self.seen.add(real)
        if not self.inside(real):
            self.out.append(error(shown, 1, "cannot read it: it leads outside the book (a symlink)", "file-outside"))
            return
        try:
            data = confine.read_bytes(real, [real.parent], MAX_CSS_BYTES)
        except confine.TooLarge:
            self.out.append(error(shown, 1, "stylesheet over 2 MB", "file-too-large"))
            return
        except OSError as exc:
            reason = exc.reason if isinstance(exc, confine.Refused) else exc.strerror
            self.out.append(error(shown, 1, f"cannot read it: {reason}", getattr(exc, "code", "file-unreadable")))
            return
        for url, line, imported in css_urls(cssdecl.rules(data)):
            target = self.target(real.parent, url)
            if target == "denied":
                self.out.append(error(shown, line, f"'{url}' is outside the project: the build reads only the book's own files", "fetch-denied"))
            elif target is None:
                if imported:
                    self.out.append(error(shown, line, "@import of a data: URL: a stylesheet imports only files in styles/", "fetch-denied"))
            elif imported and not self.inside(target, self.style_dirs):
                self.out.append(error(shown, line, f"@import of '{url}': a stylesheet imports only files in the book's styles/", "fetch-denied"))
            elif not target.is_file():
                self.out.append(error(shown, line, f"'{url}' not found", "file-missing"))
            elif imported and depth >= MAX_IMPORT_DEPTH:
                self.out.append(error(shown, line, f"@import nested more than {MAX_IMPORT_DEPTH} deep", "fetch-denied"))
            elif imported:
                self.stylesheet(target, printed, depth + 1)
            elif target.suffix.lower() in (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"):
                self.image(real.parent, url, (shown, line))
        if printed and real.is_relative_to(self.own_styles) and self.own_styles != DEFAULT.resolve():
            self.out += self.ignored(data, real, shown)

    def ignored(self, data: bytes, real: Path, shown: str) -> list[Diagnostic]:
        """ignored_declarations, kept in the book's cache by the stylesheet's bytes and place: WeasyPrint
        parses a print stylesheet in about a second, and every build checks it."""
        from importlib.metadata import version

        from .cache import Store, cache_dir

        directory = cache_dir(self.root, "css")
        if directory is None or not directory.parent.is_dir():  # a book never built: `publish check` writes nothing
            return ignored_declarations(data, real, shown)
        store = Store(directory, "css", 4_000_000)
        name = hashlib.sha256(b"\0".join((version("weasyprint").encode(), real.as_uri().encode(), shown.encode(),
                                           data))).hexdigest()
        try:
            return [Diagnostic(*entry) for entry in json.loads(store.read(name) or b"")]
        except (ValueError, TypeError):
            found = ignored_declarations(data, real, shown)
            store.write(name, json.dumps([list(astuple(d)) for d in found]).encode("utf-8"))
            return found

    def _own_files(self, suffix: str):
        """Files with this suffix under the book's own styles/, never through a link."""
        for folder, dirs, files in os.walk(self.own_styles):  # followlinks=False
            for name in sorted(files):
                path = Path(folder) / name
                if path.suffix.lower() == suffix and not path.is_symlink() and self.inside(path.resolve(), [self.root]):
                    yield path.resolve()


_IGNORED = re.compile(r"Ignored `(?P<what>.*)` at (?P<line>\d+):\d+, (?P<why>.*?)\.?$", re.S)
_AT = re.compile(r" at (?P<line>\d+):\d+")


def ignored_declarations(data: bytes, path: Path, shown: str) -> list[Diagnostic]:
    """What WeasyPrint's own parser ignores in a print stylesheet of the book (warnings)."""
    weasyprint = import_weasyprint()  # only for a book with its own print stylesheet

    from .fetch import ConfinedFetcher

    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        weasyprint.CSS(string=data.decode("utf-8", "replace"), base_url=path.as_uri(), url_fetcher=ConfinedFetcher([], path.parent))
    finally:
        logger.removeHandler(handler)
    out = []
    for record in records:
        text = record.getMessage()
        if match := _IGNORED.match(text):
            out.append(warning(shown, int(match["line"]), f"the PDF layout ignores `{match['what']}`: {match['why']}", "css-ignored"))
        elif (match := _AT.search(text)) and "load" not in text:
            out.append(warning(shown, int(match["line"]), f"the PDF layout ignores this: {_AT.sub('', text, 1)}", "css-ignored"))
    return out
