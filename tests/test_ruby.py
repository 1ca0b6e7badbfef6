"""Ruby (furigana) as its readers get it: the model, HTML and EPUB markup, the PDF's layout and tags,
translations (parallel text, XLIFF) and Word proofs, read from the built outputs of tests/books/ruby."""
from __future__ import annotations

import re
import zipfile
from collections import Counter

import pdfplumber
import pikepdf
import pytest

from publish import build as pipeline
from publish import model as m
from publish.i18n.markup import to_markup
from publish.walk import blocks_of, inlines_of

from .conftest import BOOKS
from .helpers import copy_book

BOOK = BOOKS / "ruby"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("ruby")
    assert [str(d) for d in pipeline.build(BOOK, ("html", "pdf", "epub"), out) if d.severity == "error"] == []
    return out / "ja"


@pytest.fixture(scope="module")
def book():
    book, diagnostics = pipeline.load(BOOK)
    assert [str(d) for d in diagnostics] == []
    return book


def _rubies(book):
    blocks = tuple(b for u in book.units for b in blocks_of(u.blocks + tuple(x for n in u.notes for x in n.blocks)))
    found = []
    for block in blocks:
        for item in inlines_of(block):
            if isinstance(item, m.Ruby):
                found.append(item)
    return found


def test_group_and_per_character_ruby_in_the_model(book):
    rubies = {r.base: r for r in _rubies(book)}
    assert rubies["紫陽花"].pairs == (("紫陽花", "あじさい"),)  # group: one reading over the word
    assert rubies["東京"].pairs == (("東", "とう"), ("京", "きょう"))  # per character
    chapter = book.unit("chapter")
    assert isinstance(chapter.title[0], m.Ruby) and chapter.title[0].pairs == (("振", "ふ"),)
    para = next(b for b in chapter.blocks if isinstance(b, m.Para) and "北京" in to_markup(b.content))
    langs = [i for i in para.content if isinstance(i, m.Lang)]
    assert [(lang.lang, lang.children) for lang in langs] == [
        ("zh-Hans", (m.Ruby((("北", "běi"), ("京", "jīng"))),)),  # ruby inside a language span
        ("zh-Hant", (m.Ruby((("台", "tái"), ("北", "běi"))),))]  # a span with lang and ruby
    assert any(isinstance(i, m.Ruby) for n in chapter.notes for b in n.blocks for i in inlines_of(b))


def test_markup_round_trips_through_the_translators_text(book):
    """Every paragraph with ruby, written as a translator sees it and read back, is the same inlines."""
    from publish.i18n.translate import convert_targets
    from publish.read import Source

    paras = [(u.slug, b) for u in book.units for b in blocks_of(u.blocks + tuple(x for n in u.notes for x in n.blocks))
             if isinstance(b, (m.Para, m.Heading)) and any(isinstance(i, m.Ruby) for i in inlines_of(b))]
    sources = {("t", "ja", unit, str(i)): Source(("t", str(i)), "x.txt", 1, to_markup(p.content))
               for i, (unit, p) in enumerate(paras)}
    converted, problems = convert_targets(sources, "ja")
    assert problems == [] and len(paras) > 10
    for i, (unit, para) in enumerate(paras):
        assert converted[("t", "ja", unit, str(i))] == para.content


def test_html_ruby_markup(built):
    chapter = (built / "html" / "chapter.html").read_text()
    assert "<ruby>東<rp>(</rp><rt>とう</rt><rp>)</rp>京<rp>(</rp><rt>きょう</rt><rp>)</rp></ruby>" in chapter
    assert "<ruby>紫陽花<rp>(</rp><rt>あじさい</rt><rp>)</rp></ruby>" in chapter
    assert '<span lang="zh-Hant"><ruby>台<rp>(</rp><rt>tái</rt>' in chapter
    assert '<h1 id="chapter-title" data-seg="chapter.title"><ruby>振<rp>(</rp><rt>ふ</rt>' in chapter
    assert "<title>振り仮名について" in chapter  # the title reads the base only
    assert not re.search(r"<(rt|ruby)[^>]*aria-hidden", chapter)  # the reading is read, once, after its base


def test_epub_ruby_markup(built):
    with zipfile.ZipFile(built / "book.epub") as epub:
        chapter = epub.read("EPUB/chapter.xhtml").decode()
    assert "<ruby>東<rp>(</rp><rt>とう</rt><rp>)</rp>京<rp>(</rp><rt>きょう</rt><rp>)</rp></ruby>" in chapter
    assert '<span lang="zh-Hans" xml:lang="zh-Hans"><ruby>北<rp>(</rp><rt>běi</rt>' in chapter


def _words(page):
    return page.extract_words(keep_blank_chars=False, extra_attrs=["size"], use_text_flow=True)


def test_pdf_sets_each_reading_above_its_base_at_half_size(built):
    with pdfplumber.open(built / "book.pdf") as pdf:
        page = next(p for p in pdf.pages if "紫陽花" in (p.extract_text() or ""))
        chars = page.chars
    def run(text, size):
        for i in range(len(chars) - len(text) + 1):
            seq = chars[i:i + len(text)]
            if "".join(c["text"] for c in seq) == text and all(abs(c["size"] - size) < 0.6 for c in seq):
                return seq
        raise AssertionError(f"{text!r} at {size}pt not on the page")
    body = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
    for base, reading in (("紫陽花", "あじさい"), ("東", "とう"), ("京", "きょう"), ("承", "うけたまわ")):
        b, r = run(base, body), run(reading, body / 2)
        b_x0, b_x1 = b[0]["x0"], b[-1]["x1"]
        r_x0, r_x1 = r[0]["x0"], r[-1]["x1"]
        assert r[-1]["bottom"] <= b[0]["top"] + 0.5, (base, reading)  # above the base
        assert b[0]["top"] - r[-1]["bottom"] < 2, (base, reading)  # and close to it
        assert abs((r_x0 + r_x1) / 2 - (b_x0 + b_x1) / 2) < 0.6, (base, reading)  # centred over it
    # a reading wider than its base widens the base's box: the neighbours' readings never touch it
    kyo, to = run("きょう", body / 2), run("とう", body / 2)
    assert kyo[0]["x0"] >= to[-1]["x1"] - 0.1


def test_pdf_ruby_keeps_the_line_height(built):
    """Lines with ruby are as far apart as lines without: 17.5pt in the Japanese body."""
    with pdfplumber.open(built / "book.pdf") as pdf:
        page = next(p for p in pdf.pages if "組版の歴史" in (p.extract_text() or "").replace(" ", ""))
        chars = page.chars
    body = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
    baselines = sorted({round(c["bottom"], 1) for c in chars if abs(c["size"] - body) < 0.1})
    gaps = [round(b - a, 1) for a, b in zip(baselines, baselines[1:])]
    within = [gap for gap in gaps if gap < 25]  # lines of one paragraph, or of two that follow each other
    assert len(within) >= 10 and set(within) == {17.5}, gaps


def _struct(pdf):
    from publish.render.pdflang import iter_struct

    return list(iter_struct(pdf.Root.StructTreeRoot))


def test_pdf_tags_ruby_as_ruby_rb_rt(built):
    from publish.render.pdflang import element_text, mcid_texts

    with pikepdf.open(built / "book.pdf") as pdf:
        elements = _struct(pdf)
        rubies = [e for e in elements if e.get("/S") == "/Ruby"]
        page_index = {p.objgen: i for i, p in enumerate(pdf.pages)}
        texts = {}
        pairs = []
        for ruby in rubies:
            kids = list(ruby.K)
            assert [str(k.S) for k in kids] == ["/RB", "/RT"]
            index = page_index[ruby.Pg.objgen]
            texts.setdefault(index, mcid_texts(pdf, pdf.pages[index]))
            pairs.append((element_text(kids[0], texts[index]), element_text(kids[1], texts[index])))
        assert not [e for e in elements if e.get("/S") == "/NonStruct" and "かんじ" == element_text(e, texts.get(
            page_index.get(e.Pg.objgen) if "/Pg" in e else -1, {}))]
    assert ("紫陽花", "あじさい") in pairs and ("東", "とう") in pairs and ("京", "きょう") in pairs
    assert ("振", "ふ") in pairs and ("広辞苑", "こうじえん") in pairs  # a heading, a note
    assert ("台", "tái") in pairs


def test_pdf_running_head_and_bookmarks_read_the_base(built):
    with pikepdf.open(built / "book.pdf") as pdf:
        titles = []
        item = pdf.Root.Outlines.First
        while item is not None:
            titles.append(str(item.Title))
            item = item.get("/Next")
    assert "振り仮名について" in titles
    with pdfplumber.open(built / "book.pdf") as pdf:
        heads = [(p.extract_text() or "").split("\n", 1)[0].strip() for p in pdf.pages]
    assert "振り仮名について" in heads  # a right-hand running head
    assert not any("振ふ" in head for head in heads)


@pytest.fixture
def translated(tmp_path):
    root = tmp_path / "book"
    copy_book(BOOKS / "translated", root)
    path = root / "manuscript" / "ja" / "chapter.txt"
    text = path.read_text()
    text = text.replace("ja: 要点\n", "ja: [要点]{ruby=ようてん}\n")
    text = text.replace("ja: 機械は計算でき^1^、[蔡英文]{lang=zh-Hant}",
                        'ja: [機械]{ruby=きかい}は[計算]{ruby="けい さん"}でき^1^、[蔡英文]{lang=zh-Hant ruby="さい えい ぶん"}')
    path.write_text(text)
    return root


def test_ruby_in_a_translation_goes_through_check_update_export_and_the_editions(translated, tmp_path):
    from publish.cli import main

    def run(*args):
        with pytest.raises(SystemExit) as exit_:
            main(list(args), standalone_mode=True)
        return exit_.value.code

    assert run("check", str(translated)) in (0, None)
    assert run("i18n", "update", str(translated)) in (0, None)
    text = (translated / "manuscript" / "ja" / "chapter.txt").read_text()
    assert 'ja: [機械]{ruby=きかい}は[計算]{ruby="けい さん"}でき^1^' in text  # update keeps it
    xliff = tmp_path / "book.xlf"
    assert run("i18n", "export", str(translated), "--format", "xliff", "-o", str(xliff)) in (0, None)
    exported = xliff.read_text()
    assert '<bpt id="4" ctype="x-ruby">[</bpt>機械<ept id="4">]{ruby=きかい}</ept>' in exported
    assert '<ept id="5">]{ruby="けい さん"}</ept>' in exported
    # a CAT tool changes the text around the ruby; the import keeps the ruby as it was
    xliff.write_text(exported.replace('</ept>は<bpt id="5"', '</ept>が<bpt id="5"'))
    assert run("i18n", "import", str(xliff), str(translated)) in (0, None)
    text = (translated / "manuscript" / "ja" / "chapter.txt").read_text()
    assert 'ja: [機械]{ruby=きかい}が[計算]{ruby="けい さん"}でき^1^、[[蔡英文]{ruby="さい えい ぶん"}]{lang=zh-Hant}' in text
    out = tmp_path / "out"
    assert [str(d) for d in pipeline.build(translated, ("html",), out) if d.severity == "error"] == []
    page = (out / "ja" / "html" / "chapter.html").read_text()
    assert "<ruby>機械<rp>(</rp><rt>きかい</rt><rp>)</rp></ruby>が" in page
    assert '<span lang="zh-Hant"><ruby>蔡<rp>(</rp><rt>さい</rt>' in page
    bilingual = "".join(p.read_text() for p in (out / "en-ja" / "html").glob("*.html"))
    assert "<ruby>計<rp>(</rp><rt>けい</rt><rp>)</rp>算<rp>(</rp><rt>さん</rt><rp>)</rp></ruby>" in bilingual


def test_word_proof_shows_the_reading_after_its_base(tmp_path):
    from publish.cli import main

    root = tmp_path / "book"
    copy_book(BOOK, root)
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(root), "--format", "docx"], standalone_mode=True)
    assert exit_.value.code in (0, None)
    with zipfile.ZipFile(root / "build" / "docx" / "ja.docx") as docx:
        xml = docx.read("word/document.xml").decode()
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert "紫陽花（あじさい）" in text and "東京（とうきょう）" in text and "北京 (běi jīng)" in text
