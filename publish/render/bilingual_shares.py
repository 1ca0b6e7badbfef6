"""Turn a first bilingual layout into each unit's column split (the original's share of the text block, for its text and its notes) at which its rows come out shortest.

Every row of the bilingual page is as tall as its taller side (styles/css/print-bilingual.css), so
a side that is systematically the longer leaves holes under the other that no grouping of
paragraphs (publish.render.bilingual_groups) can cancel: in the flagship the English body is
longer than its Japanese in most chapters (by 2–10 %, up to 19 % in the biographies), its
Japanese endnotes longer than the English (by 6–22 %). The style sheet's split (`--o-share`, 56 %)
is a guess from the fonts' advances; this module measures it instead.

From the first layout, each unit's paragraph and note pairs are read (their sides' line heights,
summed over pages, and their line pitch). A side of n lines in a column w wide is predicted to take
    pitch × ((n − ½) × w / w′ + ½)
in a column w′ wide (its last line half full, on average). For every split from LEAST to MOST by
STEP (a column of English never under ~45 characters, of Japanese never under ~17) the unit's
rows are predicted (its runs of paragraphs grouped as publish.render.bilingual_groups groups them,
each group as tall as its taller side), and the split whose rows are shortest is taken, unless it
saves less than SAVING of them or two lines: the prediction knows nothing of page breaks, and on
the flagship a predicted saving of 1.5 lines (0.4 %) in a chapter's text cost it a page and a half.
Balancing the sides' totals instead lengthened the book: in
endnotes, short pairs that cannot group, narrowing the English grows the rows where English was the
longer as much as it shrinks the others (98 pages instead of 96).
The template sets a unit's split on its <article> and its notes' on their <section>
(`style="--o-share: …%"`): a chapter keeps one column rule from its first page (units begin a page),
the notes theirs from their heading.

    splits(document) -> ({unit id: share %}, {unit id: notes' share %}, (side heights predicted at them, pitch))
"""
from __future__ import annotations

from .bilingual_groups import DRIFT_SHARE, classes, extents, partition, parts, runs

LEAST, MOST = 0.48, 0.62  # the original's share of the text block (of a 6.75in block: 221–289 pt of English)
STEP = 0.005  # the split's resolution (half a per cent: 2.4 pt of a 6.75in block)
MIN_LINES = 12  # a unit with fewer lines a side than this keeps the style sheet's split
SAVING = 0.02  # the least a new split must save of a part's rows (smaller savings are within the prediction's error)


def _counted(pair) -> bool:
    """A pair of paragraph sides that may leave a hole: a paragraph pair or a note, not one printed once."""
    names = classes(pair)
    return ("pair-p" in names or "note" in names) and "pair-same" not in names and len(pair) == 2


def _cells(document) -> dict:
    """{side element: (its content width, the row's width, its padding and border)} for every side
    laid out as a table cell, from its first box."""
    from weasyprint.formatting_structure import boxes

    out: dict = {}
    for page in document.pages:
        for row in page._page_box.descendants():
            if not isinstance(row, boxes.TableRowBox):
                continue
            cells = [c for c in row.children if c.element is not None and "side" in classes(c.element)]
            if len(cells) == 2:
                total = sum(c.border_width() for c in cells)
                for c in cells:
                    out.setdefault(c.element, (c.width, total, c.border_width() - c.width))
    return out


def predicted(height: float, pitch: float, width: float, new_width: float) -> float:
    """A side's height once its column is `new_width` wide instead of `width` (see the module docstring)."""
    if pitch <= 0 or height <= 0:
        return height
    lines = height / pitch
    return pitch * ((lines - 0.5) * width / new_width + 0.5)


def _height(side: tuple, share: float) -> float:
    """A side's predicted height when its column takes `share` of the row: `side` is (height, pitch,
    width, the row's width, the side's padding and border)."""
    return predicted(side[0], side[1], side[2], share * side[3] - side[4])


def _total(pairs: dict, runs: list, share: float, cap: float) -> float:
    """The predicted height of a unit part's rows at the split `share`: `pairs` {pair: (original's
    side, translation's side)}; each run of pairs grouped as publish.render.bilingual_groups groups
    them (a group as tall as its taller side's sum), every other pair as tall as its taller side."""
    heights = {pair: (_height(o, share), _height(t, 1 - share)) for pair, (o, t) in pairs.items()}
    total, seen = 0.0, set()
    for run in runs:
        for part in (p for p in parts(run, heights.__contains__) if len(p) > 1):
            line = min(min(pairs[pair][0][1], pairs[pair][1][1]) for pair in part)
            differences = [heights[pair][0] - heights[pair][1] for pair in part]
            for start, end in partition(differences, line, cap):
                group = part[start:end]
                total += max(sum(heights[pair][0] for pair in group), sum(heights[pair][1] for pair in group))
                seen.update(group)
    return total + sum(max(h) for pair, h in heights.items() if pair not in seen)


def _best(pairs: dict, runs: list, share: float, cap: float) -> float:
    """The split, from LEAST to MOST by STEP, whose rows are the shortest; `share` (the style sheet's)
    unless that saves SAVING of its rows' height and two lines or more."""
    candidates = [LEAST + k * STEP for k in range(round((MOST - LEAST) / STEP) + 1)]
    totals = {s: _total(pairs, runs, s, cap) for s in candidates}
    best = min(candidates, key=lambda s: (round(totals[s], 1), abs(s - share)))
    line = min(min(o[1], t[1]) for o, t in pairs.values())
    current = _total(pairs, runs, share, cap)
    return best if current - totals[best] >= max(2 * line, SAVING * current) else share


def splits(document) -> tuple[dict, dict, tuple]:
    """({unit id: its text's split, in per cent}, {unit id: its notes' split}, (heights, pitch): every
    side's height, predicted at those splits, and its least line pitch, for bilingual_groups.plan)
    from a layout at the style sheet's split."""
    pages = document.pages
    if not pages:
        return {}, {}, ({}, {})
    root = pages[0]._page_box.children[0].element
    cap = DRIFT_SHARE * pages[len(pages) // 2]._page_box.height
    all_runs = runs(root)
    pitch: dict = {}
    heights = extents(document, pitch)
    cells = _cells(document)
    text: dict = {}
    notes: dict = {}
    widths: dict = {}
    for unit in root.iter("article"):
        ident = unit.get("id")
        if not ident or "unit" not in classes(unit):
            continue
        endnotes = {pair for section in unit.iter("section") if "bl-endnotes" in classes(section)
                    for pair in section.iter()}
        for notes_part, out in ((False, text), (True, notes)):
            sides = {pair: tuple((heights[side], pitch[side]) + cells[side] for side in pair)
                     for pair in unit.iter()
                     if (pair in endnotes) == notes_part and _counted(pair)
                     and all(side in heights and side in cells for side in pair)}
            lines = [sum(side[0] / side[1] for side in column) for column in zip(*sides.values())] if sides else [0]
            if min(lines) < MIN_LINES:
                continue
            original = next(iter(sides.values()))[0]
            share = (original[2] + original[4]) / original[3]  # the split it was laid out with
            found = _best(sides, all_runs, share, cap)
            if abs(found - share) < STEP - 1e-9:
                continue
            out[ident] = round(found * 100, 1)
            for pair in sides:
                for side, part in zip(pair, (found, 1 - found)):
                    width, total, padding = cells[side]
                    widths[side] = (width, part * total - padding)
    predicted_heights = {side: predicted(height, pitch.get(side, 0.0), *widths[side]) if side in widths else height
                         for side, height in heights.items()}
    return text, notes, (predicted_heights, pitch)
