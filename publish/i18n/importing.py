"""Turn an imported XLIFF/PO file's units and the book's records into the records to write, and the
diagnostics (at the import file's lines) that decide whether anything is written.

A unit is applied only when its English is the manuscript's English as exported, nobody changed the
translation in the repository since the export, and its translation passes the checks `publish
check` makes (endnote references, links, language spans, glossary, one paragraph of text). A file
that names another book, or whose segment ids mostly are not this book's, is refused whole.
"""
from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, error, warning
from ..read import MAX_LINE, Source
from .check import check_segment, load_glossary
from .exchange import Imported, Incoming, digest
from .paralleltext import Record, unstorable
from .segments import Segment
from .translate import convert_targets


def foreign(imported: Imported, title: str, english: dict[str, Segment], path: str) -> list[Diagnostic]:
    """An error when the file is for another book (by the title it names, or by its segment ids)."""
    out = []
    if imported.book is not None and imported.book != title:
        out.append(error(path, imported.line, f"this file is for another book: it was exported from “{_shown(imported.book)}”, not “{title}”", "import-foreign"))
    total = len(imported.units)
    known = sum(1 for unit in imported.units if unit.id in english)
    if total and known * 2 < total:
        out.append(error(path, imported.line, f"this file is for another book or an older version: {known} of {total} segments match this book", "import-foreign"))
    return out


def apply(records: dict[str, list[Record]], imported: Imported, english: dict[str, Segment], lang: str,
          path: str) -> tuple[dict, list[Diagnostic], list[Incoming]]:
    """Records with the imported translations applied where that overwrites nothing newer; the
    warnings for units left alone; the units applied."""
    out = {stem: list(recs) for stem, recs in records.items()}
    problems, applied, seen = [], [], {}
    for unit in imported.units:
        seg = english.get(unit.id)
        if unit.id in seen:
            problems.append(warning(path, unit.line, f"segment [{unit.id}] appears twice in this file (first on line {seen[unit.id]}): skipped", "import-skipped"))
            continue
        seen[unit.id] = unit.line
        if seg is None:
            problems.append(warning(path, unit.line, f"segment [{unit.id}] is not in this book: skipped", "import-skipped"))
            continue
        if not unit.target:
            continue
        recs = out.get(seg.file, [])
        index = next((i for i, r in enumerate(recs) if r.id == unit.id and r.state != "removed"), None)
        record = recs[index] if index is not None else None
        if unit.source != seg.text:
            problems.append(warning(path, unit.line, f"[{unit.id}] the English changed since the export: skipped", "import-skipped"))
        elif record is None or record.en != seg.text:
            problems.append(warning(path, unit.line, f"[{unit.id}] manuscript/{lang}/{seg.file}.txt is not up to date: run `publish i18n update`, then import again; skipped", "import-skipped"))
        elif record.target == unit.target and record.state != "stale":
            continue
        elif digest(record.target) != unit.base:
            problems.append(warning(path, unit.line, f"[{unit.id}] the translation was changed in the repository since the export: skipped", "import-skipped"))
        else:
            recs[index] = record.with_(target=unit.target, state="", was="")
            applied.append(unit)
    return out, problems, applied


def validate(root: Path, lang: str, units: list[Incoming], english: dict[str, Segment], path: str) -> list[Diagnostic]:
    """The checks `publish check` makes of a translation, made of each unit about to be applied."""
    problems, sources = [], {}
    for unit in units:
        trouble = unstorable(unit.target, MAX_LINE - len(lang) - 2)
        if trouble:
            problems.append(error(path, unit.line, f"the translation of [{unit.id}] {trouble}", "i18n-markup"))
            continue
        key = ("import", english[unit.id].file, unit.id)
        sources[key] = Source(key, path, unit.line, unit.target)
    glossary, trouble = load_glossary(root, lang)
    problems += trouble
    converted, trouble = convert_targets(sources, lang)
    problems += trouble
    for (_, _, seg_id), inlines in converted.items():
        problems += check_segment(path, sources[("import", english[seg_id].file, seg_id)].first_line, seg_id,
                                  english[seg_id].content, inlines, glossary)
    return problems


def _shown(text: str) -> str:
    """A title from an untrusted file, fit for one line of a diagnostic."""
    text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= 80 else text[:79] + "…"
