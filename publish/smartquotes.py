"""Turn a book's straight quotes, apostrophes and dashes into typographic ones (book.yaml `typography: smart`).

Applied to the model of each edition just before it is rendered (publish/build.py), so every edition
(HTML, PDF, EPUB, the translations' text) shows the same marks, while the manuscript, the parallel-text
segments ('en:' as written) and the checks see the text as written. Only text changes: code, link
targets and URLs written in the text keep every character. In a run of inline text (a paragraph,
across emphasis and links):
  "…"  → “…”  opening after a space, an opening bracket or quote, or a dash; else closing
  '…'  → ‘…’  the same, but an apostrophe (it's, Japan's, the '90s, experts') is ’
  5'11"  → 5′11″  primes after a digit (a double quote after a digit closes an open quotation first)
  ---  → —, --  → –, a hyphen with a space on each side → – (spaced en dash)
"""
from __future__ import annotations

import dataclasses
import re

from . import model as m

INLINE_TYPES = (m.Text, m.Styled, m.Code, m.Link, m.Lang, m.NoteRef, m.Break, m.Abbr, m.Ruby)
URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.IGNORECASE)
OPENERS = set(" \t\n([{‘“—–-/\u00a0\u2060")
OPAQUE = "\ufffc"  # stands for a note reference, a code span: something that is not a space


def smarten_book(book: m.Book) -> m.Book:
    """The book with typographic quotes and dashes in all its text (its `original`, if any, too)."""
    original = smarten_book(book.original) if book.original is not None else None
    return dataclasses.replace(_walk(book), original=original) if original else _walk(book)


def _walk(value):
    if isinstance(value, tuple):
        if value and any(isinstance(v, INLINE_TYPES) for v in value):
            return smarten(value)
        return tuple(_walk(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, (type, m.Pos, m.Code, m.CodeBlock)):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name == "original":
                continue
            old = getattr(value, f.name)
            new = _walk(old)
            if new is not old and new != old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def smarten(inlines: tuple) -> tuple:
    """A run of inlines with its quotes and dashes made typographic (quotes decided across its nodes)."""
    leaves: list = []
    _leaves(inlines, leaves)
    joined = "".join(text if kind == "text" else OPAQUE if kind == "opaque" else " " for kind, text in leaves)
    new = _quotes(joined)
    out, at = {}, 0
    for i, (kind, text) in enumerate(leaves):
        if kind == "text":
            out[i] = _dashes(new[at:at + len(text)])
        at += len(text) if kind == "text" else 1
    counter = iter(range(len(leaves)))
    return _rebuild(inlines, out, counter)


def _leaves(inlines, leaves):
    for node in inlines:
        if isinstance(node, m.Text):
            leaves.append(("text", node.text))
        elif isinstance(node, (m.Code, m.NoteRef)):
            leaves.append(("opaque", ""))
        elif isinstance(node, m.Break):
            leaves.append(("space", ""))
        elif hasattr(node, "children"):
            _leaves(node.children, leaves)
        else:
            leaves.append(("opaque", ""))


def _rebuild(inlines, out, counter):
    result = []
    for node in inlines:
        if isinstance(node, (m.Text, m.Code, m.NoteRef, m.Break)) or not hasattr(node, "children"):
            i = next(counter)
            result.append(m.Text(out[i]) if isinstance(node, m.Text) and out[i] != node.text else node)
        else:
            result.append(dataclasses.replace(node, children=_rebuild(node.children, out, counter)))
    return tuple(result)


def _quotes(text: str) -> str:
    protected = set()
    for url in URL.finditer(text):
        protected.update(range(url.start(), url.end()))
    chars, double_open = list(text), False
    for i, c in enumerate(chars):
        if c not in "'\"" or i in protected:
            continue
        before = chars[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opening = before in OPENERS or before in "“‘" and c != before
        if c == "'":
            if before.isdigit() and after.isdigit():
                chars[i] = "′"
            elif opening and not re.match(r"\d0s\b|\d\ds\b", text[i + 1:i + 5]) and not after.isspace():
                chars[i] = "‘"
            else:
                chars[i] = "’"
        else:
            if before.isdigit() and not double_open:
                chars[i] = "″"
            elif opening and not after.isspace():
                chars[i], double_open = "“", True
            else:
                chars[i], double_open = "”", False
    return "".join(chars)


def _dashes(text: str) -> str:
    if "-" not in text:
        return text
    parts, at = [], 0
    for url in URL.finditer(text):
        parts.append(_dash(text[at:url.start()]))
        parts.append(url.group())
        at = url.end()
    parts.append(_dash(text[at:]))
    return "".join(parts)


def _dash(text: str) -> str:
    return text.replace("---", "—").replace("--", "–").replace(" - ", " – ")
