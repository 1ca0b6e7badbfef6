"""Turn book.yaml's `notes:` mode into the print edition's template globals: where notes go, running heads."""
from __future__ import annotations

import re

from markupsafe import Markup

from .. import model as m
from ..notes import back_href, notes_of, notes_unit
from .footnotes import groups


def css_string(text: str) -> str:
    """Text as a CSS string literal, safe inside a <style> element."""
    return '"' + re.sub(r'["\\<>&\n]', lambda c: f"\\{ord(c.group()):x} ", text) + '"'


def notes_head(label: str) -> Markup:
    """The CSS `content` of the Notes section's running head: "Notes to pages {first}–{last}", where
    {first} is the page of the first reference whose note is on the page, {last} that of the last."""
    parts = re.split(r"(\{first\}|\{last\})", label)
    values = {"{first}": "string(notes-first, first)", "{last}": "string(notes-last, last)"}
    return Markup(" ".join(values.get(part) or css_string(part) for part in parts if part))


def print_notes(book: m.Book, labels: dict) -> dict:
    """Globals for the print templates: notes_of / back_href as the PDF places notes, and the notes head."""
    collected = notes_unit(book) is not None
    return {"footnote_groups": groups,
            "notes_of": lambda book_, unit: notes_of(book_, unit, in_print=True),
            "back_href": back_href(book, lambda ident: "#" + ident, in_print=True),
            "notes_head": notes_head(labels.get("notes_to_pages", "{first}–{last}")) if collected else None}
