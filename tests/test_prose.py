"""Prose structures, read back from the built editions of tests/books/poetry: section breaks, list
labels as written, list items of several paragraphs, verse, epigraphs, definition lists,
abbreviations, small caps and hard line breaks — in HTML, EPUB and the tagged PDF."""
from __future__ import annotations

import re
import zipfile

import pdfplumber
import pikepdf
import pytest

from publish import build as pipeline
from publish import model as m
from publish.convert_prose import label
from publish.i18n.segments import segments
from publish.walk import blocks_of

from .conftest import BOOKS

POETRY = BOOKS / "poetry"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("poetry")
    assert [str(d) for d in pipeline.build(POETRY, ("html", "pdf", "epub"), out)] == []
    return out / "en"


@pytest.fixture(scope="module")
def html(built):
    return lambda page: (built / "html" / f"{page}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def epub(built):
    with zipfile.ZipFile(built / "book.epub") as z:
        pages = {name: z.read(name).decode("utf-8") for name in z.namelist() if name.endswith(".xhtml")}
    return lambda page: pages[f"EPUB/{page}.xhtml"]


@pytest.fixture(scope="module")
def pdf_text(built):
    with pdfplumber.open(built / "book.pdf") as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture(scope="module")
def book():
    loaded, diagnostics = pipeline.load(POETRY)
    assert [str(d) for d in diagnostics] == []
    return loaded


def _main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


# section breaks ---------------------------------------------------------------------------------
def test_every_thematic_break_is_a_section_break_never_a_list(html, epub, pdf_text):
    # preface: `* * *` (pandoc reads it as three nested empty lists); poems: `***`, `---`, `___`
    assert _main(html("preface")).count('<hr class="section-break">') == 1
    assert _main(html("poems")).count('<hr class="section-break">') == 3
    for page in ("preface", "poems"):
        assert "<ul" not in _main(html(page)) and "<li" not in _main(html(page))
    assert epub("poems").count('<hr class="section-break"/>') == 3
    assert pdf_text.count("\u2042") == 4  # the ornament, drawn by the print stylesheet


# list labels ------------------------------------------------------------------------------------
@pytest.mark.parametrize("style, delim, number, written", [
    ("LowerAlpha", "TwoParens", 1, "(a)"), ("LowerRoman", "TwoParens", 2, "(ii)"), ("UpperAlpha", "Period", 1, "A."),
    ("Decimal", "OneParen", 2, "2)"), ("UpperRoman", "Period", 14, "XIV."), ("LowerAlpha", "Period", 27, "aa."),
])
def test_label_is_written_as_the_source_writes_it(style, delim, number, written):
    assert label(style, delim, number) == written


def test_list_labels_are_kept_in_the_model(book):
    lists = [b for u in book.units for b in blocks_of(u.blocks) if isinstance(b, m.ListBlock) and b.ordered]
    assert [(b.style, b.delim, b.start) for b in lists] == [
        ("LowerAlpha", "TwoParens", 1), ("LowerRoman", "TwoParens", 1), ("UpperAlpha", "Period", 1),
        ("Decimal", "OneParen", 2), ("Decimal", "Period", 1)]


def test_list_labels_as_written_in_html_epub_and_pdf(html, epub, pdf_text):
    page = html("prose")
    assert '<ol class="labels-loweralpha-twoparens" type="a">' in page
    assert '<ol class="labels-lowerroman-twoparens" type="i">' in page
    assert '<ol class="labels-upperalpha-period" type="A">' in page
    assert '<ol start="2" style="counter-reset: list-item 1" class="labels-decimal-oneparen">' in page
    assert 'class="labels-loweralpha-twoparens"' in epub("prose")
    for written in ("(a) every poem", "(b) every line", "(c) nothing", "(i) the text", "(ii) the reader",
                    "(iii) the editor", "A. First", "B. Then", "2) A list that starts at two", "3) And goes on"):
        assert written in pdf_text


def test_list_item_of_several_paragraphs_is_tagged_lbl_and_lbody(built):
    with pikepdf.open(built / "book.pdf") as pdf:
        items, bodies_with_two_paragraphs = 0, 0
        stack = list(pdf.Root.StructTreeRoot.K)
        while stack:
            elem = stack.pop()
            if not isinstance(elem, pikepdf.Dictionary) or "/S" not in elem:
                continue
            kids = elem.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            if elem.S == "/LI":
                items += 1
                tags = [str(k.S) for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
                assert set(tags) <= {"/Lbl", "/LBody"}, tags  # PDF/UA-1 7.2 (veraPDF 7.2-20)
            if elem.S == "/LBody":
                bodies_with_two_paragraphs += [str(k.get("/S")) for k in kids
                                               if isinstance(k, pikepdf.Dictionary)].count("/P") == 2
            stack.extend(kids)
    assert items > 10 and bodies_with_two_paragraphs == 1


# verse ------------------------------------------------------------------------------------------
def test_verse_keeps_lines_stanzas_and_indentation(html, epub):
    page = _main(html("poems"))
    first = page[page.index('<div class="verse">'):page.index("</div>", page.index('<div class="verse">'))]
    assert first.count('<p class="stanza">') == 2
    lines = re.findall(r'<span class="line( indent-\d+)?" data-seg="poems\.v\d+">([^<]*)</span>', first)
    assert [(indent.strip(), text) for indent, text in lines[:4]] == [
        ("", "Because I could not stop for Death –"), ("indent-2", "He kindly stopped for me –"),
        ("", "The Carriage held but just Ourselves –"), ("indent-2", "And Immortality.")]
    assert '<span class="line indent-8" data-seg="poems.v14">Gone far away into the silent land;</span>' in page
    assert '<span class="line indent-4" data-seg="poems.v18">And this one is indented four spaces.</span>' in page
    assert '<span class="line indent-6" data-seg="poems.v19">A stanza that begins indented six spaces</span>' in page
    assert '<span class="line indent-2" data-seg="poems.v2">He kindly stopped for me –</span><br/>' in epub("poems")


def test_verse_lines_are_lines_in_the_pdf_with_their_indentation(built):
    with pdfplumber.open(built / "book.pdf") as pdf:
        words = [w for page in pdf.pages for w in page.extract_words()]
    starts = {}
    for first, second in (("Because", "I"), ("He", "kindly"), ("Gone", "far"), ("Remember", "me"), ("Nor", "I"),
                          ("The", "Carriage")):
        # the last match: the heading "Because I could not stop for Death" comes before the verse
        starts[first] = [a["x0"] for a, b in zip(words, words[1:]) if a["text"] == first and b["text"] == second][-1]
    assert starts["He"] > starts["Because"] + 5  # two spaces: indented
    assert abs(starts["The"] - starts["Because"]) < 1  # unindented lines align
    assert starts["Gone"] > starts["Remember"] + 20  # eight spaces (the same poem, the same page)
    assert abs(starts["Nor"] - starts["Remember"]) < 1
    # the long line runs over with a hanging indent: its second line starts right of its first
    line_start = next(w["x0"] for w in words if w["text"] == "This" and w["x0"] < 200)
    runover = next(w for w in words if w["text"] in ("needs.",))
    run_line = [w["x0"] for w in words if abs(w["top"] - runover["top"]) < 2 and w["x0"] < runover["x0"]]
    assert min(run_line) > line_start + 10


# epigraphs, definition lists, abbreviations, small caps, hard breaks ----------------------------
def test_epigraph_with_attribution(html, epub, pdf_text):
    page = _main(html("preface"))
    assert re.search(r'<div class="epigraph" role="doc-epigraph">\s*<blockquote class="epigraph-text"><p data-seg="preface.p1">'
                     r"Hope is the thing with feathers<br>That perches in the soul.</p>\s*</blockquote>\s*"
                     r'<p class="attribution" data-seg="preface.p2">— Emily Dickinson</p></div>', page)
    assert '<div class="epigraph" role="doc-epigraph" epub:type="epigraph">' in epub("preface")
    assert "— Emily Dickinson" in pdf_text and "— William Wordsworth" in pdf_text


def test_definition_list(html, epub, pdf_text):
    for page in (html("prose"), epub("prose")):
        assert re.search(r'<dl class="definitions">\s*<dt data-seg="prose.dt1">Stanza</dt>\s*<dd><span data-seg="prose.p\d+">'
                         r"A group of lines of verse", page)
    assert "Stanza\nA group of lines of verse" in pdf_text


def test_abbreviation_marked_in_the_text_only(html, epub):
    expected = '<abbr title="North Atlantic Treaty Organization">NATO</abbr> alliance'
    assert expected in html("prose") and expected in epub("prose")
    assert '<abbr title="United Kingdom">UK</abbr>' in html("preface")
    assert _main(html("poems")).count("<abbr") == 0


def test_small_caps_and_hard_line_breaks(html, epub, pdf_text):
    assert '<span class="smallcaps">Anno Domini</span>' in html("prose")
    assert '<span class="smallcaps">Anno Domini</span>' in epub("prose")
    assert "A hard line break<br>keeps its line,<br>in every format." in html("prose")
    assert "A hard line break<br/>keeps its line,<br/>in every format." in epub("prose")
    assert "A hard line break\nkeeps its line,\nin every format." in pdf_text


def test_every_construct_is_in_the_translation_segments(book):
    by_id = {s.id: s.text for s in segments(book)}
    assert by_id["poems.v2"] == "He kindly stopped for me –"  # a verse line: one segment, without its indent
    assert by_id["prose.dt1"] == "Stanza"
    assert by_id["preface.p2"] == "— Emily Dickinson"
    assert "[NATO]{.abbr}" in by_id["prose.p5"] and "[Anno Domini]{.smallcaps}" in by_id["prose.p5"]


# the converter on small texts -------------------------------------------------------------------
def _convert(text: str):
    from publish.convert import convert
    from publish.read import Source, parse_sources

    source = Source(("file", "t.md"), "manuscript/t.md", 1, text)
    assert parse_sources({source.key: source}, {source.key: source}) == []
    return convert(source, "t")


@pytest.mark.parametrize("mark", ["* * *", "- - -", "***", "---", "___", "*  *  *  *"])
def test_a_thematic_break_is_a_section_break(mark):
    converted = _convert(f"Before.\n\n{mark}\n\nAfter.\n")
    assert [type(b).__name__ for b in converted.blocks] == ["Para", "SectionBreak", "Para"]


def test_a_nested_list_with_text_stays_a_list():
    converted = _convert("* * item\n")
    assert isinstance(converted.blocks[0], m.ListBlock) and converted.blocks[0].items[0][0].items


def test_one_item_list_after_a_paragraph_is_warned_about_and_kept_as_written():
    converted = _convert("First.\n\n(2) The second paragraph.\n")
    assert [str(d) for d in converted.diagnostics] == [
        "manuscript/t.md:3: warning: a list of one item labelled '(2)' after a paragraph: if this is a paragraph "
        "that starts with '(2)', write '\\(2)' [list-single]"]
    assert (converted.blocks[1].start, converted.blocks[1].delim) == (2, "TwoParens")
    assert _convert("First.\n\n\\(2) The second paragraph.\n").diagnostics == ()
    assert _convert("First.\n\n1. one\n").diagnostics == ()


def test_marked_spans_take_exactly_one_class():
    assert _convert("[Anno]{.smallcaps}\n").blocks[0].content == (m.Styled("smallcaps", (m.Text("Anno"),)),)
    assert _convert("[NATO]{.abbr}\n").blocks[0].content == (m.Abbr("NATO", (m.Text("NATO"),)),)
    assert [d.code for d in _convert("[NATO]{.abbr .big}\n").diagnostics] == ["attr-unknown", "attr-unknown"]
