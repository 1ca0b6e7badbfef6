"""Turn a book and its translation directory into the translator's operations: update and status."""
from __future__ import annotations

from pathlib import Path

from .. import model as m
from ..diagnostics import BookError, has_errors
from ..render.inline import plain
from . import files
from .segments import BOOK_FILE, segments
from .status import table
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
    text, total = table(records, file_order(book))
    missing = len(expected - seen)
    if missing:
        text += f"\n{missing} segments of the English are not in the parallel text yet: run `publish i18n update`"
    return text, total, missing
