"""Turn a table's row headers and footer row into Word's table look (First Column, Total Row) and back.

Export: pandoc's docx writer sets Total Row (w:lastRow) for a table foot but never First Column; the
writer lists each table's row-header count in reading order and `first_columns` sets them. Import:
`mark_tables` puts a marker run (character style `publish-table`, text `LASTROW:FIRSTCOLUMN:ID`) in
each table's first cell, ID the bookmark just before the table, for pandoc's reader keeps neither.
"""
from __future__ import annotations

import re

from lxml import etree


def first_columns(xml: str, row_headers: list[int]) -> str:
    """Set w:firstColumn on the tables of a part, in order (tables nested in cells come after their table)."""
    counts = iter(row_headers)

    def look(match):
        n = next(counts, 0)
        return re.sub(r'w:firstColumn="[01]"', f'w:firstColumn="{1 if n else 0}"', match.group())
    return re.sub(r"<w:tblLook [^>]*/>", look, xml)


def _on(look, attr: str, bit: int, w) -> bool:
    value = look.get(w(attr)) if look is not None else None
    if value is not None:
        return value in ("1", "true", "on")
    hexval = look.get(w("val")) if look is not None else None
    return bool(hexval and re.fullmatch(r"[0-9A-Fa-f]{1,4}", hexval) and int(hexval, 16) & bit)


def mark_tables(tree, ns: dict, w) -> None:
    for tbl in tree.iter(w("tbl")):
        look = tbl.find("w:tblPr/w:tblLook", ns)
        names, before = [], tbl.getprevious()
        while before is not None and before.tag == w("bookmarkStart"):
            names.insert(0, before.get(w("name")) or "")
            before = before.getprevious()
        name = next((n for n in names if n and not n.startswith("_")), "")
        p = tbl.find("w:tr/w:tc/w:p", ns)
        if p is None:
            continue
        run = etree.Element(w("r"))
        etree.SubElement(etree.SubElement(run, w("rPr")), w("rStyle")).set(w("val"), "PublishTable")
        etree.SubElement(run, w("t")).text = f"{int(_on(look, 'lastRow', 0x40, w))}:{int(_on(look, 'firstColumn', 0x80, w))}:{name}"
        ppr = p.find("w:pPr", ns)
        p.insert(0 if ppr is None else p.index(ppr) + 1, run)


def take_marker(blocks: list) -> tuple[list, tuple]:
    """The first cell's blocks without the marker, and (footer row, first column, id) from it."""
    for block in blocks:
        inner = block
        while inner["t"] == "Div" and inner["c"][1]:
            inner = inner["c"][1][0]
        if inner["t"] not in ("Para", "Plain"):
            continue
        for i, node in enumerate(inner["c"]):
            if node["t"] == "Span" and dict(node["c"][0][2]).get("custom-style") == "publish-table":
                text = "".join(n.get("c", "") for n in node["c"][1] if n["t"] == "Str")
                last, first, ident = (text.split(":", 2) + ["0", "0", ""])[:3]
                del inner["c"][i]
                return blocks, (last == "1", first == "1", ident)
    return blocks, (False, False, "")
