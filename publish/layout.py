"""Turn an edition's Book (or an original and its translation) into its PDF and page map, laying the
book out only when its final HTML, CSS or the code changed (cached in build/.cache/layout/, keyed by
their content). The HTML made for the key is the one laid out: book_html runs once a layout.

An entry is one authenticated file (see cache.py): the page map as one line of JSON, then the PDF.
`defer=True` (a worker process): entries are kept in `pending` for the parent to write (`commit`).
A process that misses an entry another is laying out waits for it (publish.entrylock)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import confine, fonts
from . import model as m
from .cache import Store, cache_dir, code_version
from .entrylock import EntryLock, written
from .styles import MAX_TEMPLATE, Styles


class Layout:
    def __init__(self, root: Path, styles: Styles, defer: bool = False):
        self.store = Store(cache_dir(root, "layout"), "layout", 2_000_000_000)
        self.dir = self.store.dir
        self.root, self.styles = Path(root), styles
        self.hits: list[str] = []
        self.made: list[str] = []  # what was laid out (not served from the cache)
        self.defer, self.pending = defer, []

    def key(self, html: str, css, standard: str = "") -> str:
        digest = hashlib.sha256(code_version().encode() + standard.encode() + html.encode())
        for path in css:  # found by Styles.find: inside its styles folder
            digest.update(confine.read_bytes(path, [Path(path).parent], MAX_TEMPLATE * 20))
        digest.update(fonts.key(css).encode())  # the font files it can use: (path, size, mtime)
        return digest.hexdigest()

    def pdf(self, book: m.Book, labels: dict, variant: str = "ua", timings: dict | None = None) -> tuple[bytes, dict]:
        """The PDF and its page map, from the cache when this exact book was laid out before."""
        from .render.pdf import book_html, render_pdf  # an HTML-only build imports no PDF renderer

        html, css = book_html(book, self.styles, labels, variant=variant)
        return self._cached(f"{book.language}/{variant}", html, css, lambda: render_pdf(
            book, self.styles, labels, variant=variant, base_url=self.root / "manuscript", timings=timings, html=html),
            book.pdf_standard)

    def bilingual(self, original: m.Book, translated: m.Book, labels: dict, labels_tr: dict, variant: str = "ua",
                  timings: dict | None = None) -> tuple[bytes, dict]:
        """The bilingual PDF and its page map, likewise (keyed by its first layout's HTML)."""
        from .render.bilingual_pdf import bilingual_book_html, render_bilingual_pdf

        html, css = bilingual_book_html(original, translated, self.styles, labels, labels_tr, variant=variant)
        return self._cached(f"{original.language}-{translated.language}/{variant}", html, css, lambda: render_bilingual_pdf(
            original, translated, self.styles, labels, labels_tr, base_url=self.root / "manuscript", variant=variant,
            timings=timings, html=html), original.pdf_standard)

    def _cached(self, what: str, html: str, css, render, standard: str = "") -> tuple[bytes, dict]:
        name = f"{self.key(html, css, standard)}.layout"
        cached = _unpack(self.store.read(name))
        if cached is None:  # another process laying out the same entry now: wait for it, then read it
            with EntryLock(self.dir, name) as lock:
                cached = _unpack(self.store.read(name))
                if cached is None:
                    pdf, page_map = render()
                    self.made.append(what)
                    entry = (name, json.dumps(page_map, ensure_ascii=False).encode("utf-8") + b"\n" + pdf)
                    self.pending.append(entry) if self.defer else self.store.write(*entry)
                    lock.keep = self.defer  # held until the parent has written it (commit)
                    return pdf, page_map
        self.hits.append(what)
        return cached

    def commit(self, entry: tuple[str, bytes]) -> None:
        """Write an entry a worker made (`pending`) and let go of its lock."""
        self.store.write(*entry)
        written(self.dir, entry[0])


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
