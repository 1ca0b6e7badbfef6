"""Turn nested model blocks into flat iterations: every block, every inline."""
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
            for row in block.head + block.body:
                for cell in row:
                    yield from blocks_of(cell)


def inlines_of(block):
    """Every inline of a Para or Heading, depth first."""
    yield from _inlines(getattr(block, "content", ()))


def _inlines(items):
    for item in items:
        yield item
        if hasattr(item, "children"):
            yield from _inlines(item.children)
