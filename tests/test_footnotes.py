"""`notes: footnotes` (tests/books/footnotes, the classic with its notes at the page foot): the PDF as read
back page by page, each note beside its reference; HTML and EPUB keep endnotes."""
from __future__ import annotations

import re
import zipfile

import pdfplumber  # test dependency: pdfplumber==0.11.10
import pytest

from publish import build as pipeline
from publish import model as m
from publish.render.footnotes import groups, place
from publish.walk import plain

from .conftest import BOOKS
from .helpers import copy_book

FOOTNOTES = BOOKS / "footnotes"
SPACE = re.compile(r"\s+")


@pytest.fixture(scope="module")
def book():
    book, diagnostics = pipeline.load(FOOTNOTES)
    assert [str(d) for d in diagnostics] == []  # no translations: nothing to warn about
    assert book.notes == "footnotes"
    return book


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("footnotes") / "footnotes"
    copy_book(FOOTNOTES / "manuscript", root / "manuscript")
    out = root / "build"
    pipeline.build(root, ("html", "pdf", "epub"), out)
    return out / "en"


@pytest.fixture(scope="module")
def pages(built):
    """Per page: (its height, the note references set in the text [(number, top)], the footnotes'
    references [(number, top)], its lines of text [(top, text)])."""
    out = []
    with pdfplumber.open(built / "book.pdf") as pdf:
        for page in pdf.pages:
            refs, inner = _superscripts(page.chars)
            lines = [(line["top"], SPACE.sub(" ", line["text"])) for line in page.extract_text_lines()]
            out.append((page.height, refs, inner, lines))
    return out


def _superscripts(chars):
    """The reference numbers on a page: runs of digits set small (0.68em), in the text (10.5pt type)
    and in the footnotes (8.5pt type)."""
    text, notes = [], []
    run, last = "", None
    for c in chars + [{"text": " ", "size": 0, "top": 0, "x0": 0, "x1": 0}]:
        small = 5 < c["size"] < 7.5 and c["text"].isdigit()
        if small and last is not None and abs(c["top"] - last["top"]) < 1 and c["x0"] - last["x1"] < 1:
            run += c["text"]
        else:
            if run:
                (text if last["size"] > 6.5 else notes).append((int(run), last["top"]))
            run = c["text"] if small else ""
        last = c if small else None
    return text, notes


def _snippet(note: m.Endnote) -> str:
    """A few words that only this note prints: its last paragraph's first words."""
    para = [b for b in note.blocks if isinstance(b, m.Para)][-1]
    return SPACE.sub(" ", plain(para.content)).strip()[:40]


def _where(pages, snippet):
    return [(i, top) for i, (_h, _r, _n, lines) in enumerate(pages) for top, text in lines if snippet in text]


def test_groups_print_each_note_once_and_a_note_reached_through_a_note_after_it(book):
    constitution = book.unit("constitution")
    placed = [(ref, [n.number for n in notes]) for ref, notes in groups(constitution)]
    assert placed[:2] == [("constitution-ref-8", [8]), ("constitution-ref-9", [9, 22])]  # 22: only in note 9
    assert [n for _ref, notes in placed for n in notes] == [8, 9, 22] + list(range(10, 22))
    union = book.unit("union")  # note 6 is referenced from note 5 too: it stays at its own reference
    assert [(ref, [n.number for n in notes]) for ref, notes in groups(union)] == [
        (f"union-ref-{n}", [n]) for n in (4, 5, 6, 7)]


def test_each_note_is_printed_once_at_the_foot_of_the_page_of_its_first_reference(book, pages):
    checked = 0
    for unit in book.units:
        for ref_id, notes in groups(unit):
            first = int(ref_id.rsplit("-", 1)[1])
            for note in notes:
                found = _where(pages, _snippet(note))
                assert len(found) == 1, (note.number, found)  # printed once, and not as an endnote too
                index, top = found[0]
                height, refs, inner, lines = pages[index]
                # the reference is set on this page: in the text, or (a note reached only through
                # another note) in that note, printed above it on the same page
                where = refs if note.number == first else inner
                assert [t for n, t in where if n == note.number], (note.number, index + 1)
                if note.number == first:
                    earlier = [n for p in pages[:index] for n, _t in p[1]]
                    assert note.number not in earlier, f"note {note.number} is not on its first reference's page"
                assert top > height / 2, f"note {note.number} is not in the lower part of page {index + 1}"
                assert top > max(t for n, t in where if n == note.number)
                checked += 1
    assert checked == 22


def test_a_footnote_opens_with_its_number_in_the_smaller_type(book, pages):
    for number, snippet in ((2, "Gibbon drew the contrast"), (21, "Note 21, on the twelfth part"),
                            (22, "The pay of a legionary")):
        [(index, _top)] = _where(pages, snippet)
        lines = [text for _t, text in pages[index][3]]
        assert any(text.startswith(f"{number} {snippet}") for text in lines), (number, lines)


def test_a_second_reference_points_to_the_same_note(pages):
    """`^9^` twice in the text: both numbers on the page, one note 9."""
    page = next(p for p in pages if "Their pay is the subject of the same note." in " ".join(t for _t, t in p[3]))
    assert [n for n, _t in page[1]].count(9) == 2
    assert len(_where(pages, "Twenty-five legions, by most counts")) == 1


def test_the_print_edition_has_no_notes_section_but_html_and_epub_keep_endnotes(built, pages):
    text = " ".join(t for p in pages for _top, t in p[3])
    assert "Notes to pages" not in text and "Endnotes" not in text
    notes_page = (built / "html" / "notes.html").read_text()
    for number in (1, 4, 9, 22):
        assert f'value="{number}"' in notes_page
    assert "footnote" not in notes_page and "footnote" not in (built / "html" / "union.html").read_text()
    assert 'href="notes.html#union-note-4"' in (built / "html" / "union.html").read_text()
    # note 22's reference is in note 9, on the Notes page: its way back stays on that page
    assert 'href="notes.html#constitution-ref-22"' in notes_page and 'id="constitution-ref-22"' in notes_page
    with zipfile.ZipFile(built / "book.epub") as epub:
        xhtml = " ".join(epub.read(n).decode() for n in epub.namelist() if n.endswith(".xhtml"))
    assert xhtml.count('epub:type="endnote"') == 22 and "footnote" not in xhtml


def test_a_note_whose_reference_is_missing_stays_where_it_was_written():
    from xml.etree import ElementTree as ET

    root = ET.fromstring('<body><p>Text<sup><a id="u-ref-1">1</a></sup> more.</p>'
                         '<div class="footnotes"><div class="footnote" data-ref="u-ref-1"><p>one</p></div>'
                         '<div class="footnote" data-ref="u-ref-9"><p>lost</p></div></div></body>')
    assert place(root) == 1
    p = root.find("p")
    assert [e.tag for e in p] == ["sup", "div"] and p.find("div").tail == " more."
    assert root.find("div[@class='footnotes']/div").get("data-ref") == "u-ref-9"
