"""Turn nested model blocks into flat iterations: every block, every inline, the plain text."""
from __future__ import annotations

from . import model as m


def blocks_of(blocks):
    """Every block, depth first, including those inside lists, takeaways, figures and tables."""
    for block in blocks:
        yield block
        if isinstance(block, m.ListBlock):
            for item in block.items:
                yield from blocks_of(item)
        elif isinstance(block, m.Takeaways):
            yield block.heading
            yield from blocks_of(block.blocks)
        elif isinstance(block, m.Quote):
            yield from blocks_of(block.blocks)
        elif isinstance(block, m.Signature):
            yield from block.lines
        elif isinstance(block, m.Figure):
            yield from (p for p in (block.caption, *block.panels, block.note, block.source) if p)
        elif isinstance(block, m.Table):
            if block.caption:
                yield block.caption
            for row in block.head + block.body + block.foot:
                for cell in row:
                    yield from blocks_of(cell.blocks)
        elif isinstance(block, m.Verse):
            for stanza in block.stanzas:
                yield from stanza
        elif isinstance(block, m.Epigraph):
            yield from blocks_of(block.blocks + block.attribution)
        elif isinstance(block, m.DefList):
            for term, definitions in block.items:
                yield term
                for definition in definitions:
                    yield from blocks_of(definition)


def field_blocks(book):
    """Every block of book.yaml's Markdown fields: bios, abbreviations, imprint, cover credit, back cover…"""
    paras = (*book.imprint, book.cover_credit, *(a.expansion for a in book.abbreviations),
             *(para for _lang, para in book.translation_notes))
    yield from blocks_of(tuple(p for p in paras if p is not None))
    yield from blocks_of(book.back_cover)
    for person in book.contributors:
        yield from blocks_of(person.bio)


def inlines_of(block):
    """Every inline of a Para or Heading, depth first."""
    yield from _inlines(getattr(block, "content", ()))


def _inlines(items):
    for item in items:
        yield item
        if hasattr(item, "children"):
            yield from _inlines(item.children)


def map_paras(blocks, fn):
    """The same blocks, with every Heading's and Para's content replaced by fn(block)."""
    from dataclasses import replace

    def one(block):
        if isinstance(block, (m.Heading, m.Para)):
            return replace(block, content=fn(block))
        if isinstance(block, m.ListBlock):
            return replace(block, items=tuple(map_paras(item, fn) for item in block.items))
        if isinstance(block, m.Takeaways):
            return replace(block, heading=one(block.heading), blocks=map_paras(block.blocks, fn))
        if isinstance(block, m.Quote):
            return replace(block, blocks=map_paras(block.blocks, fn))
        if isinstance(block, m.Signature):
            return replace(block, lines=map_paras(block.lines, fn))
        if isinstance(block, m.Figure):
            parts = {k: one(getattr(block, k)) if getattr(block, k) else None for k in ("caption", "note", "source")}
            return replace(block, panels=map_paras(block.panels, fn), **parts)
        if isinstance(block, m.Table):
            rows = lambda rs: tuple(tuple(replace(cell, blocks=map_paras(cell.blocks, fn)) for cell in row) for row in rs)
            return replace(block, head=rows(block.head), body=rows(block.body), foot=rows(block.foot),
                           caption=one(block.caption) if block.caption else None)
        if isinstance(block, m.Verse):
            return replace(block, stanzas=tuple(map_paras(stanza, fn) for stanza in block.stanzas))
        if isinstance(block, m.Epigraph):
            return replace(block, blocks=map_paras(block.blocks, fn), attribution=map_paras(block.attribution, fn))
        if isinstance(block, m.DefList):
            return replace(block, items=tuple((one(term), tuple(map_paras(d, fn) for d in definitions))
                                              for term, definitions in block.items))
        return block

    return tuple(one(b) for b in blocks)


def plain(items) -> str:
    """The text of inlines, without markup (for titles, alt text, metadata)."""
    out = []
    for item in items:
        if isinstance(item, (m.Text, m.Code)):
            out.append(item.text)
        elif isinstance(item, m.NoteRef):
            continue
        elif isinstance(item, m.Break):
            out.append(" ")
        elif isinstance(item, m.Ruby):
            out.append(item.base)  # the reading is not part of a title or a search text
        elif hasattr(item, "children"):
            out.append(plain(item.children))
    return "".join(out)
