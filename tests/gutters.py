"""Where the two columns of a bilingual PDF page part, read from the page: the hairline drawn at the
left of each translation cell (print-bilingual.css). The split may differ from unit to unit and
between a unit's text and its notes (publish/render/bilingual_shares.py), so it is read per line:
the rule beside it, or the nearest rule above or below; the style sheet's 56 % on a page without one.
"""
from __future__ import annotations

DEFAULT_SHARE = 0.56  # print-bilingual.css: --o-share


class Gutter:
    """gutter(y) -> the x where the columns part at height y (pdfplumber's top-down points)."""

    def __init__(self, page, box):
        x0, _, x1, _ = box
        self.default = x0 + DEFAULT_SHARE * (x1 - x0)
        self.rules = sorted((e["top"], e["bottom"], e["x0"]) for e in page.edges
                            if e["orientation"] == "v" and x0 + 50 < e["x0"] < x1 - 50)
        self.seen: dict = {}

    def __call__(self, y: float) -> float:
        if not self.rules:
            return self.default
        key = round(y * 2)
        if key not in self.seen:
            self.seen[key] = min(self.rules, key=lambda r: max(r[0] - y, y - r[1], 0.0))[2]
        return self.seen[key]

    def at(self, char) -> float:
        """Where the columns part beside a pdfplumber character."""
        return self((char["top"] + char["bottom"]) / 2)
