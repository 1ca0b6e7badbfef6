"""Covers and the press-ready PDF: the front cover first in the screen PDF, the EPUB and the HTML and in no
press interior; the press PDF's boxes, crop marks and PDF/X declaration; the cover spread's spine."""
from __future__ import annotations

import io
import zipfile

import pdfplumber
import pikepdf
import pytest
from lxml import etree, html as lxml_html

from publish import printspec
from publish.artifacts import cmyk_profile
from publish.build import build, load_all
from publish.cache import ConvertCache
from publish.render.spread import geometry, render_spread
from publish.styles import Styles

from .conftest import REPO
from .helpers import copy_book

BOOKS = REPO / "tests" / "books"
BLEED = 9.0  # pt: 0.125 in


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The translated fixture book, every format of its English and bilingual editions."""
    book = tmp_path_factory.mktemp("cover") / "book"
    copy_book(BOOKS / "translated", book)
    build(book, ("html", "pdf", "print", "epub"), only=("en", "en-ja"), jobs=1)
    return book, book / "build" / "current"


def boxes(page) -> dict:
    return {key: [float(v) for v in page.obj[key]] for key in ("/MediaBox", "/BleedBox", "/TrimBox")}


@pytest.mark.parametrize("name", ["book-print.pdf", "book-cover.pdf"])
def test_press_boxes_media_beyond_bleed_beyond_trim(built, name):
    for edition in ("en", "en-ja"):
        with pikepdf.open(built[1] / edition / name) as pdf:
            for page in pdf.pages:
                box = boxes(page)
                trim, bleed, media = box["/TrimBox"], box["/BleedBox"], box["/MediaBox"]
                assert [round(b - t, 3) for b, t in zip(bleed, trim)] == [-BLEED, -BLEED, BLEED, BLEED]
                assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]


def test_crop_marks_lie_outside_the_bleed(built):
    with pdfplumber.open(built[1] / "en" / "book-print.pdf") as pdf:
        page = pdf.pages[0]
        x0, y0, x1, y1 = (float(v) for v in page.page_obj.attrs["BleedBox"])
        media_bottom = float(page.page_obj.attrs["MediaBox"][1])
        # pdfplumber: x in the PDF's user space, y0/y1 from the MediaBox's bottom edge
        lines = [(line["x0"], line["y0"] + media_bottom, line["x1"], line["y1"] + media_bottom) for line in page.lines]
        outside = [ln for ln in lines if ln[2] <= x0 or ln[0] >= x1 or ln[3] <= y0 or ln[1] >= y1]
        in_bleed = [ln for ln in lines if ln not in outside
                    and (ln[0] < x0 + BLEED or ln[2] > x1 - BLEED or ln[1] < y0 + BLEED or ln[3] > y1 - BLEED)]
        assert len(outside) == 8  # two marks at each corner
        assert in_bleed == []  # none in the bleed (WeasyPrint's own marks sat there, 5 pt from the trim)


@pytest.mark.skipif(cmyk_profile() is None, reason="no CMYK ICC profile: the press PDF is not PDF/X")
@pytest.mark.parametrize("name", ["book-print.pdf", "book-cover.pdf"])
def test_press_pdf_declares_pdfx4(built, name):
    with pikepdf.open(built[1] / "en" / name) as pdf:
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-4"
        assert str(pdf.docinfo["/Trapped"]) == "/False"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX" and "/DestOutputProfile" in intent
        assert b"GTS_PDFXVersion>PDF/X-4<" in pdf.Root.Metadata.read_bytes()


def text_of(path, page):
    with pdfplumber.open(path) as pdf:
        return pdf.pages[page].extract_text() or ""


def test_the_screen_pdf_opens_on_its_cover_and_the_press_pdf_has_none(built):
    out = built[1]
    assert "TEST PRESS" in text_of(out / "en" / "book.pdf", 0)  # the cover's publisher line, in capitals
    with pikepdf.open(out / "en" / "book.pdf") as screen, pikepdf.open(out / "en" / "book-print.pdf") as press:
        assert str(screen.Root.PageLabels.Nums[1].P) == "Cover"
        assert screen.Root.PageLabels.Nums[2] == 2  # the cover and its inside: then folio i
        labels = press.Root.PageLabels.Nums
        assert all("/P" not in labels[i] for i in range(1, len(labels), 2))
        assert len(press.pages) == len(screen.pages) - 2  # no cover, no inside cover (the fixture has no back cover)
    with pdfplumber.open(out / "en" / "book-print.pdf") as press:
        assert not any("TEST PRESS" in (page.extract_text() or "") for page in press.pages)
        assert "A Small Book" in (press.pages[0].extract_text() or "")  # the title page first


def test_the_bilingual_covers_carry_both_titles(built):
    out = built[1]
    first = text_of(out / "en-ja" / "book.pdf", 0)
    assert "A Small Book" in first and "小さな本" in first
    with zipfile.ZipFile(out / "en-ja" / "book.epub") as epub:
        cover = etree.fromstring(epub.read("EPUB/cover.xhtml"))
        alt = cover.xpath("//*[local-name()='img']/@alt")[0]
        assert "A Small Book" in alt and "小さな本" in alt


def test_the_epub_opens_on_its_cover(built):
    with zipfile.ZipFile(built[1] / "en" / "book.epub") as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        ns = {"opf": "http://www.idpf.org/2007/opf"}
        first = opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=ns)[0]
        href = opf.xpath(f"//opf:item[@id='{first}']/@href", namespaces=ns)[0]
        assert href == "cover.xhtml"
        assert opf.xpath("//opf:item[@properties='cover-image']", namespaces=ns)


@pytest.mark.parametrize("edition", ["en", "en-ja"])
def test_the_html_index_opens_on_the_cover(built, edition):
    page = lxml_html.parse(str(built[1] / edition / "html" / "index.html"))
    first = page.xpath("//main/*")[0]
    assert "cover" in first.get("class").split()
    assert "A Small Book" in first.xpath(".//h1")[0].text_content()


def test_spine_width_is_the_interior_pages_over_paper_ppi(built):
    out = built[1]
    with pikepdf.open(out / "en" / "book-print.pdf") as press, pikepdf.open(out / "en" / "book-cover.pdf") as cover:
        pages = len(press.pages)
        assert len(cover.pages) == 1
        trim = [float(v) for v in cover.pages[0].obj.TrimBox]
    spec = printspec.print_spec({})
    width, height = printspec.trim_in(spec)
    assert trim[2] - trim[0] == pytest.approx((2 * width + pages / 444) * 72, abs=0.01)
    assert trim[3] - trim[1] == pytest.approx(height * 72, abs=0.01)


def test_spine_arithmetic_and_text_threshold():
    spec = printspec.print_spec({"print": {"trim": "6x9in", "paper_ppi": 400, "spine_text_min_pages": 100}})
    assert printspec.trim_in(spec) == (6.0, 9.0)
    assert printspec.spine_in(spec, 300) == pytest.approx(0.75)
    assert geometry(spec, 99)["spine_text"] is False
    assert geometry(spec, 100)["spine_text"] is True
    assert printspec.trim_in(printspec.print_spec({"print": {"trim": "148x210mm"}})) == pytest.approx((5.8268, 8.2677), abs=1e-4)
    assert printspec.print_spec({}).marks is True and printspec.print_spec({"print": {"marks": False}}).marks is False
    assert printspec.validate({"print": {"trim": "9x6in"}}, {}, "b")[0].code == "print-invalid"  # landscape


def spine_chars(pdf_bytes: bytes, pages: int) -> str:
    """The characters set in the spine's strip of the spread."""
    spec = printspec.print_spec({})
    width = printspec.trim_in(spec)[0] * 72
    spine = printspec.spine_in(spec, pages) * 72
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        x_trim = float(page.page_obj.attrs["TrimBox"][0])  # pdfplumber's x: the PDF's user space
        return "".join(c["text"] for c in page.chars
                       if x_trim + width <= (c["x0"] + c["x1"]) / 2 <= x_trim + width + spine)


def test_spine_text_only_from_the_minimum_page_count():
    root = BOOKS / "minimal"
    book = load_all(root, ConvertCache(root)).book
    styles = Styles.for_book(root)
    labels = styles.labels("en")
    thick = spine_chars(render_spread(book, styles, labels, pages=400, base_url=root / "manuscript"), 400)
    assert "A Small Book" in thick.replace("\n", "") or sorted("ASmallBook") <= sorted(thick.replace(" ", ""))
    assert "Test Press" in thick or sorted("TestPress") <= sorted(thick.replace(" ", ""))
    thin = spine_chars(render_spread(book, styles, labels, pages=79, base_url=root / "manuscript"), 79)
    assert thin == ""
