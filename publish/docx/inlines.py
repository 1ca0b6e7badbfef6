"""Turn the inlines of a Word paragraph (pandoc AST) into the manuscript's inline Markdown."""
from __future__ import annotations

import re

from . import markdown as md
from .notelists import regroup
from .reading import STYLED, neutral, _style, stringify

NOTE_MARK = {"footnote reference", "endnote reference", "footnote characters", "endnote characters"}


def inlines(mapper, nodes) -> str:
    out: list[str] = []
    for node in _merged(nodes):
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(md.escape(c))
        elif t in ("Space", "SoftBreak"):
            out.append(" ")
        elif t == "LineBreak":
            out.append("\n")
        elif t in STYLED:
            out.append(md.wrap(inlines(mapper, c), STYLED[t]))
        elif t == "Superscript":
            out.append(md.tight(inlines(mapper, c), "^"))
        elif t == "Subscript":
            out.append(md.tight(inlines(mapper, c), "~"))
        elif t == "SmallCaps":
            out.append(md.wrap(inlines(mapper, c), "[", "]{.smallcaps}"))
        elif t == "Span":
            out.append(span(mapper, c))
        elif t == "Note":
            out.append(note(mapper, c))
        elif t == "Link":
            out.append(link(mapper, c))
        elif t == "Quoted":
            marks = ("“", "”") if c[0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(marks[0] + inlines(mapper, c[1]) + marks[1])
        elif t == "Code":
            ticks = "`" * (max((len(x) for x in re.findall(r"`+", c[1])), default=0) + 1)
            out.append(f"{ticks} {c[1]} {ticks}" if c[1].startswith("`") or c[1].endswith("`") else f"{ticks}{c[1]}{ticks}")
        elif t == "Cite":
            out.append(inlines(mapper, c[1]))
        elif t == "Image":
            mapper.report(f"an image inside a line of text ('{stringify(c[1]) or c[2][0]}'): not imported; "
                          "put the image in a paragraph of its own", "docx-loss")
        elif t == "Math":
            mapper.report(f"an equation ({c[1][:40]}): kept as its TeX text", "docx-loss")
            out.append(md.escape(c[1]))
        elif t == "RawInline":
            mapper.report(f"raw {c[0]} content could not be imported", "docx-loss")
        else:
            mapper.report(f"an inline {t} could not be imported", "docx-loss")
    return "".join(out)


def _merged(nodes):
    """Adjacent runs with the same emphasis as one (Word splits runs anywhere)."""
    out = []
    for node in nodes:
        lang = node["t"] == "Span" and _style(node["c"][0]).startswith("publish-lang-")
        if out and node["t"] in STYLED and out[-1]["t"] == node["t"]:
            out[-1] = {"t": node["t"], "c": out[-1]["c"] + node["c"]}
        elif lang and len(out) > 1 and out[-1]["t"] == "Space" and out[-2]["t"] == "Span" and out[-2]["c"][0] == node["c"][0]:
            space = out.pop()  # a language run that Word split at a space is one span
            out[-1] = {"t": "Span", "c": [node["c"][0], out[-1]["c"][1] + [space] + node["c"][1]]}
        else:
            out.append(node)
    return out


def span(mapper, c) -> str:
    attr, children = c
    style = _style(attr)
    if style == "publish-p":
        mapper.para = int(stringify(children) or 0)
        return ""
    if style in ("publish-item", "publish-table"):  # a numbered paragraph regroup() did not take into a list
        return ""
    if style == "publish-anchor":
        name = stringify(children)
        if not name.startswith("_"):
            mapper.anchors.setdefault(mapper.para, []).append(name)
        return ""
    if style.startswith("publish-lang-"):
        inner = inlines(mapper, children)
        return md.wrap(inner, "[", "]{lang=" + style.removeprefix("publish-lang-") + "}") if inner.strip() else inner
    if style == "Abbreviation":
        return md.wrap(inlines(mapper, children), "[", "]{.abbr}")
    if style.casefold() in NOTE_MARK and not stringify(children).strip():
        return ""
    if not neutral(style):
        mapper.report(f"the character style '{style}' has no meaning in the manuscript format: its text is kept "
                      "without it", "docx-form", loss=False)
    return inlines(mapper, children)


def note(mapper, blocks) -> str:
    mapper.notes.append("")
    number, saved = len(mapper.notes), mapper.para
    mapper.notes[number - 1] = "\n\n".join(mapper.blocks(regroup(_strip_mark(blocks)))) or "\\"
    mapper.para = saved
    return f"^{number + mapper.note_start - 1}^"


def _strip_mark(blocks):
    """The note's own number (Word puts a reference mark at its start) is not its text."""
    if not blocks:
        return blocks
    first = blocks[0]
    if first["t"] == "Div":
        return [{"t": "Div", "c": [first["c"][0], _strip_mark(first["c"][1])]}] + blocks[1:]
    if first["t"] in ("Para", "Plain"):
        nodes = list(first["c"])
        while nodes and (nodes[0]["t"] in ("Space", "SoftBreak") or (
                nodes[0]["t"] == "Span" and _style(nodes[0]["c"][0]).casefold() in NOTE_MARK)):
            nodes.pop(0)
        return [{"t": first["t"], "c": nodes}] + blocks[1:]
    return blocks


def link(mapper, c) -> str:
    _attr, children, (url, _title) = c
    text = inlines(mapper, children)
    if not text.strip():
        mapper.report(f"a link to '{url}' without text: not imported", "docx-loss")
        return ""
    if url.startswith("#_"):
        mapper.report(f"a link to Word's hidden bookmark '{url[1:]}' (a cross-reference): kept as text", "docx-loss")
        return text
    if re.search(r"[\s()<>]", url):
        url = "<" + re.sub(r"\s", "%20", url).replace("<", "%3C").replace(">", "%3E") + ">"
    return f"[{text}]({url})"
