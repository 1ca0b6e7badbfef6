"""The bilingual page, read back from the PDF (pdfplumber) and the EPUB of small books: no row of a
pair with one cell empty, a segment whose translation is the original printed once, everything
inside the page, the book's own translation note, the EPUB's page list from the PDF's pages.

The flagship's figures (pages, holes, wide word spaces) are in tests/test_bilingual.py.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile

import pdfplumber
import pytest
from lxml import etree

from publish import build as pipeline
from publish.render.bilingual_epub import render_bilingual_epub
from publish.render.bilingual_pdf import render_bilingual_pdf
from publish.render.identical import identical
from publish.render.inline import plain
from publish.styles import Styles

from .conftest import BOOKS
from .helpers import copy_book

NOTE = "この日本語訳はテストのために作られ、訳者が確認した。"
EDGE = 36.0  # points: running heads and folios stand 0.6–0.75in from the paper's edges


def squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def render(root):
    loaded = pipeline.load_all(root)
    assert [str(d) for d in loaded.diagnostics if d.severity == "error"] == []
    styles = Styles.for_book(root)
    en, ja = loaded.book, loaded.translated["ja"]
    labels, labels_ja = styles.labels("en"), styles.labels("ja")
    pdf, page_map = render_bilingual_pdf(en, ja, styles, labels, labels_ja, base_url=root / "manuscript")
    epub = render_bilingual_epub(en, ja, styles, labels, labels_ja, root=root, page_map=page_map)
    return en, ja, pdf, page_map, epub


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """tests/books/translated with a translation note of its own."""
    root = tmp_path_factory.mktemp("bilingual") / "book"
    copy_book(BOOKS / "translated", root)
    with (root / "manuscript" / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(f"translation_notes:\n  ja: {NOTE}\n")
    return render(root)


@pytest.fixture(scope="module")
def uneven(tmp_path_factory):
    """A chapter of long English paragraphs with one-line translations: page breaks fall in rows
    whose Japanese has ended."""
    root = tmp_path_factory.mktemp("bilingual-uneven") / "book"
    copy_book(BOOKS / "translated", root)
    english = [f"Paragraph {i} " + "runs on and on about engines and their tables " * (8 + i % 5) for i in range(24)]
    (root / "manuscript" / "chapter.md").write_text("# On Machines\n\n" + "\n\n".join(english) + "\n")
    parallel = ["[chapter.title]\nen: On Machines\nja: 機械について\n"]
    parallel += [f"[chapter.p{i + 1}]\nen: {text}\nja: 第{i}段落は機関とその表について語る。\n" for i, text in enumerate(english)]
    (root / "manuscript" / "ja" / "chapter.txt").write_text("\n".join(parallel), encoding="utf-8")
    return render(root)


def column_tops(plumb, page_map: dict) -> list:
    """For every page with text in its text block: (page, first baseline of the left column, of the
    right column); a column is None when it holds nothing. The columns part at the gutter rule."""
    out = []
    for number, page in enumerate(plumb.pages, 1):
        x0, top, x1, bottom = page_map["pages"][number - 1]["box"]
        rules = [e["x0"] for e in page.edges if e["orientation"] == "v" and x0 + 50 < e["x0"] < x1 - 50]
        gutter = min(rules, key=lambda x: abs(x - (x0 + x1) / 2)) if rules else x0 + 0.56 * (x1 - x0)
        chars = [c for c in page.chars if c["text"].strip() and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
        left = [c["bottom"] for c in chars if c["x0"] < gutter]
        right = [c["bottom"] for c in chars if c["x0"] >= gutter]
        if left or right:
            out.append((number, min(left) if left else None, min(right) if right else None))
    return out


def test_no_page_continues_a_pair_with_one_column_empty(uneven):
    en, ja, pdf, page_map, _ = uneven
    first_body = page_map["chapter"]
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        tops = [t for t in column_tops(plumb, page_map) if t[0] >= first_body]
    assert len(tops) >= 4, tops  # the chapter runs over several pages
    # a row that goes on over a page break with one side ended would start that side's column lower
    assert [t for t in tops if t[1] is None or t[2] is None or abs(t[1] - t[2]) > 12] == []


def test_a_note_whose_translation_is_the_original_is_printed_once(small):
    en, ja, pdf, _, _ = small
    same = [(u, n) for u, v in zip(en.units, ja.units) for n, m in zip(u.notes, v.notes)
            if identical(n.blocks[0], m.blocks[0])]
    differ = [(u, n) for u, v in zip(en.units, ja.units) for n, m in zip(u.notes, v.notes)
              if not identical(n.blocks[0], m.blocks[0])]
    assert same and differ
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = squeeze("".join(page.extract_text() for page in plumb.pages))
    for _unit, note in same:
        assert text.count(squeeze(plain(note.blocks[0].content))) == 1
    for _unit, note in differ:
        assert text.count(squeeze(plain(note.blocks[0].content))) == 1  # and its translation beside it
    assert "第二の注" in text


def test_identical_is_word_for_word(small):
    en, ja, *_ = small
    title, title_ja = en.units[2].title, ja.units[2].title
    assert not identical(title, title_ja) and identical(title, title)
    assert not identical((), ()) and not identical(None, title)


def test_everything_stays_inside_the_page(small):
    _, _, pdf, page_map, _ = small
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        near = [(number, c["text"]) for number, page in enumerate(plumb.pages, 1) for c in page.chars
                if c["x0"] < EDGE or c["top"] < EDGE or c["x1"] > page.width - EDGE or c["bottom"] > page.height - EDGE]
    assert near == []


def test_the_translation_note_is_the_books_own(small):
    en, ja, pdf, _, epub = small
    generic = Styles.for_book(BOOKS / "translated").labels("ja")["translation_note"]
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = squeeze("".join(page.extract_text() for page in plumb.pages))
    assert squeeze(NOTE) in text and squeeze(generic) not in text
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        copyright_page = z.read("EPUB/copyright-page.xhtml").decode("utf-8")
    assert NOTE in copyright_page and generic not in copyright_page


def test_the_epub_page_list_is_the_bilingual_pdfs(small):
    _, _, pdf, page_map, epub = small
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        opf = z.read("EPUB/content.opf").decode("utf-8")
        docs = {name: z.read(name) for name in z.namelist() if name.endswith(".xhtml")}
    ns = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    entries = nav.findall(".//x:nav[@epub:type='page-list']//x:a", ns)
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        assert len(entries) == len(plumb.pages) == len(page_map["pages"])
    assert [a.text for a in entries] == [str(p["label"]) for p in page_map["pages"]]
    for a in entries:  # every entry leads to its page break
        name, _, ident = a.get("href").partition("#")
        assert f'id="{ident}"'.encode() in docs["EPUB/" + name]
    assert "pageBreakSource" in opf
