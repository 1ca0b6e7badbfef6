"""Japanese headings and titles break between phrases (文節, BudouX's), never inside one: read back from the
PDF's lines, the HTML and the EPUB of a fixture book with long Japanese headings (publish/render/phrases.py)."""
from __future__ import annotations

import re
import zipfile

import pytest

from publish import build as pipeline
from publish.render import phrases
from publish.weasy import import_weasyprint

from .conftest import BOOKS
from .helpers import copy_book
from .jalines import CJK, columns, lines_of

TITLE = "スティムソン・センターについて、そして日米台の安全保障協力と機械の未来についての考察"
SECTION = "地域の安全保障協力を支える技術と人材の育成についての長い節の見出しと日米台の役割"


def breaks_inside_phrases(lines) -> list:
    """Every heading line (H1…H6) of `lines` that ends inside a BudouX phrase of its heading: (page, line)."""
    headings: dict = {}
    for line in lines:
        if line.block is not None and re.fullmatch(r"H[1-6]", line.block[1]):
            japanese = "".join(run for run in columns(line) if CJK.search(run))  # a bilingual page: its Japanese column
            if japanese:
                headings.setdefault(line.block, []).append((line, japanese.replace("\u2060", "")))
    bad = []
    for block in headings.values():
        text = "".join(japanese for _, japanese in block)
        bounds = phrases._bounds(text, "ja") | {len(text)}
        at = 0
        for (line, japanese), (following, _) in zip(block, block[1:]):
            at += len(japanese)
            if following.size != line.size:  # a title, then its subtitle: two blocks of one heading
                continue
            if at not in bounds:
                bad.append((line.page, japanese))
    return bad


@pytest.fixture(scope="module")
def long_headings(tmp_path_factory):
    """tests/books/translated with two long Japanese headings, built in its ja edition (PDF, HTML, EPUB)."""
    root = copy_book(BOOKS / "translated", tmp_path_factory.mktemp("phrases") / "book")
    chapter = root / "manuscript" / "ja" / "chapter.txt"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("ja: 機械について", f"ja: {TITLE}")
                       .replace("ja: ある節", f"ja: {SECTION}"), encoding="utf-8")
    out = root.parent / "out"
    assert [str(d) for d in pipeline.build(root, ("pdf", "html", "epub"), out, only=("ja",))
            if d.severity == "error"] == []
    return out / "ja"


def test_a_japanese_heading_wraps_between_phrases_in_the_pdf(long_headings):
    lines = lines_of(long_headings / "book.pdf")
    wrapped = [line for line in lines if line.block and line.block[1] in ("H1", "H2") and not line.last]
    assert len(wrapped) >= 2  # both long headings take more than one line
    assert breaks_inside_phrases(lines) == []
    assert "スティムソン・センターについて、そして" in [line.text for line in lines]


def test_the_html_and_epub_mark_phrase_boundaries_with_wbr(long_headings):
    html = next(long_headings.glob("**/chapter.html")).read_text(encoding="utf-8")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert "スティムソン・センターに<wbr>ついて" in title
    paragraphs = [text for attrs, text in re.findall(r"<p( [^>]*)?>(.*?)</p>", html, re.S) if "title" not in attrs]
    assert "機械は計算でき" in "".join(paragraphs) and "<wbr>" not in "".join(paragraphs)  # left to the browser
    with zipfile.ZipFile(long_headings / "book.epub") as z:
        xhtml = next(z.read(n).decode() for n in z.namelist() if n.endswith("chapter.xhtml"))
    assert "スティムソン・センターに<wbr/>ついて" in xhtml


def test_a_phrase_longer_than_the_line_still_breaks(tmp_path):
    weasyprint = import_weasyprint()
    long = "アメリカ合衆国国務省国際安全保障不拡散局について"  # one phrase of 22 characters
    html = ('<html lang="ja"><head><style>@page { size: 130pt 400pt; margin: 10pt } '
            'h1 { font: 12pt "Noto Sans CJK JP"; overflow-wrap: anywhere }</style></head>'
            f"<body><h1>{long}</h1></body></html>")
    weasyprint.HTML(string=phrases.apply(html, joiners=True)).write_pdf(tmp_path / "long.pdf")
    lines = lines_of(tmp_path / "long.pdf")
    assert "".join(line.text for line in lines) == long
    assert len(lines) >= 3 and max(line.x1 for line in lines) <= 120.5


def test_only_headings_and_titles_of_cjk_text_are_touched():
    page = ('<html lang="ja"><head><title>スティムソン・センターについて</title></head><body>'
            '<h2>スティムソン・センターについて</h2><p>スティムソン・センターについて</p>'
            '<p class="toc-title">日米&amp;台湾</p><h2 lang="en">About the Stimson Center</h2></body></html>')
    out = phrases.apply(page)
    assert out.count("<wbr>") == 2 and "<title>スティムソン・センターについて</title>" in out
    assert "<h2>スティムソン・センターに<wbr>ついて</h2><p>スティムソン・センターについて</p>" in out
    assert "&amp;" in out and "About the Stimson Center" in out
    joined = phrases.apply(page, joiners=True)
    assert "<h2>ス\u2060テ" in joined and "\u2060に\u2060つ" not in joined and "に\u2060つ" not in joined
