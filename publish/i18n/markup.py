"""Turn model inlines into the Markdown a translator edits (and back, through the normal reader)."""
from __future__ import annotations

import re

from .. import model as m

SPECIAL = re.compile(r"([\\*_\[\]^~<>`{}])")
BLOCK_START = re.compile(r"^(#|[-+>]\s|\d+[.)]\s)")
ATTR_BARE = re.compile(r"[^\s\"'{}=<>`\\]+")  # an attribute value pandoc reads without quotes


def escape(text: str) -> str:
    text = SPECIAL.sub(r"\\\1", text)
    return "\\" + text if BLOCK_START.match(text) else text


def to_markup(items, at_start: bool = True) -> str:
    out = []
    for item in items:
        if isinstance(item, m.Text):
            out.append(escape(item.text) if at_start and not out else SPECIAL.sub(r"\\\1", item.text))
        elif isinstance(item, m.Styled):
            mark = {"emph": "*", "strong": "**", "sup": "^", "sub": "~", "strike": "~~"}.get(item.style)
            inner = to_markup(item.children, False)
            out.append(f"{mark}{inner}{mark}" if mark else f"[{inner}]{{.smallcaps}}")
        elif isinstance(item, m.Code):
            out.append(f"`{item.text}`")
        elif isinstance(item, m.Link):
            inner = to_markup(item.children, False)
            out.append(f"<{item.url}>" if inner == SPECIAL.sub(r"\\\1", item.url) else f"[{inner}]({item.url})")
        elif isinstance(item, m.Lang):
            out.append(f"[{to_markup(item.children, False)}]{{lang={item.lang}}}")
        elif isinstance(item, m.Abbr):
            out.append(f"[{to_markup(item.children, False)}]{{.abbr}}")
        elif isinstance(item, m.Ruby):
            out.append(ruby_markup(item))
        elif isinstance(item, m.NoteRef):
            out.append(f"^{item.number}^")
        elif isinstance(item, m.Break):
            out.append("\\\n")
    return "".join(out)


def ruby_markup(ruby: m.Ruby) -> str:
    """`[漢字]{ruby=かんじ}` (group) or `[漢字]{ruby="かん じ"}` (one reading per character)."""
    return "[" + SPECIAL.sub(r"\\\1", ruby.base) + "]" + ruby_attr(ruby)


def ruby_attr(ruby: m.Ruby) -> str:
    """The attribute part of ruby's markup: `{ruby=かんじ}`, `{ruby="かん じ"}`."""
    reading = " ".join(reading for _, reading in ruby.pairs)
    if ATTR_BARE.fullmatch(reading):
        return f"{{ruby={reading}}}"
    return f"{{ruby='{reading}'}}" if '"' in reading else f'{{ruby="{reading}"}}'  # pandoc has no escape there


def skeleton(items) -> tuple:
    """What a translation must keep: endnote numbers in order, link targets, language spans."""
    notes, links, langs = [], [], []

    def walk(seq):
        for item in seq:
            if isinstance(item, m.NoteRef):
                notes.append(item.number)
            elif isinstance(item, m.Link):
                links.append(item.url)
            elif isinstance(item, m.Lang) and not item.fallback:
                langs.append(item.lang)
            if hasattr(item, "children"):
                walk(item.children)

    walk(items)
    return tuple(notes), tuple(sorted(links)), tuple(sorted(langs))
