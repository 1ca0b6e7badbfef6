"""Turn the Book model's people into credits: the title page's lines ("By …", "Edited by …",
"Translated by …"), the EPUB package's creators and contributors with their MARC roles, and which
bylines may link to a bio."""
from __future__ import annotations

from .. import model as m
from ..people import ROLES, creators, credit_people, translators_of

#: Title-page credits in order: (class of the line, label key, class of the label).
CREDITS = (("authors", "written_by", "written-by"), ("editors", "edited_by", "edited-by"),
           ("translators", "translated_by", "translated-by"), ("illustrators", "illustrated_by", "illustrated-by"),
           ("foreword", "foreword_by", "foreword-by"))


def names(people, labels) -> str:
    """"A", "A and B", "A, B and C"; Japanese "A、B、C" (`last_separator` joins the last two)."""
    names = [p.name for p in people]
    if len(names) <= 1:
        return "".join(names)
    last = labels.get("last_separator", f" {labels['and']} ")
    return labels["list_separator"].join(names[:-1]) + last + names[-1]


def credit_lines(book: m.Book, labels: dict, translation: str | None = None) -> list[dict]:
    """The title page's credit lines: {cls, label, label_cls, names, after (the label follows the names)}.
    `translation`: the language whose translators are credited (default: the book's own, when translated)."""
    who = {"authors": book.authors, "editors": book.editors, "translators": translators_of(book, translation),
           "illustrators": credit_people(book, "illustrator"), "foreword": credit_people(book, "foreword")}
    after = bool(labels.get("credit_after", labels.get("edited_by_after")))
    return [{"cls": cls, "label": labels.get(key, ""), "label_cls": label_cls, "names": names(who[cls], labels),
             "after": after, "text": f"{names(who[cls], labels)} {labels.get(key, '')}" if after
             else f"{labels.get(key, '')} {names(who[cls], labels)}"}
            for cls, key, label_cls in CREDITS if who[cls]]


def credit_pairs(book: m.Book, translated: m.Book, labels: dict, labels_tr: dict) -> list[tuple]:
    """A bilingual title page's credits: (the original's line, the translation's line), each in its
    language's order (編 after the names where the locale says `credit_after`), the translators of
    the translation in both; a role nobody has is no line."""
    tr = {c["cls"]: c for c in credit_lines(translated, labels_tr)}
    return [(c, tr[c["cls"]]) for c in credit_lines(book, labels, translated.language) if c["cls"] in tr]


def bio_shown(book: m.Book):
    """A function: does this edition hold `person`'s bio (a contributors page, and a bio to show)?"""
    page = any(unit.kind == "contributors" for unit in book.units)
    return lambda person: page and bool(person.bio)


def opf_people(book: m.Book, translation: str | None = None) -> list[tuple[str, str, str, str]]:
    """(dc element "creator" or "contributor", id, name, MARC relator) for the EPUB package, each
    person and role once: the book's authors (or, without any, its editors) are its creators.
    `translation`: the language whose translators are credited (default: the book's own)."""
    out, seen = [], set()
    main = {p.id for p in creators(book)}

    def add(person, code, prefix, element=None):
        if (person.id, code) not in seen:
            seen.add((person.id, code))
            out.append((element or ("creator" if person.id in main else "contributor"), f"{prefix}-{person.id}",
                        person.name, code))

    for person in book.authors:
        add(person, "aut", "creator")
    for person in book.editors:
        add(person, "edt", "editor")
    for person in translators_of(book, translation):
        add(person, "trl", "translator", "contributor")
    for person in book.contributors:
        for role in person.roles:
            add(person, ROLES[role], role, "contributor" if role != "author" or person.id not in main else None)
    for unit in book.units:
        for person in unit.authors:
            add(person, "aui" if unit.role == "foreword" else "aut", "author", "contributor")
    return out


def add_to_package(eb, book: m.Book, translation: str | None = None) -> None:
    """Every credited person into the ebooklib package, with `<meta refines property="role">`."""
    for element, ident, name, code in opf_people(book, translation):
        eb.add_metadata("DC", element, name, {"id": ident})
        eb.add_metadata(None, "meta", code, {"refines": f"#{ident}", "property": "role", "scheme": "marc:relators"})
