"""Turn the English Book and its parallel-text translations into the translated Book.

Untranslated segments fall back visibly: the English is kept, marked as English and as a fallback.
Latin-script runs inside the translation are marked as English; a quarter-em space separates them
from Japanese or Chinese characters (no engine here implements `text-autospace`).
"""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from .. import model as m
from ..cache import ConvertCache
from ..convert import convert
from ..diagnostics import error
from ..read import Source, parse_sources
from ..render.inline import plain
from ..walk import map_paras
from . import files

LATIN_RUN = re.compile(r"https?://[!-~]+|[A-Za-z][A-Za-z0-9'’.\-&/_]*(?:[ ,:;]+[A-Za-z0-9][A-Za-z0-9'’.\-&/_]*)*")
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
AUTOSPACE = "\u2005"  # four-per-em space
# JLREQ 3.2.2 (and CSS text-autospace: ideograph-alpha ideograph-numeric): the quarter em goes between
# Japanese and Western letters and digits alike ("COVID-19 への", "第 8 巻")
DIGIT_EDGE = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff])(?=[0-9])|(?<=[0-9])(?=[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff])")
WESTERN_EDGE = re.compile(r"(?<=[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff])")


def _spaced(items: tuple) -> tuple:
    """Japanese or Chinese text kept in the original's words (a cited title: [「ポストTPP」]{lang=ja})
    spaced as the translation is."""
    return tuple(m.Text(WESTERN_EDGE.sub(AUTOSPACE, i.text)) if isinstance(i, m.Text)
                 else replace(i, children=_spaced(i.children)) if isinstance(i, (m.Styled, m.Lang)) else i
                 for i in items)


def load_translations(root: Path, lang: str, cache: ConvertCache | None = None):
    """seg id -> (inlines, Record) for every translated segment; and the diagnostics found."""
    records, problems = files.load(root, lang)
    sources = {}
    for stem, recs in records.items():
        for rec in recs:
            if rec.state != "removed" and rec.target.strip():
                key = ("i18n", lang, stem, rec.id)
                sources[key] = Source(key, files.relpath(lang, stem), rec.target_line, rec.target)
    converted, trouble = convert_targets(sources, lang, cache)
    out = {}
    for (_, _, stem, seg), inlines in converted.items():
        out[seg] = (inlines, next(r for r in records[stem] if r.id == seg and r.state != "removed"))
    return out, records, problems + trouble


def convert_targets(sources: dict[tuple, Source], lang: str, cache: ConvertCache | None = None):
    """Translations (keyed (..., file stem, seg id)) -> key -> their inlines, each one paragraph of
    text, in one pandoc run; and the diagnostics found (at each source's path and line)."""
    problems = parse_sources({k: s for k, s in sources.items() if not (cache and cache.has(s))}, sources)
    out = {}
    for key, source in sources.items():
        stem, seg = key[-2], key[-1]
        converted = convert(source, stem, cache, lang)
        problems += converted.diagnostics
        blocks = converted.blocks
        if len(blocks) != 1 or not isinstance(blocks[0], (m.Para, m.Heading)) or converted.endnotes:
            problems.append(error(source.path, source.first_line, f"the translation of [{seg}] must be one paragraph of text", "i18n-markup"))
            continue
        out[key] = blocks[0].content
    return out, problems


def mark_latin(items: tuple, lang: str) -> tuple:
    """Wrap Latin-script runs of a Chinese, Japanese or Korean translation in English language spans,
    with autospace. A translation in a Latin-script language (fr) is left as written: its words are its own."""
    if lang.split("-")[0].lower() not in ("ja", "zh", "ko"):
        return items
    out: list = []
    for item in items:
        if isinstance(item, m.Text):
            pos = 0
            for run in LATIN_RUN.finditer(item.text):
                if run.start() > pos:
                    out.append(m.Text(DIGIT_EDGE.sub(AUTOSPACE, item.text[pos:run.start()])))
                out.append(m.Lang("en", (m.Text(run.group()),)))
                pos = run.end()
            if pos < len(item.text):
                out.append(m.Text(DIGIT_EDGE.sub(AUTOSPACE, item.text[pos:])))
        elif isinstance(item, m.Link):
            # a span inside a link would leave the PDF's link annotation untagged (PDF/UA 7.18.5):
            # an all-Latin link is wrapped whole, a mixed one is left as it is
            text = plain(item.children)
            latin = LATIN_RUN.fullmatch(text.strip()) or (text.isascii() and any(c.isalpha() for c in text))
            out.append(m.Lang("en", (item,)) if latin else item)
        elif isinstance(item, m.Styled):
            out.append(replace(item, children=mark_latin(item.children, lang)))
        elif isinstance(item, m.Lang) and item.lang.startswith(("ja", "zh")) and lang.startswith("ja"):
            out.append(replace(item, children=_spaced(item.children)))
        else:
            out.append(item)
    return autospace(tuple(out))


def _edge(item, last: bool) -> str:
    if isinstance(item, m.Text):
        return item.text[-1:] if last else item.text[:1]
    if isinstance(item, m.Styled) and item.style in ("sup", "sub", "superscript", "subscript"):
        return ""  # a raised or lowered figure sits on the text: no space before it
    children = getattr(item, "children", ())
    return _edge(children[-1 if last else 0], last) if children else ""


def autospace(items: tuple) -> tuple:
    out = list(items)
    for i in range(len(out) - 1):
        a, b = _edge(out[i], True), _edge(out[i + 1], False)
        latin_a, latin_b = a.isascii() and a.isalnum(), b.isascii() and b.isalnum()
        if (CJK_CHAR.match(a) and latin_b) or (latin_a and CJK_CHAR.match(b)):
            if isinstance(out[i], m.Text):
                out[i] = m.Text(out[i].text + AUTOSPACE)
            elif isinstance(out[i + 1], m.Text):
                out[i + 1] = m.Text(AUTOSPACE + out[i + 1].text)
            else:
                out.insert(i + 1, m.Text(AUTOSPACE))
    return tuple(out)


def _marked(para, lang):
    return replace(para, content=mark_latin(para.content, lang)) if para else None


def translate_book(book: m.Book, translations: dict, lang: str) -> m.Book:
    def content(seg: str, english: tuple) -> tuple:
        found = translations.get(seg)
        if found is None:
            return (m.Lang(book.language, english, fallback=True),)
        return mark_latin(found[0], lang)

    def para(p):
        return replace(p, content=content(p.seg, p.content)) if p else p

    def text(seg: str, english: str) -> str:
        found = translations.get(seg)
        return plain(found[0]) if found else english

    def paras(blocks):
        return map_paras(blocks, lambda b: content(b.seg, b.content))

    people = {p.id: replace(p, name=text(f"name.{p.id}", p.name), bio=paras(p.bio)) for p in book.contributors}
    units = tuple(
        replace(u, title=content(u.title_seg, u.title), authors=tuple(people[a.id] for a in u.authors),
                blocks=paras(u.blocks), notes=tuple(replace(n, blocks=paras(n.blocks)) for n in u.notes))
        for u in book.units)
    return replace(
        book,
        title=text("book.title", book.title), subtitle=text("book.subtitle", book.subtitle),
        series=text("book.series", book.series), publisher=text("book.publisher", book.publisher),
        rights=text("book.rights", book.rights), language=lang,
        imprint=tuple(para(p) for p in book.imprint), cover_credit=para(book.cover_credit),
        rights_para=para(book.rights_para),
        editors=tuple(people[p.id] for p in book.editors), contributors=tuple(people.values()),
        authors=tuple(people[p.id] for p in book.authors),
        translators=tuple((code, tuple(people[p.id] for p in who)) for code, who in book.translators),
        abbreviations=tuple(replace(a, expansion=para(a.expansion)) for a in book.abbreviations),
        back_cover=paras(book.back_cover), units=units, original=book,
        translation_note=_marked(dict(book.translation_notes).get(lang), lang),
    )
