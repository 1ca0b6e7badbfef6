"""The Japanese HTML and EPUB as Chromium lays them out: JLREQ's half-width punctuation pairs (span.halt
and the font's `halt`/`vhal`, publish/render/jlreq.py) measured from the text's boxes, never stacked
with Chromium's own trimming; and a vertical page (tests/books/tategaki) that a mouse wheel scrolls
sideways (publish/render/wheel.py), in the HTML only."""
from __future__ import annotations

import zipfile

import pytest

from publish import build as pipeline

from .conftest import BOOKS
from .helpers import chromium
from .jaweb import full_em, pairs, stacked


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def tategaki(tmp_path_factory):
    """The vertical fixture book's ja edition: its HTML site and its EPUB unzipped (epub/)."""
    out = tmp_path_factory.mktemp("tategaki-web")
    assert [str(d) for d in pipeline.build(BOOKS / "tategaki", ("html", "epub"), out) if d.severity == "error"] == []
    with zipfile.ZipFile(out / "ja" / "book.epub") as z:
        z.extractall(out / "ja" / "epub")
    return out / "ja"


def _measure(browser, paths, width=1280, height=900) -> list:
    page = browser.new_page(viewport={"width": width, "height": height})
    measured = []
    for path in paths:
        page.goto(path.resolve().as_uri())
        measured += [(path.name, *pair) for pair in pairs(page)]
    page.close()
    return measured


@pytest.mark.parametrize("edition, least", [("ja", 80), ("en-ja", 80)])
def test_consecutive_punctuation_is_set_half_width_in_the_html(browser, flagship_build, edition, least):
    measured = _measure(browser, sorted((flagship_build / edition / "html").glob("*.html")))
    assert len(measured) >= least  # the flagship's pairs (「なかで、「私たち」」, 」が」…) were found and measured
    assert full_em(measured) == []  # none with a full em between them (2 em for the two marks)
    assert stacked(measured) == []  # none trimmed twice (the spans and Chromium's text-spacing-trim)


def test_consecutive_punctuation_is_set_half_width_in_a_vertical_html_and_epub(browser, tategaki):
    for paths in ([tategaki / "html" / "preface.html"], [tategaki / "epub" / "EPUB" / "preface.xhtml"]):
        measured = _measure(browser, paths)
        assert [pair for _, pair, *_ in measured] == ["、「", "」」"]
        assert all(1.4 <= advance <= 1.6 for _, _, advance, _, _ in measured), measured  # 1.5 em: half + full (vhal)


WHERE = "() => [document.scrollingElement.scrollLeft, document.body.scrollLeft]"


@pytest.mark.parametrize("width", [900, 390])  # a desktop window (the page scrolls), a narrow one (the body)
def test_a_mouse_wheel_scrolls_the_vertical_page_on_to_the_left(browser, tategaki, width):
    moved = {}
    for script in (True, False):  # without the script (JavaScript off) the wheel does nothing
        context = browser.new_context(viewport={"width": width, "height": 480}, java_script_enabled=script)
        page = context.new_page()
        page.goto((tategaki / "html" / "chapter.html").resolve().as_uri())
        before = page.evaluate(WHERE)
        page.mouse.move(width / 2, 240)
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(200)
        after = page.evaluate(WHERE)
        moved[script] = sum(a - b for a, b in zip(after, before))
        context.close()
    assert moved[False] == 0
    assert moved[True] <= -250  # on through the text: right to left


def test_the_script_is_the_html_sites_and_never_the_epubs(tategaki):
    for page in ("index.html", "chapter.html", "preface.html"):
        assert '<script src="vertical-wheel.js"></script>' in (tategaki / "html" / page).read_text()
    assert (tategaki / "html" / "vertical-wheel.js").is_file()
    epub = tategaki / "epub" / "EPUB"
    assert not [p for p in epub.rglob("*") if p.suffix == ".js" or b"<script" in (p.read_bytes() if p.is_file() else b"")]
    assert "scripted" not in (epub / "content.opf").read_text()
