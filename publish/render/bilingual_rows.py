"""Turn a laid-out bilingual document (WeasyPrint's) into the pairs that a page break leaves with an empty cell.

A pair is a one-row table of two cells (styles/css/print-bilingual.css). When a page break falls
in the row after the shorter side has ended, the row goes on on the next page with one cell
empty: the reader finds text in one column and nothing beside it. publish.render.bilingual_pdf
lays the book out again with such a pair starting a page (both sides then begin and, unless the
pair is longer than a page, end together). A cell whose source has no text (an empty side on the
copyright page) does not count.
"""
from __future__ import annotations


def _sides(row) -> list:
    return [cell for cell in row.children
            if cell.element is not None and "side" in (cell.element.get("class") or "").split()]


def _has_text(box) -> bool:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return bool(box.text.strip())
    return any(_has_text(child) for child in getattr(box, "children", ()))


def half_empty(document) -> set:
    """The pair elements (the side cells' parent, `div.pair`) of which some page holds one side's
    text and not the other's, though both have text."""
    from weasyprint.formatting_structure import boxes

    out = set()
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableRowBox):
                continue
            cells = _sides(box)
            if len(cells) != 2:
                continue
            shown = [_has_text(cell) for cell in cells]
            if shown[0] != shown[1] and all("".join(cell.element.itertext()).strip() for cell in cells):
                pair = _parent(page, cells[0].element)
                if pair is not None:
                    out.add(pair)
    return out


def _parent(page, element):
    root = page._page_box.children[0].element  # <html>: WeasyPrint's elements know no parent
    for node in root.iter():
        for child in node:
            if child is element:
                return node
    return None
