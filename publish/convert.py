"""Turn one pandoc JSON AST (with source positions) into model blocks, dispatching by node type.

Unknown nodes are never dropped: each becomes a `block-unknown` diagnostic with its line.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from . import convert_ruby, convert_tables, model as m
from . import convert_prose as prose
from .diagnostics import Diagnostic, error, warning
from .urls import SCHEMES, scheme, scheme_allowed
from .walk import plain

FENCE = re.compile(r"^\s*:{3,}\s*$")
OPENER = re.compile(r"^\s*:{3,}\s*\S")
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # what XML 1.0 cannot hold (NUL: read.py)
MARKER = re.compile(r"^\s*(\d+)[.)]")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
STYLES = {"Emph": "emph", "Strong": "strong", "Superscript": "sup", "Subscript": "sub",
          "SmallCaps": "smallcaps", "Strikeout": "strike", "Underline": "emph"}
FIGURE_PARTS = ("caption", "panel", "note", "source")
INTERNAL = ("data-pos",)  # pandoc's own (sourcepos): once on any element


@dataclass(frozen=True)
class Converted:
    """What one source turns into: its blocks, its endnotes, and the problems found."""

    blocks: tuple
    endnotes: tuple
    diagnostics: tuple


def convert(source, unit: str, cache=None, language: str = "en") -> Converted:
    if cache is not None and (hit := cache.get(source)) is not None:
        return hit
    conv = Converter(source, unit, language)
    result = Converted(tuple(conv.blocks(source.ast.get("blocks", []))), tuple(getattr(conv, "endnotes", [])),
                       tuple(conv.diagnostics))
    if cache is not None:
        cache.put(source, result)
    return result


def visible(text: str) -> bool:
    """True if the text shows something: not only spaces and invisible format characters (U+200B…)."""
    return any(not ch.isspace() and unicodedata.category(ch) != "Cf" for ch in text)


def attr_get(attr, key, default=None):
    for name, value in reversed(attr[2]):  # the last, as a dict of the pairs would give
        if name == key:
            return value
    return default


class Converter:
    """Converts the blocks of one source; `unit` names the unit (for ids, segments, notes)."""

    def __init__(self, source, unit: str, language: str = "en"):
        self.source, self.unit = source, unit
        self.cjk_is_foreign = not language.startswith(("ja", "zh", "ko"))
        self.lines = source.text.split("\n")  # not splitlines(): U+2028, U+0085, \f do not end a line
        self.references = "&#" in source.text  # numeric character references: see `control`
        self.diagnostics: list[Diagnostic] = []
        self.counters: Counter = Counter()
        self.refs: Counter = Counter()
        self.here = m.Pos(source.path, source.first_line)
        self.lang_depth = 0
        self.seg_prefix = "p"
        if source.ast.get("meta"):  # pandoc reads a leading '---' YAML block as metadata: it would vanish
            start = next((i for i, text in enumerate(self.lines) if text.strip()), 0)
            self.error("a YAML metadata block ('---' … '---') is not part of the manuscript format: the book's data "
                       "goes in book.yaml", "block-unknown", m.Pos(source.path, source.first_line + start))
        for line in unclosed_fences(self.lines):
            self.error("fenced div is never closed (add a ':::' line)", "block-unclosed",
                       m.Pos(source.path, source.first_line + line - 1))

    # positions and diagnostics ----------------------------------------------------------------
    def position(self, attr) -> m.Pos:
        data = attr_get(attr, "data-pos")
        if data:
            start = data.rsplit("@", 1)[-1].split("-")[0]
            line = int(start.split(":")[0])
            self.here = m.Pos(self.source.path, self.source.first_line + line - 1)
        return self.here

    def error(self, message: str, code: str, pos: m.Pos | None = None):
        pos = pos or self.here
        self.diagnostics.append(error(pos.path, pos.line, message, code))

    def attributes(self, attr, keys=(), ident_ok=False, classes_ok=False) -> int:
        """Report every attribute the format does not define for this element; none is dropped silently.

        `keys`: the key=value attributes it may carry; `ident_ok`: it may carry an id; `classes_ok`:
        its classes are its type (a fenced div's), judged by the caller. Returns the number of problems."""
        pos = self.position(attr)
        ident, classes, pairs = attr
        problems = []
        if ident and not ident_ok:
            problems.append(f"an id ('#{ident}') is allowed only on headings, figures and tables")
        if not classes_ok:
            problems += [f"class '.{name}' is not part of the manuscript format" for name in classes]
        seen = set()
        for key, _value in pairs:
            if (key in seen and key not in INTERNAL) or key not in keys + INTERNAL:
                problems.append(f"attribute '{key}' is not part of the manuscript format")
            seen.add(key)
        for message in problems:
            self.error(message, "attr-unknown", pos)
        return len(problems)

    def warn(self, message: str, code: str, pos: m.Pos | None = None):
        pos = pos or self.here
        self.diagnostics.append(warning(pos.path, pos.line, message, code))

    def control(self, node) -> None:
        """A character XML cannot hold, written as a character reference (`&#xFFFE;`, `&#7;`) in text, a
        link, an image or an attribute (the file itself was checked for them as characters)."""
        if not self.references:
            return  # no `&#` in the text: nothing to look for (most texts; this runs for every node)
        if found := next((hit for text in _own_strings(node.get("c")) if (hit := CONTROL.search(text))), None):
            if node.get("c") and isinstance(node["c"], list) and _is_attr(node["c"][0]):
                self.position(node["c"][0])
            self.error(f"the control character U+{ord(found.group()):04X}, written as a character reference: not text "
                       "(XML, and so HTML and EPUB, cannot hold it)", "file-encoding")
        elif "\ufffd" not in self.source.text and any("\ufffd" in text for text in _own_strings(node.get("c"))):
            self.error("a character reference that names no character (&#0;, a surrogate such as &#xD800;, or beyond "
                       "&#x10FFFF;): it would be shown as U+FFFD", "file-encoding")

    def seg(self, kind: str | None = None) -> str:
        kind = kind or self.seg_prefix
        self.counters[kind] += 1
        if kind.startswith("n"):  # endnote paragraphs: fukuda.n7, fukuda.n7.2
            n = self.counters[kind]
            return f"{self.unit}.{kind}" + (f".{n}" if n > 1 else "")
        return f"{self.unit}.{kind}{self.counters[kind]}"

    # blocks -----------------------------------------------------------------------------------
    def blocks(self, nodes) -> list:
        out = []
        for node in nodes:
            self.control(node)
            method = getattr(self, "block_" + node["t"], None)
            if method is None:
                self.error(f"unknown block type '{node['t']}'", "block-unknown")
                continue
            result = method(node.get("c"))
            if isinstance(result, list):
                out.extend(result)
            elif result is not None:
                out.append(result)
            self.last = (result[-1] if result else None) if isinstance(result, list) else result
        return out

    def block_Div(self, c):
        attr, children = c
        pos = self.position(attr)
        if attr_get(attr, "wrapper") == "1" and not attr[0] and not attr[1]:
            self.attributes(attr, keys=("wrapper",))
            return self.blocks(children)
        classes = attr[1]
        kind = classes[0] if classes else ""
        method = getattr(self, "div_" + kind, None)
        self.attributes(attr, keys=convert_tables.KEYS if kind == "table" else (), ident_ok=kind in ("figure", "table"),
                        classes_ok=True)
        if method is None or len(classes) != 1:
            self.error(f"unknown block type '{' '.join('.' + k for k in classes) or 'div'}'", "block-unknown", pos)
            return self.blocks(children)
        return method(attr, children, pos)

    def block_Header(self, c):
        level, attr, inlines = c
        pos = self.position(attr)
        self.attributes(attr, ident_ok=True)
        ident = attr[0]
        if ident and ("{#" + ident) not in self.lines[pos.line - self.source.first_line]:
            ident = f"{self.unit}-{ident}"  # an automatic id: make it unique across the book
        content = self.inlines(inlines)
        if not visible(plain(content)):
            self.error(f"a level-{level} heading has no text", "heading-empty", pos)
        return m.Heading(level, ident or f"{self.unit}-h{self.counters['h'] + 1}", content, self.seg("h"), pos)

    def block_Para(self, c):
        if len(c) == 1 and c[0]["t"] == "Image" or (len(c) == 1 and c[0]["t"] == "Span" and attr_get(c[0]["c"][0], "wrapper") and len(c[0]["c"][1]) == 1 and c[0]["c"][1][0]["t"] == "Image"):
            return self.image_figure(c[0] if c[0]["t"] == "Image" else c[0]["c"][1][0])
        pos = self.here
        return m.Para(tuple(self.inlines(c)), self.seg(), pos)

    block_Plain = block_Para

    def block_BulletList(self, c, ordered=False, start=1, style=("Decimal", "Period")):
        pos = self.here
        if not ordered and c and (ornament := prose.section_break(self, c[:1])):
            if len(c) == 1:
                return ornament  # `* * *` alone; a list right after it (same marker) is read into it:
            rest = self.block_BulletList(c[1:])  # the break, then that list
            return [ornament, rest]
        saved, self.seg_prefix = self.seg_prefix, ("li" if self.seg_prefix == "p" else self.seg_prefix)
        items = tuple(tuple(self.blocks(item)) for item in c)
        self.seg_prefix = saved
        return m.ListBlock(ordered, start, items, pos, *style)

    def block_OrderedList(self, c):
        (start, style, delim), items = c
        previous = getattr(self, "last", None)
        block = self.block_BulletList(items, True, start, prose.list_style(style, delim))
        prose.single_item_warning(self, block, previous)
        return block

    def block_DefinitionList(self, c):
        return prose.definition_list(self, c)

    def block_BlockQuote(self, c):
        pos = self.here
        return m.Quote(tuple(self.blocks(c)), pos)

    def block_HorizontalRule(self, c):
        return m.SectionBreak(self.here)

    def block_CodeBlock(self, c):
        self.attributes(c[0])
        return m.CodeBlock(c[1], self.position(c[0]))

    def block_LineBlock(self, c):
        return [m.Para(tuple(self.inlines(line)), self.seg(), self.here) for line in c]

    def block_Table(self, c):
        return convert_tables.plain_table(self, c)

    def block_RawBlock(self, c):
        self.error(f"raw {c[0]} '{_shown(c[1].strip())}' is not allowed in a manuscript", "block-unknown")

    def block_Figure(self, c):
        attr, _caption, children = c
        self.attributes(attr, ident_ok=True)
        images = [n for n in _walk(children) if n["t"] == "Image"]
        return self.image_figure(images[0]) if images else None

    # fenced divs with meaning -----------------------------------------------------------------
    def div_takeaways(self, attr, children, pos):
        inner = self.blocks(children)
        if not inner or not isinstance(inner[0], m.Heading):
            self.error("a takeaways block starts with its heading (e.g. '## Key Takeaways')", "heading-skip", pos)
            return inner
        return m.Takeaways(inner[0], tuple(inner[1:]), pos)

    def div_signature(self, attr, children, pos):
        saved, self.seg_prefix = self.seg_prefix, "sig"
        lines = []
        for block in self.blocks(children):
            if isinstance(block, m.Para):
                lines.extend(_split_lines(block, self))
        self.seg_prefix = saved
        return m.Signature(tuple(lines), pos)

    def div_table(self, attr, children, pos):
        return convert_tables.table_div(self, attr, children, pos)

    def div_verse(self, attr, children, pos):
        return prose.verse(self, children, pos, _unwrap)

    def div_epigraph(self, attr, children, pos):
        return prose.epigraph(self, children, pos, _unwrap)

    def div_endnotes(self, attr, children, pos):
        self.endnotes = getattr(self, "endnotes", [])
        lists = [n for n in _unwrap(children) if n["t"] == "OrderedList"]
        others = [n for n in _unwrap(children) if n["t"] != "OrderedList"]
        if others or len(lists) != 1:
            self.error("an endnotes block holds exactly one numbered list", "block-unknown", pos)
        for lst in lists:
            for index, item in enumerate(lst["c"][1]):
                item_pos = self.item_position(item) or pos
                number = self.marker(item_pos) or lst["c"][0][0] + index  # no marker on its line: the list's count
                saved, self.seg_prefix = self.seg_prefix, f"n{number}"
                blocks = tuple(self.blocks(item))
                self.seg_prefix = saved
                self.endnotes.append(m.Endnote(number, blocks, item_pos))
        return None

    def div_figure(self, attr, children, pos):
        parts = {k: [] for k in FIGURE_PARTS}
        for node in _unwrap(children):
            cls = node["c"][0][1] if node["t"] == "Div" else []
            if len(cls) == 1 and cls[0] in parts:
                self.attributes(node["c"][0], classes_ok=True)
                saved, self.seg_prefix = self.seg_prefix, "fig"
                parts[cls[0]].extend(b for b in self.blocks(node["c"][1]) if isinstance(b, m.Para))
                self.seg_prefix = saved
            else:
                self.error("a figure holds only caption, panel, note and source blocks", "block-unknown", pos)
        one = lambda k: parts[k][0] if parts[k] else None
        return m.Figure(attr[0], one("caption"), tuple(parts["panel"]), one("note"), one("source"), None, pos)

    def image_figure(self, image):
        attr, alt_inlines, (src, title) = image["c"]
        self.attributes(attr, ident_ok=True)
        pos = self.here
        saved, self.seg_prefix = self.seg_prefix, "fig"
        caption = m.Para(tuple(self.inlines(alt_inlines)), self.seg(), pos)
        self.seg_prefix = saved
        return m.Figure(attr[0], caption, (), None, None, m.Image(src, title.strip()), pos)

    def item_position(self, item):
        for node in item:
            if node["t"] == "Div" and attr_get(node["c"][0], "data-pos"):
                return self.position(node["c"][0])
            if node["t"] == "Table":  # a note that opens with a table: the table carries the item's position
                return convert_tables.position(self, node["c"][0])
        return None

    def marker(self, pos: m.Pos) -> int:
        line = self.lines[pos.line - self.source.first_line] if pos.line - self.source.first_line < len(self.lines) else ""
        found = MARKER.match(line)
        return int(found.group(1)) if found else 0

    # inlines ----------------------------------------------------------------------------------
    def inlines(self, nodes) -> tuple:
        out: list = []
        for node in nodes:
            self.control(node)
            t = node["t"]
            c = node.get("c")
            if t == "Span" and attr_get(c[0], "wrapper") == "1":
                self.attributes(c[0], keys=("wrapper",))
                out.extend(self.inlines(c[1]))
            elif t == "Str":
                if not self.lang_depth and self.cjk_is_foreign and CJK.search(c):
                    self.warn(f"Chinese or Japanese text '{c}' has no language span", "lang-missing")
                out.append(m.Text(c))
            elif t in ("Space", "SoftBreak"):
                out.append(m.Text(" "))
            elif t == "LineBreak":
                out.append(m.Break())
            elif t == "Superscript" and _digits(c):
                number = int(_digits(c))
                self.refs[number] += 1
                out.append(m.NoteRef(number, self.unit, self.refs[number]))
            elif t in STYLES:
                out.append(m.Styled(STYLES[t], self.inlines(c)))
            elif t == "Code":
                self.attributes(c[0])
                out.append(m.Code(c[1]))
            elif t == "Link":
                out.append(self.link(*c))
            elif t == "Span":
                out.extend(self.span(*c))
            elif t == "Quoted":
                mark = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
                out.extend([m.Text(mark[0]), *self.inlines(c[1]), m.Text(mark[1])])
            elif t == "RawInline":
                self.error(f"raw {c[0]} '{_shown(c[1])}' is not allowed in a manuscript", "block-unknown")
            elif t == "Note":
                self.error("footnotes '[^…]' are not used: write an endnote reference as ^1^", "block-unknown")
            elif t == "Image":
                self.error("an image must stand alone in its paragraph (a figure)", "block-unknown")
            else:
                self.error(f"unknown inline type '{t}'", "block-unknown")
        return _merge(out)

    def span(self, attr, children) -> list:
        """A bracketed span: `[text]{lang=ja}` is a language span, `[漢字]{ruby=かんじ}` ruby (both may go together);
        `{.smallcaps}` and `{.abbr}` mark small capitals and abbreviations (convert_prose); the format gives it no
        other meaning."""
        if (marked := prose.marked_span(self, attr, children)) is not None:
            return marked
        problems = self.attributes(attr, keys=("lang", "ruby"))
        if (reading := attr_get(attr, "ruby")) is not None:
            return convert_ruby.ruby(self, reading, attr_get(attr, "lang"), children)
        if not attr_get(attr, "lang"):
            if not problems:
                self.error("a span '[…]{…}' marks a language: write [text]{lang=ja}", "block-unknown")
            return list(self.inlines(children))
        self.lang_depth += 1
        lang = m.Lang(attr_get(attr, "lang"), self.inlines(children))
        self.lang_depth -= 1
        return [lang]

    def link(self, attr, children, target) -> m.Link:
        """A link: to a place in the book (`#id`) or out of it (http:, https:, mailto:), with text."""
        url, title = target
        pos = self.position(attr)
        self.attributes(attr)
        if title:
            self.error(f"a link title ('{_shown(title)}') is not part of the manuscript format", "attr-unknown", pos)
        if not scheme_allowed(url):
            allowed = ", ".join(s + ":" for s in SCHEMES[:-1]) + f" or {SCHEMES[-1]}:"
            self.error(f"link to '{_shown(url)}' uses the scheme '{scheme(url)}:' (a link goes to an '#id' in the book, "
                       f"or to an {allowed} address)", "link-scheme", pos)
        content = self.inlines(children)
        if not visible(plain(content)):
            self.error(f"link to '{_shown(url)}' has no text: write [text]({_shown(url)})", "link-empty", pos)
        return m.Link(url, content)


def unclosed_fences(lines: list[str]) -> list[int]:
    """Line numbers of fenced-div openers that no ':::' line closes (code blocks skipped)."""
    stack, code = [], None
    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        if code:
            if stripped.startswith(code):
                code = None
            continue
        if stripped.startswith(("```", "~~~")):
            code = stripped[:3]
        elif FENCE.match(line):
            if stack:
                stack.pop()
        elif OPENER.match(line):
            stack.append(number)
    return stack


def _shown(text: str, limit: int = 60) -> str:
    """Text fit for a one-line message: control characters escaped, long text cut."""
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[:limit] + "…"


def _digits(nodes) -> str:
    text = "".join(n.get("c", "") for n in _walk(nodes) if n["t"] == "Str")
    only_str = all(n["t"] in ("Str", "Span") for n in _walk(nodes))
    return text if only_str and text.isdigit() else ""


def _own_strings(value):
    """The strings of a node's content that are its own (text, URL, attributes), not its child nodes'."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if not (isinstance(item, dict) and "t" in item):
                yield from _own_strings(item)


def _is_attr(value) -> bool:
    return isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[2], list)


def _walk(nodes):
    for node in nodes:
        yield node
        c = node.get("c")
        if node["t"] == "Span":
            yield from _walk(c[1])
        elif node["t"] in ("Para", "Plain"):
            yield from _walk(c)
        elif node["t"] == "Div":
            yield from _walk(c[1])


def _unwrap(nodes):
    for node in nodes:
        if node["t"] == "Div" and attr_get(node["c"][0], "wrapper") == "1":
            yield from _unwrap(node["c"][1])
        else:
            yield node


def _merge(items: list) -> tuple:
    out: list = []
    for item in items:
        if isinstance(item, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + item.text)
        else:
            out.append(item)
    return tuple(out)


def _split_lines(para: m.Para, conv: Converter) -> list:
    lines, current = [], []
    for item in para.content:
        if isinstance(item, m.Break):
            lines.append(current)
            current = []
        else:
            current.append(item)
    lines.append(current)
    out = []
    for i, line in enumerate(lines):
        content = _merge(line)
        if content:
            out.append(m.Para(content, para.seg if i == 0 else conv.seg(), m.Pos(para.pos.path, para.pos.line + i)))
    return out
