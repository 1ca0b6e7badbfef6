"""Turn a laid-out document (WeasyPrint's) into the figures to set after the paragraphs that follow them.

WeasyPrint has no page floats: a figure (or table) that does not fit under the paragraph before it
moves whole to the next page and leaves the foot of the page blank (213 pt, by
tests/test_bilingual_page.holes, under the paragraph before Figure 1 on p. 50 of the flagship's
bilingual PDF). A book designer floats it: the paragraphs after it fill the page, and the figure
heads the next page. This module reads a layout and says which figures to defer so, for the
renderer to lay the book out again with them moved:

- a figure (`<figure>` or `<table>` with an id, a child of the unit's element, `.unit`) whose first line
  is the first line of its page, while the page before ends with a blank taller than LINES lines;
- not the unit's first block nor after a heading (the blank is then a unit's end, or the heading
  keeps with it), and the page before holds the block before it;
- set after as many of the paragraphs that follow it as fill the blank, each taken while more than
  LINES lines are left blank and it fits whole, or breaks there (two lines or more each side); never
  past a heading, a list, another figure or the unit's notes, nor past the unit's end:
  `{figure id: the data-seg that opens the last of those paragraphs}` (a paragraph pair, or a group
  of them, in the bilingual PDF);
- once: a deferred figure that the next layout puts on a later page than it began on is set back
  where the manuscript has it, and left there (never moved more than one page).

The bilingual PDF (publish.render.bilingual_pdf's `adjust`) passes the result to its template as
`deferred`. The English and Japanese PDFs have the same blank (193.6 pt on p. 43 of the English,
97.8 pt on p. 40 of the Japanese) and the same reading serves them (a `<p data-seg>` is their
paragraph), but not yet: moving the figure there re-flowed a paragraph across a page break into a
0.53 em word space (tests/test_english_setting.py), which the loose-line passes did not mend.

Reading order. The figure's structure element follows the paragraph(s) it was moved after, in the
PDF's tags too: the PDF is read as it is printed, which is what a print reader gets. References
("Figure 1") still link to the figure by its id, wherever it stands. The HTML and EPUB editions keep
the manuscript's order (and, for now, the English and Japanese PDFs).

    Floats(paragraph).read(document) -> {figure id: seg} or None   (None: nothing changed)
"""
from __future__ import annotations

from .bilingual_rows import foot

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
            if isinstance(box, boxes.ReplacedBox) or any(isinstance(b, boxes.TextBox) for b in box.descendants()):
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
        for unit in (e for e in root.iter() if "unit" in (e.get("class") or "").split()):
            children = list(unit)
            for at, figure in enumerate(children):
                ident = figure.get("id")
                if figure.tag not in FLOATING or not ident or ident in self.settled or figure not in lines or at == 0:
                    continue
                page = min(e[0] for e in lines[figure])
                before = children[at - 1]
                if _opening(before):
                    continue  # the unit's first block, or a heading (which keeps with what follows it)
                if not page or before not in lines or max(e[0] for e in lines[before]) != page - 1:
                    continue  # the block before it is not at the foot of the page before
                top = min(e[1] for e in lines[figure] if e[0] == page)
                if top > firsts.get(page, top) + 0.5:
                    continue  # something else begins the page
                chosen = _filling(children[at + 1:], lines, self.paragraph, foot(pages[page - 1]))
                segs = [] if chosen is None else [n.get("data-seg") for n in chosen.iter() if n.get("data-seg")]
                seg = segs[0] if segs else None
                if seg:
                    self.deferred[ident], self.origin[ident] = seg, page
                    self.settled.add(ident)
                    changed = True
        return dict(self.deferred) if changed else None


def _filling(following: list, lines: dict, paragraph, blank: float):
    """The last of the paragraphs in `following` that fill a blank at a page's foot: each taken while
    more than LINES of its lines are left blank and it fits whole (with the space above it), or, when
    it does not, it may break there (two lines or more on each side: orphans, widows) and ends the run."""
    chosen, left = None, blank
    ends = {e: (max(x[0] for x in lines[e]), min(x[0] for x in lines[e])) for e in following if e in lines}
    gaps = [min(x[1] for x in lines[b] if x[0] == ends[b][1]) - max(x[2] for x in lines[a] if x[0] == ends[a][0])
            for a, b in zip(following, following[1:]) if a in ends and b in ends and ends[a][0] == ends[b][1]]
    gap = max(0.0, sorted(gaps)[len(gaps) // 2]) if gaps else 0.0
    for sibling in following:
        if not paragraph(sibling) or sibling not in lines:
            break
        pitch = min(e[3] for e in lines[sibling])
        if left <= LINES * pitch:
            break
        height = sum(bottom - top for top, bottom in _extents(lines[sibling]))
        if gap + height <= left:
            chosen, left = sibling, left - gap - height
            continue
        if height >= 4 * pitch - 0.5 and left - gap >= 2 * pitch:
            chosen = sibling
        break
    return chosen


def _opening(element) -> bool:
    """A unit's title or byline, or a heading (a pair of them in the bilingual PDF)."""
    names = set((element.get("class") or "").split())
    return (element.tag in ("h1", "h2", "h3", "h4", "h5", "h6") or bool(names & {"byline", "bl-byline", "pair-title"})
            or any(name.startswith("pair-h") for name in names))


def _extents(entries) -> list:
    """[(top, bottom)] of a block's lines on each page it runs on."""
    pages: dict = {}
    for index, top, bottom, _ in entries:
        low, high = pages.get(index, (top, bottom))
        pages[index] = (min(low, top), max(high, bottom))
    return list(pages.values())
