"""Turn the PDF's internal links and bookmarks into structure destinations (PDF 2.0, PDF/UA-2 8.8).

WeasyPrint 70 points a link annotation at a named destination (the HTML id) and a bookmark at a
page and a position; PDF/UA-2 wants every destination inside the document to name the structure
element it leads to (a GoTo action's /SD, ISO 32000-2 12.3.2.3). Two steps:

  install()                   while WeasyPrint builds the tag tree, the structure element of every
                              box whose element has an HTML id gets that id as its /ID (the box on
                              the page where the element starts; the outermost of its boxes there)
  structure_destinations(pdf) after the tree's fixes: the /IDTree, and every link annotation's and
                              outline item's /Dest becomes a GoTo action with /D (the same place,
                              for readers that know only pages) and /SD [element /XYZ left top zoom]

A destination whose id names no element (an id on an element that makes no box) falls back to
the first structure element on its page, so every destination is a structure destination.
"""
from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from .pdflang import iter_struct


def install() -> None:
    """Give structure elements the HTML ids of their elements; idempotent (the version is checked by cjkjustify)."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    if getattr(tags._build_box_tree, "publish_ids", False):
        return
    original = tags._build_box_tree

    def _build_box_tree(box, parent, pdf, page_number, nums, annotations, marked):
        inner = getattr(box, "_box", box)  # an AbsolutePlaceholder's box
        for element in original(box, parent, pdf, page_number, nums, annotations, marked):
            if inner.element is not None and not isinstance(inner, (boxes.PageBox, boxes.MarginBox)) \
                    and isinstance(inner.element_tag, str) and "::" not in inner.element_tag \
                    and inner.element_tag not in ("html", "body"):
                _mark(pdf, inner.element.get("id"), element, page_number)
            yield element

    _build_box_tree.publish_ids = True
    tags._build_box_tree = _build_box_tree  # the hook: add_tags and the recursion look this name up


def _mark(pdf, ident: str | None, element, page_number: int) -> None:
    import pydyf

    if not ident:
        return
    ids = pdf.__dict__.setdefault("_publish_ids", {})
    previous = ids.get(ident)
    if previous is not None and (previous[0] != page_number or previous[1] is element):
        return  # the element's first page keeps it
    if "ID" in element:
        return  # a table header's own id, which its cells' /Headers name
    if previous is not None:
        del previous[1]["ID"]  # boxes are yielded innermost first: the outer box of the element wins
    element["ID"] = pydyf.String(ident)
    ids[ident] = (page_number, element)


def structure_destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Write the /IDTree; in PDF 2.0, make every internal destination a structure destination.
    Returns {"links": annotations changed, "outlines": items changed, "fallback": destinations whose
    id named no element}."""
    root = pdf.Root.get("/StructTreeRoot")
    counts = {"links": 0, "outlines": 0, "fallback": 0}
    if root is None:
        return counts
    by_id: dict[str, object] = {}
    first_on_page: dict = {}
    for elem in iter_struct(root):
        if "/ID" in elem:
            by_id.setdefault(str(elem.ID), elem)
        if "/Pg" in elem and elem.Pg.objgen not in first_on_page:
            first_on_page[elem.Pg.objgen] = elem
    if by_id:
        tree = pikepdf.NameTree.new(pdf)
        for key, elem in sorted(by_id.items()):
            tree[key] = elem
        root.IDTree = tree.obj
    if str(pdf.pdf_version) < "2.0":
        return counts  # structure destinations are PDF 2.0
    names = pikepdf.NameTree(pdf.Root.Names.Dests) if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names else {}
    places: dict = {}  # (page, x, y) -> the id whose named destination is there (for bookmarks: a heading's first)
    for name, dest in (names.items() if names else ()):
        if isinstance(dest, Array) and len(dest) >= 4:
            here = places.get(_place(dest))
            if here is None or (not _heading(by_id.get(here)) and _heading(by_id.get(name))):
                places[_place(dest)] = name

    def action(dest):
        name = str(dest) if isinstance(dest, String) else places.get(_place(dest)) if isinstance(dest, Array) else None
        target = names[name] if name is not None and name in names else dest
        if not isinstance(target, Array) or len(target) < 2 or not isinstance(target[0], Dictionary):
            return None
        elem = by_id.get(name) if name is not None else None
        if elem is None:
            elem = first_on_page.get(target[0].objgen)
            counts["fallback"] += 1
            if elem is None:
                return None
        return Dictionary(Type=Name.Action, S=Name.GoTo, D=dest, SD=Array([elem, *list(target)[1:]]))

    for page in pdf.pages:
        for annot in page.obj.get("/Annots", ()):
            if annot.get("/Subtype") == Name.Link and "/Dest" in annot and (made := action(annot.Dest)) is not None:
                del annot["/Dest"]
                annot.A = made
                counts["links"] += 1
    outlines = pdf.Root.get("/Outlines")
    stack = [outlines.get("/First")] if outlines is not None else []
    while stack:
        item = stack.pop()
        if item is None:
            continue
        if "/Dest" in item and (made := action(item.Dest)) is not None:
            del item["/Dest"]
            item.A = made
            counts["outlines"] += 1
        stack += [item.get("/Next"), item.get("/First")]
    return counts


def _heading(elem) -> bool:
    return elem is not None and str(elem.get("/S"))[:2] == "/H"


def _place(dest) -> tuple:
    page = dest[0].objgen if isinstance(dest[0], Dictionary) else None
    return page, round(float(dest[2]), 1) if dest[2] is not None else None, \
        round(float(dest[3]), 1) if dest[3] is not None else None
