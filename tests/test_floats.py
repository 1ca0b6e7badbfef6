"""A figure that does not fit at a page's foot is set after the paragraphs that fill that page
(publish/render/floats.py), read back from the bilingual PDF of a small book. Before: the page before
the figure ends with more than three lines of blank. After: none, the figure heads the next page, the
paragraphs keep their order, and in the tags the figure follows the paragraph it was moved after."""
from __future__ import annotations

import io
import unicodedata

import pdfplumber
import pytest

from publish.render import floats

from .conftest import BOOKS
from .helpers import copy_book
from .test_bilingual_page import FIGURE, FIGURE_EN, FIGURE_JA, _english, _japanese, holes, render

LINE = 14.5  # points: the bilingual text's leading
BEFORE = 6  # paragraphs before the figure: the figure does not fit under the sixth


def make(root, before: int = BEFORE, after: int = 4, heading: bool = False):
    """tests/books/translated with a chapter of balanced four-line paragraphs, a figure after `before`
    of them (and a heading right after the figure, if `heading`)."""
    copy_book(BOOKS / "translated", root)
    english = [_english(i, 4) for i in range(before + after)]
    japanese = [_japanese(i, 4) for i in range(before + after)]
    body = english[:before] + [FIGURE] + (["## A Section"] if heading else []) + english[before:]
    (root / "manuscript" / "chapter.md").write_text("# On Machines\n\n" + "\n\n".join(body) + "\n")
    parallel = ["[chapter.title]\nen: On Machines\nja: 機械について\n"]
    if heading:
        parallel.append("[chapter.h1]\nen: A Section\nja: 節\n")
    parallel += [f"[chapter.p{i + 1}]\nen: {en}\nja: {ja}\n" for i, (en, ja) in enumerate(zip(english, japanese))]
    parallel += [f"[chapter.{key}]\nen: {FIGURE_EN[key]}\nja: {text}\n" for key, text in FIGURE_JA.items()]
    (root / "manuscript" / "ja" / "chapter.txt").write_text("\n".join(parallel), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def book_root(tmp_path_factory):
    return make(tmp_path_factory.mktemp("floats") / "book")


@pytest.fixture(scope="module")
def bilingual(book_root):
    return render(book_root)


@pytest.fixture(scope="module")
def unfloated(book_root):
    """The same book laid out as WeasyPrint places the figure (publish.render.floats switched off)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(floats.Floats, "read", lambda self, document: None)
        return render(book_root)


def squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def figure_page(plumb, marker: str = "ENGINEUSAGE") -> int:
    return next(n for n, page in enumerate(plumb.pages, 1) if marker in squeeze(page.extract_text() or ""))


def first_line(plumb, page_map: dict, number: int) -> str:
    """The first line of a page's text block (running heads and folios left out)."""
    x0, top, x1, bottom = page_map["pages"][number - 1]["box"]
    chars = [c for c in plumb.pages[number - 1].chars
             if c["text"].strip() and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
    least = min(c["top"] for c in chars)
    return squeeze("".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]) if c["top"] < least + 6))


def feet(pdf: bytes, page_map: dict, first: int, starts: set) -> tuple[dict, int, str]:
    """(holes' foot blanks {page: points}, the figure's page, the first line of that page)."""
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        number = figure_page(plumb)
        return holes(plumb, page_map, first, starts)["feet"], number, first_line(plumb, page_map, number)


def test_a_figure_that_does_not_fit_at_a_page_foot_heads_the_next_page_after_the_paragraphs_that_fill_it(
        bilingual, unfloated):
    """Bilingual: six four-line paragraph pairs, then the figure, which does not fit under them."""
    en, ja, pdf, page_map, _ = bilingual
    starts = {page_map[u.slug] for u in en.units}
    before, page_before, _ = feet(unfloated[2], unfloated[3], page_map["chapter"], starts)
    assert unfloated[3]["deferred"] == {}
    assert before.get(page_before - 1, 0) > 3 * LINE, before  # the fixture's premise: a blank of more than 3 lines
    after, page_after, line = feet(pdf, page_map, page_map["chapter"], starts)
    assert [gap for gap in after.values() if gap > 3 * LINE] == [], after
    assert page_after == page_before  # moved within its page: never more than one page
    assert line.startswith(squeeze("Figure 1. How are engines used?")), line  # the figure heads the page
    assert page_map["deferred"] == {"fig-usage": "chapter.p8"}  # after the next two paragraphs
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = squeeze("".join(page.extract_text() for page in plumb.pages))
    at = [text.find(f"omega{i:02d}") for i in range(BEFORE + 4)]
    assert -1 not in at and at == sorted(at)  # every paragraph printed, in the manuscript's order


def tagged_text(pdf: bytes) -> str:
    """The text of the PDF in the structure tree's reading order (each element's marked content, depth first)."""
    from pdfplumber.structure import PDFStructTree

    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text: dict = {}
        for number, page in enumerate(plumb.pages, 1):
            for c in page.chars:
                text[(number, c.get("mcid"))] = text.get((number, c.get("mcid")), "") + c["text"]

        def walk(element):
            for mcid in element.mcids or ():
                out.append(text.get((element.page_number, mcid), ""))
            for child in element.children:
                walk(child)

        for element in PDFStructTree(plumb):
            walk(element)
    return squeeze("".join(out))


def test_the_moved_figure_is_read_where_it_is_printed(bilingual):
    """The structure tree reads the two paragraphs the figure was moved after (their English, then
    their Japanese), then the figure, then the next paragraph; the figure's id is where it is printed."""
    _, _, pdf, page_map, _ = bilingual
    text = tagged_text(pdf)
    marks = ["omega06", "終わり06", "omega07", "終わり07", squeeze("Figure 1. How are engines used?"), "ENGINEUSAGE",
             "Paragraph08"]
    at = [text.find(mark) for mark in marks]
    assert -1 not in at and at == sorted(at), list(zip(marks, at))
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        assert page_map["fig-usage"] == figure_page(plumb)  # its id is where it is printed


def test_a_figure_is_never_moved_past_a_heading(tmp_path):
    """With a heading right after the figure there is no paragraph to fill the blank with: the figure
    stays where WeasyPrint puts it."""
    en, ja, pdf, page_map, _ = render(make(tmp_path / "book", heading=True))
    assert page_map["deferred"] == {}
    starts = {page_map[u.slug] for u in en.units}
    before, number, line = feet(pdf, page_map, page_map["chapter"], starts)
    assert before.get(number - 1, 0) > 3 * LINE and line.startswith(squeeze("Figure 1.")), (before, number, line)
