"""Turn the generated pages (abbreviations, contributors) into Word: a two-column table; names, roles and bios."""
from __future__ import annotations

from .. import model as m

PLAIN = ["", [], []]


def _cell(blocks: list) -> list:
    return [PLAIN, {"t": "AlignDefault"}, 1, 1, blocks]


def abbreviations(writer, book: m.Book | None) -> list:
    """Each abbreviation and what it stands for, a row of a two-column table (no header row)."""
    if book is None or not book.abbreviations:
        return []
    rows = [[PLAIN, [_cell([{"t": "Plain", "c": [{"t": "Str", "c": a.abbr}]}]),
                     _cell([{"t": "Plain", "c": writer.inlines(a.expansion.content)}])]] for a in book.abbreviations]
    return [{"t": "Table", "c": [PLAIN, [None, []], [[{"t": "AlignLeft"}, {"t": "ColWidthDefault"}]] * 2,
                                 [PLAIN, []], [[PLAIN, 0, [], rows]], [PLAIN, []]]}]


def roles(book: m.Book, person: m.Contributor) -> list[str]:
    """What the book says the person did: the units they wrote, editing, their other roles."""
    wrote = [m_plain(u.title) for u in book.units if any(a.id == person.id for a in u.authors)]
    return ([f"author of {', '.join(wrote)}"] if wrote else []) + (
        ["editor"] if any(e.id == person.id for e in book.editors) else []) + list(person.roles)


def m_plain(inlines) -> str:
    from ..walk import plain
    return plain(inlines)


def contributors(writer, book: m.Book | None) -> list:
    """For each contributor with a bio: their name (style Contributor) and roles, then the bio's paragraphs."""
    out = []
    for person in (book.contributors if book is not None else ()):
        if not person.bio:
            continue
        line = [{"t": "Strong", "c": [{"t": "Str", "c": person.name}]}]
        if roles(book, person):
            line += [{"t": "Str", "c": " — " + "; ".join(roles(book, person))}]
        out.append({"t": "Div", "c": [["", [], [["custom-style", "Contributor"]]], [{"t": "Para", "c": line}]]})
        out += writer.blocks(person.bio)
    return out
