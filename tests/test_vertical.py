"""Vertical editions (縦書き, `layout: {ja: vertical}`), read from the built outputs of tests/books/tategaki
and of tests/books/translated made vertical: the edition's CSS, the EPUB package, tate-chū-yoko spans,
and the warning that the PDF stays horizontal (with a PDF that is horizontal)."""
from __future__ import annotations

import re
import zipfile

import pdfplumber
import pytest
from click.testing import CliRunner

from publish import build as pipeline
from publish.cli import main
from publish.render.tategaki import tcy

from .conftest import BOOKS
from .helpers import copy_book

BOOK = BOOKS / "tategaki"
WARNING = ("manuscript/book.yaml:8: warning: the PDF of edition 'ja' stays horizontal: WeasyPrint, the PDF layout "
           "engine, cannot set vertical text (its HTML and EPUB are vertical) [layout-vertical-pdf]\n")
WRITING_MODE = re.compile(r"html\s*\{[^}]*(?<![-\w])writing-mode:\s*vertical-rl")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("tategaki")
    assert [str(d) for d in pipeline.build(BOOK, ("html", "pdf", "epub"), out) if d.severity == "error"] == []
    return out / "ja"


def test_tate_chu_yoko_wraps_one_or_two_digits_only():
    text = "12月25日、第3章、2024年、500キロ、COVID-19、W3C、1.5倍、3/4、10:30、A4判、x2"
    assert re.findall(r'<span class="tcy">(\d+)</span>', str(tcy(text))) == ["12", "25", "3"]
    assert str(tcy("<b>1</b>")) == '&lt;b&gt;<span class="tcy">1</span>&lt;/b&gt;'  # escaped as before
    spaced = "第\u20053\u2005章、2024\u2005年\u20055\u2005月、COVID-19\u2005への"  # a translation's quarter ems
    assert str(tcy(spaced)) == ('第<span class="tcy">3</span>章、2024\u2005年<span class="tcy">5</span>月、'
                                'COVID-19\u2005への')  # gone beside an upright run only


def test_check_warns_that_the_pdf_stays_horizontal():
    result = CliRunner().invoke(main, ["check", str(BOOK)])
    assert (result.exit_code, result.stderr) == (0, WARNING)


def test_html_edition_is_vertical(built):
    css = (built / "html" / "css" / "vertical.css").read_text()
    assert WRITING_MODE.search(css) and "text-combine-upright: all" in css and "text-orientation: mixed" in css
    site = (built / "html" / "css" / "vertical-screen.css").read_text()
    assert "overflow: auto hidden" in site  # the body scrolls sideways: a phone does not zoom out
    for page in ("index.html", "chapter.html", "preface.html"):
        html = (built / "html" / page).read_text()
        assert '<link rel="stylesheet" href="css/vertical.css">' in html
        assert '<link rel="stylesheet" href="css/vertical-screen.css">' in html
    chapter = (built / "html" / "chapter.html").read_text()
    assert re.findall(r'<span class="tcy">(\d+)</span>', chapter) == ["12", "25", "2", "4", "3", "3", "2", "30", "1", "8", "11"]
    assert "2024年" in chapter and "500キロ" in chapter and "W3C" in chapter  # longer runs, digits in words: as written


def test_template_made_digits_stand_upright_too(built):
    """The table's number (表 1) and the date the templates write get the manuscript's tate-chū-yoko spans."""
    number = '<span class="table-number">表<span class="tcy">1</span></span>'
    date = '2024\u2005年<span class="tcy">5</span>月'
    assert number in (built / "html" / "chapter.html").read_text()
    assert f'<p class="date">{date}</p>' in (built / "html" / "index.html").read_text()
    with zipfile.ZipFile(built / "book.epub") as z:
        assert number in z.read("EPUB/chapter.xhtml").decode()
        assert date in z.read("EPUB/title-page.xhtml").decode()


def test_epub_is_vertical_and_turns_right_to_left(built):
    with zipfile.ZipFile(built / "book.epub") as z:
        opf, css = z.read("EPUB/content.opf").decode(), z.read("EPUB/css/epub.css").decode()
        chapter = z.read("EPUB/chapter.xhtml").decode()
    assert '<spine page-progression-direction="rtl">' in opf
    assert '<meta property="rendition:layout">reflowable</meta>' in opf
    assert WRITING_MODE.search(css) and "-epub-writing-mode: vertical-rl" in css
    assert "overflow: auto hidden" not in css  # the site's geometry would clip a reading system's pages
    assert '<span class="tcy">12</span>月<span class="tcy">25</span>日' in chapter


def test_pdf_stays_horizontal(built):
    with pdfplumber.open(built / "book.pdf") as pdf:
        for page in pdf.pages:
            chars = [c for c in page.chars if "一" <= c["text"] <= "龥" and c["size"] > 8]
            if len(chars) > 40:
                break
        lines = {}
        for c in chars:
            lines.setdefault(round(c["top"]), []).append(c)
    longest = max(lines.values(), key=len)
    assert len(longest) > 10  # many characters side by side on one baseline: a horizontal line
    assert all(c["upright"] for c in longest)


def test_translated_edition_can_be_vertical(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "translated", book)
    with (book / "manuscript" / "book.yaml").open("a") as f:
        f.write("layout:\n  ja: vertical\n")
    result = CliRunner().invoke(main, ["build", str(book), "--format", "html", "--format", "epub", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "[layout-vertical-pdf]" in result.stderr
    build = book / "build"
    assert (build / "ja" / "html" / "css" / "vertical.css").exists()
    assert (build / "en" / "html" / "css" / "screen.css").exists() and (build / "en-ja" / "html" / "index.html").exists()
    assert not (build / "en" / "html" / "css" / "vertical.css").exists()
    assert not (build / "en-ja" / "html" / "css" / "vertical.css").exists()
    with zipfile.ZipFile(build / "ja" / "book.epub") as z:
        assert 'page-progression-direction="rtl"' in z.read("EPUB/content.opf").decode()
    with zipfile.ZipFile(build / "en" / "book.epub") as z:
        assert "page-progression-direction" not in z.read("EPUB/content.opf").decode()


@pytest.mark.parametrize("layout, message", [
    ("vertical", "'layout' maps an edition's language to horizontal or vertical (layout: {ja: vertical})"),
    ({"ja": ["vertical"]}, "the layout of 'ja' is horizontal or vertical, not ['vertical']"),
    ({"ko": "vertical"}, "'layout' for 'ko', which is neither the book's language nor in 'translations'"),
])
def test_layout_that_is_not_a_language_and_a_layout_is_refused(layout, message):
    from publish.vertical import validate

    found = validate({"language": "en", "translations": ["ja"], "layout": layout}, {("layout",): 7}, "manuscript/book.yaml")
    assert [(d.line, d.severity, d.message, d.code) for d in found] == [(7, "error", message, "meta-invalid")]


def test_a_horizontal_edition_says_nothing_and_stays_horizontal():
    from publish.vertical import layouts, validate

    meta = {"language": "ja", "layout": {"ja": "horizontal"}}
    assert validate(meta, {}, "manuscript/book.yaml") == [] and layouts(meta) == ()
