"""Turn WeasyPrint's tag tree into one that PDF/UA-2 (ISO 14289-2 with ISO/TS 32005's nesting rules) accepts.

WeasyPrint 70 tags an HTML element it has no PDF type for (`<figure>`, `<hr>`, `<em>`…) /NonStruct;
PDF 2.0 makes /NonStruct and /Div transparent: their children count as children of their parent. So
a `<figure>`'s /Caption lands in the middle of its /Art (veraPDF 8.2.5.27-1: Caption first or last)
and an `<hr>`'s ornament becomes a /Span of an /Art (Table 5, Art-Span). Each fix below is also
valid PDF/UA-1:

  group_wrappers     a /NonStruct or /Div in a grouping element (Art, Sect, BlockQuote…) that holds
                     a /Caption (a `<figure>`) becomes /Sect, whose first or last child the caption
                     is; one that holds only inline content (an `<hr>`'s ornament) becomes /P
  unwrap_list_divs   a /Div in an /L (`<dl>`'s `<div>` around a term and its details) gives its
                     children to the /L (Table 5, L-Div)
  inline_paragraphs  a /P in a /P (an anonymous block of a `<p>` holding a block) becomes /Span
                     (Table 5, P-P)
  number_lists       every /L whose items have an /Lbl gets /ListNumbering, read from the labels'
                     text: Decimal, LowerRoman, UpperAlpha…, Disc, Circle, Square; else, in PDF 2.0,
                     Ordered or Unordered (8.2.5.25-1)
"""
from __future__ import annotations

import re

import pikepdf
from pikepdf import Array, Dictionary, Name

from .pdflang import element_mcids, iter_struct, mcid_texts

GROUPING = {"/Document", "/DocumentFragment", "/Part", "/Art", "/Sect", "/Aside", "/BlockQuote"}
TRANSPARENT = {"/NonStruct", "/Div"}
INLINE = {"/Span", "/Link", "/Em", "/Strong", "/Sub", "/Quote", "/Code", "/Note", "/Reference", "/Ruby",
          "/Annot", "/Form", "/Figure", "/Formula"}
#: The first label's text, its brackets and stops taken off ("(a)", "1.", "iv)"), and the scheme it names.
_NUMBERING = ((re.compile(r"^\d+$"), "/Decimal"), (re.compile(r"^[ivxlcdm]+$"), "/LowerRoman"),
              (re.compile(r"^[IVXLCDM]+$"), "/UpperRoman"), (re.compile(r"^[a-z]$"), "/LowerAlpha"),
              (re.compile(r"^[A-Z]$"), "/UpperAlpha"), (re.compile(r"^[•●]$"), "/Disc"),
              (re.compile(r"^[◦○]$"), "/Circle"), (re.compile(r"^[▪■◾]$"), "/Square"))
_PUNCTUATION = " \t()[].:"
_ORDERED = re.compile(r"\w")


def kids_of(elem) -> list:
    kids = elem.get("/K")
    return list(kids) if isinstance(kids, Array) else ([kids] if kids is not None else [])


def is_elem(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid and kid.get("/Type", Name.StructElem) == Name.StructElem


def conform(pdf: pikepdf.Pdf) -> dict[str, int]:
    """All the fixes, in order, over one reading of the tree; returns how many elements each changed."""
    elements = list(iter_struct(pdf.Root.StructTreeRoot)) if "/StructTreeRoot" in pdf.Root else []
    return {"group_wrappers": group_wrappers(pdf, elements), "unwrap_list_divs": unwrap_list_divs(pdf, elements),
            "inline_paragraphs": inline_paragraphs(pdf, elements), "number_lists": number_lists(pdf, elements)}


def _elements(pdf: pikepdf.Pdf, elements: list | None) -> list:
    return elements if elements is not None else list(iter_struct(pdf.Root.StructTreeRoot))


def group_wrappers(pdf: pikepdf.Pdf, elements: list | None = None) -> int:
    changed = 0
    for elem in _elements(pdf, elements):
        if str(elem.get("/S")) not in TRANSPARENT or str(standard_parent(elem).get("/S")) not in GROUPING:
            continue
        kids = list(_seen_kids(elem))
        if any(is_elem(k) and k.get("/S") == "/Caption" for k in kids):
            elem.S = Name.Sect
        elif kids and all(not is_elem(k) or str(k.get("/S")) in INLINE for k in kids):
            elem.S = Name.P
        else:
            continue
        changed += 1
    return changed


def _seen_kids(elem):
    """An element's children as PDF 2.0 sees them: those of transparent children in their place."""
    for kid in kids_of(elem):
        if is_elem(kid) and str(kid.get("/S")) in TRANSPARENT:
            yield from _seen_kids(kid)
        else:
            yield kid


def unwrap_list_divs(pdf: pikepdf.Pdf, elements: list | None = None) -> int:
    unwrapped = 0
    for lst in [e for e in _elements(pdf, elements) if e.get("/S") == "/L"]:
        out, changed = [], False
        for kid in kids_of(lst):
            grandkids = kids_of(kid) if is_elem(kid) and kid.get("/S") == "/Div" else None
            if grandkids and all(is_elem(g) for g in grandkids):
                for g in grandkids:
                    g.P = lst
                _pass_id(kid, grandkids[0])
                out.extend(grandkids)
                changed = True
                unwrapped += 1
            else:
                out.append(kid)
        if changed:
            lst.K = Array(out)
    return unwrapped


def _pass_id(gone, heir) -> None:
    """An element that leaves the tree hands its /ID (a link's target) to the one in its place."""
    if "/ID" in gone and "/ID" not in heir:
        heir.ID = gone.ID


def standard_parent(elem):
    """The nearest ancestor that is not /NonStruct or /Div (transparent in PDF 2.0), else {}."""
    parent = elem.get("/P")
    while isinstance(parent, Dictionary) and str(parent.get("/S")) in TRANSPARENT:
        parent = parent.get("/P")
    return parent if isinstance(parent, Dictionary) else Dictionary()


def inline_paragraphs(pdf: pikepdf.Pdf, elements: list | None = None) -> int:
    changed = 0
    for elem in _elements(pdf, elements):
        if elem.get("/S") == "/P" and isinstance(parent := standard_parent(elem), Dictionary) \
                and (parent.get("/S") == "/P" or str(parent.get("/S")) in INLINE):  # a /P made /Span above
            elem.S = Name.Span
            changed += 1
    return changed


def number_lists(pdf: pikepdf.Pdf, elements: list | None = None) -> int:
    """/ListNumbering on every /L whose items carry an /Lbl, from what the first label says."""
    labelled = []  # (L, its first Lbl)
    for lst in _elements(pdf, elements):
        if lst.get("/S") != "/L":
            continue
        label = next((k for item in kids_of(lst) if is_elem(item) and item.get("/S") == "/LI"
                      for k in kids_of(item) if is_elem(k) and k.get("/S") == "/Lbl"), None)
        if label is not None:
            labelled.append((lst, label))
    wanted: dict = {}  # page -> the labels' MCIDs on it: only those are read from its content stream
    for _lst, label in labelled:
        if label.get("/Pg") is not None:
            wanted.setdefault(label.Pg.objgen, (label.Pg, set()))[1].update(element_mcids(label))
    texts = {key: mcid_texts(pdf, pikepdf.Page(page), mcids) for key, (page, mcids) in wanted.items()}
    pdf2 = str(pdf.pdf_version) >= "2.0"
    done = 0
    for lst, label in labelled:
        on_page = texts.get(label.Pg.objgen, {}) if label.get("/Pg") is not None else {}
        scheme = _scheme("".join(on_page.get(m, "") for m in element_mcids(label)).strip(), pdf2)
        if scheme is None:
            continue
        _set_attribute(lst, Name(scheme))
        done += 1
    return done


def _scheme(text: str, pdf2: bool) -> str | None:
    core = text.strip(_PUNCTUATION)
    for pattern, name in _NUMBERING:
        if pattern.match(core):
            return name
    if not pdf2:
        return None  # PDF 1.7 has no Ordered/Unordered; PDF/UA-1 does not ask for the attribute
    return "/Ordered" if _ORDERED.search(core) else "/Unordered"


def _set_attribute(lst, scheme: Name) -> None:
    attrs = lst.get("/A")
    blocks = list(attrs) if isinstance(attrs, Array) else ([attrs] if attrs is not None else [])
    for block in blocks:
        if isinstance(block, Dictionary) and block.get("/O") == "/List":
            block.ListNumbering = scheme
            return
    blocks.append(Dictionary(O=Name.List, ListNumbering=scheme))
    lst.A = blocks[0] if len(blocks) == 1 else Array(blocks)
