"""Turn a book directory into its editions: read → check → model → render → write."""
from __future__ import annotations

from pathlib import Path

from . import model as m
from .assemble import assemble
from .cache import ConvertCache
from .check import check
from .diagnostics import BookError, Diagnostic, has_errors
from .read import read_book
from .render.html import render_site
from .styles import Styles
from .write import write_tree

FORMATS = ("html",)


def load(root: Path, cache: ConvertCache | None = None) -> tuple[m.Book | None, list[Diagnostic]]:
    """Read and check a book; the model and every diagnostic found."""
    reading = read_book(root, known=cache.has if cache else lambda source: False)
    book, diagnostics = assemble(reading, cache)
    diagnostics = list(reading.diagnostics) + diagnostics
    if book is not None and not has_errors(diagnostics):
        diagnostics += check(book, root)
    return book, diagnostics


def build(root: Path, formats=FORMATS, out: Path | None = None, progress=lambda step: None) -> list[Diagnostic]:
    """Build the editions asked for into `out` (default: root/build); raise BookError on errors."""
    root = Path(root)
    out = Path(out) if out else root / "build"
    progress("reading the manuscript")
    book, diagnostics = load(root, ConvertCache(root))
    if has_errors(diagnostics):
        raise BookError(diagnostics)
    styles = Styles.for_book(root)
    labels = styles.labels(book.language)
    lang = book.language.split("-")[0]
    if "html" in formats:
        progress("rendering the HTML edition")
        write_tree(out / lang / "html", render_site(book, styles, labels))
    return diagnostics
