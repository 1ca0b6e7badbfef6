"""Turn a laid-out bilingual document (WeasyPrint's) into the groups of paragraph pairs to set as one pair.

Every segment of the bilingual PDF is a pair, a one-row table of two cells (the original, its
translation): both begin at one height, and under the shorter side is a hole as tall as the two
sides differ. English takes more lines than its Japanese in one paragraph, fewer in the next; a
run of consecutive paragraph pairs in one container (`div.pair-p`, siblings) may instead be set as
ONE pair whose left cell holds the originals of k segments and whose right cell their translations,
each side flowing without gaps (styles/templates/pdf/bilingual.html, `group`).

The groups are chosen from the first layout, where every pair is set alone: each paragraph's two
side heights are read from its boxes (the extent of its lines, over every page it runs on), and
each run is walked greedily:
- a pair whose sides differ by less than a line (BALANCED) stays a pair on its own: it keeps exact
  alignment, the common case;
- otherwise a group opens; the next pair joins it while the group's running imbalance
  |Σ original − Σ translation| exceeds BALANCED, and the group closes as soon as it is balanced;
- the running imbalance at a paragraph's start (the drift: how far apart its two sides begin) never
  exceeds DRIFT_SHARE of the text block's height: when the next pair would begin further apart, or
  the run ends unbalanced, the group closes after the pair where its imbalance was least (and
  the walk goes on after it). A group of one is a plain pair.
A pair the first layout splits across a page with an empty cell (publish.render.bilingual_rows) ends
a run: it stays a pair, which the renderer may move to the next page.

    plan(document) -> [[seg, …], …]   the groups, each the data-seg of its pairs in order
"""
from __future__ import annotations

PX = 0.75  # points per CSS px
BALANCED = 14.0 / PX  # CSS px: balanced when the sides end on one line (less than a line of 14.5 pt apart)
DRIFT_SHARE = 0.25  # the most two sides of a paragraph may begin apart: a quarter of the text block


def _classes(element) -> set:
    return set((element.get("class") or "").split())


def runs(root) -> list[list]:
    """The runs of consecutive paragraph pairs (`div.pair-p`, not printed once) among siblings:
    [[pair element, …], …], each of two pairs or more."""
    out = []
    for node in root.iter():
        run: list = []
        for child in node:
            if {"pair-p"} <= _classes(child) and "pair-same" not in _classes(child) and len(child) == 2:
                run.append(child)
                continue
            if len(run) > 1:
                out.append(run)
            run = []
        if len(run) > 1:
            out.append(run)
    return out


def extents(document) -> dict:
    """{element: the height its lines take, summed over its boxes on every page (CSS px)} for every
    element laid out as a table cell."""
    from weasyprint.formatting_structure import boxes

    out: dict = {}
    for page in document.pages:
        for box in page._page_box.descendants():
            if not isinstance(box, boxes.TableCellBox) or box.element is None:
                continue
            lines = [line for line in box.descendants() if isinstance(line, boxes.LineBox)]
            if lines:
                top = min(line.position_y for line in lines)
                bottom = max(line.position_y + line.height for line in lines)
                out[box.element] = out.get(box.element, 0.0) + bottom - top
    return out


def greedy(differences: list[float], balanced: float = BALANCED, cap: float = float("inf")) -> list[tuple[int, int]]:
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
    heights = extents(document)
    groups = []
    for run in runs(root):
        parts: list[list] = [[]]
        for pair in run:  # a pair to avoid, or one not laid out, ends the part before it
            sides = list(pair)
            if pair in avoid or any(side not in heights for side in sides):
                parts.append([])
            else:
                parts[-1].append((pair, heights[sides[0]] - heights[sides[1]]))
        for part in parts:
            for start, end in greedy([d for _, d in part], BALANCED, cap):
                groups.append([next(iter(pair)).get("data-seg") for pair, _ in part[start:end]])
    return [g for g in groups if all(g)]
