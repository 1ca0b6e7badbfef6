"""The Japanese edition as its reader gets it: kinsoku, spacing, languages, and its referees."""
from __future__ import annotations

import os
import zipfile

import pdfplumber
import pikepdf
import pytest
from lxml import etree
from lxml import html as lxml_html

from publish.referees import RefereeUnavailable, ace, epubcheck, verapdf
from publish.render.kinsoku import NO_END, NO_START

from . import flagship as shared


@pytest.fixture(scope="module")
def japanese(tmp_path_factory):
    """The ja edition of the flagship's build (tests/flagship.py: built once for the whole run)."""
    return shared.built(tmp_path_factory) / "ja"


def _referee(check, *args):
    try:
        return check(*args)
    except RefereeUnavailable as exc:
        if os.environ.get("PUBLISH_REFEREES_REQUIRED"):
            raise
        pytest.skip(str(exc))


def test_no_line_breaks_against_kinsoku(japanese):
    lines = 0
    bad = []
    with pdfplumber.open(japanese / "book.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for line in (page.extract_text() or "").splitlines():
                line = line.strip()
                if not line:
                    continue
                lines += 1
                if line[0] in NO_START or line[-1] in NO_END:
                    bad.append((number, line))
    assert lines > 1500
    assert bad == []


def test_document_is_japanese_and_latin_runs_are_english(japanese):
    with pikepdf.open(japanese / "book.pdf") as pdf:
        assert str(pdf.Root.Lang) == "ja"
        langs = {}
        stack = [pdf.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if "/Lang" in node and "/S" in node:
                    langs[str(node.Lang)] = langs.get(str(node.Lang), 0) + 1
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(kids)
                elif isinstance(kids, pikepdf.Dictionary):
                    stack.append(kids)
    assert langs.get("en", 0) > 300  # names, titles and references left in English
    assert langs.get("zh-Hant", 0) > 20  # the original's Chinese spans keep their language


def test_japanese_and_latin_are_spaced(japanese):
    page = lxml_html.parse(str(japanese / "html" / "fukuda.html"))
    text = "".join(page.xpath("//main")[0].itertext())
    assert "ポスト\u2005COVID-19" in text
    takuma = "".join(lxml_html.parse(str(japanese / "html" / "takuma.html")).xpath("//main")[0].itertext())
    assert "COVID-19\u2005への" in takuma  # after a digit too (JLREQ 3.2.2)
    assert "2020\u2005年" in takuma


def test_title_page_credits_the_original(japanese):
    index = lxml_html.parse(str(japanese / "html" / "index.html"))
    original = index.xpath("//p[@class='original']")[0].text_content()
    assert "Japan-Taiwan Relations" in original


def test_japanese_pdf_passes_pdf_ua(japanese):
    assert [str(f) for f in _referee(verapdf.check_declared, [japanese / "book.pdf"])] == []


def test_japanese_epub_passes_epubcheck_and_ace(japanese):
    epub = japanese / "book.epub"
    with zipfile.ZipFile(epub) as z:
        opf = etree.fromstring(z.read(next(n for n in z.namelist() if n.endswith(".opf"))))
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    assert [str(f) for f in _referee(epubcheck.check_epub, epub)] == []
    assert [str(f) for f in _referee(ace.check_epub, epub)] == []


def test_colophon_says_it_is_a_translation_and_who_made_it(japanese):
    for page in ("html/index.html",):
        note = lxml_html.parse(str(japanese / page)).xpath("//div[@class='translation-note']")[0].text_content()
        assert "日本語訳である" in note and "Claude" in note and "確認は受けていない" in note
    with zipfile.ZipFile(japanese / "book.epub") as z:
        copyright_page = next(z.read(n).decode() for n in z.namelist() if "copyright" in n)
    assert "日本語訳である" in copyright_page
    with pdfplumber.open(japanese / "book.pdf") as pdf:
        assert "確認は受けていない" in "".join((p.extract_text() or "") for p in pdf.pages[:4])
