"""Read a typeset PDF's body text into measurements of its setting: characters per line, hyphen
ladders, word spaces on justified lines, lines over the measure, hyphenated capitalised words.

Body text is the lines set mostly in the body face (Noto Serif) at the body size; a line is
justified when it reaches the text block's right edge (the most common right edge of the page's
body lines); a line ends in an automatic hyphen when its last character is U+2010 (WeasyPrint's
hyphenate-character; a hyphen written in the text is U+002D).
"""
from __future__ import annotations

import collections
import statistics
from dataclasses import dataclass, field

import pdfplumber

AUTO_HYPHEN = "\u2010"
LEADER = ". . ."


@dataclass
class Line:
    page: int  # 1-based
    text: str
    x0: float
    x1: float
    top: float
    size: float
    gaps: list  # spaces between words, in points
    justified: bool = False
    tracking: float = 0.0  # the median gap between two glyphs of a word, in points (letter spacing)


@dataclass
class Setting:
    pages: int
    lines: list = field(default_factory=list)  # body lines
    over: list = field(default_factory=list)  # body lines past the right edge
    edges: dict = field(default_factory=dict)  # page -> (left, right)

    @property
    def justified(self):
        return [line for line in self.lines if line.justified]

    def chars_per_line(self) -> float:
        return statistics.median(len(line.text) for line in self.justified)

    def ladders(self, longest: int = 2) -> list:
        """Runs of more than `longest` consecutive body lines ending in an automatic hyphen:
        (page, first line's text, length)."""
        runs, run = [], []
        for line in self.lines + [None]:
            if line is not None and line.text.endswith(AUTO_HYPHEN) and (not run or run[-1].page == line.page):
                run.append(line)
                continue
            if len(run) > longest:
                runs.append((run[0].page, run[0].text, len(run)))
            run = [line] if line is not None and line.text.endswith(AUTO_HYPHEN) else []
        return runs

    def loose(self, em: float = 0.5) -> list:
        """Justified lines (not a paragraph's last) with a word space wider than `em`."""
        return [line for line in self.justified if line.gaps and max(line.gaps) > em * line.size]

    def widest_space(self) -> float:
        """The widest word space of a justified line, in em."""
        return max((max(line.gaps) / line.size for line in self.justified if line.gaps), default=0.0)

    def tracked(self, em: float = 0.0) -> list:
        """Body lines whose glyphs are letter-spaced by more than `em` (median gap inside words)."""
        return [line for line in self.lines if line.tracking > em * line.size + 0.005]

    def hyphenated_words(self) -> list:
        """(page, word fragment) of each automatically hyphenated word."""
        return [(line.page, line.text.rsplit(" ", 1)[-1]) for line in self.lines if line.text.endswith(AUTO_HYPHEN)]

    def hyphenated_capitals(self) -> list:
        """Hyphenated words that begin with a capital letter (proper names, acronyms) or hold a digit."""
        out = []
        for page, frag in self.hyphenated_words():
            word = frag.lstrip("([“‘\"'")
            if word[:1].isupper() or any(c.isdigit() for c in word):
                out.append((page, frag))
        return out


def _is_body(chars, size: float, face: str) -> bool:
    counted = collections.Counter(
        (face in c["fontname"] and "Sans" not in c["fontname"] and abs(c["size"] - size) < 0.05) for c in chars)
    return counted[True] > 0.6 * len(chars)


def measure(path, *, size: float = 10.5, face: str = "Serif", pages: range | None = None) -> Setting:
    """The setting of the body text of the PDF at `path` (optionally only `pages`, 1-based)."""
    with pdfplumber.open(path) as pdf:
        setting = Setting(pages=len(pdf.pages))
        for number, page in enumerate(pdf.pages, 1):
            if pages is not None and number not in pages:
                continue
            body = []
            all_words = page.extract_words(x_tolerance=1.5)
            for found in page.extract_text_lines(x_tolerance=1.5, return_chars=True):
                chars = [c for c in found["chars"] if c["text"].strip()]
                if not chars or not _is_body(chars, size, face) or LEADER in found["text"]:
                    continue  # not body text, or a contents line (its dot leaders)
                words = sorted((w for w in all_words if found["top"] - 4 < w["top"] < found["bottom"]
                                and w["x0"] >= found["x0"] - 0.5 and w["x1"] <= found["x1"] + 0.5), key=lambda w: w["x0"])
                gaps = [b["x0"] - a["x1"] for a, b in zip(words, words[1:])]
                inside = [b["x0"] - a["x1"] for a, b in zip(chars, chars[1:]) if -0.05 * size < b["x0"] - a["x1"] < 0.1 * size]
                tracking = statistics.median(inside) if inside else 0.0
                body.append(Line(number, found["text"], found["x0"], found["x1"], found["top"], size, gaps, tracking=tracking))
            setting.lines.extend(body)
        # the text block's edges: the most common left and right ends of body lines on rectos
        # (odd pages) and on versos (a table's columns or a short line do not move them)
        for parity in (0, 1):
            lines = [line for line in setting.lines if line.page % 2 == parity]
            if not lines:
                continue
            right = collections.Counter(round(line.x1) for line in lines).most_common(1)[0][0]
            left = collections.Counter(round(line.x0) for line in lines).most_common(1)[0][0]
            for line in lines:
                setting.edges[line.page] = (left, right)
                line.justified = abs(line.x1 - right) < 1.5 and abs(line.x0 - left) < 30
                if line.x1 > right + 1.5:
                    setting.over.append(line)
    return setting


def report(setting: Setting) -> str:
    return "\n".join([
        f"pages: {setting.pages}",
        f"body lines: {len(setting.lines)}, justified: {len(setting.justified)}",
        f"characters per justified line, median: {setting.chars_per_line()}",
        f"hyphenated lines: {len(setting.hyphenated_words())}",
        f"hyphen ladders (3+ in a row): {len(setting.ladders())} "
        + ", ".join(f"p{p}x{n}" for p, _, n in setting.ladders()),
        f"justified lines with a word space over 0.5 em: {len(setting.loose(0.5))}; over 0.6 em: {len(setting.loose(0.6))}",
        f"widest word space on a justified line: {setting.widest_space():.3f} em",
        f"tracked lines: {len(setting.tracked())}, widest tracking: "
        f"{max((line.tracking / line.size for line in setting.lines), default=0):.4f} em",
        f"lines over the measure: {len(setting.over)}",
        f"hyphenated capitalised words/numbers: {setting.hyphenated_capitals()}",
    ])


if __name__ == "__main__":
    import sys
    print(report(measure(sys.argv[1])))
