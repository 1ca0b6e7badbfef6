"""Turn the Book model into its translatable segments, grouped by the parallel-text file they live in."""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import model as m
from ..walk import blocks_of
from .markup import escape, to_markup

BOOK_FILE = "book"  # the file for metadata, bios, abbreviations and generated titles


@dataclass(frozen=True)
class Segment:
    id: str
    text: str  # the English, as Markdown inline markup
    file: str  # parallel-text file stem: a unit slug, or "book"
    content: tuple = field(default=(), compare=False, repr=False)  # the English inlines


def _seg(block, file: str) -> Segment:
    return Segment(block.seg, to_markup(block.content), file, block.content)


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
    def text(seg_id: str, value: str) -> Segment:
        return Segment(seg_id, escape(value), BOOK_FILE, (m.Text(value),))

    out = [text(f"book.{key}", getattr(book, key))
           for key in ("title", "subtitle", "series", "publisher", "rights") if getattr(book, key)]
    if book.rights_para:  # written as Markdown: its markup is the segment's
        out = [_seg(book.rights_para, BOOK_FILE) if s.id == "book.rights" else s for s in out]
    out += [_seg(p, BOOK_FILE) for p in (*book.imprint, book.cover_credit) if p]
    for person in book.contributors:
        out.append(text(f"name.{person.id}", person.name))
        out += [_seg(b, BOOK_FILE) for b in person.bio if isinstance(b, m.Para)]
    out += [_seg(a.expansion, BOOK_FILE) for a in book.abbreviations]
    out += [_seg(b, BOOK_FILE) for b in book.back_cover if isinstance(b, m.Para)]
    for unit in book.units:
        file = unit.slug if unit.kind == "text" else BOOK_FILE
        out.append(Segment(unit.title_seg, to_markup(unit.title), file, unit.title))
        out += [_seg(b, file) for b in unit_blocks(unit)]
    return out
