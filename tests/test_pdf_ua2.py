"""The tagged PDF's tag tree, read back with pikepdf, against what PDF/UA-2 asks beyond PDF/UA-1.

Two fixture books are rendered once (PDF/UA-2, the default): `poetry` (a `<dl>` with `<div>`s, lists
labelled 1., (a), iv), A., section-break ornaments, a title page whose `<p>` holds a block) and
`tables` (a `<figure>` with a caption and notes). Each test reads the tree with its own helpers, as
PDF 2.0 sees it (/NonStruct and /Div transparent), so it fails if publish/render/pdfua2.py or
pdfdests.py stops doing its part; veraPDF's own verdict is in tests/test_fixture_books.py.
"""
from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name

from publish.build import load
from publish.render.pdf import render_pdf
from publish.styles import Styles

BOOKS = Path(__file__).resolve().parent / "books"
TRANSPARENT = {"/NonStruct", "/Div"}
GROUPING = {"/Document", "/Part", "/Art", "/Sect", "/Aside", "/BlockQuote"}


def _render(name: str, standard: str = "ua-2") -> pikepdf.Pdf:
    root = BOOKS / name
    book, _ = load(root)
    book = dataclasses.replace(book, pdf_standard=standard)
    styles = Styles.for_book(root)
    data, _ = render_pdf(book, styles, styles.labels(book.language), base_url=root / "manuscript")
    return pikepdf.open(io.BytesIO(data))


@pytest.fixture(scope="module")
def pdfs():
    return {name: _render(name) for name in ("poetry", "tables")}


def kids(elem) -> list:
    k = elem.get("/K")
    return list(k) if isinstance(k, Array) else [k] if k is not None else []


def is_elem(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid and kid.get("/Type", Name.StructElem) == Name.StructElem


def elements(pdf):
    stack = kids(pdf.Root.StructTreeRoot)
    while stack:
        elem = stack.pop()
        if is_elem(elem):
            yield elem
            stack += kids(elem)


def seen_kids(elem) -> list:
    out = []
    for kid in kids(elem):
        out += seen_kids(kid) if is_elem(kid) and kid.S in TRANSPARENT else [kid]
    return out


def seen_parent(elem):
    parent = elem.P
    while parent.get("/S") in TRANSPARENT:
        parent = parent.P
    return parent


def test_the_pdf_is_pdf_2_and_declares_pdf_ua_2(pdfs):
    for pdf in pdfs.values():
        assert str(pdf.pdf_version) == "2.0"
        assert re.search(rb"pdfuaid:part(>|=\")2", pdf.Root.Metadata.read_bytes())


def test_links_and_bookmarks_lead_to_structure_elements(pdfs):
    """8.8-1: every internal destination is a structure destination, the element of the link's target."""
    for name, pdf in pdfs.items():
        in_tree = {e.objgen for e in elements(pdf)}
        internal = [a for page in pdf.pages for a in page.obj.get("/Annots", ())
                    if a.get("/Subtype") == Name.Link and not ("/A" in a and a.A.get("/S") == Name.URI)]
        assert internal, name
        by_target = 0
        for annot in internal:
            assert "/Dest" not in annot and annot.A.S == Name.GoTo, name
            target = annot.A.SD[0]
            assert target.objgen in in_tree and annot.A.SD[1] == Name.XYZ, name
            by_target += str(target.get("/ID", "")) == str(annot.A.D)  # the element with the link's id
            assert str(annot.get("/Contents", "")) not in ("", str(annot.A.D)), name  # what the link says
        assert by_target == len(internal), f"{name}: {by_target} of {len(internal)} links reach their id"
        item = pdf.Root.Outlines.First
        while item is not None:
            assert "/Dest" not in item and item.A.SD[0].objgen in in_tree, name
            assert str(item.A.SD[0].S) in ("/H1", "/H2", "/H3"), f"{name}: {item.Title} leads to its heading"
            item = item.get("/Next")


def test_lists_with_labels_say_how_they_are_numbered(pdfs):
    """8.2.5.25-1: ListNumbering on every L whose items have an Lbl, read from the labels."""
    numbering = []
    for pdf in pdfs.values():
        for lst in elements(pdf):
            if lst.S == Name.L and any(is_elem(i) and any(is_elem(k) and k.S == Name.Lbl for k in kids(i))
                                       for i in kids(lst)):
                attrs = lst.get("/A")
                attrs = list(attrs) if isinstance(attrs, Array) else [attrs]
                value = next((a.ListNumbering for a in attrs if isinstance(a, Dictionary) and "/ListNumbering" in a), None)
                assert value is not None and value != Name("/None")
                numbering.append(str(value))
    assert {"/Decimal", "/LowerAlpha", "/LowerRoman", "/UpperAlpha"} <= set(numbering), numbering


def test_captions_come_first_or_last(pdfs):
    """8.2.5.27-1: a Caption is the first or last child of its element (the figure's, the table's)."""
    captions = 0
    for pdf in pdfs.values():
        for elem in elements(pdf):
            if elem.S == Name.Caption:
                around = [k.objgen if is_elem(k) else None for k in seen_kids(seen_parent(elem))]
                assert around.index(elem.objgen) in (0, len(around) - 1), seen_parent(elem).S
                captions += 1
    assert captions >= 2


def test_no_div_in_a_list(pdfs):
    """ISO/TS 32005 Table 5, L-Div: a `<dl>`'s `<div>`s do not come between the L and its items."""
    lists = [e for e in elements(pdfs["poetry"]) if e.S == Name.L]
    assert lists
    for lst in lists:
        assert [k.S for k in kids(lst) if is_elem(k) and k.S in TRANSPARENT] == []


def test_no_paragraph_in_a_paragraph(pdfs):
    """Table 5, P-P: the title page's editors line (a `<p>` holding a block) is one P."""
    for pdf in pdfs.values():
        assert [e.objgen for e in elements(pdf) if e.S == Name.P and seen_parent(e).get("/S") == Name.P] == []


def test_no_text_directly_in_a_grouping_element(pdfs):
    """Table 5, Art-Span and the like: an `<hr>`'s ornament is in a P, not loose in the Art."""
    for pdf in pdfs.values():
        loose = [e.objgen for e in elements(pdf) if e.S == Name.Span and str(seen_parent(e).get("/S")) in GROUPING]
        assert loose == []


def test_pdf_standard_ua_1_makes_a_pdf_ua_1_file():
    pdf = _render("minimal", "ua-1")
    assert str(pdf.pdf_version) == "1.7"
    assert re.search(rb"pdfuaid:part(>|=\")1", pdf.Root.Metadata.read_bytes())
    links = [a for page in pdf.pages for a in page.obj.get("/Annots", ()) if "/Dest" in a]
    assert links  # PDF 1.7 has no structure destinations: the links keep their named destinations
