"""Turn the text of an HTML document into text whose line breaks obey Japanese kinsoku shori.

No line may start with closing or small characters (、。，．」』）】〕ー・ small kana …) nor end
with opening brackets (「『（【〔 …). Pango's line breaking (UAX #14) mostly agrees, but not for
every character and every mode, so the print edition makes it hold: a WORD JOINER (U+2060), which
forbids a break on either side, goes before every character that may not start a line and after
every one that may not end a line. Only text between tags is touched, never markup, and only in the
body: the head's <title> is the PDF's /Title and XMP dc:title, which carry no layout controls; nor do
the bookmarks made from the laid-out headings (`release_bookmarks`).
"""
from __future__ import annotations

import re

NO_START = "、。，．」』）】〕〉》］｝’”ー・ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々！？：；‼⁇"
NO_END = "「『（【〔〈《［｛‘“"
JOINER = "\u2060"
# At a text node's edge (next to a tag: `</em>”`, `“<span lang="en">`) the neighbour is in another
# node: the joiner goes there too, or the break between the two boxes is left open.
_BEFORE = re.compile(f"(?:(?<=[^\\s{JOINER}])|^)([{re.escape(NO_START)}])")
_AFTER = re.compile(f"([{re.escape(NO_END)}])(?=[^\\s{JOINER}]|$)")
_TEXT = re.compile(r">([^<]+)<")


def hold(text: str) -> str:
    return _AFTER.sub(lambda m: m.group(1) + JOINER, _BEFORE.sub(lambda m: JOINER + m.group(1), text))


def _node(text: str) -> str:
    # An ideographic space alone between two tags (a caption's `図 1</span>　<span>`) would be a text
    # box of white space only, which WeasyPrint does not draw: a joiner keeps it in the PDF's text.
    return JOINER + text if text == "\u3000" else hold(text)


def apply(html: str) -> str:
    """The document with kinsoku joiners in every text node of its body (all of it, for a fragment)."""
    head, body = html.split("<body", 1) if "<body" in html else ("", html)
    return head + ("<body" if head else "") + _TEXT.sub(lambda m: ">" + _node(m.group(1)) + "<", body)


def release(text: str) -> str:
    """The text without the joiners `apply` put in it."""
    return text.replace(JOINER, "")


def release_bookmarks(document) -> None:
    """A laid-out WeasyPrint document's bookmark labels (the PDF outline) without joiners."""
    for page in document.pages:
        page.bookmarks = [(level, release(label), *rest) for level, label, *rest in page.bookmarks]
