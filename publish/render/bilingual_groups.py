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
each run is walked greedily:
- a pair whose sides differ by less than a line (BALANCED of the run's least line pitch) stays a
  pair on its own: it keeps exact alignment, the common case;
- otherwise a group opens; the next pair joins it while the group's running imbalance
  |Σ original − Σ translation| exceeds BALANCED, and the group closes as soon as it is balanced;
- the running imbalance at a paragraph's start (the drift: how far apart its two sides begin) never
  exceeds DRIFT_SHARE of the text block's height: when the next pair would begin further apart, or
  the run ends unbalanced, the group closes after the pair where its imbalance was least (and
  the walk goes on after it). A group of one is a plain pair.
A pair the first layout splits across a page with an empty cell (publish.render.bilingual_rows) ends
a run: it stays a pair, which the renderer may move to the next page; so does the pair before a
signature, which keeps with it (`break-before: avoid`: WeasyPrint would move a whole group with it).

    plan(document) -> [[seg, …], …]   the groups, each the data-seg of its pairs in order
"""
from __future__ import annotations

BALANCED = 0.95  # of a line (the run's least pitch: 14.5 pt in the text, 11.5 pt in notes): ending on one line
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


def greedy(differences: list[float], balanced: float, cap: float = float("inf")) -> list[tuple[int, int]]:
    """The groups (start, end) of a run whose pairs' sides differ by `differences` (original minus
    translation), as the module docstring walks it; groups of one left out."""
    out = []
    i, n = 0, len(differences)
    while i < n:
        imbalance = differences[i]
        if abs(imbalance) <= balanced:
            i += 1
            continue
        best_end, best = i + 1, abs(imbalance)
        j = i + 1
        while j < n and balanced < abs(imbalance) <= cap:
            imbalance += differences[j]
            j += 1
            if abs(imbalance) < best:
                best_end, best = j, abs(imbalance)
        end = j if abs(imbalance) <= balanced else best_end
        if end - i > 1:
            out.append((i, end))
        i = end
    return out


def plan(document, avoid: frozenset | set = frozenset()) -> list[list[str]]:
    """The groups to set from a layout of single pairs; `avoid`: pair elements that must stay alone."""
    pages = document.pages
    if not pages:
        return []
    root = pages[0]._page_box.children[0].element
    cap = DRIFT_SHARE * pages[len(pages) // 2]._page_box.height
    pitch: dict = {}
    heights = extents(document, pitch)
    groups = []
    for run in runs(root):
        parts: list[list] = [[]]
        for pair in run:  # a pair to avoid, or one not laid out, ends the part before it
            sides = list(pair)
            if pair in avoid or any(side not in heights for side in sides):
                parts.append([])
            else:
                parts[-1].append((pair, heights[sides[0]] - heights[sides[1]]))
        line = min((pitch[side] for pair in run for side in pair if side in pitch), default=0.0)
        for part in parts:
            for start, end in greedy([d for _, d in part], BALANCED * line, cap):
                groups.append([next(iter(pair)).get("data-seg") for pair, _ in part[start:end]])
    return [g for g in groups if all(g)]
