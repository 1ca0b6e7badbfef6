"""Turn a PDF into its printed lines, each with its block (from the tags) and where it ends.

Used by tests/test_ja_typesetting.py and, from the command line, to measure a Japanese PDF:

    python -m tests.jalines build/ja/book.pdf [--show N]

A line is the characters of one page whose baselines lie within a few points of each other (a
note reference's raised number joins the line it stands on). Its block is the tagged structure
element (P, LBody, H1…) that holds most of its characters: the line is the block's last when no
later line belongs to that block. The measure of a page is its text block: the widest extent of
its body lines (the right edge of the page's lines of body size).
"""
from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber
from pdfplumber.structure import PDFStructTree, StructTreeMissing

BLOCKS = {"P", "LBody", "H1", "H2", "H3", "H4", "H5", "H6", "Caption", "TD", "TH", "Lbl"}
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass
class Line:
    page: int
    baseline: float
    chars: list = field(default_factory=list)
    block: object = None
    last: bool = True

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in sorted(self.chars, key=lambda c: c["x0"]))

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars)

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars)

    @property
    def size(self) -> float:
        return Counter(round(c["size"], 1) for c in self.chars).most_common(1)[0][0]

    def is_japanese(self) -> bool:
        return len(CJK.findall(self.text)) >= max(4, len(self.text) // 3)

    def latin_spaces(self) -> list[tuple[float, float, str]]:
        """Every gap between two Latin words of this line: (gap in points, font size, the words)."""
        chars = sorted(self.chars, key=lambda c: c["x0"])
        out = []
        for a, b in zip(chars, chars[1:]):
            if b["x0"] - a["x1"] > 0.1 * a["size"] and not CJK.match(a["text"]) and not CJK.match(b["text"]):
                if LATIN_WORD.match(a["text"]) or LATIN_WORD.match(b["text"]):
                    out.append((b["x0"] - a["x1"], a["size"], f"{a['text']} {b['text']}"))
        return out


def _block_of_mcids(pdf) -> dict:
    """{(page number, mcid): an id of the block element that holds it}."""
    owner = {}

    def walk(element, block):
        if element.type in BLOCKS:
            block = id(element)
        for mcid in element.mcids or ():
            owner[(element.page_number, mcid)] = block
        for child in element.children:
            walk(child, block)

    try:
        tree = PDFStructTree(pdf)
    except StructTreeMissing:  # an untagged PDF: every line is its own block's
        return owner
    for element in tree:
        walk(element, None)
    return owner


def lines_of(path) -> list[Line]:
    """The PDF's lines in reading order, each with its block and whether it is the block's last."""
    out = []
    with pdfplumber.open(path) as pdf:
        owner = _block_of_mcids(pdf)
        for number, page in enumerate(pdf.pages, 1):
            chars = sorted((c for c in page.chars if c["upright"] and c["text"].strip()),
                           key=lambda c: (page.height - c["matrix"][5]))
            current = None
            for c in chars:
                base = page.height - c["matrix"][5]
                if current is None or base - current.baseline > 0.6 * c["size"]:
                    current = Line(number, base)
                    out.append(current)
                current.chars.append(c)
                current.baseline = max(current.baseline, base)
            for line in out:
                if line.page == number and line.block is None:
                    blocks = Counter(owner.get((number, c.get("mcid"))) for c in line.chars)
                    line.block = blocks.most_common(1)[0][0]
    seen = set()
    for line in reversed(out):
        line.last = line.block is None or line.block not in seen
        seen.add(line.block)
    return out


def measure(lines: list[Line]) -> dict:
    """{page: the right edge of its text block}: where the page's body lines end at the most."""
    edges = {}
    for line in lines:
        if line.size >= 9.5:
            edges.setdefault(line.page, []).append(round(line.x1, 1))
    return {page: Counter(ends).most_common(1)[0][0] if Counter(ends).most_common(1)[0][1] > 3 else max(ends)
            for page, ends in edges.items()}


def full_lines(lines: list[Line], pages=None) -> list[Line]:
    """The non-final lines of Japanese blocks (paragraphs, list items, notes) at the text block's left."""
    return [line for line in lines if not line.last and line.block is not None and line.is_japanese()
            and (pages is None or line.page in pages)]


def report(path, pages=None, show=0) -> dict:
    lines = lines_of(path)
    edge = measure(lines)
    full = full_lines(lines, pages)
    short = [line for line in full if edge.get(line.page, 0) - line.x1 > 0.5]
    latin = [(gap / size, line.page, words) for line in lines for gap, size, words in line.latin_spaces()]
    worst = max(latin, default=(0, 0, ""))
    result = {"lines": len(lines), "full": len(full), "at-measure": len(full) - len(short),
              "share": round((len(full) - len(short)) / max(1, len(full)), 3),
              "worst-latin-space-em": round(worst[0], 3), "worst-at": worst[1:],
              "latin-spaces-over-0.5em": sum(1 for g in latin if g[0] > 0.5)}
    for line in short[:show]:
        print(f"p{line.page} short {edge[line.page] - line.x1:5.1f}pt  {line.text}")
    return result


if __name__ == "__main__":
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
    print(report(sys.argv[1], show=show))
