"""Turn an edition's Book into its print PDF and page map, laying the book out only when its final
HTML, CSS or the code changed (cached in build/.cache/layout/, keyed by their content)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import model as m
from .cache import code_version
from .render.pdf import book_html, render_pdf
from .styles import Styles
from .write import write_file


class Layout:
    def __init__(self, root: Path, styles: Styles):
        self.dir = Path(root) / "build" / ".cache" / "layout"
        self.root, self.styles = Path(root), styles
        self.hits: list[str] = []

    def key(self, book: m.Book, labels: dict, variant: str) -> str:
        html, css = book_html(book, self.styles, labels, variant=variant)
        digest = hashlib.sha256(code_version().encode() + html.encode())
        for path in css:
            digest.update(Path(path).read_bytes())
        return digest.hexdigest()

    def pdf(self, book: m.Book, labels: dict, variant: str = "ua", timings: dict | None = None) -> tuple[bytes, dict]:
        """The PDF and its page map, from the cache when this exact book was laid out before."""
        key = self.key(book, labels, variant)
        pdf_path, map_path = self.dir / f"{key}.pdf", self.dir / f"{key}.json"
        if pdf_path.is_file() and map_path.is_file():
            self.hits.append(f"{book.language}/{variant}")
            return pdf_path.read_bytes(), json.loads(map_path.read_text(encoding="utf-8"))
        pdf, page_map = render_pdf(book, self.styles, labels, variant=variant,
                                   base_url=self.root / "manuscript", timings=timings)
        write_file(pdf_path, pdf)
        write_file(map_path, json.dumps(page_map, ensure_ascii=False).encode("utf-8"))
        return pdf, page_map
