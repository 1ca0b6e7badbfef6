"""The Japanese HTML and EPUB as Chromium lays them out: JLREQ's half-width punctuation pairs (span.halt
and the font's `halt`/`vhal`, publish/render/jlreq.py) measured from the text's boxes, never stacked
with Chromium's own trimming; and a vertical page (tests/books/tategaki) that a mouse wheel scrolls
sideways (publish/render/wheel.py), in the HTML only."""
from __future__ import annotations

import zipfile

import pytest

from publish import build as pipeline

from .conftest import BOOKS
from .helpers import copy_book
from .jaweb import full_em, pairs, stacked


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


def vertical_site(tmp_path_factory, name: str):
    """The HTML site of tests/books/NAME's Japanese edition, set vertically."""
    root = copy_book(BOOKS / name, tmp_path_factory.mktemp(f"{name}-vertical") / "book")
    with (root / "manuscript" / "book.yaml").open("a", encoding="utf-8") as f:
        f.write("layout: {ja: vertical}\n")
    out = root / "out"
    assert [str(d) for d in pipeline.build(root, ("html",), out) if d.severity == "error"] == []
    return out / "ja" / "html"


@pytest.fixture(scope="module")
def stories_vertical(tmp_path_factory):
    """tests/books/stories set vertically: a poem, a list, an epigraph."""
    return vertical_site(tmp_path_factory, "stories")


FIRST_CHARACTERS = """() => [...document.querySelectorAll('.verse .line')].map(line => {
  const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  const text = walker.nextNode(), range = document.createRange();
  range.setStart(text, 0); range.setEnd(text, 1);
  const box = range.getBoundingClientRect(), size = parseFloat(getComputedStyle(line).fontSize);
  return {indent: line.className, top: box.top / size, right: box.right / size,
          lead: parseFloat(getComputedStyle(line).lineHeight) / size};
})"""


def test_a_vertical_poem_is_indented_down_the_line_and_set_at_the_leading(browser, stories_vertical):
    """screen.css's verse rules are horizontal (padding-left): in a vertical edition they put a line's
    width of blank between the lines of a poem and left its indentation out. vertical.css turns them:
    an indented line (two spaces: 1 em) starts 1 em lower than the line before, and a stanza's lines
    stand one leading apart."""
    page = browser.new_page(viewport={"width": 1100, "height": 800})
    page.goto((stories_vertical / "ferry.html").as_uri())
    lines = page.evaluate(FIRST_CHARACTERS)
    page.close()
    assert [line["indent"] for line in lines] == ["line", "line indent-2", "line", "line indent-2"], lines
    for first, second in (lines[0:2], lines[2:4]):
        assert abs((second["top"] - first["top"]) - 1.0) < 0.05, (first, second)  # 1 em lower
        assert abs((first["right"] - second["right"]) - first["lead"]) < 0.05, (first, second)  # the next line


@pytest.fixture(scope="module")
def translated_vertical(tmp_path_factory):
    """tests/books/translated set vertically (a takeaways box)."""
    return vertical_site(tmp_path_factory, "translated")


BOX = """() => {
  const box = document.querySelector('.takeaways'), style = getComputedStyle(box);
  const size = parseFloat(style.fontSize), rect = box.getBoundingClientRect();
  const next = box.nextElementSibling.getBoundingClientRect();
  return {top: parseFloat(style.borderTopWidth), left: parseFloat(style.borderLeftWidth),
          gap: (rect.left - next.right) / size};
}"""


def test_a_vertical_takeaways_box_has_its_bar_on_top_and_stands_clear_of_the_text(browser, translated_vertical):
    """screen.css's box is horizontal: its bar on the left and its space above and below. Set vertically,
    the bar fell after the box's lines and the paragraph after it touched the bar. vertical.css turns
    it: the bar along the top, where the lines begin, and at least an em to the next line."""
    page = browser.new_page(viewport={"width": 1100, "height": 700})
    page.goto((translated_vertical / "chapter.html").as_uri())
    box = page.evaluate(BOX)
    page.close()
    assert box["top"] > 2 and box["left"] == 0, box
    assert box["gap"] >= 1.0, box
