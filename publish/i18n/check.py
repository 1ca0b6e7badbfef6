"""Turn the English book and a translation into diagnostics: parity of endnotes, links, language
spans; the glossary; untranslated and stale segments (warnings, or errors for a release)."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from .. import model as m
from .. import yamlmap
from ..diagnostics import Diagnostic, error, warning
from ..render.inline import plain
from . import files
from .markup import skeleton
from .segments import segments
from .status import count


def check_translation(root: Path, book: m.Book, lang: str, translations: dict, records: dict,
                      release: bool = False) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    english = {s.id: s for s in segments(book)}
    glossary, problems = load_glossary(root, lang)
    out += problems
    for seg_id, (inlines, record) in translations.items():
        if seg_id in english:
            path = files.relpath(lang, english[seg_id].file)
            out += check_segment(path, record.target_line, seg_id, english[seg_id].content, inlines, glossary)
    live = {r.id for recs in records.values() for r in recs if r.state != "removed"}
    make = error if release else warning
    for stem, recs in records.items():
        path = files.relpath(lang, stem)
        for r in recs:
            if r.state != "removed" and r.id not in english:
                out.append(warning(path, r.line, f"segment [{r.id}] is not in the English any more: run `publish i18n update`", "i18n-unknown"))
            elif r.state == "" and r.target.strip() and r.en != english[r.id].text:
                out.append(make(path, r.line, f"segment [{r.id}] is stale: its 'en:' line is not the manuscript's English (run `publish i18n update`, then review the translation)", "i18n-stale"))
        if release:
            for r in recs:
                if r.state == "stale":
                    out.append(error(path, r.line, f"segment [{r.id}] is stale: its English changed", "i18n-stale"))
                elif r.state != "removed" and not r.target.strip():
                    out.append(error(path, r.line, f"segment [{r.id}] is not translated", "i18n-untranslated"))
        else:
            c = count(recs)
            if c.untranslated:
                out.append(warning(path, 1, f"{c.untranslated} of {c.total} segments not translated", "i18n-untranslated"))
            if c.stale:
                out.append(warning(path, 1, f"{c.stale} of {c.total} segments stale", "i18n-stale"))
    missing = Counter(s.file for s in english.values() if s.id not in live)
    for stem, n in sorted(missing.items()):
        out.append(make(files.relpath(lang, stem), 1, f"{n} segments of the English are missing: run `publish i18n update`", "i18n-untranslated"))
    return out


def check_segment(path: str, line: int, seg_id: str, english: tuple, translated: tuple, glossary) -> list[Diagnostic]:
    """What one translation must keep of its English: endnote references, links, language spans,
    glossary terms; diagnostics at `path`:`line` (a parallel-text file, or an imported file)."""
    return _parity(path, line, seg_id, english, translated) + _glossary(path, line, seg_id, english, translated, glossary)


def _parity(path, line, seg_id, english, translated) -> list[Diagnostic]:
    out = []
    (en_notes, en_links, en_langs), (tr_notes, tr_links, tr_langs) = skeleton(english), skeleton(translated)
    if en_notes != tr_notes:
        show = lambda notes: ", ".join(map(str, notes)) or "none"
        out.append(error(path, line, f"[{seg_id}] endnote references differ: English has {show(en_notes)}, translation has {show(tr_notes)}", "i18n-notes"))
    if en_links != tr_links:
        lost = sorted(set(en_links) - set(tr_links)) or sorted(set(tr_links) - set(en_links))
        out.append(error(path, line, f"[{seg_id}] links differ from the English: {', '.join(lost)}", "i18n-links"))
    lost_langs = Counter(en_langs) - Counter(tr_langs)
    if lost_langs:
        out.append(error(path, line, f"[{seg_id}] language spans lost: {', '.join(sorted(lost_langs.elements()))}", "i18n-lang"))
    return out


def load_glossary(root: Path, lang: str):
    path = files.directory(root, lang) / "glossary.yaml"
    rel = f"manuscript/{lang}/glossary.yaml"
    if not path.exists():
        return [], []
    data, lines, problems = yamlmap.load_file(root, rel)
    problems = [p for p in problems if p.code != "file-empty"]  # an empty glossary is no glossary
    if problems:
        return [], problems
    entries = []
    for i, entry in enumerate(data if isinstance(data, list) else [None] if data else []):
        if not isinstance(entry, dict) or not isinstance(entry.get("en"), str) or not entry.get(lang):
            problems.append(error(rel, lines.get((i,), 1), f"glossary entry {i + 1} needs 'en' and '{lang}'", "meta-invalid"))
            continue
        forms = entry[lang] if isinstance(entry[lang], list) else [entry[lang]]
        entries.append((re.compile(r"(?<![\w-])" + re.escape(entry["en"]) + r"(?![\w-])"), entry["en"], [str(f) for f in forms]))
    return entries, problems


def _glossary(path, line, seg_id, english, translated, glossary) -> list[Diagnostic]:
    source, target = plain(english), plain(translated)
    in_note = ".n" in seg_id
    out = []
    for pattern, term, forms in glossary:
        if pattern.search(source) and not any(f in target for f in forms):
            if in_note and term in target:
                continue  # a bibliographic reference keeps the original title
            out.append(error(path, line, f"[{seg_id}] '{term}' must be translated as {' or '.join(forms)}", "i18n-glossary"))
    return out
