"""Turn the consecutive fullwidth punctuation of a Japanese HTML document into half-width pairs (JLREQ 3.1.4, 3.1.5).

A fullwidth bracket, comma or full stop is a glyph in half of an em with half an em of space on
one side. Where two meet (「なかで、「私たち」」, 「勢力）」が」) JIS X 4051 and JLREQ set the blank
between them to half an em, not a full one: of the pair, the mark whose blank faces the other is
set half-width, with the font's OpenType `halt` feature (Noto CJK has it, not `chws`), by a
`<span class="halt">` that the print style sheet gives `font-feature-settings: "halt"`:

- a closing bracket, comma or full stop followed by an opening or closing bracket, a comma or a
  full stop: the first (」「 → 」half 「; 、「; 」」; 。」; ）、);
- an opening bracket followed by an opening bracket: the second (「「 → 「 「half).

Line-start brackets (JLREQ 3.1.5): the opening bracket that begins a paragraph (or list item,
heading, cell) is set half-width too, so that it stands where the paragraph's first character
stands: one em in (全角下がり) in an indented paragraph, flush in an unindented block. A bracket
that begins a wrapped line keeps its full width (二分下がり), which JLREQ also allows and which
needs no knowledge of the line breaks.

Only Japanese text (lang="ja", inherited) of a Japanese or bilingual document is touched (Chinese
sets its punctuation otherwise; the English edition is left as it is), and only text between tags;
the two marks may be in two text nodes with inline tags between (`」</em>「`), never across a
block's edge. Run before publish.render.kinsoku (its joiners). The PDF (publish.render.pdf), the HTML
editions (publish.render.html, .bilingual) and the EPUBs (publish.render.epub) all use it; each style
sheet gives `.halt` the font's `halt` feature (`vhal` in a vertical edition, css/vertical.css).
"""
from __future__ import annotations

import re

OPENING = "「『（〔［｛〈《【〘〖〝"
CLOSING = "」』）〕］｝〉》】〙〗〟"
STOPS = "、。，．"
JOINER = "\u2060"
HALT = '<span class="halt">{}</span>'
_TAG = re.compile(r"(<[^>]*>)")
_INLINE = re.compile(r"</?(?:span|a|em|strong|b|i|small|abbr|cite|q|s|u|mark|bdi|bdo|data|time|var|dfn|ruby|rb)\b", re.I)
_BLOCK = re.compile(r"<(?:p|li|dd|dt|h[1-6]|td|th|figcaption|caption|blockquote)\b", re.I)
_OPEN = re.compile(r"<([a-zA-Z][\w-]*)([^>]*?)(/?)>")
_LANG = re.compile(r"""\slang=["']([^"']*)""")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _languages(parts: list[str], root: str) -> list[str]:
    """The language of every text part (its nearest element's lang, inherited), by part index."""
    stack, out = [root], []
    for k, part in enumerate(parts):
        if not k % 2:
            out.append(stack[-1])
            continue
        if part.startswith("</"):
            if len(stack) > 1:
                stack.pop()
        elif (tag := _OPEN.match(part)) and not tag.group(3) and tag.group(1).lower() not in VOID:
            lang = _LANG.search(tag.group(2))
            stack.append(lang.group(1) if lang else stack[-1])
        out.append(stack[-1])
    return out


def halted(a: str, b: str) -> int | None:
    """Which of two adjacent marks is set half-width: 0 (the first), 1 (the second), or None."""
    if a in CLOSING + STOPS and b in OPENING + CLOSING + STOPS:
        return 0
    if a in OPENING and b in OPENING:
        return 1
    return None


def apply(html: str, bilingual: bool = False) -> str:
    """The document with every mark JLREQ sets half-width wrapped in a `halt` span; `bilingual`: the
    document is a bilingual edition's page (its root's language is the original's), whose Japanese parts
    are set so too."""
    root = re.search(r"<html\b[^>]*>", html)
    root_lang = _LANG.search(root.group()) if root else None
    root_lang = root_lang.group(1) if root_lang else ""
    if not (root_lang.startswith("ja") or ((bilingual or (root and "bilingual" in root.group())) and 'lang="ja' in html)):
        return html  # a Japanese document or the bilingual one's Japanese side; an English one is left as it is
    match = re.search(r"<body\b[^>]*>", html)
    head, body = (html[:match.end()], html[match.end():]) if match else ("", html)
    parts = _TAG.split(body)
    japanese = [lang.lower().startswith("ja") for lang in _languages(parts, _LANG.search(match.group()).group(1)
                if match and _LANG.search(match.group()) else root_lang)]
    marks = set()  # (part, index) of every character set half-width
    previous = None  # (part, index, character) of the last visible character, if adjacent
    start = False  # the next visible character begins a block
    for k, part in enumerate(parts):
        if k % 2:
            if _BLOCK.match(part):
                start, previous = True, None
            elif not _INLINE.match(part):
                start, previous = False, None
            continue
        for i, ch in enumerate(part):
            if ch == JOINER:
                continue
            if ch.isspace():
                previous = None
                continue
            if start and ch in OPENING and japanese[k]:
                marks.add((k, i))
            start = False
            if previous is not None:
                which = halted(previous[2], ch)
                if which is not None and japanese[previous[0]] and japanese[k]:
                    marks.add((previous[0], previous[1]) if which == 0 else (k, i))
            previous = (k, i, ch)
    if not marks:
        return html
    for k in {k for k, _ in marks}:
        parts[k] = "".join(HALT.format(ch) if (k, i) in marks else ch for i, ch in enumerate(parts[k]))
    return head + "".join(parts)
