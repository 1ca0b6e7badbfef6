"""The bilingual HTML as Chromium prints it (tests/books/stories): the translation's side of a list
item or an endnote carries the original's label (styles/css/bilingual.css), which the li's own
marker gives the original only."""
from __future__ import annotations

import io
import zipfile
import unicodedata

import pdfplumber
import pytest

from publish import build as pipeline

from .conftest import BOOKS


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("stories-web")
    assert [str(d) for d in pipeline.build(BOOKS / "stories", ("html", "epub"), out) if d.severity == "error"] == []
    with zipfile.ZipFile(out / "en-ja" / "book.epub") as z:
        z.extractall(out / "en-ja" / "epub")
    return out / "en-ja" / "html"


def printed(browser, site, name: str, width: int) -> str:
    """The page printed by Chromium at `width` CSS px (the two columns side by side from 48rem), as text."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((site / name).as_uri())
    pdf = page.pdf(width=f"{width}px", height="3000px", print_background=False)
    page.close()
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = "".join("".join((p.extract_text() or "").split()) for p in plumb.pages)
    return unicodedata.normalize("NFKC", text)  # Chromium's PDF maps some kanji to Kangxi radicals (⼿ for 手)


@pytest.mark.parametrize("width", [1280, 600])
def test_the_translations_list_items_and_notes_carry_the_originals_numbers(browser, site, width):
    text = printed(browser, site, "ferry.html", width)
    for label in ("1.チェロケース", "2.前の便", "3.行き先", "1.その手紙"):  # the items, then the endnote
        assert label in text, (label, text)
    assert "1.aschoolteacher" in text and "1.Theletters" in text


TRANSLATED_LINES = """() => [...document.querySelectorAll('.verse p.tr')].map(line => {
  const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
  const text = walker.nextNode(), range = document.createRange();
  range.setStart(text, 0); range.setEnd(text, 1);
  const size = parseFloat(getComputedStyle(line).fontSize);
  return {cls: line.className, text: (range.getBoundingClientRect().left - line.getBoundingClientRect().left) / size};
})"""


def test_a_poems_translated_lines_in_the_bilingual_epub_clear_the_bar_and_keep_the_indentation(browser, site):
    """In the bilingual EPUB each line of a poem is followed by its translation, marked by a bar:
    the translated line's text stands clear of the bar (epub.css's hanging indent once set it against
    it), and an indented line (1 em) is indented past it too."""
    page = browser.new_page(viewport={"width": 700, "height": 1000})
    page.goto((site.parent / "epub" / "EPUB" / "ferry.xhtml").as_uri())
    lines = page.evaluate(TRANSLATED_LINES)
    page.close()
    assert [line["cls"] for line in lines] == ["tr line", "tr line indent-2", "tr line", "tr line indent-2"], lines
    for plain, indented in (lines[0:2], lines[2:4]):
        assert plain["text"] > 0.9, plain  # the bar (0.2 em) and 0.8 em
        assert abs(indented["text"] - plain["text"] - 1.0) < 0.05, (plain, indented)


INDENTS = """() => {
  const left = el => el.getBoundingClientRect().left;
  const prose = document.querySelector('main > article > .pair, main .pair');
  return [...document.querySelectorAll('blockquote .pair, .verse .pair')].map(pair => ({
    o: left(pair.querySelector('.side-o')) - left(prose.querySelector('.side-o')),
    t: left(pair.querySelector('.side-t')) - left(prose.querySelector('.side-t'))}));
}"""


@pytest.mark.parametrize("name", ["lighthouse.html", "ferry.html"])
def test_a_quotation_and_a_poem_are_indented_in_both_columns_of_the_bilingual_html(browser, site, name):
    """screen.css's margin on a blockquote or a poem narrowed the two-column grid: the original's column
    was indented and the translation's hardly or not at all (a quotation's Japanese stood flush with the
    prose). Each side is indented alike inside its own column."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto((site / name).as_uri())
    indents = page.evaluate(INDENTS)
    page.close()
    assert indents, name
    for indent in indents:
        assert indent["o"] > 20 and abs(indent["o"] - indent["t"]) < 12, indent
