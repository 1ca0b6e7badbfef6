"""Turn the house rules of hyphenation into WeasyPrint's: no capitalised words, acronyms or numbers
hyphenated, and at most two hyphenated lines in a row (a word that makes a third is kept whole).

The limit is CSS's `hyphenate-limit-lines: 2`, which WeasyPrint 70 lacks, kept while the lines are
made: `block.iter_line_boxes` (which lays out a block's lines one after the other) is wrapped so
that, while a line is being broken, LIMIT.run says how many lines right before it, in the same
block, end hyphenated; at LIMIT.lines the patterns find no break in any word. A block resumed on a
new page starts a new run (the runs are counted on a page).

WeasyPrint 70 hyphenates with pyphen's patterns for the `lang` of the text (`-weasy-lang`, set from
book.yaml's `hyphenation`) and knows `hyphenate-limit-chars` and `hyphenate-limit-zone`, but neither
a rule for capitalised words nor `hyphenate-limit-lines`. Both rules are kept here, outside its
code: while a layout runs, pyphen's cache of patterns (`pyphen.hdcache`, which every `Pyphen` reads)
holds, for the book's hyphenation language, patterns that find no break in a word that begins with a capital letter, holds a digit, or was
found to make a hyphen ladder; `ladder_words` reads a finished layout for the ladders, and the PDF
renderer lays the book out again with those words kept whole.
"""
from __future__ import annotations

import contextlib

import pyphen

HYPHEN = "\u2010"  # the print stylesheet's hyphenate-character
KEEP = "\u2060"  # a word joiner at a word's end: that word, there, is not hyphenated


class LIMIT:
    lines = 2  # hyphenate-limit-lines
    run = 0  # hyphenated lines right before the line being broken


def _counted(original):
    """`iter_line_boxes` keeping LIMIT.run while each of its lines is made."""
    from weasyprint.formatting_structure import boxes

    def iter_line_boxes(*args, **kwargs):
        lines, run = original(*args, **kwargs), 0
        while True:
            saved, LIMIT.run = LIMIT.run, run
            try:
                line, resume_at = next(lines)
            except StopIteration:
                return
            finally:
                LIMIT.run = saved
            texts = [b.text for b in line.descendants() if isinstance(b, boxes.TextBox) and b.text.strip()]
            run = run + 1 if texts and texts[-1].rstrip().endswith(HYPHEN) else 0
            yield line, resume_at

    iter_line_boxes.counted = True
    return iter_line_boxes


class _HouseDict(pyphen.HyphDict):
    """A language's patterns that leave proper names, acronyms, numbers and the `kept` words whole."""

    def __init__(self, inner: pyphen.HyphDict, kept: set):
        self.__dict__.update(inner.__dict__)
        self.inner, self.kept = inner, kept

    def positions(self, word):
        if KEEP in word:  # kept whole at this one place (publish/render/loosebreaks.py)
            return []
        if not word[:1].islower() or any(c.isdigit() or c.isupper() for c in word) or word.lower() in self.kept:
            return []
        if LIMIT.run >= LIMIT.lines:  # a third hyphenated line in a row
            return []
        return super().positions(word)


@contextlib.contextmanager
def house_rules(language: str, kept: set):
    """While the block runs, the patterns of `language` (a BCP 47 tag: en-US) follow the house rules
    (`kept`: words, lower case, never broken). Other languages' patterns are pyphen's own."""
    name = pyphen.language_fallback(language.replace("-", "_")) if language else None
    path = pyphen.LANGUAGES.get(name) if name else None
    if path is None:
        yield
        return
    from weasyprint.layout import block

    saved = pyphen.hdcache.get(path)
    inner = saved.inner if isinstance(saved, _HouseDict) else saved or pyphen.HyphDict(path)
    pyphen.hdcache[path] = _HouseDict(inner, kept)
    lines = block.iter_line_boxes
    if not getattr(lines, "counted", False):
        block.iter_line_boxes = _counted(lines)
    try:
        yield
    finally:
        pyphen.hdcache[path] = inner
        block.iter_line_boxes = lines


def ladder_words(document, longest: int = 2) -> set:
    """The words (lower case) that end the (longest+1)th hyphenated line of a run of them on a page
    (lines in page order, across paragraphs and list items, as a reader sees them), each joined
    from its two parts."""
    from weasyprint.formatting_structure import boxes

    def texts(line):
        return [b.text for b in line.descendants() if isinstance(b, boxes.TextBox)]

    def lines_of(box):
        for child in getattr(box, "children", ()):
            if isinstance(child, boxes.LineBox):
                yield child
            elif not isinstance(child, boxes.MarginBox):
                yield from lines_of(child)

    found = set()
    for page in document.pages:
        lines = list(lines_of(page._page_box))
        run = 0
        for line, following in zip(lines, lines[1:] + [None]):
            parts = texts(line)
            if not (parts and parts[-1].endswith(HYPHEN)):
                run = 0
                continue
            run += 1
            if run > longest and following is not None:
                head = parts[-1][:-1].rsplit(" ", 1)[-1]
                rest = texts(following)
                tail = rest[0].lstrip().split(" ", 1)[0] if rest else ""
                word = "".join(ch for ch in head + tail if ch.isalpha() or ch in "'’")
                if word:
                    found.add(word.lower())
                    run = 0
    return found
