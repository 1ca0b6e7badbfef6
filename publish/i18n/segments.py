"""Turn the Book model into its translatable segments, grouped by the parallel-text file they live in."""
from __future__ import annotations

from dataclasses import dataclass

from .. import model as m
from ..walk import blocks_of
from .markup import escape, to_markup

BOOK_FILE = "book"  # the file for metadata, bios, abbreviations and generated titles


@dataclass(frozen=True)
class Segment:
    id: str
    text: str  # the English, as Markdown inline markup
    file: str  # parallel-text file stem: a unit slug, or "book"


def unit_blocks(unit: m.Unit):
    """The unit's segment-bearing blocks in reading order: headings, paragraphs, endnote paragraphs."""
    for block in blocks_of(unit.blocks):
        if isinstance(block, (m.Heading, m.Para)):
            yield block
    for note in unit.notes:
        for block in blocks_of(note.blocks):
            if isinstance(block, (m.Heading, m.Para)):
                yield block


def segments(book: m.Book) -> list[Segment]:
    out = [Segment(f"book.{key}", escape(getattr(book, key)), BOOK_FILE)
           for key in ("title", "subtitle", "series", "publisher", "rights") if getattr(book, key)]
    paras = [*book.imprint, *([book.cover_credit] if book.cover_credit else [])]
    out += [Segment(p.seg, to_markup(p.content), BOOK_FILE) for p in paras]
    for person in book.contributors:
        out.append(Segment(f"name.{person.id}", escape(person.name), BOOK_FILE))
        out += [Segment(b.seg, to_markup(b.content), BOOK_FILE) for b in person.bio if isinstance(b, m.Para)]
    out += [Segment(a.expansion.seg, to_markup(a.expansion.content), BOOK_FILE) for a in book.abbreviations]
    out += [Segment(b.seg, to_markup(b.content), BOOK_FILE) for b in book.back_cover if isinstance(b, m.Para)]
    for unit in book.units:
        file = unit.slug if unit.kind == "text" else BOOK_FILE
        out.append(Segment(unit.title_seg, to_markup(unit.title), file))
        out += [Segment(b.seg, to_markup(b.content), file) for b in unit_blocks(unit)]
    return out
