"""Turn verse, epigraphs, definition lists and section breaks into Word (styles Verse, Epigraph, Epigraph
Attribution; Word's definition list styles) and back into the manuscript's fenced divs."""
from __future__ import annotations

from .. import model as m
from . import markdown as md

NBSP = "\u00a0"
STYLES = {"Verse", "Epigraph", "Epigraph Attribution", "Section Break"}


def write_block(writer, b) -> list | None:
    """The pandoc blocks of a model block the main writer does not know, or None."""
    div = lambda style, blocks: {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}
    if isinstance(b, m.SectionBreak):  # pandoc's reader does not read back its own horizontal rule
        return [div("Section Break", [{"t": "Para", "c": [{"t": "Str", "c": "* * *"}]}])]
    if isinstance(b, m.Verse):  # a stanza a paragraph, a line a line break; leading spaces as no-break spaces
        stanzas = []
        for stanza in b.stanzas:
            lines = [x for i, line in enumerate(stanza) for x in ([{"t": "LineBreak"}] if i else []) + (
                [{"t": "Str", "c": NBSP * line.indent}] if line.indent else []) + writer.inlines(line.content)]
            stanzas.append({"t": "Para", "c": lines})
        return [div("Verse", stanzas)]
    if isinstance(b, m.Epigraph):
        return [div("Epigraph", writer.blocks(b.blocks))] + (
            [div("Epigraph Attribution", writer.blocks(b.attribution))] if b.attribution else [])
    if isinstance(b, m.DefList):
        return [{"t": "DefinitionList", "c": [[writer.inlines(term.content), [writer.blocks(d) for d in defs]]
                                              for term, defs in b.items]}]
    return None


def read_group(mapper, style: str, nodes: list) -> str:
    """A run of Word paragraphs in one of STYLES as the manuscript's fenced div."""
    if style == "Section Break":
        return "* * *"
    if style == "Verse":
        stanzas = []
        for node in nodes:
            for block in mapper.blocks(mapper.unstyled(node)["c"][1]):
                lines = [line.replace(NBSP, " ") if line.lstrip(NBSP) != line else line for line in block.split("\\\n")]
                stanzas.append("\n".join(_indented(line) for line in lines))
        return md.fence("verse", "\n\n".join(stanzas))
    quote = [b for n in nodes if mapper.block_style(n) == "Epigraph" for b in mapper.blocks(mapper.unstyled(n)["c"][1])]
    source = [b for n in nodes if mapper.block_style(n) == "Epigraph Attribution"
              for b in mapper.blocks(mapper.unstyled(n)["c"][1])]
    return md.fence("epigraph", "\n\n".join(quote + ([md.fence("attribution", "\n\n".join(source))] if source else [])))


def _indented(line: str) -> str:
    stripped = line.lstrip(NBSP + " ")
    return " " * (len(line) - len(stripped)) + stripped


def definition_list(mapper, items) -> str:
    out = []
    for term, definitions in items:
        text = md.paragraph(mapper.inlines(term)).replace("\\\n", " ")
        out.append(text + "\n" + "\n".join(md.indent("\n\n".join(mapper.blocks(d)), "  ", ": ") for d in definitions))
    return "\n\n".join(out)
