"""Turn WeasyPrint's list items of several blocks into PDF/UA list items: LI holds only Lbl and LBody.

WeasyPrint tags an `<li>` as /LI, its marker as /Lbl and its anonymous text as /LBody; but the blocks
of an item of several paragraphs (`<li><p>…</p><p>…</p></li>`) land directly in the /LI as /P, which
PDF/UA-1 forbids (ISO 14289-1 7.2, veraPDF 7.2-20). Each run of such children is moved, in order,
into one new /LBody of that /LI.
"""
from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name

ITEM_PARTS = ("/Lbl", "/LBody")


def _kids(elem) -> list:
    kids = elem.get("/K")
    return list(kids) if isinstance(kids, Array) else ([kids] if kids is not None else [])


def _is_elem(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid


def wrap_list_bodies(pdf: pikepdf.Pdf) -> int:
    """Give every /LI's stray structure elements an /LBody; returns the number of LBody made."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return 0
    made = 0
    stack, seen = list(_kids(root)), set()
    while stack:
        elem = stack.pop()
        if not _is_elem(elem) or (elem.is_indirect and elem.objgen in seen):
            continue
        seen.add(elem.objgen)
        kids = _kids(elem)
        if elem.get("/S") == "/LI" and any(_is_elem(k) and str(k.get("/S")) not in ITEM_PARTS for k in kids):
            out, body = [], None
            for kid in kids:
                if _is_elem(kid) and str(kid.get("/S")) not in ITEM_PARTS:
                    if body is None:
                        body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=elem, K=Array()))
                        if "/Pg" in kid:
                            body.Pg = kid.Pg
                        out.append(body)
                        made += 1
                    body.K.append(kid)
                    kid.P = body
                else:
                    out.append(kid)
                    body = None
            elem.K = Array(out)
        stack.extend(_kids(elem))
    return made
