"""Any trim without the book's own CSS: tests/books/classic on 6x9 in and A5, measured from its PDFs — the
page is the trim, the measure 60–75 characters, no line past it, no text outside the margins, folios on
the text pages, veraPDF 0; the press PDF's boxes and the cover spread's width for 6x9 in."""
from __future__ import annotations

import re
import shutil

import pdfplumber
import pikepdf
import pytest

from publish import printspec
from publish.build import build
from publish.model import PrintSpec
from publish.referees import RefereeUnavailable, verapdf
from publish.render.trimstyle import geometry

from .conftest import REPO
from .pdf_measure import measure

BOOKS = REPO / "tests" / "books"
BLEED = 9.0  # pt
TRIMS = {"6x9in": (432.0, 648.0), "a5": (148 / 25.4 * 72, 210 / 25.4 * 72)}
COVER_PAGES = 2  # the screen PDF's front cover and its inside


@pytest.fixture(scope="module", params=list(TRIMS))
def trimmed(request, tmp_path_factory):
    """(trim, geometry, folder of the built en edition) of the classic book on this trim."""
    book = tmp_path_factory.mktemp("trim") / "book"
    shutil.copytree(BOOKS / "classic", book, ignore=shutil.ignore_patterns("build"))
    yaml = book / "manuscript" / "book.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + f"print: {{trim: {request.param}}}\n", encoding="utf-8")
    formats = ("pdf", "print") if request.param == "6x9in" else ("pdf",)
    build(book, formats, only=("en",), jobs=1)
    return request.param, geometry(PrintSpec(trim=request.param), "en"), book / "build" / "current" / "en"


def test_every_page_is_the_trim(trimmed):
    trim, _, out = trimmed
    with pikepdf.open(out / "book.pdf") as pdf:
        boxes = [[float(v) for v in page.obj.get("/TrimBox", page.obj.MediaBox)] for page in pdf.pages]
        boxes += [[float(v) for v in page.obj.MediaBox] for page in pdf.pages]
    assert boxes == [pytest.approx([0.0, 0.0, *TRIMS[trim]], abs=0.02)] * len(boxes)


def test_the_measure_is_60_to_75_characters_and_no_line_passes_it(trimmed):
    _, g, out = trimmed
    setting = measure(out / "book.pdf", size=g["body"] or 10.5)
    assert len(setting.justified) > 100
    assert 60 <= setting.chars_per_line() <= 75, setting.chars_per_line()
    assert setting.over == []
    block = g["measure"] * 72
    for left, right in setting.edges.values():
        assert right - left == pytest.approx(block, abs=1.5)


def text_pages(path):
    """(1-based page number, width, height, characters) of every page after the front cover."""
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if number > COVER_PAGES:
                yield number, float(page.width), float(page.height), [c for c in page.chars if c["text"].strip()]


def test_no_text_outside_the_margins_and_folios_on_the_text_pages(trimmed):
    _, g, out = trimmed
    folios, heads = {}, set()
    for number, width, height, chars in text_pages(out / "book.pdf"):
        inner, outer = g["inner"] * 72, g["outer"] * 72
        left, right = (inner, width - outer) if number % 2 else (outer, width - inner)  # odd pages are rectos
        stray = [c["text"] for c in chars if c["x0"] < left - 1 or c["x1"] > right + 1]
        assert stray == [], (number, "".join(stray))
        top, bottom = g["top"] * 72, height - g["bottom"] * 72
        head = [c for c in chars if c["bottom"] < top]
        foot = [c for c in chars if c["top"] > bottom]
        assert all(c["size"] <= 8.01 for c in head), (number, "".join(c["text"] for c in head))  # running heads
        assert all(c["top"] > 0 and c["bottom"] < height for c in chars)
        folio = "".join(c["text"] for c in sorted(foot, key=lambda c: c["x0"]))
        assert re.fullmatch(r"|\d+|[ivxlc]+", folio), (number, folio)
        if folio:
            folios[number] = folio
        if head:
            heads.add(number)
    arabic = {n: int(f) for n, f in folios.items() if f.isdigit()}
    assert len(arabic) >= 4 and set(folios) == heads, (folios, heads)  # a page with a running head has its folio
    assert len({n - f for n, f in arabic.items()}) == 1, arabic  # one folio a page, in order


def test_verapdf_finds_nothing(trimmed):
    _, _, out = trimmed
    try:
        found = verapdf.check_declared([out / "book.pdf"])
    except RefereeUnavailable as exc:
        pytest.skip(str(exc))
    assert [str(f) for f in found] == []


def boxes(page) -> dict:
    return {key: [float(v) for v in page.obj[key]] for key in ("/MediaBox", "/BleedBox", "/TrimBox")}


def test_the_press_pdf_and_the_cover_spread_on_6x9(trimmed):
    trim, _, out = trimmed
    if trim != "6x9in":
        pytest.skip("the press edition is built on 6x9 in only")
    with pikepdf.open(out / "book-print.pdf") as pdf:
        pages = len(pdf.pages)
        for page in pdf.pages:
            box = boxes(page)
            trim_box, bleed, media = box["/TrimBox"], box["/BleedBox"], box["/MediaBox"]
            assert [round(v - t, 3) for v, t in zip(bleed, trim_box)] == [-BLEED, -BLEED, BLEED, BLEED]
            assert (round(trim_box[2] - trim_box[0], 2), round(trim_box[3] - trim_box[1], 2)) == (432.0, 648.0)
            assert media[0] < bleed[0] and media[2] > bleed[2]
    spec = printspec.print_spec({"print": {"trim": "6x9in"}})
    with pikepdf.open(out / "book-cover.pdf") as cover:
        box = boxes(cover.pages[0])
    spine = pages / spec.paper_ppi * 72
    assert box["/TrimBox"][2] - box["/TrimBox"][0] == pytest.approx(2 * 432 + spine, abs=0.01)
    assert box["/BleedBox"][2] - box["/BleedBox"][0] == pytest.approx(2 * 432 + spine + 2 * BLEED, abs=0.01)
    assert box["/TrimBox"][3] - box["/TrimBox"][1] == pytest.approx(648.0, abs=0.01)


def test_letter_writes_no_trim_block_and_a_narrow_page_a_smaller_body():
    assert geometry(PrintSpec(), "en") is None
    assert geometry(PrintSpec(trim="8.5x11in"), "en") is None
    six, a5, a4 = (geometry(PrintSpec(trim=t), "en") for t in ("6x9in", "a5", "a4"))
    assert six["body"] == 10.0 and a5["body"] == 9.75 and a4["body"] is None and a4["measure"] == 5.1
    assert 60 <= six["chars"] <= 75 and 60 <= a5["chars"] <= 75
    ja = geometry(PrintSpec(trim="6x9in"), "ja")
    assert ja["chars"] == 33 and ja["measure"] * 72 == pytest.approx(329.2)  # a whole number of 10 pt characters
