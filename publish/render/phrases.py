"""Turn the Japanese and Chinese headings and titles of an HTML document into text that wraps only between phrases.

A Japanese typesetter breaks a heading between phrases (文節), never inside one: 「スティムソン・センターに
ついて」, not 「…センターにつ／いて」. Google's BudouX (a maintained phrase segmenter with ja, zh-Hans and
zh-Hant models) finds the phrases of each heading's Japanese or Chinese text (across its inline tags);
then, for
- a browser or reading system (HTML, EPUB): a `<wbr>` between two phrases; the style sheets give
  headings and titles `word-break: keep-all` (no break between CJK characters but at a `<wbr>`) and
  `overflow-wrap: anywhere` (a phrase longer than the line still breaks);
- the PDF (WeasyPrint has no `keep-all`): a WORD JOINER (U+2060, no break either side) between two
  characters of one phrase, as publish.render.kinsoku does; print.css gives headings and titles
  `overflow-wrap: anywhere`, which lets WeasyPrint break a phrase that does not fit a whole line.
Touched: h1–h6, the elements whose class names a title (TITLES) and the contents lists (class
`toc`); only text between tags, only in the body (the head's <title> is the PDF's metadata).
"""
from __future__ import annotations

import re
from html import unescape
from functools import cache

import budoux

from .jlreq import _OPEN, _TAG, _languages, VOID
from .kinsoku import JOINER

TITLES = {"title", "subtitle", "half-title-text", "toc-title", "toc-authors", "cover-title", "cover-subtitle",
          "back-cover-title", "site-title", "bl-title", "bl-subtitle", "spine-title", "list-title", "toc"}
_HEADING = re.compile(r"h[1-6]$", re.I)
_CLASS = re.compile(r"""\sclass=["']([^"']*)""")
_UNIT = re.compile(r"&#?\w+;|.", re.S)
_INLINE = re.compile(r"</?(?:span|a|em|strong|b|i|small|abbr|cite|q|s|u|mark|bdi|bdo|data|time|var|dfn)\b", re.I)


@cache
def parser(lang: str):
    """BudouX's parser for a language tag, or None for a language it has no model of."""
    lang = lang.lower()
    if lang.startswith("ja"):
        return budoux.load_default_japanese_parser()
    if lang.startswith("zh"):
        traditional = any(t in lang for t in ("hant", "-tw", "-hk", "-mo"))
        return budoux.load_default_traditional_chinese_parser() if traditional else budoux.load_default_simplified_chinese_parser()
    return None


def _titled(tag: re.Match) -> bool:
    cls = _CLASS.search(tag.group(2))
    return bool(_HEADING.match(tag.group(1))) or bool(cls and TITLES & set(cls.group(1).split()))


def _runs(parts: list[str], langs: list[str]):
    """Every run of text parts of one CJK language inside a heading or title, unbroken by a block
    tag: lists of part indexes (even indexes: text)."""
    stack: list[bool] = []  # per open element: inside a heading or title
    run, run_lang = [], None
    for k, part in enumerate(parts):
        if k % 2:
            tag = _OPEN.match(part)
            if part.startswith("</"):
                if stack:
                    stack.pop()
            elif tag and not tag.group(3) and tag.group(1).lower() not in VOID:
                stack.append((bool(stack) and stack[-1]) or _titled(tag))
            if not _INLINE.match(part) and run:
                yield run, run_lang
                run, run_lang = [], None
            continue
        if not part:
            continue
        lang = langs[k] if stack and stack[-1] and parser(langs[k]) else None
        if run and lang != run_lang:
            yield run, run_lang
            run, run_lang = [], None
        if lang:
            run.append(k)
            run_lang = lang
    if run:
        yield run, run_lang


def _bounds(text: str, lang: str) -> set[int]:
    """The offsets in `text` where one phrase ends and the next begins."""
    bounds, at = set(), 0
    for phrase in parser(lang).parse(text.replace(JOINER, " ")):
        at += len(phrase)
        bounds.add(at)
    return bounds


def apply(html: str, joiners: bool = False) -> str:
    """The document with its CJK headings and titles broken only between phrases: `<wbr>` at every
    phrase boundary (`<wbr/>` in XHTML), or, with `joiners` (the PDF), U+2060 inside phrases."""
    match = re.search(r"<body\b[^>]*>", html)
    if match is None or not re.search(r"""lang=["'](?:ja|zh)""", html, re.I):
        return html
    root = re.search(r"""<html\b[^>]*\slang=["']([^"']*)""", html)
    head, body = html[:match.end()], html[match.end():]
    parts = _TAG.split(body)
    langs = _languages(parts, root.group(1) if root else "")
    inserts: dict[int, dict[int, str]] = {}  # part -> {index: text to put before that character}
    wbr = "<wbr/>" if html.lstrip().startswith("<?xml") else "<wbr>"
    for run, lang in _runs(parts, langs):
        units = {k: _UNIT.findall(parts[k]) for k in run}  # a character or an entity (&amp;)
        where = [(k, i) for k in run for i in range(len(units[k]))]
        text = "".join(unescape(u) if len(u) > 1 else u for k in run for u in units[k])
        if len(text) != len(where):  # an entity of more than one character: leave the run as it is
            continue
        bounds = _bounds(text, lang)
        for j in range(1, len(text)):
            if text[j - 1].isspace() or text[j].isspace() or JOINER in (text[j - 1], text[j]):
                continue
            if joiners != (j in bounds):  # a joiner inside a phrase, a <wbr> between two
                k, i = where[j]
                inserts.setdefault(k, {})[i] = JOINER if joiners else wbr
    for k, at in inserts.items():
        parts[k] = "".join(at.get(i, "") + u for i, u in enumerate(_UNIT.findall(parts[k])))
    return head + "".join(parts)
