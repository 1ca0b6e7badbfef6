"""Turn a book and its translation directory into the translator's operations: update and status."""
from __future__ import annotations

from pathlib import Path

from .. import model as m
from ..diagnostics import BookError, has_errors
from ..render.inline import plain
from . import files
from .segments import BOOK_FILE, segments
from .status import table
from .tokens import align, tokenize
from .update import merge


def file_titles(book: m.Book, lang: str) -> dict[str, str]:
    titles = {u.slug: f"Parallel text of manuscript/{u.slug}.md: {plain(u.title)} (en → {lang})"
              for u in book.units if u.kind == "text"}
    titles[BOOK_FILE] = f"Parallel text of book.yaml: metadata, names, bios, abbreviations (en → {lang})"
    return titles


def file_order(book: m.Book) -> list[str]:
    return [BOOK_FILE] + [u.slug for u in book.units if u.kind == "text"]


def update(root: Path, book: m.Book, lang: str) -> list[str]:
    old, problems = files.load(root, lang)
    if has_errors(problems):
        raise BookError(problems)
    new = merge(old, segments(book))
    return files.save(root, lang, new, file_titles(book, lang))


def status(root: Path, book: m.Book, lang: str):
    records, problems = files.load(root, lang)
    if has_errors(problems):
        raise BookError(problems)
    expected = {s.id for s in segments(book)}
    seen = {r.id for recs in records.values() for r in recs if r.state != "removed"}
    text, total = table(records, file_order(book), {s.id: s.text for s in segments(book)})
    missing = len(expected - seen)
    if missing:
        text += f"\n{missing} segments of the English are not in the parallel text yet: run `publish i18n update`"
    return text, total, missing


def export(root: Path, book: m.Book, lang: str, fmt: str) -> bytes:
    """The book's segments with their current translations, as XLIFF 1.2 or PO."""
    from . import exchange
    from .translate import load_translations

    translations, records, problems = load_translations(root, lang)
    if has_errors(problems):
        raise BookError(problems)
    current = {r.id: r for recs in records.values() for r in recs if r.state != "removed"}
    units = []
    for seg in segments(book):
        record = current.get(seg.id)
        target = translations.get(seg.id, ((), None))[0]
        source = tokenize(seg.content)
        units.append(exchange.Unit(seg.id, seg.file, source, align(source, tokenize(target)),
                                   record.state if record else "", exchange.digest(record.target if record else "")))
    originals = {u.slug: f"manuscript/{u.slug}.md" for u in book.units}
    originals[BOOK_FILE] = "manuscript/book.yaml"
    write = exchange.write_xliff if fmt == "xliff" else exchange.write_po
    return write(units, book.language, lang, originals, book.title)


def import_file(root: Path, book: m.Book, lang: str, path: Path, shown: str):
    """Apply a CAT tool's XLIFF or PO file; (files written, applied count, warnings). Raises
    BookError, having written nothing, when any unit is invalid or the file is another book's."""
    from . import exchange, importing

    data = path.read_bytes()
    reader = exchange.read_xliff if data.lstrip().startswith(b"<") else exchange.read_po
    imported, problems = reader(data, shown)
    if imported is None or has_errors(problems):
        raise BookError(problems)
    records, trouble = files.load(root, lang)
    if has_errors(trouble):
        raise BookError(trouble)
    english = {s.id: s for s in segments(book)}
    refused = importing.foreign(imported, book.title, english, shown)
    if refused:  # its units' own problems would be noise
        raise BookError(problems + refused)
    records, skipped, applied = importing.apply(records, imported, english, lang, shown)
    problems += skipped + importing.validate(root, lang, applied, english, shown)
    if has_errors(problems):
        raise BookError(problems)
    written = files.save(root, lang, records, file_titles(book, lang))
    return written, len(applied), problems
