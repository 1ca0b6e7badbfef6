"""Turn the lines a layout could not fill (latinjustify's stage 4) into word pairs the next layout keeps together.

WeasyPrint breaks lines greedily: a line whose next word is long and may not be hyphenated (a
capitalised name, a word at the hyphen-ladder limit) ends short, and word spaces plus 3 % tracking
cannot fill it. The remedy of a paragraph-wide line breaker is to start that line one word earlier:
its previous line's last word moves down, so it has less to fill, and the previous line, which had
little slack, takes the word's width. Here the layout marks such lines (`LineBox.unfilled`), and
the PDF renderer lays the book out again with a no-break space between the previous line's last
word and the unfilled line's first one, found in the HTML by the three words around the break.
"""
from __future__ import annotations

import html as htmllib
import re

_WORD = re.compile(r"^[\w’'.,;:()\-–]+$")


def _lines(box):
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            yield box, child
        elif not isinstance(child, boxes.MarginBox):
            yield from _lines(child)


def _words(line) -> list:
    from weasyprint.formatting_structure import boxes

    return " ".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)).split()


def unfilled_breaks(document) -> set:
    """(a, b, c): the last two words of the line before an unfilled line (in the same block) and
    its first word, for every unfilled line of the layout."""
    found = set()
    for page in document.pages:
        previous = (None, None)
        for parent, line in _lines(page._page_box):
            if getattr(line, "unfilled", False) and previous[0] is parent:
                before, after = _words(previous[1]), _words(line)
                if len(before) >= 2 and after and not before[-1].endswith("\u2010") and all(
                        _WORD.match(w) for w in (*before[-2:], after[0])):
                    found.add((before[-2], before[-1], after[0]))
            previous = (parent, line)
    return found


def glue(document: str, breaks: set) -> str:
    """The HTML with a no-break space in each of `breaks` (where the three words stand so in a text)."""
    for a, b, c in sorted(breaks):
        words = [str(htmllib.escape(w, quote=False)) for w in (a, b, c)]
        document = document.replace(f"{words[0]} {words[1]} {words[2]}", f"{words[0]} {words[1]}\u00a0{words[2]}")
    return document
