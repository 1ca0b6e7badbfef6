"""Turn a PDF into its printed lines, each with its block (from the tags) and where it ends.

Used by tests/test_ja_typesetting.py and, from the command line, to measure a Japanese PDF:

    python -m tests.jalines build/ja/book.pdf [--show N]

A line is the characters of one page whose baselines lie within a few points of each other (a
note reference's raised number joins the line it stands on). Its block is the tagged structure
element (P, LBody, H1…) that holds most of its characters: the line is the block's last when no
later line belongs to that block. The measures of a page are where three or more of its non-final
lines end (the text block's right edge, a box's, a list's).
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
AUTOSPACED = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u9fff\uf900-\ufaff]")  # kana and ideographs (not ・)


@dataclass
class Line:
    page: int
    baseline: float
    chars: list = field(default_factory=list)
    spaces: list = field(default_factory=list)  # its space characters (drawn as glyphs)
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
        """Every word space between two Latin characters of this line: (the gap between them in
        points, less the line's letter-spacing; font size; the two words' ends)."""
        chars = sorted(self.spaces + self.chars, key=lambda c: c["x0"])
        letters = sorted(b["x0"] - a["x1"] for a, b in zip(chars, chars[1:])
                         if LATIN_WORD.match(a["text"]) and LATIN_WORD.match(b["text"]))
        tracking = max(0.0, letters[len(letters) // 2]) if letters else 0.0  # letter-spacing, not justification
        out = []
        for a, space, b in zip(chars, chars[1:], chars[2:]):
            if a["text"] == "." and "...." in self.text:
                continue  # a contents leader's last dot before the page number
            if space["text"] in (" ", "\u00a0") and all(c["text"].strip() and not CJK.match(c["text"]) for c in (a, b)):
                if LATIN_WORD.match(a["text"]) or LATIN_WORD.match(b["text"]):
                    out.append((b["x0"] - a["x1"] - tracking, a["size"], f"{a['text']} {b['text']}"))
        return out


def _block_of_mcids(pdf) -> dict:
    """{(page number, mcid): an id of the block element that holds it}."""
    owner = {}

    def walk(element, block):
        if element.type in BLOCKS:
            block = (id(element), element.type)
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
            chars = sorted((c for c in page.chars if c["upright"]), key=lambda c: (page.height - c["matrix"][5]))
            current = None
            for c in chars:
                base = page.height - c["matrix"][5]
                if not c["text"].strip():
                    if current is not None and abs(base - current.baseline) < 1:
                        current.spaces.append(c)
                    continue
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


def measures(lines: list[Line]) -> dict:
    """{page: the right edges of its text blocks}: where three or more of its lines that are not a
    block's last end (the body's measure, a box's, a list's...)."""
    ends = {}
    for line in lines:
        if not line.last:
            ends.setdefault(line.page, Counter())[round(line.x1, 1)] += 1
    return {page: sorted(x for x, n in count.items() if n >= 3) for page, count in ends.items()}


def shortfall(line: Line, edges: dict) -> float:
    """How far a line ends before the nearest measure of its page at or after its end (0: at it)."""
    after = [x for x in edges.get(line.page, ()) if x >= line.x1 - 0.5]
    return max(0.0, min(after) - line.x1) if after else float("inf")


def full_lines(lines: list[Line], pages=None) -> list[Line]:
    """The non-final lines of Japanese paragraphs and list items (notes, boxes), headings aside."""
    return [line for line in lines if not line.last and line.block is not None and line.block[1] in ("P", "LBody")
            and line.is_japanese() and (pages is None or line.page in pages)]


def at_measure(line: Line, edges: dict, widest: dict | None = None) -> bool:
    """Whether a full line reaches its measure (within 0.5 pt): a measure of its page, or, given
    `widest` ({block: the right end of its widest line}), the end of its block's widest line (a
    block in a box of its own measure, a figure's note). A line ending more than 5 em short ends at
    a forced break (a signature's name, title) and is not counted as missing it."""
    short = shortfall(line, edges)
    if widest is not None and abs(widest.get(line.block, 0) - line.x1) <= 0.5:
        return True
    return short <= 0.5 or short > 5 * line.size


def widest_lines(lines: list[Line]) -> dict:
    out = {}
    for line in lines:
        out[line.block] = max(out.get(line.block, 0), line.x1)
    return out


def runs(line: Line) -> list[list[dict]]:
    """A line's characters in runs separated by more than 3 em (the two columns of a bilingual page)."""
    row = sorted(line.chars, key=lambda c: c["x0"])
    out, run = [], [row[0]]
    for a, b in zip(row, row[1:]):
        if b["x0"] - a["x1"] > 3 * line.size:
            out.append(run)
            run = []
        run.append(b)
    return out + [run]


def columns(line: Line) -> list[str]:
    """The texts of a line's runs (the two columns of a bilingual page, apart)."""
    return ["".join(c["text"] for c in r) for r in runs(line)]


def kinsoku_breaks(lines: list[Line]) -> list[Line]:
    """Lines (of any column) that start with a character that may not start a line or end with one
    that may not end one."""
    from publish.render.kinsoku import NO_END, NO_START

    return [line for line in lines if any(t[0] in NO_START or t[-1] in NO_END for t in columns(line))]


def _pairs(line: Line):
    """Every two characters of the line next to each other (nothing between them, not even a raised
    note number), of one size."""
    row = sorted(line.chars, key=lambda c: c["x0"])
    return [(a, b) for a, b in zip(row, row[1:]) if abs(a["size"] - b["size"]) < 0.05]


def tracking(line: Line) -> float:
    """The line's justification between characters, in em: the median gap between two kana or
    ideographs next to each other (a full-width glyph's box is its advance)."""
    gaps = sorted((b["x0"] - a["x1"]) / a["size"] for a, b in _pairs(line)
                  if AUTOSPACED.match(a["text"]) and AUTOSPACED.match(b["text"]))
    return max(0.0, gaps[len(gaps) // 2]) if len(gaps) >= 3 else None  # None: too few to tell


def full_em_pairs(lines: list[Line], slack: float = 0.1) -> list[tuple[int, str, float]]:
    """Two adjacent marks that JLREQ 3.1.4 sets half-width (publish.render.jlreq.halted) but that
    stand more than half an em (+ the line's justification + `slack` em) apart: (page, pair, advance in em)."""
    from publish.render.jlreq import halted

    out = []
    for line in lines:
        for a, b in _pairs(line):
            if halted(a["text"], b["text"]) is not None:
                advance = (b["x0"] - a["x0"]) / a["size"] - (tracking(line) or 0.0)
                if advance > 0.5 + slack:
                    out.append((line.page, a["text"] + b["text"], round(advance, 2)))
    return out


def compressible_pairs(lines: list[Line]) -> int:
    from publish.render.jlreq import halted

    return sum(1 for line in lines for a, b in _pairs(line) if halted(a["text"], b["text"]) is not None)


def autospace_gaps(lines: list[Line]) -> list[tuple[int, str, float]]:
    """Every gap between a kana or ideograph and an adjacent Latin letter or digit of the same size:
    (page, the two characters, the gap in em less the line's justification). A quarter-em space
    (U+2005) justifies as a character: 0.25 em + 1.5 × the justification between two characters.
    Lines with too few kana and ideographs side by side to tell their justification are left out
    (a note's line of dates and a URL), as are two characters with a word space between them."""
    out = []
    for line in lines:
        if not CJK.search(line.text) or (spread := tracking(line)) is None:
            continue
        row = sorted(line.chars, key=lambda c: c["x0"])
        label = row[0]["x0"] if row[0]["text"].isdigit() else None  # a note's or list item's number
        for a, b in _pairs(line):
            if label is not None:
                if a["text"].isdigit():
                    continue
                label = None
            if b["x0"] - a["x1"] > 3 * a["size"] or any(
                    s["text"] != "\u2005" and a["x1"] - 0.1 <= s["x0"] <= b["x0"] for s in line.spaces):
                continue  # the other column, or a word space
            if (AUTOSPACED.match(a["text"]) and b["text"].isascii() and b["text"].isalnum()) or \
                    (a["text"].isascii() and a["text"].isalnum() and AUTOSPACED.match(b["text"])):
                gap = (b["x0"] - a["x1"]) / a["size"]
                out.append((line.page, a["text"] + b["text"], round(gap - (1.5 * spread if gap > 0.15 else 0.5 * spread), 3)))
    return out


def spread_runs(lines: list[Line]) -> list[tuple[float, int, str]]:
    """Every Japanese run of every line (a column of a bilingual line: runs more than 3 em apart) with
    its mean gap between two kana or ideographs next to each other, in em: (gap, page, text), widest
    first. A justified line's slack spread between its characters: over a tenth of an em it shows,
    over a quarter the line reads as letter-spaced (「政 治 学 お よ び」)."""
    out = []
    for line in lines:
        for run in runs(line):
            text = "".join(c["text"] for c in run)
            gaps = [(b["x0"] - a["x1"]) / a["size"] for a, b in zip(run, run[1:]) if abs(a["size"] - b["size"]) < 0.05
                    and AUTOSPACED.match(a["text"]) and AUTOSPACED.match(b["text"])]
            if len(CJK.findall(text)) >= max(2, len(text) // 3) and gaps:
                out.append((round(sum(gaps) / len(gaps), 3), line.page, text))
    return sorted(out, reverse=True)


def report(path, pages=None, show=0) -> dict:
    lines = lines_of(path)
    edges = measures(lines)
    full = full_lines(lines, pages)
    widest = widest_lines(lines)
    short = [line for line in full if not at_measure(line, edges, widest)]
    latin = [(gap / size, line.page, words) for line in lines for gap, size, words in line.latin_spaces()]
    worst = max(latin, default=(0, 0, ""))
    result = {"lines": len(lines), "full": len(full), "at-measure": len(full) - len(short),
              "share": round((len(full) - len(short)) / max(1, len(full)), 3),
              "worst-latin-space-em": round(worst[0], 3), "worst-at": worst[1:],
              "latin-spaces-over-0.5em": sum(1 for g in latin if g[0] > 0.5),
              "kinsoku": len(kinsoku_breaks(lines)), "pages": max(line.page for line in lines),
              "compressible-pairs": compressible_pairs(lines), "pairs-at-full-em": len(full_em_pairs(lines))}
    spread = spread_runs(lines)
    result.update({"ja-runs": len(spread), "spread-over-0.1em": sum(1 for g, *_ in spread if g > 0.1),
                   "spread-over-0.25em": sum(1 for g, *_ in spread if g > 0.25 + 0.005)})
    gaps = [g for _, _, g in autospace_gaps(lines)]
    result.update({"cjk-latin-gaps": len(gaps), "touching (<0.1em)": sum(1 for g in gaps if g < 0.1),
                   "gaps-0.2-0.35em": sum(1 for g in gaps if 0.2 <= g <= 0.35), "widest-gap-em": max(gaps, default=0)})
    for line in short[:show]:
        print(f"p{line.page} short {shortfall(line, edges):5.1f}pt  {line.text}")
    return result


if __name__ == "__main__":
    show = int(sys.argv[sys.argv.index("--show") + 1]) if "--show" in sys.argv else 0
    print(report(sys.argv[1], show=show))
