"""Turn book.yaml's raw data into diagnostics, and say which of its fields are files or Markdown."""
from __future__ import annotations

import re
from datetime import date
from pathlib import PurePosixPath

from . import people
from .diagnostics import Diagnostic, error, warning
from .notes import notes_mode
from .printspec import validate as validate_print
from .setting import validate as validate_setting
from .vertical import validate as validate_layout

REQUIRED = ("title", "language", "publisher", "date", "rights", "contents")
OPTIONAL = ("subtitle", "series", "imprint", "cover_credit", "editors", "contributors",
            "abbreviations", "back_cover", "translations", "translation_notes", "notes", "authors", "translators",
            "hyphenation", "typography", "layout", "pdf_standard", "takeaways", "print")
GENERATED = ("abbreviations", "contributors", "notes", "tables", "figures") + ("half-title", "title-page", "copyright", "contents")
MATTER = ("half-title", "title-page", "copyright", "contents")  # generated pages placed by the contents, not units
PARTS = ("front", "body", "back")
CONTRIBUTOR_KEYS = ("id", "name", "bio", "roles")
ENTRY_KEYS = {"file": ("file", "part", "authors", "role"), "generate": ("generate", "title", "part", "authors")}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
#: A well-formed BCP 47 language tag (RFC 5646 syntax; whether the subtags are registered is not checked).
LANGUAGE_TAG = re.compile(r"""^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})   # language
    (?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?                  # script, region
    (?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*                      # variants
    (?:-[\da-wyz](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?  # extensions, private use
    |x(?:-[a-z\d]{1,8})+)$""", re.IGNORECASE | re.VERBOSE)
#: Pages the renderers name themselves: a unit's page `<slug>.html` must not be one of them.
GENERATED_PAGES = {"index": "the generated contents page (index.html)"}
#: Units the EPUB edition names `<slug>-text.xhtml`: their slugs are its own documents' names.
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")
RESERVED_IDS = ("toc", "main", "book", "landmarks", "page-list", "back-cover", "pages")  # ids the templates use
EPUB_RESERVED = ("cover", "title-page", "copyright-page", "nav", "back-cover")


def validate(meta: dict, lines: dict, path: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []

    def bad(keypath, message, code="meta-invalid"):
        out.append(error(path, lines.get(keypath, lines.get(keypath[:1], 1)), message, code))

    if not meta:
        return out
    for key in REQUIRED:
        value = meta.get(key)
        if key not in meta:
            out.append(error(path, 1, f"required field '{key}' is missing", "meta-missing"))
        elif value is None or value in ([], {}) or (isinstance(value, str) and not value.strip()):
            out.append(error(path, lines.get((key,), 1), f"required field '{key}' is empty", "meta-missing"))
    for key in meta:
        if key not in REQUIRED + OPTIONAL:
            out.append(warning(path, lines.get((key,), 1), f"unknown field '{key}'", "meta-invalid"))
    for key in ("title", "subtitle", "series", "language", "publisher", "rights", "cover_credit", "back_cover"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            bad((key,), f"'{key}' must be text")
    if meta.get("date") not in (None, "") and not _real_date(str(meta["date"])):
        if DATE.match(str(meta["date"])):
            bad(("date",), f"'date' {meta['date']} is not a real date (YYYY, YYYY-MM or YYYY-MM-DD)")
        else:
            bad(("date",), "'date' must be YYYY, YYYY-MM or YYYY-MM-DD")
    for keypath, tag in languages(meta):
        if not LANGUAGE_TAG.match(tag):
            bad(keypath, f"'{tag}' is not a language tag (BCP 47: en, ja, zh-Hant, pt-BR…)")
    if "translation_notes" in meta and not (isinstance(meta["translation_notes"], dict)
                                            and all(isinstance(v, str) for v in meta["translation_notes"].values())):
        bad(("translation_notes",), "'translation_notes' maps a language to a text")
    for key in ("imprint", "translations"):
        if not _list_of(meta.get(key, []), str):
            bad((key,), f"'{key}' must be a list of lines")
    out += _translations(meta, lines, path)
    out += notes_mode(meta, lines, path)
    out += validate_setting(meta, lines, path)
    out += validate_layout(meta, lines, path)
    out += validate_print(meta, lines, path)
    out += _cover_credit(meta, lines, path)

    ids = set()
    contributors = meta.get("contributors", [])
    if not isinstance(contributors, list):
        bad(("contributors",), "'contributors' must be a list")
        contributors = []
    for i, person in enumerate(contributors):
        if not isinstance(person, dict) or not isinstance(person.get("name"), str) or not ID.match(str(person.get("id", ""))):
            bad(("contributors", i), "a contributor needs an 'id' (a-z, 0-9, -) and a 'name'")
            continue
        if person["id"] in ids:
            bad(("contributors", i, "id"), f"contributor id '{person['id']}' is defined twice", "id-duplicate")
        ids.add(person["id"])
        if person.get("bio") is not None and not isinstance(person["bio"], str):
            bad(("contributors", i, "bio"), "a contributor's 'bio' must be text")
        _unknown_keys(person, CONTRIBUTOR_KEYS, ("contributors", i), lines, path, out)

    def check_people(keypath, value):
        if not _list_of(value, str):
            bad(keypath, f"'{keypath[-1]}' must be a list of contributor ids")
            return
        for j, pid in enumerate(value):
            if pid not in ids:
                bad(keypath + (j,), f"unknown contributor '{pid}'", "contributor-unknown")

    check_people(("editors",), meta.get("editors", []))
    out += people.validate(meta, lines, path, ids)

    seen_abbr: dict[str, int] = {}
    abbreviations = meta.get("abbreviations", [])
    if not isinstance(abbreviations, list):
        bad(("abbreviations",), "'abbreviations' must be a list")
        abbreviations = []
    for i, pair in enumerate(abbreviations):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, (str, int)) for x in pair)):
            bad(("abbreviations", i), "an abbreviation is a pair: [abbreviation, expansion]")
            continue
        abbr = str(pair[0])
        if abbr in seen_abbr:
            bad(("abbreviations", i), f"abbreviation '{abbr}' is defined twice (first on line {seen_abbr[abbr]})", "abbr-duplicate")
        else:
            seen_abbr[abbr] = lines.get(("abbreviations", i), 1)

    contents = meta.get("contents", [])
    if not isinstance(contents, list):
        bad(("contents",), "'contents' must be a list")
        contents = []
    seen: dict[str, int] = {}
    pages: dict[str, tuple[str, int]] = {}
    for i, entry in enumerate(contents):
        where = ("contents", i)
        if not isinstance(entry, dict) or ("file" in entry) == ("generate" in entry):
            bad(where, "a contents entry needs either 'file' or 'generate'")
            continue
        if "generate" in entry:
            name = slug = str(entry["generate"])
            if entry["generate"] not in GENERATED:
                bad(where, f"cannot generate '{name}' (known: {', '.join(GENERATED)})")
        else:
            name, problem = file_name(entry["file"])
            slug = PurePosixPath(name).stem
            if problem:
                bad(where, problem)
        _unknown_keys(entry, ENTRY_KEYS["generate" if "generate" in entry else "file"], where, lines, path, out)
        if entry.get("title") is not None and not isinstance(entry["title"], str):
            bad(where + ("title",), "a contents entry's 'title' must be text")
        line = lines.get(where, 1)
        if name in seen:
            again = f"'{entry['file']}' is '{name}' again: it" if entry.get("file", name) != name else f"'{name}'"
            bad(where, f"{again} appears twice in contents (first on line {seen[name]})", "contents-duplicate")
        elif name in MATTER and "generate" in entry:
            seen[name] = line
        elif "file" not in entry or not problem:
            seen[name] = line
            out.extend(_page_clash(name, slug, "file" in entry, line, pages, path))
        if entry.get("part", "body") not in PARTS:
            bad(where + ("part",), f"part must be one of {', '.join(PARTS)}")
        if "authors" in entry:
            check_people(where + ("authors",), entry["authors"])
        if "file" in entry:
            out += people.unit_role(entry, where, lines, path)
    return out


def _unknown_keys(mapping: dict, known, where: tuple, lines: dict, path: str, out: list) -> None:
    """A warning for each key of a contributor or contents entry that nothing reads (it would be dropped)."""
    for key in mapping:
        if key not in known:
            out.append(warning(path, lines.get(where + (key,), lines.get(where, 1)),
                               f"unknown field '{key}' (known here: {', '.join(known)})", "meta-invalid"))


def content_files(meta: dict, lines: dict) -> list[tuple[int, str]]:
    """(line in book.yaml, file name) for each Markdown file the contents names, once each."""
    out, seen = [], set()
    for i, entry in enumerate(meta.get("contents") or []):
        if isinstance(entry, dict) and "file" in entry:
            name, problem = file_name(entry["file"])
            if not problem and name not in seen:
                seen.add(name)
                out.append((lines.get(("contents", i, "file"), 1), name))
    return out


def _translations(meta: dict, lines: dict, path: str) -> list[Diagnostic]:
    """Each translation once, none into the book's own language; notes only for a translation."""
    translations = meta.get("translations") if _list_of(meta.get("translations", []), str) else []
    language, out, seen = str(meta.get("language") or ""), [], {}
    for i, lang in enumerate(translations or []):
        line = lines.get(("translations", i), 1)
        if lang.casefold() == language.casefold():
            out.append(error(path, line, f"'{lang}' is the book's own language, not a translation", "meta-invalid"))
        elif lang.casefold() in seen:
            out.append(error(path, line, f"translation '{lang}' is listed twice (first on line {seen[lang.casefold()]})",
                             "meta-invalid"))
        seen.setdefault(lang.casefold(), line)
    notes = meta.get("translation_notes")
    for lang in notes if isinstance(notes, dict) else ():
        if str(lang).casefold() not in seen:
            out.append(error(path, lines.get(("translation_notes", lang), 1),
                             f"a translation note for '{lang}', which is not in 'translations'", "meta-invalid"))
    return out


def languages(meta: dict):
    """(key path, tag) of the book's language and of each translation's, where given as text."""
    translations = meta.get("translations")
    for keypath, tag in [(("language",), meta.get("language"))] + [
            (("translations", i), t) for i, t in enumerate(translations if isinstance(translations, list) else [])]:
        if isinstance(tag, str) and tag:
            yield keypath, tag


def normalised(meta: dict) -> dict:
    """book.yaml's data with each contents file named as `content_files` names it (`./a.md` is `a.md`)."""
    contents = meta.get("contents")
    if not isinstance(contents, list):
        return meta
    fixed = [{**entry, "file": file_name(entry["file"])[0]}
             if isinstance(entry, dict) and "file" in entry and not file_name(entry["file"])[1] else entry
             for entry in contents]
    return {**meta, "contents": fixed}


def file_name(written) -> tuple[str, str]:
    """A contents file name as a posix path inside manuscript/ without `.` parts, and the problem if any."""
    if not isinstance(written, str) or not written.strip():
        return "", f"'file' must name a .md file inside manuscript/, not {written!r}"
    if "\\" in written:
        return written, f"'{written}': write file names with '/', not '\\'"
    parts = [part for part in written.split("/") if part not in ("", ".")]
    if written.startswith("/") or re.match(r"^[A-Za-z]:", written) or ".." in parts:
        return written, f"'{written}' is outside manuscript/: name a .md file inside it"
    name = "/".join(parts)
    if not name.endswith(".md") or name == ".md":
        return name, f"'{written}' must be a .md file inside manuscript/"
    stem = parts[-1][:-3]
    if not SLUG.match(stem):
        return name, (f"'{written}': a file's name becomes the name of its page and its id: "
                      "use letters, digits, '-' and '_'")
    if stem.casefold() in RESERVED_IDS or stem.casefold().startswith(("bio-", "show-")):
        return name, f"'{written}' would take the id '{stem}', which every edition gives to a part of its own: rename the file"
    return name, ""


def _real_date(text: str) -> bool:
    """YYYY, YYYY-MM or YYYY-MM-DD, naming a day (or month) that exists."""
    if not DATE.match(text):
        return False
    parts = [int(p) for p in text.split("-")] + [1, 1]
    try:
        return bool(date(parts[0], parts[1], parts[2]))
    except ValueError:
        return False


def _page_clash(name: str, slug: str, is_file: bool, line: int, pages: dict, path: str) -> list[Diagnostic]:
    """A unit whose page would overwrite a generated page, or another unit's (`pages` records each)."""
    if is_file and slug.casefold() in GENERATED_PAGES:
        return [error(path, line, f"'{name}' would overwrite {GENERATED_PAGES[slug.casefold()]}; rename the file",
                      "contents-duplicate")]
    for page in (f"{slug}.html", f"{slug}-text.xhtml" if slug in EPUB_RESERVED else f"{slug}.xhtml"):
        other, other_line = pages.setdefault(page.casefold(), (name, line))
        if other_line != line:
            return [error(path, line, f"'{name}' and '{other}' (line {other_line}) would both become {page}; rename one",
                          "contents-duplicate")]
    return []


def _cover_credit(meta: dict, lines: dict, path: str) -> list[Diagnostic]:
    """The covers are typographic (no art is drawn or supplied): a credit for cover art credits nothing."""
    if not meta.get("cover_credit"):
        return []
    return [error(path, lines.get(("cover_credit",), 1), "'cover_credit' credits cover art, but the covers are "
                  "typographic and no edition has art: remove the line", "cover-credit")]


def markdown_fields(meta: dict):
    """(key path, text) for every field of book.yaml that holds Markdown."""
    for key in ("rights", "cover_credit", "back_cover"):
        if isinstance(meta.get(key), str):
            yield (key,), meta[key]
    notes = meta.get("translation_notes")
    for lang, text in (notes.items() if isinstance(notes, dict) else ()):
        if isinstance(text, str):
            yield ("translation_notes", lang), text
    for i, line in enumerate(meta.get("imprint") or []):
        if isinstance(line, str):
            yield ("imprint", i), line
    for i, person in enumerate(meta.get("contributors") or []):
        if isinstance(person, dict) and isinstance(person.get("bio"), str):
            yield ("contributors", i, "bio"), person["bio"]
    for i, pair in enumerate(meta.get("abbreviations") or []):
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[1], str):
            yield ("abbreviations", i, 1), pair[1]


def _list_of(value, kind) -> bool:
    return isinstance(value, list) and all(isinstance(x, kind) for x in value)
