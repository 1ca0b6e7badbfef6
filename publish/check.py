"""Turn the Book model into diagnostics: the manuscript's rules, each a small function."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from . import model as m
from .assets import check_assets
from .tables import check_lists
from .diagnostics import Diagnostic, error
from .notes import first_note_problem, first_numbers
from .setting import check_takeaways
from .urls import scheme
from .walk import blocks_of, field_blocks, inlines_of


def check(book: m.Book, root: Path) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for rule in (check_ids, check_links, check_images, check_field_notes, check_lists, check_abbreviations, check_takeaways):
        out += rule(book, root)
    firsts = {unit.slug: (first, previous) for unit, first, previous in first_numbers(book)}
    for unit in book.units:
        out += check_headings(unit) + check_notes(unit, *firsts.get(unit.slug, (1, None)))
    return out + check_assets(root, book)


def _err(pos: m.Pos, message: str, code: str) -> Diagnostic:
    return error(pos.path, pos.line, message, code)


def element_ids(book: m.Book):
    """(id, pos) of every element a link can point to."""
    for unit in book.units:
        yield unit.slug, unit.pos
        for block in blocks_of(unit.blocks):
            if isinstance(block, (m.Heading, m.Figure, m.Table)) and block.id:
                yield block.id, block.pos
        for note in unit.notes:
            for block in blocks_of(note.blocks):
                if isinstance(block, m.Table):
                    yield block.id, block.pos


TEMPLATE_IDS = {"toc", "toc-title", "main", "book-title", "landmarks", "landmarks-title", "page-list",
                "page-list-title", "back-cover", "back-cover-title", "pages", "contents"}
MADE = re.compile(r"(-(note|ref)-\d+(-[a-z-]+)?|-title|-endnotes)$|^(bio|show)-")  # ids the templates derive


def check_ids(book, root):
    seen: dict[str, m.Pos] = {}
    out = []
    units = {unit.slug for unit in book.units}
    for ident, pos in element_ids(book):
        if ident not in units and (ident in TEMPLATE_IDS or MADE.search(ident)):
            out.append(_err(pos, f"id '{ident}' is one the editions make themselves (a title, a note, the contents): "
                                 "give this heading or figure another id", "id-duplicate"))
        elif ident in seen:
            first = seen[ident]
            out.append(_err(pos, f"id '{ident}' is already used at {first.path}:{first.line}", "id-duplicate"))
        else:
            seen[ident] = pos
    return out


def check_links(book, root):
    """Every link without a scheme (convert refuses the schemes not allowed) goes to an id in the book."""
    ids = {ident for ident, _ in element_ids(book)}
    out = []
    text = (b for unit in book.units for b in blocks_of(unit.blocks + tuple(b for n in unit.notes for b in n.blocks)))
    for block in (*text, *field_blocks(book)):
        for inline in inlines_of(block):
            if isinstance(inline, m.Link) and not scheme(inline.url):
                target = inline.url[1:] if inline.url.startswith("#") else None
                if target not in ids:
                    out.append(_err(block.pos, f"link to '{inline.url}' points nowhere in the book", "link-broken"))
    return out


def check_abbreviations(book, root):
    """Every abbreviation marked in the text (`[NATO]{.abbr}`) is one of book.yaml's `abbreviations`."""
    known = {a.abbr for a in book.abbreviations}
    text = (b for unit in book.units for b in blocks_of(unit.blocks + tuple(b for n in unit.notes for b in n.blocks)))
    return [_err(block.pos, f"abbreviation '{inline.abbr}' is not in book.yaml's abbreviations: add it there "
                            f"([{inline.abbr}, its expansion]) or remove the {{.abbr}} mark", "abbr-unknown")
            for block in (*text, *field_blocks(book)) for inline in inlines_of(block)
            if isinstance(inline, m.Abbr) and inline.abbr not in known]


def check_field_notes(book, root):
    """Endnotes belong to a chapter: book.yaml's Markdown fields have none to refer to."""
    return [_err(block.pos, f"endnote {inline.number} is referenced in book.yaml, which has no endnotes", "note-undefined")
            for block in field_blocks(book) for inline in inlines_of(block) if isinstance(inline, m.NoteRef)]


def check_images(book, root):
    out = []
    manuscript = (Path(root) / "manuscript").resolve()
    texts = [unit.blocks for unit in book.units] + [person.bio for person in book.contributors] + [book.back_cover]
    for blocks in texts:
        for block in blocks_of(blocks):
            if not (isinstance(block, m.Figure) and block.image):
                continue
            src = block.image.src
            if not block.image.alt:
                out.append(_err(block.pos, f"image '{src}' has no alternative text", "image-alt"))
            target = (manuscript / src).resolve()
            if urlparse(src).scheme or not target.is_relative_to(Path(root).resolve()):
                out.append(_err(block.pos, f"image '{src}' is outside the project", "image-outside"))
            elif not target.is_file():
                out.append(_err(block.pos, f"image '{src}' not found", "file-missing"))
    return out


def check_headings(unit: m.Unit):
    out, level = [], 1
    for block in blocks_of(unit.blocks):
        if isinstance(block, m.Heading):
            if block.level > level + 1:
                out.append(_err(block.pos, f"heading level {block.level} follows level {level}", "heading-skip"))
            level = block.level
    return out


def _refs(blocks) -> dict[int, m.Pos]:
    """Endnote number -> where it is first referenced in these blocks."""
    refs: dict[int, m.Pos] = {}
    for block in blocks_of(blocks):
        for inline in inlines_of(block):
            if isinstance(inline, m.NoteRef):
                refs.setdefault(inline.number, block.pos)
    return refs


def reached_notes(unit: m.Unit) -> set[int]:
    """The endnotes a reader reaches from the text: referenced there, or in an endnote reached."""
    from_note = {note.number: _refs(note.blocks) for note in unit.notes}
    todo, reached = list(_refs(unit.blocks)), set()
    while todo:
        number = todo.pop()
        if number not in reached:
            reached.add(number)
            todo += from_note.get(number, {})
    return reached


def check_notes(unit: m.Unit, first: int = 1, previous: m.Unit | None = None):
    """`first`: the number the unit's first note has (through the book: the one after `previous`'s last)."""
    out = []
    refs = _refs(unit.blocks)
    for note in unit.notes:  # a note may refer to another note: `^9^` in note 3's text
        for number, pos in _refs(note.blocks).items():
            refs.setdefault(number, pos)
    reached = reached_notes(unit)
    numbers = {n.number for n in unit.notes}
    seen: set[int] = set()
    expected = first
    for note in unit.notes:
        if note is unit.notes[0] and (problem := first_note_problem(unit, first, previous)):
            out.append(problem)
            expected = note.number  # reported once: the rest of the file is judged from its own first note
        if note.number in seen:
            out.append(_err(note.pos, f"endnote {note.number} is defined twice", "note-numbering"))
            continue
        seen.add(note.number)
        if note.number != expected:
            out.append(_err(note.pos, f"endnote {note.number} follows endnote {expected - 1} (expected {expected})", "note-numbering"))
        expected = note.number + 1
        if note.number not in refs:
            out.append(_err(note.pos, f"endnote {note.number} is never referenced", "note-unreferenced"))
        elif note.number not in reached:
            others = sorted(n.number for n in unit.notes if note.number in _refs(n.blocks))
            out.append(_err(note.pos, f"endnote {note.number} is never referenced from the text, only from endnote "
                                      f"{', '.join(map(str, others))}, which the text never leads to", "note-unreferenced"))
    for number, pos in refs.items():
        if number not in numbers:
            out.append(_err(pos, f"endnote {number} is referenced but not defined", "note-undefined"))
    return out
