"""Turn a book and its press PDF's page count into the cover spread (book-cover.pdf): back, spine and front
on one page with bleed and crop marks, laid out by WeasyPrint like the press PDF (PDF/X-4, CMYK).

The spine is pages / paper_ppi inches wide (book.yaml `print:`; publish/printspec.py); its text —
title, authors or editors, publisher, rotated to read top to bottom, centred — is set only from
spine_text_min_pages pages on, in the spine less SPINE_MARGIN on each side.
"""
from __future__ import annotations

import io
from pathlib import Path

from .. import model as m
from .. import printspec
from ..styles import Styles
from .credits import credit_lines

TEMPLATE = "pdf/spread.html"
CSS = ("css/print.css", "css/spread.css")
SPINE_MARGIN = 0.0625  # in: KDP's clearance between spine text and the folds
SPINE_FONT_MAX = 14.0  # pt: the spine text's line at most


def page_count(pdf: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return len(doc.pages)


def geometry(spec: m.PrintSpec, pages: int) -> dict:
    """The spread's measures in inches (spine_font, the spine text's line, in points)."""
    width, height = printspec.trim_in(spec)
    spine = printspec.spine_in(spec, pages)
    line = min(SPINE_FONT_MAX, (spine - 2 * SPINE_MARGIN) * 72)
    return {"trim_w": width, "trim_h": height, "spine": spine, "spine_font": max(line, 0.0),
            "spine_text": printspec.spine_text(spec, pages) and line > 0, "pages": pages}


def render_spread(book: m.Book, styles: Styles, labels: dict, *, pages: int, translated: m.Book | None = None,
                  base_url: str | Path | None = None) -> bytes:
    """The cover spread's PDF for an interior of `pages` pages; `translated`: a bilingual edition's
    translation (its titles and credits join the front)."""
    from .pdf import render_pdf

    tr_labels = styles.labels(translated.language) if translated is not None else {}
    context = {"g": geometry(book.printing, pages), "tr": translated,
               "credits": credit_lines(book, labels, translated.language if translated is not None else None),
               "tr_credits": credit_lines(translated, tr_labels) if translated is not None else ()}
    pdf, _map = render_pdf(book, styles, labels, variant="print", template=TEMPLATE, css=CSS, context=context,
                           base_url=base_url)
    return pdf
