"""Turn a Reading (book.yaml data + pandoc ASTs) into the Book model, with the diagnostics found."""
from __future__ import annotations

from dataclasses import replace
from pathlib import PurePosixPath

from . import model as m
from .convert import convert
from .diagnostics import Diagnostic, error
from .metadata import MATTER
from . import setting, vertical
from .printspec import print_spec
from .notes import MODES
from .people import ROLES, UNIT_ROLES
from .read import BOOK_FILE as BOOK, Reading
from .tables import number
from .walk import plain


def assemble(reading: Reading, cache=None) -> tuple[m.Book | None, list[Diagnostic]]:
    meta, lines, sources = reading.meta, reading.meta_lines, reading.sources
    diagnostics: list[Diagnostic] = []
    language = str(meta.get("language") or "en")

    def markdown(keypath, unit, seg):
        source = sources.get(("meta",) + keypath)
        if source is None:
            return ()
        text_language = keypath[1] if keypath[0] == "translation_notes" else language
        converted = convert(source, unit, cache, text_language)
        blocks = converted.blocks
        diagnostics.extend(converted.diagnostics)
        return tuple(_reseg(b, seg, i) for i, b in enumerate(blocks))

    def one_para(keypath, unit, seg):
        """A field that is one paragraph of text (what else it holds is an error, never dropped)."""
        blocks = markdown(keypath, unit, seg)
        if blocks and (len(blocks) > 1 or not isinstance(blocks[0], m.Para)):
            diagnostics.append(error(BOOK, lines.get(keypath, 1), f"{_field(meta, keypath)} is one paragraph of text, "
                                     f"not {_kinds(blocks)}", "meta-invalid"))
        return blocks[0] if blocks and isinstance(blocks[0], m.Para) else None

    people = {}
    for i, person in enumerate(meta.get("contributors") or []):
        if isinstance(person, dict) and isinstance(person.get("id"), (str, int)) and "name" in person:
            bio = (para,) if (para := one_para(("contributors", i, "bio"), "bio", f"bio.{person['id']}")) else ()
            roles = tuple(r for r in person.get("roles") or () if r in ROLES) if isinstance(person.get("roles"), list) else ()
            people.setdefault(person["id"], m.Contributor(str(person["id"]), str(person["name"]), bio, roles))

    abbreviations = []
    for i, pair in enumerate(meta.get("abbreviations") or []):
        para = one_para(("abbreviations", i, 1), "abbr", f"abbr.{pair[0]}") if isinstance(pair, list) else None
        if para is not None:
            abbreviations.append(m.Abbreviation(str(pair[0]), para))

    units, matter = [], []
    for i, entry in enumerate(meta.get("contents") or []):
        if not isinstance(entry, dict):
            continue
        if entry.get("generate") in MATTER:
            matter.append((entry["generate"], len(units)))
            continue
        authors = _people(people, entry.get("authors"))
        part = entry.get("part", "body")
        where = m.Pos("manuscript/book.yaml", lines.get(("contents", i), 1))
        if "generate" in entry:
            slug = str(entry["generate"])
            title = (m.Text(str(entry.get("title") or slug.title())),)
            units.append(m.Unit(slug, slug, part, title, f"{slug}.title", authors, (), (), where))
            continue
        source = sources.get(("file", entry["file"])) if isinstance(entry.get("file"), str) else None
        if source is None:
            continue
        slug = PurePosixPath(entry["file"]).stem
        unit, problems = _text_unit(convert(source, slug, cache, language), source, slug, part, authors)
        diagnostics += problems
        if unit:
            units.append(replace(unit, role=entry["role"]) if entry.get("role") in UNIT_ROLES else unit)

    editors = _people(people, meta.get("editors"))
    translators = meta.get("translators") if isinstance(meta.get("translators"), dict) else {}
    book = m.Book(
        title=str(meta.get("title", "")),
        subtitle=str(meta.get("subtitle") or ""),
        series=str(meta.get("series") or ""),
        language=str(meta.get("language", "en")),
        publisher=str(meta.get("publisher", "")),
        date=str(meta.get("date", "")),
        rights=plain(rights.content) if (rights := one_para(("rights",), "rights", "book.rights")) else str(meta.get("rights", "")),
        imprint=tuple(p for i in range(len(meta.get("imprint") or [])) if (p := one_para(("imprint", i), "imprint", f"imprint.{i + 1}"))),
        cover_credit=one_para(("cover_credit",), "cover", "cover.credit"),
        editors=editors,
        contributors=tuple(people.values()),
        abbreviations=tuple(abbreviations),
        back_cover=markdown(("back_cover",), "back-cover", "back-cover.p"),
        units=number(tuple(units)),
        translations=tuple(meta.get("translations") or ()),
        translation_notes=tuple((lang, para) for lang in (meta.get("translation_notes") or {})
                                if (para := one_para(("translation_notes", lang), "translation", f"translation.{lang}"))),
        notes=meta.get("notes") if meta.get("notes") in MODES else "chapter",
        authors=_people(people, meta.get("authors")),
        translators=tuple((str(lang), _people(people, ids)) for lang, ids in translators.items()),
        matter=tuple(matter),
        rights_para=rights,
        hyphenation=setting.hyphenation(meta),
        typography=setting.typography(meta),
        layouts=vertical.layouts(meta),
        pdf_standard=setting.pdf_standard(meta),
        takeaways=setting.takeaways(meta),
        printing=print_spec(meta),
    )
    return book, diagnostics


def _people(people: dict, ids) -> tuple:
    """The contributors a list of ids names (validation reports ids that are not text, or unknown)."""
    return tuple(people[p] for p in (ids if isinstance(ids, list) else ()) if isinstance(p, str) and p in people)


def _field(meta: dict, keypath: tuple) -> str:
    """A book.yaml field in words: "the bio of 'ada'", "the expansion of 'AE'", "'cover_credit'"."""
    key = keypath[0]
    if key == "contributors":
        return f"the bio of '{meta['contributors'][keypath[1]].get('id')}'"
    if key == "abbreviations":
        return f"the expansion of '{meta['abbreviations'][keypath[1]][0]}'"
    if key == "translation_notes":
        return f"the translation note for '{keypath[1]}'"
    return f"line {keypath[1] + 1} of 'imprint'" if key == "imprint" else f"'{key}'"


def _kinds(blocks) -> str:
    """What a run of blocks holds, in words: '2 paragraphs', 'a list'…"""
    names = [type(b).__name__.lower().replace("listblock", "list").replace("para", "paragraph") for b in blocks]
    return ", ".join(f"{n} {name}s" if n > 1 else f"a {name}" for name in dict.fromkeys(names)
                     if (n := names.count(name)))


def _text_unit(converted, source, slug, part, authors):
    blocks = converted.blocks
    diagnostics = list(converted.diagnostics)
    if not blocks or not isinstance(blocks[0], m.Heading) or blocks[0].level != 1:
        diagnostics.append(error(source.path, blocks[0].pos.line if blocks else 1,
                                 "a file starts with its title as a level-1 heading ('# Title')", "heading-skip"))
        return None, diagnostics
    title = blocks[0]
    for block in blocks[1:]:
        if isinstance(block, m.Heading) and block.level == 1:
            diagnostics.append(error(block.pos.path, block.pos.line, "a second level-1 heading: a file holds one unit, with one title", "heading-skip"))
    body = tuple(b for b in blocks[1:] if not (isinstance(b, m.Heading) and b.level == 1))
    unit = m.Unit(slug, "text", part, title.content, f"{slug}.title", authors, body,
                  converted.endnotes, title.pos)
    return unit, diagnostics


def _reseg(block, seg: str, index: int):
    """Blocks of book.yaml fields take their segment id from the field, not from a counter."""
    if isinstance(block, m.Para):
        return m.Para(block.content, seg if index == 0 else f"{seg}{index + 1}", block.pos)
    return block
