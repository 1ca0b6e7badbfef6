"""Turn a laid-out document (WeasyPrint's) into the figures to set after the paragraphs that follow them.

WeasyPrint has no page floats: a figure (or table) that does not fit under the paragraph before it
moves whole to the next page and leaves the foot of the page blank (252 pt under the paragraph
before Figure 1 on p. 50 of the flagship's bilingual PDF). A book designer floats it: the
paragraphs after it fill the page, and the figure heads the next page. This module reads a layout
and says which figures to defer so, for the renderer to lay the book out again with them moved:

- a figure (`<figure>` or `<table>` with an id, a child of the unit's `<article>`) whose first line
  is the first line of its page, while the page before ends with a blank taller than LINES lines;
- not the unit's first block (the blank is then a unit's end), and the page before holds the
  block before it;
- set after as many of the paragraphs that follow it as fill the blank (at least one; never past a
  heading, a list, another figure or the unit's notes, nor past the unit's end): `{figure id: the
  data-seg that opens the last of those paragraphs}` (a paragraph pair, or a group of them, in the
  bilingual PDF);
- once: a deferred figure that the next layout puts more than one page further than it was (the
  paragraphs took more than the blank and the page after) is set back where the manuscript has it,
  and left there.

Reading order. The figure's structure element follows the paragraph(s) it was moved after, in the
PDF's tags too: the PDF is read as it is printed, which is what a print reader gets. References
("Figure 1") still link to the figure by its id, wherever it stands. The HTML and EPUB editions keep
the manuscript's order.

    Floats(paragraph).read(document) -> {figure id: seg} or None   (None: nothing new to move)
"""
from __future__ import annotations

from .bilingual_rows import _foot

LINES = 3  # a blank taller than this many of the next paragraph's lines is worth filling
FLOATING = ("figure", "table")


def _lines(document) -> dict:
    """{element: [(page index, top, bottom, line height)…]} of every line and image set for it, and
    for each of its ancestors (the text block only: running heads and folios left out)."""
    from weasyprint.formatting_structure import boxes

    out: dict = {}

    def walk(box, index, chain):
        if isinstance(box, boxes.MarginBox):
            return
        if box.element is not None and (not chain or chain[-1] is not box.element):
            chain = chain + (box.element,)
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            if isinstance(box, boxes.ReplacedBox) or any(True for _ in box.descendants() if isinstance(_, boxes.TextBox)):
                entry = (index, box.position_y, box.position_y + box.margin_height(), box.margin_height())
                for element in chain:
                    out.setdefault(element, []).append(entry)
            return
        for child in getattr(box, "children", ()):
            walk(child, index, chain)

    for index, page in enumerate(document.pages):
        walk(page._page_box, index, ())
    return out


class Floats:
    """The figures deferred so far, read from each layout in turn (see the module docstring).
    `paragraph(element)`: whether a sibling after a figure is a paragraph that may fill the blank."""

    def __init__(self, paragraph):
        self.paragraph = paragraph
        self.deferred: dict = {}  # figure id -> seg
        self.origin: dict = {}  # figure id -> the page index it began on before it was deferred
        self.settled: set = set()  # figure ids tried once

    def read(self, document) -> dict | None:
        """{figure id: seg} of every deferred figure, when this layout changes what is deferred; else None."""
        pages = document.pages
        if len(pages) < 2:
            return None
        lines = _lines(document)
        root = pages[0]._page_box.children[0].element
        firsts: dict = {}  # page index -> the lines' top of the first line of the page
        for entries in lines.values():
            for index, top, _, _ in entries:
                firsts[index] = min(firsts.get(index, top), top)
        changed = False
        for figure_id, seg in list(self.deferred.items()):  # set back one that went too far
            figure = next((e for e in root.iter() if e.tag in FLOATING and e.get("id") == figure_id), None)
            if figure is None or figure not in lines or min(e[0] for e in lines[figure]) > self.origin[figure_id]:
                del self.deferred[figure_id]
                changed = True
        for article in root.iter("article"):
            children = list(article)
            for at, figure in enumerate(children):
                ident = figure.get("id")
                if figure.tag not in FLOATING or not ident or ident in self.settled or figure not in lines or at == 0:
                    continue
                page = min(e[0] for e in lines[figure])
                before = children[at - 1]
                if before.get("class") and {"pair-title", "bl-byline"} & set(before.get("class").split()):
                    continue  # the unit's first block
                if not page or before not in lines or max(e[0] for e in lines[before]) != page - 1:
                    continue  # the block before it is not at the foot of the page before
                top = min(e[1] for e in lines[figure] if e[0] == page)
                if top > firsts.get(page, top) + 0.5:
                    continue  # something else begins the page
                blank = _foot(pages[page - 1])
                chosen, filled = None, 0.0
                for sibling in children[at + 1:]:
                    if not self.paragraph(sibling) or sibling not in lines:
                        break
                    pitch = min(e[3] for e in lines[sibling])
                    if blank - filled <= LINES * pitch:
                        break
                    chosen = sibling
                    filled += sum(bottom - top for top, bottom in _extents(lines[sibling]))
                seg = next((n.get("data-seg") for n in chosen.iter() if n.get("data-seg")), None) if chosen is not None else None
                if seg:
                    self.deferred[ident], self.origin[ident] = seg, page
                    self.settled.add(ident)
                    changed = True
        return dict(self.deferred) if changed else None


def _extents(entries) -> list:
    """[(top, bottom)] of a block's lines on each page it runs on."""
    pages: dict = {}
    for index, top, bottom, _ in entries:
        low, high = pages.get(index, (top, bottom))
        pages[index] = (min(low, top), max(high, bottom))
    return list(pages.values())
