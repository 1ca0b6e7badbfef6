"""Turn book.yaml's raw data into diagnostics, and say which of its fields are files or Markdown."""
from __future__ import annotations

import re

from .diagnostics import Diagnostic, error, warning

REQUIRED = ("title", "language", "publisher", "date", "rights", "contents")
OPTIONAL = ("subtitle", "series", "imprint", "cover_credit", "editors", "contributors",
            "abbreviations", "back_cover", "translations", "translation_notes")
GENERATED = ("abbreviations", "contributors")
PARTS = ("front", "body", "back")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def validate(meta: dict, lines: dict, path: str) -> list[Diagnostic]:
    out: list[Diagnostic] = []

    def bad(keypath, message, code="meta-invalid"):
        out.append(error(path, lines.get(keypath, lines.get(keypath[:1], 1)), message, code))

    if not meta:
        return out
    for key in REQUIRED:
        value = meta.get(key)
        if value is None or value == "" or value == []:
            out.append(error(path, 1, f"required field '{key}' is missing", "meta-missing"))
    for key in meta:
        if key not in REQUIRED + OPTIONAL:
            out.append(warning(path, lines.get((key,), 1), f"unknown field '{key}'", "meta-invalid"))
    for key in ("title", "subtitle", "series", "language", "publisher", "rights", "cover_credit", "back_cover"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            bad((key,), f"'{key}' must be text")
    if "date" in meta and meta["date"] is not None and not DATE.match(str(meta["date"])):
        bad(("date",), "'date' must be YYYY, YYYY-MM or YYYY-MM-DD")
    if "translation_notes" in meta and not (isinstance(meta["translation_notes"], dict)
                                            and all(isinstance(v, str) for v in meta["translation_notes"].values())):
        bad(("translation_notes",), "'translation_notes' maps a language to a text")
    for key in ("imprint", "translations"):
        if not _list_of(meta.get(key, []), str):
            bad((key,), f"'{key}' must be a list of lines")

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

    def check_people(keypath, value):
        if not _list_of(value, str):
            bad(keypath, f"'{keypath[-1]}' must be a list of contributor ids")
            return
        for j, pid in enumerate(value):
            if pid not in ids:
                bad(keypath + (j,), f"unknown contributor '{pid}'", "contributor-unknown")

    check_people(("editors",), meta.get("editors", []))

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
    for i, entry in enumerate(contents):
        where = ("contents", i)
        if not isinstance(entry, dict) or ("file" in entry) == ("generate" in entry):
            bad(where, "a contents entry needs either 'file' or 'generate'")
            continue
        name = str(entry.get("file") or entry.get("generate"))
        if "generate" in entry and entry["generate"] not in GENERATED:
            bad(where, f"cannot generate '{name}' (known: {', '.join(GENERATED)})")
        if "file" in entry and (not name.endswith(".md") or name.startswith("/") or ".." in name.split("/")):
            bad(where, f"'{name}' must be a .md file inside manuscript/")
        if name in seen:
            bad(where, f"'{name}' appears twice in contents (first on line {seen[name]})", "contents-duplicate")
        else:
            seen[name] = lines.get(where, 1)
        if entry.get("part", "body") not in PARTS:
            bad(where + ("part",), f"part must be one of {', '.join(PARTS)}")
        if "authors" in entry:
            check_people(where + ("authors",), entry["authors"])
    return out


def content_files(meta: dict, lines: dict) -> list[tuple[int, str]]:
    """(line in book.yaml, file name) for each Markdown file the contents names, once each."""
    out, seen = [], set()
    for i, entry in enumerate(meta.get("contents") or []):
        if isinstance(entry, dict) and isinstance(entry.get("file"), str) and entry["file"] not in seen:
            seen.add(entry["file"])
            out.append((lines.get(("contents", i, "file"), 1), entry["file"]))
    return out


def markdown_fields(meta: dict):
    """(key path, text) for every field of book.yaml that holds Markdown."""
    for key in ("cover_credit", "back_cover"):
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
