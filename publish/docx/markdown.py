"""Turn pieces of text into the manuscript's Markdown (commonmark_x): escaping, emphasis, lists, pipe tables."""
from __future__ import annotations

import re
import unicodedata

PUNCT = re.compile(r"([\\`*_\[\]{}<>^~|$!@#]|&(?=#?\w+;))")  # "&" only where it would begin an entity (R&D, AT&T)
#: A colon that could begin an emoji (`:smile:`) or a fenced div's `:::`; any other (11:40, "as follows:") is
#: plain text in commonmark_x and stays unescaped, as an author would type it.
COLON = re.compile(r":(?=[\w+-]+:)|(?<=:):|:(?=:)")
LINE_START = re.compile(r"^([ \t]*)(?:([-+=>:])|(\d{1,9})([.)]))")


def escape(text: str) -> str:
    """Text that pandoc's commonmark_x reads back as exactly `text`."""
    return COLON.sub(r"\\:", PUNCT.sub(r"\\\1", text))


def line_safe(line: str) -> str:
    """A line that starts no block construct (list item, heading, quote…): its text stays a paragraph."""
    line = line.lstrip(" \t")
    found = LINE_START.match(line)
    if not found:
        return line
    if found.group(2):
        return "\\" + line
    return f"{found.group(3)}\\{found.group(4)}{line[found.end():]}"


#: An escaped "!" that no "[" follows (an image's `![`): the paragraph's whole text is known here, so
#: "Come home!" reads as typed (escape() sees one word, which a link may follow).
BANG = re.compile(r"\\!(?!\[)")


def paragraph(text: str) -> str:
    """Inline Markdown as paragraph lines (a hard break is a backslash at the end of a line)."""
    lines = [line_safe(x) for x in BANG.sub("!", text.strip(" ")).split("\n")]
    return "\\\n".join(x.rstrip(" ") for x in lines)


def wrap(inner: str, mark: str, close: str | None = None) -> str:
    """`*inner*`, with spaces at its edges moved outside the marks (CommonMark ignores `* x*`)."""
    core = inner.strip(" ")
    if not core:
        return inner
    lead, trail = inner[: len(inner) - len(inner.lstrip(" "))], inner[len(inner.rstrip(" ")):]
    return f"{lead}{mark}{core}{close or mark}{trail}"


def tight(inner: str, mark: str) -> str:
    """`^2^` / `~2~`: superscript and subscript, spaces escaped (they end the run otherwise)."""
    return mark + inner.replace(" ", "\\ ") + mark if inner.strip() else inner


def indent(text: str, prefix: str, first: str | None = None) -> str:
    out = []
    for i, line in enumerate(text.split("\n")):
        lead = first if i == 0 and first is not None else prefix
        out.append(lead + line if line.strip() else lead.rstrip())
    return "\n".join(out)


def list_item(marker: str, blocks: list[str]) -> str:
    body = "\n\n".join(blocks)
    return indent(body, " " * len(marker), marker) if body else marker.rstrip()


def pipe_table(rows: list[list[str]]) -> str:
    """A pipe table; `rows[0]` is the header row. Cells hold one line of inline Markdown."""
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    line = lambda cells: "| " + " | ".join(c.replace("\n", " ") for c in cells) + " |"
    return "\n".join([line(rows[0]), "|" + "---|" * width] + [line(r) for r in rows[1:]])


def auto_id(text: str) -> str:
    """The identifier pandoc's commonmark_x gives a heading (GitHub's rule)."""
    text = "".join(c for c in text.lower() if c.isalnum() or c in " -_" or unicodedata.category(c) == "Mn")
    return text.replace(" ", "-")


def fence(kind: str, body: str) -> str:
    return f"::: {kind}\n{body}\n:::"
