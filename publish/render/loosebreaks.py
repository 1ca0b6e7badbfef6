"""Turn the lines a layout could not fill (latinjustify's stage 4) into edits of the next layout's
document that start each such line earlier: a word pair kept together, or a hyphenated word kept whole.

WeasyPrint breaks lines greedily: a line whose next word is long and may not be hyphenated (a
capitalised name, a word at the hyphen-ladder limit) ends short, and word spaces plus 3 % tracking
cannot fill it. The remedy of a paragraph-wide line breaker is to start that line earlier: the end of
its previous line moves down, so it has less to fill, and the previous line, which had little slack,
takes the width. Here the layout marks such lines (`LineBox.unfilled`), and the PDF renderer lays the
book out again with, at that one place in the document (found by the words around the break):

- "join": a no-break space between the previous line's last word and the unfilled line's first one
  (a word joiner, U+2060, after a hard hyphen: "Indo-|Pacific"), found whatever markup (emphasis,
  a link, a note reference) sits between them, and put in the text node of the word after the gap
  (WeasyPrint 70 breaks a text that ends in a no-break space before an element at its first break);
- "whole": when the previous line ends in an automatic hyphen, that word kept whole at that one
  place (a word joiner, U+2060, after it: publish/render/hyphenate.py's patterns find no break in a
  word that holds one; not a span with `hyphens: manual`, an inline box that WeasyPrint 70, going
  back from it when it does not fit, may break the joined words before it at their first break):
  the line starts with the whole word, and when the two lines before ended hyphenated (the ladder
  limit forbade breaking the line's next word) the run ends, so that word may now be hyphenated.

An edit moves the problem when the line that gives up a word becomes too loose in its turn; `Edits`
keeps, for every block, how loose each layout left it, and the last layout sets a block that was
less loose in an earlier layout with that layout's edits (lines break within a block alone, so it
comes out as it was then): no block ends looser than it was.
"""
from __future__ import annotations

import re

from . import textslots
from .hyphenate import KEEP

HYPHEN = "\u2010"  # the print stylesheet's hyphenate-character
CONTEXT = 3  # words of the previous line that find the break in the document
LONGEST = 32  # characters: the longest run of words a join may make (under half a line)
_LETTERS = re.compile(r"[^\W\d_][\w’']*")


def _lines(box):
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            yield box, child
        elif not isinstance(child, boxes.MarginBox):
            yield from _lines(child)


def _words(line) -> list:
    from weasyprint.formatting_structure import boxes

    return "".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)).split()


def _whole(line, following) -> tuple | None:
    """("whole", …) for the hyphenated word that ends `line` and goes on in `following`."""
    before, after = _words(line), _words(following)
    rest = _LETTERS.match(after[0]) if after else None
    if len(before) >= 2 and rest and before[-1].endswith(HYPHEN) and len(before[-1]) > 1:
        return ("whole", tuple(before[-CONTEXT - 1:-1]), before[-1][:-1], rest.group())
    return None


def _give(line) -> float:
    """How much a hyphenated line would have to stretch a word space to give up its last word's
    first part: that part's characters for each space of the line."""
    words = _words(line)
    return len(words[-1]) / max(1, len(words) - 1)


def _key(box) -> str:
    """A block's text, as it stands in every layout whatever the edits (spaces and joiners left out)."""
    element = getattr(box, "element", None)
    text = "".join(element.itertext()) if element is not None and isinstance(element.tag, str) else ""
    return "".join(ch for ch in text if not (ch.isspace() or ch in "\u2060\u200b\u00ad"))


def unfilled_breaks(document) -> tuple[dict, dict]:
    """({edit: its block's key}, {block key: points its lines were too loose by}) for the unfilled
    lines of a layout. An edit (see the module docstring) for each such line whose previous line is
    in the same block: ("join", previous line's last words, first word) or ("whole", words before a
    hyphenated word, that word's first part, its second part) for the previous line's hyphenated
    word, or for the one of the line before that when that line also ends hyphenated (the ladder
    limit) and has more room to give it up (`_give`)."""
    found, loose = {}, {}
    for page in document.pages:
        previous = []  # (parent, line) of the lines before, on this page
        for parent, line in _lines(page._page_box):
            previous.append((parent, line))
            if not getattr(line, "unfilled", False):
                continue
            key = _key(parent)
            loose[key] = loose.get(key, 0.0) + line.unfilled
            same = [p_line for p_parent, p_line in previous[-3:-1] if p_parent is parent]
            if not (same and _words(line)):
                continue
            before, after = _words(same[-1]), _words(line)
            if len(before) >= 2 and not before[-1].endswith(HYPHEN):
                found[("join", tuple(before[-CONTEXT - 1:]), after[0])] = key
                continue
            options = [(_give(same[-1]), _whole(same[-1], line))]
            if len(same) == 2 and _words(same[0])[-1:] and _words(same[0])[-1].endswith(HYPHEN):
                options.append((_give(same[0]), _whole(same[0], same[1])))
            edits = [edit for _, edit in sorted(options, key=lambda o: o[0]) if edit]
            if edits:
                found[edits[0]] = key
    return found, loose


class Edits:
    """The edits each layout is made with, chosen block by block: a block never ends looser than it
    was in an earlier layout (the last layout made again with the edits of its best one)."""

    def __init__(self):
        self.applied, self.block = set(), {}  # edits of the layout being made; edit -> block key
        self.history: dict = {}  # block key -> [(points too loose, its edits)] a layout

    def apply(self, root) -> int:
        return glue(root, self.applied)

    def read(self, document, last: bool) -> bool:
        """Read a layout made with `applied`; True (and `applied` changed) if one more is wanted.
        `last`: the next layout is the final one."""
        found, loose = unfilled_breaks(document)
        for edit, key in found.items():
            self.block.setdefault(edit, key)
        for key in set(loose) | {self.block[e] for e in self.applied}:
            self.history.setdefault(key, []).append(
                (loose.get(key, 0.0), frozenset(e for e in self.applied if self.block[e] == key)))
        wanted = self.applied | set(found)
        if last:
            for key, layouts in self.history.items():
                best = min(layouts, key=lambda layout: layout[0])
                if layouts[-1][0] > best[0]:  # this block was better before: set as it was then
                    wanted = {e for e in wanted if self.block[e] != key} | best[1]
        changed, self.applied = wanted != self.applied, wanted
        return changed


def _short(text: str, joins: set, start: int, end: int) -> bool:
    """Whether the text around [start, end), with it and `joins` unbreakable, stays under LONGEST
    characters between two break opportunities (spaces): joins in a chain never make a run of words
    that no line can hold."""
    kept = {i for a, b in joins | {(start, end)} for i in range(a, b)}

    def breaks(i):
        return text[i].isspace() and text[i] != "\u00a0" and i not in kept

    left = next((i for i in range(start - 1, max(-1, start - LONGEST - 1), -1) if breaks(i)), None)
    right = next((i for i in range(end, min(len(text), end + LONGEST)) if breaks(i)), None)
    return left is not None and right is not None and right - left <= LONGEST


def _phrase(words) -> str:
    return r"\s+".join(re.escape(w) for w in words)


def glue(root, breaks: set) -> int:
    """Make the edits `breaks` in the parsed document `root` (an element tree), at every place their
    words stand so; the number of places changed."""
    if not breaks:
        return 0
    text = textslots.text(root)
    joins, wholes = set(), set()
    for kind, context, *word in sorted(breaks):
        if kind == "join":
            pattern = _phrase(context) + r"(\s*)" + re.escape(word[0]) + r"(?!\w)"
        else:
            pattern = _phrase(context) + r"\s+(" + re.escape("".join(word)) + r")(?![\w’'])"
        for match in re.finditer(pattern, text):
            if kind == "whole":
                wholes.add(match.span(1))
            elif (match.group(1) or context[-1][-1:] in "-–—") and _short(text, joins, *match.span(1)):
                joins.add(match.span(1))
    for start, end in sorted(joins | wholes, reverse=True):  # from the end: earlier offsets stay valid
        if (start, end) in joins:
            textslots.replace(root, start, end, "\u00a0" if end > start else "\u2060")
        else:
            textslots.append(root, end, KEEP)
    return len(joins | wholes)
