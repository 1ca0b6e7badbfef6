"""Turn what WeasyPrint logs while laying out a book into diagnostics: content it lost fails the build."""
from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..diagnostics import BookError, Diagnostic, error
from ..guard import Overtime, expired

#: Records that mean a part of the book is missing from the PDF (WeasyPrint logs each as an error).
LOST = {"Failed to load image": "image", "Failed to load stylesheet": "stylesheet",
        "Failed to render SVG image": "SVG image", "Failed to load inline SVG": "inline SVG",
        "Font-face": "font"}  # 'Font-face %r cannot be loaded': the book's own typeface would be replaced


class LayoutLog(logging.Handler):
    """`with LayoutLog(fetcher, search_dirs):` around a layout; on leaving, every lost image or
    stylesheet (except those the fetcher refused: it reports them) raises one BookError, together
    with the fetcher's. `.records`: everything WeasyPrint said (ignored CSS: see publish.assets)."""

    def __init__(self, fetcher, search_dirs: list[Path]):
        super().__init__(logging.WARNING)
        self.fetcher, self.search_dirs = fetcher, search_dirs
        self.records: list[logging.LogRecord] = []
        self.logger = logging.getLogger("weasyprint")

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> "LayoutLog":
        self.level_before = self.logger.level
        self.logger.addHandler(self)
        if not self.logger.isEnabledFor(logging.WARNING):
            self.logger.setLevel(logging.WARNING)
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        self.logger.removeHandler(self)
        self.logger.setLevel(self.level_before)
        if isinstance(exc, Overtime):
            return False  # what an interrupted layout lost is not the book's fault: layout-timeout says it
        if any("Overtime" in record.getMessage() for record in self.records):
            raise expired()  # the deadline fired inside a fetch WeasyPrint guards (it logs and goes on)
        lost = self.lost()
        if lost and exc is None:
            raise BookError(lost)
        if lost and isinstance(exc, BookError):
            raise BookError(exc.diagnostics + lost) from None
        return False

    def lost(self) -> list[Diagnostic]:
        out = []
        for record in self.records:
            text = str(record.msg)
            what = next((name for prefix, name in LOST.items() if text.startswith(prefix)), None)
            if record.levelno < logging.ERROR and what is None:
                continue
            url = record.args[0] if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str) else ""
            if url and url in self.fetcher.denied:
                continue  # the fetcher's own fetch-denied diagnostic names it
            path, line = self.fetcher.where(url, self.search_dirs) if url else ("(layout)", 1)
            reason = self._portable(str(record.args[1])) if what and len(record.args) > 1 else ""
            reason = "not found" if "No such file" in reason else reason
            message = (f"the PDF would lack the {what} '{self._portable(url)}'" if what and url
                       else f"the PDF layout failed: {self._portable(record.getMessage())}")
            out.append(error(path, line, message + (f": {reason}" if reason else ""), "layout-lost"))
        return out

    def _portable(self, text: str) -> str:
        """A URL or message without this machine's paths: file URLs inside the book become relative."""
        root = str(self.fetcher.root)
        text = re.sub(r"file://(/[^\s'\"]*)", lambda m: unquote(urlsplit(m[0]).path), text)
        return text.replace(root + "/", "")
