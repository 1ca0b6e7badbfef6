"""Turn Markdown text into how deep its blocks and inline markup nest, line by line, without parsing it:
text nested deeper than MAX_DEPTH is refused before pandoc reads it (deeper would exhaust recursion)."""
from __future__ import annotations

import re

from .convert import FENCE, OPENER
from .diagnostics import Diagnostic, error

MAX_LINE = 20_000  # characters; a long paragraph is ~3,000
MAX_DEPTH = 32  # nested quotes, lists, fenced divs; spans and emphasis
INLINE = re.compile(r"(?<!\\)(?:[\[\]]|[*_~^]+)")


def nesting_problems(text: str, path: str, first_line: int = 1) -> list[Diagnostic]:
    """A line too long, or Markdown nested too deep to read safely, at its line (the first found)."""
    nesting = Nesting()
    for number, line in enumerate(text.split("\n"), first_line):
        if len(line) > MAX_LINE:
            return [error(path, number, f"line is longer than {MAX_LINE:,} characters", "file-too-large")]
        depth = nesting.depth(line)
        if depth > MAX_DEPTH:
            return [error(path, number, f"blocks nested {depth} deep (at most {MAX_DEPTH})", "block-nesting")]
        depth = nesting.inline_depth(line)
        if depth > MAX_DEPTH:
            return [error(path, number, f"inline markup ([ ], *, _, ~, ^) nested {depth} deep (at most {MAX_DEPTH})",
                          "block-nesting")]
    return []



class Nesting:
    """How deep each line's blocks are nested, however the nesting is written: quote markers,
    list markers (`- - -`, `1. 1.`, `> - > -`), list items indented under their parent (by any
    number of spaces), definitions, fenced divs. One pass; an upper bound of what pandoc sees."""

    MARKER = re.compile(r"(?:[-+*:]|\(?(?:\d{1,9}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,8}|#)[.)])(?=[ \t]|$)")

    def __init__(self):
        self.items: list[int] = []  # the least content column of each list item still open
        self.divs = 0
        self.after_blank = True
        self.inline = 0  # spans and emphasis still open in this paragraph

    def inline_depth(self, line: str) -> int:
        """How deep `[…]` spans and `*`, `_`, `~`, `^` emphasis are nested at the deepest point of
        this line (a paragraph goes on): an opener is followed by text, a closer follows text."""
        if not line.strip():
            self.inline = 0
        deepest = self.inline
        for mark in INLINE.finditer(line):
            if mark.group() in "[]":
                step = 1 if mark.group() == "[" else -1
            else:
                opens = mark.end() < len(line) and not line[mark.end()].isspace()
                closes = mark.start() > 0 and not line[mark.start() - 1].isspace()
                step = opens - closes
            self.inline = max(self.inline + step, 0)
            deepest = max(deepest, self.inline)
        return deepest

    def depth(self, line: str) -> int:
        text, quotes = line.expandtabs(4), 0
        while text.lstrip().startswith(">"):
            quotes, text = quotes + 1, text.lstrip()[1:]
            text = text[1:] if text.startswith(" ") else text
        body, text = text, text.lstrip()  # columns count from the innermost quote's content
        column = len(body) - len(text)
        if not text:
            self.after_blank = True
            return quotes + len(self.items) + self.divs
        # a line left of an item's content ends the item, unless it may be a lazy continuation
        ends = self.after_blank or quotes or self.MARKER.match(text)
        while ends and self.items and self.items[-1] > column:
            self.items.pop()
        self.after_blank = False
        depth = quotes + len(self.items) + self.divs
        quoted = False
        while text:
            if text[0] == ">":
                depth, quoted, rest = depth + 1, True, text[1:].lstrip()
            elif marker := self.MARKER.match(text):
                depth, rest = depth + 1, text[marker.end():].lstrip()
                if not quoted:
                    self.items.append(column + marker.end() + 1)
            else:
                break
            column, text = len(body) - len(rest), rest
        if OPENER.match(text):
            self.divs += 1
            depth += 1
        elif FENCE.match(text) and self.divs:
            self.divs -= 1
        return depth
