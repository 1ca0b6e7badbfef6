"""Turn a Word table (pandoc AST) into a pipe table (in a `::: table` div when it has a caption, an id or
another shape), merged cells as `<` and `^`, reporting what a pipe table cannot hold."""
from __future__ import annotations

import re

from .tablelook import take_marker

RULE = {"AlignLeft": ":--", "AlignCenter": ":-:", "AlignRight": "--:"}


def table(mapper, c) -> str:
    _attr, caption, colspecs, head, bodies, foot = c
    head_rows = head[1]
    body_rows = [r for body in bodies for r in body[2] + body[3]]
    rows = head_rows + body_rows + foot[1]
    if not rows:
        return ""
    first = rows[0][1][0][4] if rows[0][1] else []
    _blocks, (last_row, first_column, ident) = take_marker(first)
    nfoot = len(foot[1]) or (1 if last_row and len(body_rows) > 1 else 0)
    row_headers = max([b[1] for b in bodies] + [1 if first_column else 0])
    text = ""
    if caption[1]:
        text = md_caption(mapper, caption[1])
        ident = ident or next(iter(mapper.anchors.pop(mapper.para, [])), "")
    if not head_rows:
        mapper.report("a table without a header row (Word: Table Properties › Row › Repeat as header row): "
                      "the table has none (header-rows=0)", "docx-form", loss=False)
    width = len(colspecs)
    grid = _grid(mapper, rows, width)
    options = ([f"#{ident}"] if ident and not re.fullmatch(r".+-table-\d+", ident) else []) + (
        [f"header-rows={len(head_rows)}"] if len(head_rows) != 1 else []) + (
        [f"footer-rows={nfoot}"] if nfoot else []) + ([f"row-headers={row_headers}"] if row_headers else [])
    line = lambda cells: "| " + " | ".join(cells) + " |"
    rule = "|" + "|".join(RULE.get(spec[0]["t"], "---") for spec in colspecs) + "|"
    pipe = "\n".join([line(grid[0]), rule] + [line(r) for r in grid[1:]])
    if not (options or text):
        return pipe
    from .markdown import fence
    return fence("{.table" + "".join(" " + o for o in options) + "}", (text + "\n\n" if text else "") + pipe)


def md_caption(mapper, blocks) -> str:
    """The caption's paragraphs as one line."""
    return " ".join(b.replace("\\\n", " ") for b in mapper.blocks(blocks))


def _grid(mapper, rows, width: int) -> list[list[str]]:
    """Rows of cell texts; a cell covered by a merged cell is `<` (from the left) or `^` (from above)."""
    grid = [[None] * width for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for cell in row[1]:
            while c < width and grid[r][c] is not None:
                c += 1
            if c >= width:
                mapper.report("a table row with more cells than the table has columns: the extra cells are left out")
                break
            _attr, _align, rowspan, colspan, blocks = cell
            text = mapper.blocks(blocks)
            if len(text) > 1 or any(b["t"] not in ("Para", "Plain", "Div") for b in blocks):
                mapper.report("a table cell holding more than one paragraph (or a list): its paragraphs are joined into one")
            joined = " ".join(t.replace("\\\n", " ").replace("\n", " ") for t in text)
            grid[r][c] = f"`{joined}`" if joined in ("<", "^") else joined
            for rr in range(r, min(r + rowspan, len(rows))):
                for cc in range(c, min(c + colspan, width)):
                    if (rr, cc) != (r, c):
                        grid[rr][cc] = "<" if rr == r else "^"
            c += colspan
    return [[x if x is not None else "" for x in row] for row in grid]
