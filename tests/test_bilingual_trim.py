"""The bilingual PDF's title and copyright pages on a trim other than US Letter (book.yaml `print: trim`):
every character inside the text block, none over another (publish/render/trimstyle.py, pdf/trim.html)."""
from __future__ import annotations

import pdfplumber
import pytest

from publish.render import trimstyle

from .conftest import BOOKS
from .helpers import copy_book
from .test_bilingual_page import render

INNER, OUTER = 0.95 * 72, 0.8 * 72  # css/print-bilingual.css's page margins on letter (pt), recto: inner on the left


def _pages(pdf_bytes, path):
    path.write_bytes(pdf_bytes)
    with pdfplumber.open(path) as pdf:
        pages = [(n, p.width, p.height, [c for c in p.chars if not c["text"].isspace()])
                 for n, p in enumerate(pdf.pages, 1)]
    title = next(page for page in pages if "TestPress" in "".join(c["text"] for c in page[3]))  # not the cover (TEST PRESS)
    copyright_ = next(page for page in pages if "©" in "".join(c["text"] for c in page[3]))
    return title, copyright_


def _outside(page) -> list:
    number, width, height, chars = page
    inner, outer = INNER, OUTER
    if abs(width - 612) > 1:  # narrower side margins on a narrower page (publish/render/trimstyle.py)
        inner, outer = (max(least, wide * min(width / 612, 1.0)) * 72 for wide, least in
                        (trimstyle.BILINGUAL_INNER, trimstyle.BILINGUAL_OUTER))
    left, right = (inner, width - outer) if number % 2 else (outer, width - inner)
    top, bottom = trimstyle.BILINGUAL_TOP * 72, height - trimstyle.BILINGUAL_BOTTOM * 72
    return [(number, c["text"], round(c["x0"]), round(c["top"])) for c in chars
            if c["x0"] < left - 0.5 or c["x1"] > right + 0.5 or c["top"] < top - 0.5 or c["bottom"] > bottom + 0.5]


def _overlapping(page) -> list:
    """Two characters drawn over each other (more than half the narrower's width: not a kerned "Te")."""
    chars = page[3]
    return [(a["text"], b["text"]) for i, a in enumerate(chars) for b in chars[i + 1:]
            if min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.5 * min(a["x1"] - a["x0"], b["x1"] - b["x0"])
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1]


@pytest.mark.parametrize("trim", ["6x9", "a4", "letter"])
def test_the_bilingual_title_and_copyright_pages_stay_inside_the_text_block(trim, tmp_path):
    root = copy_book(BOOKS / "translated", tmp_path / "book")
    with (root / "manuscript" / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(f"print: {{trim: {trim}}}\n")
    _, _, pdf, _, _ = render(root)
    title, copyright_ = _pages(pdf, tmp_path / "book.pdf")
    assert title[0] != copyright_[0]
    text = "".join(c["text"] for c in title[3])
    assert "ASmallBook" in text and "TestPress" in text and "2024年5月" in text  # title to imprint line
    assert _outside(title) == [] and _outside(copyright_) == []
    assert _overlapping(title) == [] and _overlapping(copyright_) == []


def test_on_a_narrow_trim_the_side_margins_narrow_so_the_columns_keep_their_measure(tmp_path):
    """6×9 in: the side margins 0.67 and 0.56 in, not letter's 0.95 and 0.8 in (a text block 0.52 in
    wider: the Japanese column 15 characters a line instead of 13)."""
    root = copy_book(BOOKS / "translated", tmp_path / "book")
    with (root / "manuscript" / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("print: {trim: 6x9}\n")
    _, _, pdf, _, _ = render(root)
    (tmp_path / "book.pdf").write_bytes(pdf)
    with pdfplumber.open(tmp_path / "book.pdf") as doc:
        widths = [max(c["x1"] for c in chars) - min(c["x0"] for c in chars) for page in doc.pages
                  if len(chars := [c for c in page.chars if not c["text"].isspace()]) > 200]
    block = 6 * 72 - (max(0.6, 0.95 * 6 / 8.5) + max(0.5, 0.8 * 6 / 8.5)) * 72
    assert widths and max(widths) > 6 * 72 - INNER - OUTER + 20
    assert max(widths) <= block + 0.5
