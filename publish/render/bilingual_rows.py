"""Turn a laid-out bilingual document (WeasyPrint's) into the pairs that a page break leaves with an empty cell.

A pair is a one-row table of two cells (styles/css/print-bilingual.css). When a page break falls
in the row after the shorter side has ended, the row goes on on the next page with one cell
empty: the reader finds text in one column and nothing beside it. publish.render.bilingual_pdf
lays the book out again with such a pair starting a page (both sides then begin and, unless the
pair is longer than a page, end together) — but only when that costs little: moving a pair leaves
the page it began on blank below the pair before it, as tall as the pair's part there. A pair
whose part on that page is taller than MOVE_MAX (a long pair begun high on the page: 331 pt of
blank on the flagship's p. 23) goes on instead, its longer side alone for a few lines at the top
of the next page, as in a parallel-text edition; both sides still begin on one page, on one
baseline. A paragraph set with its signature (`pair-signed`) is moved up to SIGNED_MOVE_MAX: its
signature should not stand on one page in one language and on the next in the other (a longer part
goes on, as any pair does: moving it would leave a blank that needless_breaks lets go again, and
the layouts would swing between the two). A cell whose source has no text (an empty side on the
copyright page) does not count.
"""
from __future__ import annotations

MOVE_MAX = 120.0  # CSS px (90 pt, six lines): the most blank a moved pair may leave at a page's foot
SIGNED_MOVE_MAX = 2 * MOVE_MAX - 24.0  # for a paragraph set with its signature: the blank it leaves when moved (its part, and the space after the pair before) stays under needless_breaks' twice MOVE_MAX, so it is never let go again


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
    first: dict = {}  # the original's side -> the height of its pair's part on the page it begins
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableRowBox):
                continue
            cells = _sides(box)
            if len(cells) != 2:
                continue
            begun = first.setdefault(cells[0].element, box.height)
            if begun > SIGNED_MOVE_MAX:
                continue  # moving it would leave more blank than its empty cell does (see the module docstring)
            shown = [_has_text(cell) for cell in cells]
            if shown[0] != shown[1] and all("".join(cell.element.itertext()).strip() for cell in cells):
                pair = _parent(page, cells[0].element)
                signed = pair is not None and "pair-signed" in (pair.get("class") or "").split()
                if pair is not None and begun <= (SIGNED_MOVE_MAX if signed else MOVE_MAX):
                    out.add(pair)  # a long pair goes on (see the module docstring)
    return out


def _parent(page, element):
    root = page._page_box.children[0].element  # <html>: WeasyPrint's elements know no parent
    for node in root.iter():
        for child in node:
            if child is element:
                return node
    return None


def foot(page) -> float:
    """The blank at the foot of a laid-out page's text block, below its last line (CSS px)."""
    from weasyprint.formatting_structure import boxes

    page_box = page._page_box
    lowest = page_box.content_box_y()
    for child in page_box.children:
        if isinstance(child, boxes.MarginBox):  # running heads and folios stand outside the text block
            continue
        for box in child.descendants():
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
                lowest = max(lowest, box.position_y + box.margin_height())
    return page_box.content_box_y() + page_box.height - lowest


def needless_breaks(document) -> set:
    """The data-seg of every pair moved to the next page (`.pair-break`) that now leaves more than
    twice MOVE_MAX of blank at the foot of the page before: a break an earlier layout asked for, which
    the pairs moved since have made needless (the pair fits there, or may go on over the break). Twice:
    a pair moved for a part of MOVE_MAX leaves a little more blank (the space between pairs), and
    must not be let go again."""
    feet: dict = {}
    out = set()
    seen = set()
    for index, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            element = box.element
            if element is None or element in seen or "pair-break" not in (element.get("class") or "").split():
                continue
            seen.add(element)
            if index and feet.setdefault(index - 1, foot(document.pages[index - 1])) > 2 * MOVE_MAX:
                seg = next((node.get("data-seg") for node in element.iter() if node.get("data-seg")), None)
                if seg:
                    out.add(seg)
    return out

