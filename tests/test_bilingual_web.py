"""The bilingual HTML as Chromium prints it (tests/books/stories): the translation's side of a list
item or an endnote carries the original's label (styles/css/bilingual.css), which the li's own
marker gives the original only."""
from __future__ import annotations

import io
import unicodedata

import pdfplumber
import pytest

from publish import build as pipeline

from .conftest import BOOKS
from .helpers import chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("stories-web")
    assert [str(d) for d in pipeline.build(BOOKS / "stories", ("html",), out) if d.severity == "error"] == []
    return out / "en-ja" / "html"


def printed(site, name: str, width: int) -> str:
    """The page printed by Chromium at `width` CSS px (the two columns side by side from 48rem), as text."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto((site / name).as_uri())
        pdf = page.pdf(width=f"{width}px", height="3000px", print_background=False)
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = "".join("".join((p.extract_text() or "").split()) for p in plumb.pages)
    return unicodedata.normalize("NFKC", text)  # Chromium's PDF maps some kanji to Kangxi radicals (⼿ for 手)


@pytest.mark.parametrize("width", [1280, 600])
def test_the_translations_list_items_and_notes_carry_the_originals_numbers(site, width):
    text = printed(site, "ferry.html", width)
    for label in ("1.チェロケース", "2.前の便", "3.行き先", "1.その手紙"):  # the items, then the endnote
        assert label in text, (label, text)
    assert "1.aschoolteacher" in text and "1.Theletters" in text
