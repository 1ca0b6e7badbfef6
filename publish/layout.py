"""Turn an edition's Book into its print PDF and page map, laying the book out only when its final
HTML, CSS or the code changed (cached in build/.cache/layout/, keyed by their content).

An entry is one authenticated file (see cache.py): the page map as one line of JSON, then the PDF."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import confine
from . import model as m
from .cache import Store, cache_dir, code_version
from .render.pdf import book_html, render_pdf
from .styles import MAX_TEMPLATE, Styles


class Layout:
    def __init__(self, root: Path, styles: Styles):
        self.store = Store(cache_dir(root, "layout"), "layout", 2_000_000_000)
        self.dir = self.store.dir
        self.root, self.styles = Path(root), styles
        self.hits: list[str] = []

    def key(self, book: m.Book, labels: dict, variant: str) -> str:
        html, css = book_html(book, self.styles, labels, variant=variant)
        digest = hashlib.sha256(code_version().encode() + html.encode())
        for path in css:  # found by Styles.find: inside its styles folder
            digest.update(confine.read_bytes(path, [Path(path).parent], MAX_TEMPLATE * 20))
        return digest.hexdigest()

    def pdf(self, book: m.Book, labels: dict, variant: str = "ua", timings: dict | None = None) -> tuple[bytes, dict]:
        """The PDF and its page map, from the cache when this exact book was laid out before."""
        name = f"{self.key(book, labels, variant)}.layout"
        cached = _unpack(self.store.read(name))
        if cached is not None:
            self.hits.append(f"{book.language}/{variant}")
            return cached
        pdf, page_map = render_pdf(book, self.styles, labels, variant=variant,
                                   base_url=self.root / "manuscript", timings=timings)
        self.store.write(name, json.dumps(page_map, ensure_ascii=False).encode("utf-8") + b"\n" + pdf)
        return pdf, page_map


def _unpack(payload: bytes | None) -> tuple[bytes, dict] | None:
    """(PDF, page map) from an authenticated payload; None if it is not one."""
    if payload is None:
        return None
    line, newline, pdf = payload.partition(b"\n")
    try:
        page_map = json.loads(line.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not newline or type(page_map) is not dict or not pdf.startswith(b"%PDF-"):
        return None
    return pdf, page_map
