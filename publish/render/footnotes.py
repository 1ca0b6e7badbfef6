"""Turn a unit's endnotes into footnotes for the print edition (`notes: footnotes`): which reference
each note follows, and, in the parsed document, each footnote moved to just after that reference.

WeasyPrint floats an element with `float: footnote` to the foot of the page where it stands, so a
footnote must stand inside the paragraph, right after its reference. A note may hold a table, a list,
a quotation or several paragraphs, which an HTML parser never leaves inside a `<p>`: the template
writes every footnote at its unit's end (`<div class="footnote" data-ref="…">`), and `place` moves
it, after parsing and before the layout, to follow the `<sup>` of its reference. In the document
tree a `<div>` may stand in a `<p>`; the PDF's tags stay those of its blocks (P, Table, L, BlockQuote).

A note is printed once, at its first reference in the unit's text; further references link to it.
A note the text reaches only through other notes is printed right after the first note that refers
to it, in the same footnote (one float holds both: WeasyPrint makes no footnote inside a footnote).
"""
from __future__ import annotations

from dataclasses import replace

from .. import model as m
from ..walk import blocks_of, inlines_of
from .inline import ref_id

CSS = "css/print-footnotes.css"


def _refs(blocks) -> list[m.NoteRef]:
    return [i for b in blocks_of(tuple(blocks)) for i in inlines_of(b) if isinstance(i, m.NoteRef)]


def groups(unit: m.Unit) -> list[tuple[str, list[m.Endnote]]]:
    """(id of the reference the footnote follows, its notes: the note, then those reached only
    through it) for each note the unit's text refers to, in the order of the first references.
    Notes reached from nowhere (`publish check` refuses them) come last, each with no reference."""
    by_number = {note.number: note for note in unit.notes}
    placed: set[int] = set()
    out: list[tuple[str, list[m.Endnote]]] = []
    for ref in _refs(unit.blocks):
        if ref.number in placed or ref.number not in by_number:
            continue
        placed.add(ref.number)
        out.append((ref_id(unit.slug, ref.number, ref.occurrence), [by_number[ref.number]]))
    for _ref, notes in out:
        for note in notes:  # grows while it is read: a note reached through a note reached through it
            for ref in _refs(note.blocks):
                if ref.number not in placed and ref.number in by_number:
                    placed.add(ref.number)
                    notes.append(by_number[ref.number])
    out += [("", [note]) for note in unit.notes if note.number not in placed]
    return out


def print_book(book: m.Book) -> m.Book:
    """The book as the print edition lays it out: with `notes: footnotes` the Notes unit (which the
    HTML and EPUB editions show) has nothing to hold, and is left out."""
    if book.notes != "footnotes":
        return book
    return replace(book, units=tuple(u for u in book.units if u.kind != "notes"))


def place(root) -> int:
    """Move each `div.footnote` of the parsed document to just after its reference's `<sup>`; the
    number moved. One whose reference is not found stays where it is (at its unit's end)."""
    parents = {child: parent for parent in root.iter() for child in parent}
    anchors = {e.get("id"): e for e in root.iter("a") if e.get("id")}
    moved = 0
    for box in [e for e in root.iter("div") if e.get("class") == "footnote"]:
        sup = parents.get(anchors.get(box.get("data-ref") or ""))
        host = parents.get(sup)
        if sup is None or sup.tag != "sup" or host is None:
            continue
        parents[box].remove(box)
        host.insert(list(host).index(sup) + 1, box)
        box.tail, sup.tail = sup.tail, None
        parents[box] = host
        _tighten(box)
        moved += 1
    for holder in [e for e in root.iter("div") if e.get("class") == "footnotes"]:
        if len(holder) == 0 and parents.get(holder) is not None:
            parents[holder].remove(holder)
    return moved


_BLOCKS = {"div", "p", "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "ul", "ol",
           "li", "dl", "dt", "dd", "blockquote", "figure", "figcaption", "hr", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}


def _tighten(box) -> None:
    """Drop the source's line breaks between blocks inside a footnote: WeasyPrint 70 sets each as an
    empty line in the footnote area. Spaces between inline elements stay (they are words' spaces)."""
    for element in box.iter():
        if element.tag not in _BLOCKS or element.tag == "pre":
            continue
        if element.text is not None and not element.text.strip() and len(element) and element[0].tag in _BLOCKS:
            element.text = None
        for child in element:
            if child.tag in _BLOCKS and child.tail is not None and not child.tail.strip():
                child.tail = None


def is_footnote(element) -> bool:
    return element.tag == "div" and element.get("class") == "footnote"
