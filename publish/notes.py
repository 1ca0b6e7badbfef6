"""Turn book.yaml's `notes:` mode into where each unit's endnotes are shown and what number each file's first note has.

chapter    notes numbered per file, shown at each unit's end (the default)
book       notes numbered through the book, shown in one Notes unit (`generate: notes`), grouped by chapter
footnotes  the PDF and press PDF: each note at the foot of the page that refers to it
           (render/footnotes.py); HTML and EPUB: endnotes, in the Notes unit if the contents has one,
           else at each unit's end; the bilingual editions: at each unit's end, beside the translation
           (a `notes-mode` warning says so when the book has translations). Numbers per file or
           through the book.
Note ids (`<unit>-note-N`), reference ids and segment ids (`<unit>.nN`) are the same in every mode.
"""
from __future__ import annotations

from . import model as m
from .diagnostics import Diagnostic, error, warning

MODES = ("chapter", "book", "footnotes")


def notes_mode(meta: dict, lines: dict, path: str) -> list[Diagnostic]:
    """book.yaml's `notes:` is one of MODES, and `generate: notes` is there exactly when the mode collects notes."""
    mode = meta.get("notes", "chapter")
    line = lines.get(("notes",), 1)
    if mode not in MODES:
        return [error(path, line, f"'notes' is one of {', '.join(MODES)} (where endnotes go), not '{mode}'", "notes-mode")]
    contents = meta.get("contents") if isinstance(meta.get("contents"), list) else []
    entries = [i for i, e in enumerate(contents) if isinstance(e, dict) and e.get("generate") == "notes"]
    if mode == "book" and not entries:
        return [error(path, line, "'notes: book' collects the endnotes in one Notes section: add a contents entry "
                                  "'- generate: notes' (with its title, part: back) where it goes", "notes-mode")]
    translations = meta.get("translations") if isinstance(meta.get("translations"), list) else []
    if mode == "footnotes" and translations:
        editions = ", ".join(f"{meta.get('language', 'en')}-{lang}" for lang in translations)
        return [warning(path, line, f"'notes: footnotes': the bilingual PDF ({editions}) keeps each note at its "
                        "chapter's end, beside its translation; the PDF of each language prints footnotes, HTML and "
                        "EPUB show endnotes", "notes-mode")]
    if mode == "chapter" and entries:
        return [error(path, lines.get(("contents", entries[0]), 1), "a 'generate: notes' entry collects the endnotes of "
                      "the book, but they are shown at each chapter's end: add 'notes: book' to book.yaml, or remove "
                      "the entry", "notes-mode")]
    return []


def notes_unit(book: m.Book) -> m.Unit | None:
    """The generated Notes unit, where the mode collects the notes (`footnotes`: in HTML and EPUB only;
    the print edition leaves it out, render/footnotes.py print_book)."""
    if book.notes == "chapter":
        return None
    return next((u for u in book.units if u.kind == "notes"), None)


def home(book: m.Book, unit: m.Unit) -> m.Unit:
    """The unit whose page shows `unit`'s endnotes (in HTML and EPUB)."""
    return notes_unit(book) or unit


def with_notes(book: m.Book) -> list[m.Unit]:
    """The units that have endnotes, in reading order: the Notes unit's chapters."""
    return [u for u in book.units if u.notes]


def first_numbers(book: m.Book):
    """(unit, the number its first endnote must have, the unit whose last note it follows or None) for each
    unit with notes. `footnotes` accepts either way: a file starting at 1 starts again."""
    previous = None
    for unit in book.units:
        if not unit.notes:
            continue
        last = previous.notes[-1].number if previous else 0
        through = book.notes == "book" or (book.notes == "footnotes" and unit.notes[0].number != 1)
        yield unit, (last + 1 if through else 1), (previous if through else None)
        previous = unit


def first_note_problem(unit: m.Unit, expected: int, previous: m.Unit | None) -> Diagnostic | None:
    """The diagnostic for a file whose first endnote does not continue the book's numbering (`notes: book`)."""
    note = unit.notes[0]
    if previous is None or note.number == expected:
        return None
    last = previous.notes[-1]
    where = f"{last.pos.path}:{last.pos.line}"
    if note.number == 1:
        return error(note.pos.path, note.pos.line, f"endnote 1 starts the numbering again, but notes are numbered "
                     f"through the book ('notes: book'): this file's first endnote is {expected} (endnote {last.number} "
                     f"is at {where})", "note-numbering")
    return error(note.pos.path, note.pos.line, f"endnote {note.number} follows endnote {last.number} (at {where}): "
                 f"notes are numbered through the book ('notes: book'), expected {expected}", "note-numbering")


def refs_of(unit: m.Unit, in_notes: bool = False):
    """The id of every endnote reference in `unit`'s text (`in_notes`: in its notes), as the inline
    renderer makes them."""
    from .walk import blocks_of, inlines_of

    for block in blocks_of(tuple(b for note in unit.notes for b in note.blocks) if in_notes else unit.blocks):
        for inline in inlines_of(block):
            if isinstance(inline, m.NoteRef):
                yield f"{inline.unit}-ref-{inline.number}" + (f"-{inline.occurrence}" if inline.occurrence > 1 else "")


def note_pages(book: m.Book) -> dict[str, str]:
    """Element id -> slug of the unit whose page holds it, for notes, their sections and their references
    (HTML and EPUB: the notes may be on another page than the text that refers to them)."""
    out = {}
    for unit in book.units:
        where = home(book, unit).slug
        for ident in refs_of(unit):
            out[ident] = unit.slug
        for ident in refs_of(unit, in_notes=True):  # a note's reference to a note: on the notes' page
            out.setdefault(ident, where)
        for note in unit.notes:
            out[f"{unit.slug}-note-{note.number}"] = where
        if unit.notes:
            out[f"{unit.slug}-endnotes"] = where
    return out


def notes_of(book: m.Book, unit: m.Unit, in_print: bool = False) -> list[m.Unit]:
    """The units whose endnotes `unit`'s page shows (`in_print`: the PDF, where `footnotes` shows none:
    the print template sets them as footnotes instead, render/footnotes.py)."""
    if in_print and book.notes == "footnotes":
        return []
    collected = notes_unit(book)
    if collected is None:
        return [unit] if unit.notes else []
    return with_notes(book) if unit is collected else []


def back_href(book: m.Book, href, in_print: bool = False):
    """The link from a note back to its reference: a fragment where notes stay with their text (as ever),
    else through `href` (the reference is on another page)."""
    def link(unit_slug: str, number: int) -> str:
        ident = f"{unit_slug}-ref-{number}"
        return href(ident) if notes_unit(book) is not None and not in_print else "#" + ident

    return link


def at_chapter_ends(book: m.Book) -> m.Book:
    """The book with its notes at each unit's end and no Notes unit: the bilingual editions' layout (each
    note beside its translation, in the chapter), whatever the mode."""
    if book.notes == "chapter":
        return book
    from dataclasses import replace

    return replace(book, notes="chapter", units=tuple(u for u in book.units if u.kind != "notes"))
