"""book.yaml `notes:` on the classic fixture: numbering through the book, the Notes section, links, segments."""
from __future__ import annotations

import re

import pdfplumber  # test dependency: pdfplumber==0.11.10
import pytest
from lxml import html as lhtml

from publish import build as pipeline
from publish.i18n.segments import segments

from .conftest import BOOKS
from .helpers import copy_book

CLASSIC = BOOKS / "classic"


def copy(tmp_path, mode: str | None = None, edit=None):
    book = tmp_path / "classic"
    copy_book(CLASSIC / "manuscript", book / "manuscript")
    yaml = book / "manuscript" / "book.yaml"
    if mode:
        yaml.write_text(yaml.read_text().replace("notes: book", f"notes: {mode}"))
    if edit:
        edit(book / "manuscript")
    return book


@pytest.fixture(scope="module")
def classic():
    book, diagnostics = pipeline.load(CLASSIC)
    assert [str(d) for d in diagnostics] == []
    return book


@pytest.fixture(scope="module")
def classic_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("classic")
    pipeline.build(CLASSIC, ("html", "pdf"), out)
    return out / "en"


def test_notes_are_numbered_through_the_book_and_the_first_block_may_be_a_table_or_a_quote(classic):
    numbers = [n.number for u in classic.units for n in u.notes]
    assert numbers == list(range(1, len(numbers) + 1))
    union = classic.unit("union")
    kinds = {n.number: type(n.blocks[0]).__name__ for n in union.notes}
    assert kinds[4] == "Table" and kinds[5] == "Quote"  # was read as "endnote 0"
    assert len(union.notes[2].blocks) == 2  # note 6: two paragraphs


def test_a_file_that_restarts_or_skips_is_reported_with_file_and_line(tmp_path):
    def restart(manuscript):
        text = (manuscript / "union.md").read_text()
        for n in range(4, 8):
            text = text.replace(f"^{n}^", f"^{n - 3}^").replace(f"\n{n}. ", f"\n{n - 3}. ")
        (manuscript / "union.md").write_text(text)

    book, diagnostics = pipeline.load(copy(tmp_path, edit=restart))
    problems = [str(d) for d in diagnostics if d.code == "note-numbering"]
    assert problems == ["manuscript/union.md:17: error: endnote 1 starts the numbering again, but notes are numbered "
                            "through the book ('notes: book'): this file's first endnote is 4 (endnote 3 is at "
                            "manuscript/extent.md:20) [note-numbering]",
                        "manuscript/constitution.md:35: error: endnote 8 follows endnote 4 (at manuscript/union.md:30): "
                        "notes are numbered through the book ('notes: book'), expected 5 [note-numbering]"]


def test_segments_of_notes_do_not_depend_on_the_mode(tmp_path):
    def segs(book):
        return {s.id for s in segments(book) if ".n" in s.id}

    book_mode = pipeline.load(CLASSIC)[0]
    chapter_mode = pipeline.load(copy(tmp_path, "chapter", edit=lambda ms: (ms / "book.yaml").write_text(
        (ms / "book.yaml").read_text().replace("  - generate: notes\n    title: Notes\n    part: back\n", ""))))[0]
    assert segs(book_mode) == segs(chapter_mode) and "union.n6.2" in segs(book_mode)


def test_html_notes_page_links_to_each_reference_and_back(classic_build):
    site = classic_build / "html"
    notes = lhtml.parse(str(site / "notes.html"))
    titles = [h.text_content() for h in notes.iter("h2")]
    assert titles == ["The Extent and Military Force of the Empire",
                      "Of the Union and Internal Prosperity of the Roman Empire", "Of the Constitution of the Roman Empire"]
    ids = {path.name: {e.get("id") for e in lhtml.parse(str(path)).iter() if e.get("id")} for path in site.glob("*.html")}
    for page in site.glob("*.html"):
        for a in lhtml.parse(str(page)).iter("a"):
            href = a.get("href") or ""
            if "#" in href and not href.startswith(("http", "mailto")):
                target, fragment = href.split("#")
                assert fragment in ids[target or page.name], f"{page.name}: {href} points nowhere"
    union = lhtml.parse(str(site / "union.html"))
    assert [a.get("href") for a in union.iter("a") if a.get("class") == "noteref"][0] == "notes.html#union-note-4"
    assert not list(union.iter("section"))  # the chapter's notes are on the Notes page, not at its end
    backs = {a.get("href") for a in notes.iter("a") if a.get("role") == "doc-backlink"}
    assert "union.html#union-ref-4" in backs and "extent.html#extent-ref-1" in backs


def test_pdf_notes_section_has_notes_to_pages_running_heads(classic_build):
    with pdfplumber.open(classic_build / "book.pdf") as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    heads = [m.group(0) for text in texts for m in re.finditer(r"Notes to pages (\d+)–(\d+)", text)]
    assert heads, "the Notes pages after the first carry a running head"
    # the last chapter's references are on these folios (a page's last word is its folio, if it prints one)
    offsets = {int(text.split()[-1]) - i for i, text in enumerate(texts) if "historian can say little" in text
               and text.split()[-1].isdigit()}
    assert len(offsets) == 1
    offset = offsets.pop()
    folios = {i + offset for i, text in enumerate(texts) if "historian can say little" in text}
    for head in heads:
        first, last = map(int, re.findall(r"\d+", head))
        assert first <= last and {first, last} <= folios, (head, folios)
    assert any(first != last for first, last in (map(int, re.findall(r"\d+", h)) for h in heads))
