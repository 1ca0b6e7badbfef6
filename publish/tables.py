"""Turn the assembled units into numbered tables and figures ("Table 3", "Figure 1", through the book) and the lists of tables and
figures (`generate: tables | figures`), and say when such a list would be empty."""
from __future__ import annotations

from dataclasses import replace

from . import model as m
from .diagnostics import error
from .walk import blocks_of

LISTS = ("tables", "figures")


def number(units: tuple) -> tuple:
    """The units with every captioned table numbered in reading order (text, then its notes); when the book
    lists its figures, every captioned figure without an id gets one (the list links to it)."""
    count, numbered = [0], [0]
    figures = any(u.kind == "figures" for u in units)

    def one(block, unit):
        if isinstance(block, m.Table) and block.caption:
            count[0] += 1
            return replace(block, number=count[0])
        if isinstance(block, m.Figure) and block.caption:
            numbered[0] += 1
            block = replace(block, number=numbered[0])
        if figures and isinstance(block, m.Figure) and block.caption and not block.id:
            count.append(0)
            return replace(block, id=f"{unit.slug}-figure-{len(count) - 1}")
        return block

    out = []
    for unit in units:
        fn = lambda b, unit=unit: one(b, unit)
        notes = tuple(replace(n, blocks=_map(n.blocks, fn)) for n in unit.notes)
        out.append(replace(unit, blocks=_map(unit.blocks, fn), notes=notes))
    return tuple(out)


def _map(blocks, fn) -> tuple:
    def each(block):
        if isinstance(block, m.ListBlock):
            return replace(block, items=tuple(_map(item, fn) for item in block.items))
        if isinstance(block, m.Takeaways):
            return replace(block, blocks=_map(block.blocks, fn))
        if isinstance(block, m.Quote):
            return replace(block, blocks=_map(block.blocks, fn))
        return fn(block)
    return tuple(each(b) for b in blocks)


def listed(book: m.Book, kind: str) -> list:
    """(unit, block) for each entry of the list of tables (numbered tables) or figures (captioned, with an id)."""
    out = []
    for unit in book.units:
        for block in blocks_of(unit.blocks + tuple(b for n in unit.notes for b in n.blocks)):
            if kind == "tables" and isinstance(block, m.Table) and block.number:
                out.append((unit, block))
            elif kind == "figures" and isinstance(block, m.Figure) and block.caption and block.id:
                out.append((unit, block))
    return out


def check_lists(book: m.Book, root=None) -> list:
    """A list of tables or figures in the contents with nothing to list is an error (an empty page otherwise)."""
    what = {"tables": "tables with a caption (a '::: table' div)", "figures": "figures with a caption"}
    return [error(unit.pos.path, unit.pos.line, f"the contents list the book's {unit.kind} ('generate: {unit.kind}'), "
                  f"and it has no {what[unit.kind]}: remove the entry or caption them", "contents-empty")
            for unit in book.units if unit.kind in LISTS and not listed(book, unit.kind)]
