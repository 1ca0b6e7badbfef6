"""Turn the URLs a print document shows as link text into URLs that break where a typesetter breaks them.

A URL's own hyphen must never end a line (a reader would take it for a hyphenation hyphen and drop
it), and a long URL must break somewhere: after `//`, and before a single slash, a full stop, `?`,
`#`, `&`, `=` or `_` that a word follows (The Chicago Manual of Style, 6.80 and 14.18). A WORD
JOINER (U+2060) after each hyphen forbids the one; a ZERO WIDTH SPACE (U+200B) makes the other.
Both are invisible; the link's target (`href`) is untouched, and the tagged PDF's text drops them
(publish/render/pdflang.py). Only the text of `<a href="http…">` elements is changed.
"""
from __future__ import annotations

import html as htmllib
import re

from markupsafe import escape

JOINER, ZWSP = "\u2060", "\u200b"
_LINK = re.compile(r'(<a\b[^>]*\bhref="(?:https?:|www\.)[^"]*"[^>]*>)([^<]+)(</a>)')
_URL = re.compile(r"^(?:https?://|www\.)\S+$")
_BEFORE = re.compile(r"(?<=[^/\s])(?=[/.?#&=_](?=\w))")


def breakable(url: str) -> str:
    """The text of a URL with its break points marked (see the module docstring)."""
    head, sep, rest = url.partition("//")
    if not sep:
        head, rest = "", url
    rest = _BEFORE.sub(ZWSP, rest).replace("-", "-" + JOINER)
    return head + sep + (ZWSP if sep else "") + rest


def apply(document: str) -> str:
    """An HTML document whose links that show a URL show it breakable."""
    def one(match):
        text = htmllib.unescape(match.group(2))
        if not _URL.match(text.strip()):
            return match.group()
        return match.group(1) + str(escape(breakable(text))) + match.group(3)

    return _LINK.sub(one, document)
