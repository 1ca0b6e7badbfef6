"""Turn book.yaml's people (authors, editors, translators, contributor roles) into diagnostics, and
the Book model's people into credits: who made the book, in which role (MARC relator codes)."""
from __future__ import annotations

from .diagnostics import Diagnostic, error

#: A contributor's roles, and the MARC relator code (https://id.loc.gov/vocabulary/relators) of each.
ROLES = {"author": "aut", "editor": "edt", "translator": "trl", "illustrator": "ill", "foreword": "aui"}
#: The roles a contents entry (`role:` on a `file:` unit) may give its unit: epub:type and DPUB-ARIA role.
UNIT_ROLES = ("dedication", "epigraph", "foreword", "preface", "introduction", "prologue", "epilogue",
              "afterword", "conclusion", "acknowledgments", "appendix", "bibliography")


def validate(meta: dict, lines: dict, path: str, ids: set) -> list[Diagnostic]:
    """Book-level `authors`, `translators: {lang: [ids]}`, each contributor's `roles`."""
    out: list[Diagnostic] = []

    def line(keypath):
        return lines.get(keypath, lines.get(keypath[:-1], lines.get(keypath[:1], 1)))

    def people(keypath, value):
        if not (isinstance(value, list) and all(isinstance(x, str) for x in value)):
            out.append(error(path, line(keypath), f"'{keypath[-1]}' must be a list of contributor ids", "meta-invalid"))
            return
        for j, pid in enumerate(value):
            if pid not in ids:
                out.append(error(path, line(keypath + (j,)), f"unknown contributor '{pid}'", "contributor-unknown"))

    if "authors" in meta:
        people(("authors",), meta["authors"])
    translators = meta.get("translators")
    if translators is not None:
        languages = {str(t).casefold() for t in meta.get("translations") or () if isinstance(t, str)}
        if not isinstance(translators, dict):
            out.append(error(path, line(("translators",)), "'translators' maps a translation's language to a list "
                             "of contributor ids (translators: {ja: [id]})", "meta-invalid"))
            translators = {}
        for lang, value in translators.items():
            if str(lang).casefold() not in languages:
                out.append(error(path, line(("translators", lang)), f"translators for '{lang}', which is not in "
                                 "'translations': list the language there, or remove its translators", "meta-invalid"))
            people(("translators", lang), value)
    for i, person in enumerate(meta.get("contributors") or []):
        if not isinstance(person, dict) or "roles" not in person:
            continue
        roles = person["roles"]
        if not (isinstance(roles, list) and all(isinstance(r, str) for r in roles)):
            out.append(error(path, line(("contributors", i, "roles")), "a contributor's 'roles' is a list "
                             f"({', '.join(ROLES)})", "meta-invalid"))
            continue
        for j, role in enumerate(roles):
            if role not in ROLES:
                out.append(error(path, line(("contributors", i, "roles", j)), f"unknown role '{role}' of contributor "
                                 f"'{person.get('id')}' (known: {', '.join(ROLES)})", "role-unknown"))
    return out


def unit_role(entry: dict, where: tuple, lines: dict, path: str) -> list[Diagnostic]:
    """A contents entry's `role`: one of UNIT_ROLES, on a `file:` unit."""
    role = entry.get("role")
    at = lines.get(where + ("role",), lines.get(where, 1))
    if "role" not in entry:
        return []
    if not isinstance(role, str) or role not in UNIT_ROLES:
        return [error(path, at, f"unknown role '{role}' for a contents entry (known: {', '.join(UNIT_ROLES)})",
                      "role-unknown")]
    return []


# Credits: the Book model's people in their roles ------------------------------------------------
def translators_of(book, language: str | None = None) -> tuple:
    """The translators of the edition in `language` (default: the book's own, for a translated edition)."""
    return dict(book.translators).get(language or book.language, ())


def creators(book) -> tuple:
    """Who made the book, for catalogues: its authors, else its editors (PDF /Author, HTML meta author)."""
    return book.authors or book.editors


def credit_people(book, role: str) -> tuple:
    """The people a title page credits in `role` (illustrator, foreword) from their contributor roles."""
    return tuple(p for p in book.contributors if role in p.roles)
