"""Turn pandoc's prose structures (breaks, list labels, verse, epigraphs, definition lists, marked spans) into model blocks.

Called from `convert.Converter` (one or two lines each); `conv` is that converter.
"""
from __future__ import annotations

import re

from . import model as m
from .walk import plain

BREAK = re.compile(r"^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")  # a thematic break, as CommonMark defines it
LIST_NODES = {"BulletList", "OrderedList", "Div", "Plain", "Para"}
STYLES = {"DefaultStyle": "Decimal", "Example": "Decimal"}  # pandoc's defaults: numbers
DELIMS = {"DefaultDelim": "Period"}
SPAN_CLASSES = ("smallcaps", "abbr")
NOT_VERSE = {"BulletList": "a list", "OrderedList": "a numbered list", "Header": "a heading", "BlockQuote": "a quotation",
             "Div": "a fenced div", "Table": "a table", "DefinitionList": "a definition list", "HorizontalRule": "a rule"}


# Section breaks ---------------------------------------------------------------------------------
def _hollow(node) -> bool:
    """True if a node holds no text: only lists, wrapper divs and empty paragraphs, as deep as it goes."""
    if isinstance(node, list):
        return all(_hollow(item) for item in node)
    if not isinstance(node, dict):
        return True
    if node.get("t") not in LIST_NODES:
        return False
    c = node.get("c")
    if node["t"] == "Div":
        return _hollow(c[1])
    if node["t"] == "OrderedList":
        return _hollow(c[1])
    return _hollow(c) if c else True


def section_break(conv, items) -> m.SectionBreak | None:
    """`* * *` (or `- - -`), which pandoc's commonmark reader reads as nested empty lists, is a section break."""
    pos = conv.here
    index = pos.line - conv.source.first_line
    line = conv.lines[index] if 0 <= index < len(conv.lines) else ""
    if BREAK.match(line) and _hollow(items):
        return m.SectionBreak(pos)
    return None


# List labels ------------------------------------------------------------------------------------
def list_style(style: dict, delim: dict) -> tuple[str, str]:
    """Pandoc's list number style and delimiter, kept as written (DefaultStyle is decimal, DefaultDelim a period)."""
    return STYLES.get(style["t"], style["t"]), DELIMS.get(delim["t"], delim["t"])


def label(style: str, delim: str, number: int) -> str:
    """The label as written: '(a)', 'ii.', 'A)', '(2)'."""
    if style in ("LowerAlpha", "UpperAlpha"):
        text, n = "", number
        while n > 0:
            n, rest = divmod(n - 1, 26)
            text = chr(ord("a") + rest) + text
        text = text.upper() if style == "UpperAlpha" else text
    elif style in ("LowerRoman", "UpperRoman"):
        text, n = "", number
        for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                               (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while n >= value:
                text, n = text + letters, n - value
        text = text.upper() if style == "UpperRoman" else text
    else:
        text = str(number)
    return {"TwoParens": f"({text})", "OneParen": f"{text})"}.get(delim, f"{text}.")


def single_item_warning(conv, block: m.ListBlock, previous) -> None:
    """A one-item numbered list not starting at 1, right after a paragraph, is most likely a paragraph
    that starts with '(2)': kept as written, and said."""
    if block.ordered and len(block.items) == 1 and block.start != 1 and isinstance(previous, m.Para):
        written = label(block.style, block.delim, block.start)
        conv.warn(f"a list of one item labelled '{written}' after a paragraph: if this is a paragraph that starts "
                  f"with '{written}', write '\\{written}'", "list-single", block.pos)


# Verse ------------------------------------------------------------------------------------------
def _line_of(conv, node) -> int | None:
    """The source line (1-based, within the source) of the first position found in a raw node."""
    if isinstance(node, dict):
        c = node.get("c")
        if node.get("t") == "Span" or node.get("t") == "Div" or node.get("t") == "CodeBlock":
            data = dict(c[0][2]).get("data-pos", "")
            if data:
                return int(data.rsplit("@", 1)[-1].split("-")[0].split(":")[0])
        return _line_of(conv, c)
    if isinstance(node, list):
        for item in node:
            if (found := _line_of(conv, item)) is not None:
                return found
    return None


def _is_break(node) -> bool:
    if node["t"] in ("SoftBreak", "LineBreak"):
        return True
    return node["t"] == "Span" and len(node["c"][1]) == 1 and node["c"][1][0]["t"] in ("SoftBreak", "LineBreak")


def _indent(conv, line: int | None) -> int:
    text = conv.lines[line - 1] if line and 0 < line <= len(conv.lines) else ""
    text = text.expandtabs(4)
    return len(text) - len(text.lstrip(" "))


def _strip(content: tuple) -> tuple:
    out = list(content)
    if out and isinstance(out[0], m.Text):
        out[0] = m.Text(out[0].text.lstrip())
    if out and isinstance(out[-1], m.Text):
        out[-1] = m.Text(out[-1].text.rstrip())
    return tuple(item for item in out if not (isinstance(item, m.Text) and not item.text))


def _verse_line(conv, content: tuple, line: int | None) -> m.VerseLine:
    pos = m.Pos(conv.source.path, conv.source.first_line + line - 1) if line else conv.here
    return m.VerseLine(content, conv.seg("v"), pos, _indent(conv, line))


def verse(conv, children, pos: m.Pos, unwrap) -> m.Verse:
    """`::: verse`: each source line a line, its indentation kept; a blank line separates stanzas."""
    stanzas = []
    for node in unwrap(children):
        conv.control(node)
        if node["t"] in ("Para", "Plain"):
            groups, current = [], []
            for inline in node["c"]:
                if _is_break(inline):
                    groups.append(current)
                    current = []
                else:
                    current.append(inline)
            groups.append(current)
            lines = [_verse_line(conv, _strip(conv.inlines(group)), _line_of(conv, group)) for group in groups if group]
        elif node["t"] == "CodeBlock":  # a stanza whose first line is indented four spaces or more
            first = _line_of(conv, node) or 0
            lines = [_verse_line(conv, (m.Text(text.strip()),), first + i)
                     for i, text in enumerate(node["c"][1].split("\n")) if text.strip()]
        else:
            line = _line_of(conv, node)
            where = m.Pos(conv.source.path, conv.source.first_line + line - 1) if line else pos
            what = NOT_VERSE.get(node["t"], node["t"])
            conv.error(f"a verse block holds lines of text, stanzas separated by a blank line, not {what}: a line "
                       "that starts like a list item or a heading needs a backslash ('\\1.', '\\-', '\\#')",
                       "block-unknown", where)
            continue
        if lines and stanzas and lines[0].pos.line == stanzas[-1][-1].pos.line + 1:
            stanzas[-1] += tuple(lines)  # no blank line between: one stanza (an indented first line, then text)
        elif lines:
            stanzas.append(tuple(lines))
    return m.Verse(tuple(stanzas), pos)


# Epigraphs and definition lists -----------------------------------------------------------------
def epigraph(conv, children, pos: m.Pos, unwrap) -> m.Epigraph:
    """`::: epigraph`: the quotation, then an optional `::: attribution` div (its source)."""
    quote, attribution = [], []
    for node in unwrap(children):
        if node["t"] == "Div" and node["c"][0][1] == ["attribution"]:
            conv.attributes(node["c"][0], classes_ok=True)
            attribution.extend(b for b in conv.blocks(node["c"][1]) if isinstance(b, m.Para))
        else:
            quote.extend(conv.blocks([node]))
    return m.Epigraph(tuple(quote), tuple(attribution), pos)


def definition_list(conv, c) -> m.DefList:
    pos = conv.here
    items = []
    for term, definitions in c:
        term_para = m.Para(conv.inlines(term), conv.seg("dt"), conv.here)
        items.append((term_para, tuple(tuple(conv.blocks(d)) for d in definitions)))
    return m.DefList(tuple(items), pos)


# Marked spans -----------------------------------------------------------------------------------
def marked_span(conv, attr, children):
    """`[text]{.smallcaps}` (small capitals) and `[NATO]{.abbr}` (an abbreviation of book.yaml); else None."""
    ident, classes, pairs = attr
    if len(classes) != 1 or classes[0] not in SPAN_CLASSES:
        return None
    conv.attributes(attr, classes_ok=True)
    content = conv.inlines(children)
    if classes[0] == "smallcaps":
        return [m.Styled("smallcaps", content)]
    return [m.Abbr(plain(content).strip(), content)]
