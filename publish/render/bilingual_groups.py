"""Turn a laid-out bilingual document (WeasyPrint's) into the groups of paragraph pairs to set as one pair.

Every segment of the bilingual PDF is a pair, a one-row table of two cells (the original, its
translation): both begin at one height, and under the shorter side is a hole as tall as the two
sides differ. English takes more lines than its Japanese in one paragraph, fewer in the next; a
run of consecutive paragraph pairs in one container (`div.pair-p`, siblings) may instead be set as
ONE pair whose left cell holds the originals of k segments and whose right cell their translations,
each side flowing without gaps (styles/templates/pdf/bilingual.html, `group`).

Endnotes of one paragraph each are grouped the same way (their list items are siblings): a group
is one pair whose cells are the two languages' lists of those notes.

The groups are chosen from the first layout, where every pair is set alone: each paragraph's two
side heights are read from its boxes (the extent of its lines, over every page it runs on), and
each run is cut into groups and lone pairs at the least cost (dynamic programming over the cuts):
- a lone pair costs the hole under its shorter side, |original − translation|;
- a group costs the hole its sides leave at its end, |Σ original − Σ translation|, plus GROUPED of a
  line for each of its pairs (a group gives up the paragraphs' alignment: a pair that balances
  alone stays alone, and a group forms only where it saves more than that);
- within a group the running imbalance at a paragraph's start (the drift: how far apart its two
  sides begin) never exceeds DRIFT_SHARE of the text block's height.
(The walk this replaced opened a group at an unbalanced pair and closed it as soon as it balanced:
consecutive pairs that run long on the same side made it close at once, and the flagship kept
2,453 px of holes under 147 lone paragraphs.)
A pair the first layout splits across a page with an empty cell (publish.render.bilingual_rows) ends
a run: it stays a pair, which the renderer may move to the next page; so does the pair before a
signature, which keeps with it (`break-before: avoid`: WeasyPrint would move a whole group with it).

    plan(document) -> [[seg, …], …]   the groups, each the data-seg of its pairs in order
"""
from __future__ import annotations

GROUPED = 0.1  # of a line (the run's least pitch: 14.5 pt in the text, 11.5 pt in notes): the price of a pair in a group
KEEP_WITH_PREVIOUS = {"bl-signature"}  # `break-before: avoid` (print-bilingual.css): what precedes it moves with it
DRIFT_SHARE = 0.25  # the most two sides of a paragraph may begin apart: a quarter of the text block


def classes(element) -> set:
    """An element's class names."""
    return set((element.get("class") or "").split())


def _groupable(child):
    """The pair a child of a container may be grouped as: a paragraph pair (`div.pair-p`), or the
    one pair of an endnote of one paragraph (`li > div.note`); None for anything else, a pair
    printed once included."""
    if child.tag == "li" and len(child) == 1 and "note" in classes(child[0]):
        child = child[0]
    elif "pair-p" not in classes(child):
        return None
    if "pair-same" in classes(child) or "pair-group" in classes(child) or len(child) != 2:
        return None
    return child if child[0].get("data-seg") else None


def runs(root) -> list[list]:
    """The runs of consecutive paragraph pairs (`div.pair-p`), or of endnotes of one paragraph,
    among siblings: [[pair element, …], …], each of two pairs or more."""
    out = []
    for node in root.iter():
        run: list = []
        for child in node:
            pair = _groupable(child)
            if pair is not None:
                run.append(pair)
                continue
            if classes(child) & KEEP_WITH_PREVIOUS:
                run = run[:-1]  # the pair before it stays alone: a page break before a group would move it all
            if len(run) > 1:
                out.append(run)
            run = []
        if len(run) > 1:
            out.append(run)
    return out


def extents(document, pitch: dict | None = None) -> dict:
    """{element: the height its lines take, summed over its boxes on every page (CSS px)} for every
    element laid out as a table cell; `pitch`, if given, receives {element: its least line height}."""
    from weasyprint.formatting_structure import boxes

    out: dict = {}
    pitch = {} if pitch is None else pitch
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableCellBox) or box.element is None:
                continue
            lines = [line for line in box.descendants() if isinstance(line, boxes.LineBox)]
            if lines:
                top = min(line.position_y for line in lines)
                bottom = max(line.position_y + line.height for line in lines)
                out[box.element] = out.get(box.element, 0.0) + bottom - top
                least = min(line.height for line in lines)
                pitch[box.element] = min(pitch.get(box.element, least), least)
    return out


def parts(run: list, kept) -> list[list]:
    """A run of pairs cut at every pair `kept(pair)` refuses (one not laid out, one that must stay
    alone): its parts, in order, each a list of pairs (empty ones included)."""
    out: list[list] = [[]]
    for pair in run:
        if kept(pair):
            out[-1].append(pair)
        else:
            out.append([])
    return out


def partition(differences: list[float], line: float, cap: float = float("inf")) -> list[tuple[int, int]]:
    """The groups (start, end) of a run whose pairs' sides differ by `differences` (original minus
    translation), `line` the run's line pitch: the cheapest cut of the run into groups and lone
    pairs, as the module docstring says; groups of one left out."""
    n = len(differences)
    cost = [0.0] + [float("inf")] * n
    cut = [0] * (n + 1)
    for i in range(n):  # cost[i] is final here: every segment ends after it starts
        imbalance = 0.0
        for j in range(i + 1, n + 1):
            if j - 1 > i and abs(imbalance) > cap:
                break  # pair j - 1 would begin further apart than the cap
            imbalance += differences[j - 1]
            here = cost[i] + abs(imbalance) + (GROUPED * line * (j - i) if j - i > 1 else 0.0)
            if here < cost[j] - 1e-9:
                cost[j], cut[j] = here, i
    out = []
    j = n
    while j > 0:
        if j - cut[j] > 1:
            out.append((cut[j], j))
        j = cut[j]
    return out[::-1]


def plan(document, avoid: frozenset | set = frozenset(), measured: tuple | None = None) -> list[list[str]]:
    """The groups to set from a layout of single pairs; `avoid`: pair elements that must stay alone;
    `measured`: (heights, pitch) as `extents` gives them, or as publish.render.bilingual_shares.splits
    predicts them at its new splits (the layout is then not read again)."""
    pages = document.pages
    if not pages:
        return []
    root = pages[0]._page_box.children[0].element
    cap = DRIFT_SHARE * pages[len(pages) // 2]._page_box.height
    if measured is None:
        pitch: dict = {}
        measured = extents(document, pitch), pitch
    heights, pitch = measured
    groups = []
    for run in runs(root):
        line = min((pitch[side] for pair in run for side in pair if side in pitch), default=0.0)
        # a pair to avoid, or one not laid out, ends the part before it
        for part in parts(run, lambda pair: pair not in avoid and all(side in heights for side in pair)):
            differences = [heights[original] - heights[translation] for original, translation in map(list, part)]
            for start, end in partition(differences, line, cap):
                groups.append([next(iter(pair)).get("data-seg") for pair in part[start:end]])
    return [g for g in groups if all(g)]
