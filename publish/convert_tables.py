"""Turn a pandoc pipe table, bare or in a `::: table` div, into a model Table: caption, head/body/foot rows,
cells spanning rows (`^`) and columns (`<`), column alignment and decimal alignment."""
from __future__ import annotations

import re

from . import model as m
from .walk import plain

KEYS = ("header-rows", "footer-rows", "row-headers", "decimal")
ALIGN = {"AlignLeft": "left", "AlignCenter": "center", "AlignRight": "right"}
NUMBER = re.compile(r"[-+\u2212]?[\d,\u202f\u00a0]*\d(?:\.(\d+))?%?")
MERGE = {"<": "left", "^": "above"}
WIDE = 6  # columns from which a table is set smaller in print


def position(conv, attr) -> m.Pos:
    """A table's first line: pandoc gives it several `data-pos` ranges (and its list item's, in a note)."""
    lines = [int(start.split(":")[0]) for key, value in attr[2] if key == "data-pos"
             for part in value.rsplit("@", 1)[-1].split(";") if (start := part.split("-")[0]).split(":")[0].isdigit()]
    if lines:
        conv.here = m.Pos(conv.source.path, conv.source.first_line + min(lines) - 1)
    return conv.here


def plain_table(conv, c, options: dict | None = None) -> m.Table | None:
    """A pipe table; `options` come from its `::: table` div (id, caption, header-rows…)."""
    attr, _caption, colspecs, head, bodies, foot = c
    conv.attributes(attr)
    pos = position(conv, attr)
    options = options or {}
    saved, conv.seg_prefix = conv.seg_prefix, "cell"
    convert = lambda rows: [[tuple(conv.blocks(cell[4])) for cell in row[1]] for row in rows]
    pipe_head = convert(head[1])
    body = [r for b in bodies for r in convert(b[2] + b[3])] + convert(foot[1])
    conv.seg_prefix = saved
    conv.counters["table"] += 1
    ident = options.get("id") or f"{conv.unit}-table-{conv.counters['table']}"
    if "header-rows" not in options and pipe_head and not any(plain(b.content).strip() for row in pipe_head
                                                             for cell in row for b in cell if hasattr(b, "content")):
        conv.warn("this table's header row is empty: a table without a header row is written in a "
                  "'::: {.table header-rows=0}' div (the empty row is left out)", "table-header", pos)
        pipe_head = []
    rows = pipe_head + body
    skip = 2 - len(pipe_head)  # the header line (if left out) and the |---| line come before the body rows
    line = lambda r: m.Pos(pos.path, pos.line + r + (skip if r >= len(pipe_head) else 0))
    nhead = options.get("header-rows", len(pipe_head))
    nfoot = options.get("footer-rows", 0)
    ncols = len(colspecs)
    if nhead + nfoot > len(rows):
        conv.error(f"header-rows={nhead} and footer-rows={nfoot} ask for more rows than the table's {len(rows)}",
                   "table-invalid", pos)
        nhead, nfoot = min(nhead, len(rows)), 0
    aligns = [ALIGN.get(spec[0]["t"], "") for spec in colspecs]
    for col in options.get("decimal", ()):
        if col > ncols:
            conv.error(f"decimal={col}: the table has {ncols} columns", "table-invalid", pos)
        else:
            aligns[col - 1] = "decimal"
    row_headers = options.get("row-headers", 0)
    if row_headers >= ncols and row_headers:
        conv.error(f"row-headers={row_headers}: the table has {ncols} columns (row headers leave at least one "
                   "column of data)", "table-invalid", pos)
        row_headers = 0
    grid = _spans(conv, rows, nhead, nfoot, line)
    cells = _cells(rows, grid, aligns, nhead, row_headers, ident)
    sections = (cells[:nhead], cells[nhead:len(cells) - nfoot], cells[len(cells) - nfoot:] if nfoot else [])
    for r, row in enumerate(cells):
        if not row:
            conv.error("this row has no cell of its own: every cell is merged into a row above ('^', or '<' after "
                       "one)", "table-span", line(r))
    return m.Table(*(tuple(tuple(r) for r in s) for s in sections[:2]), pos, foot=tuple(tuple(r) for r in sections[2]),
                   id=ident, caption=options.get("caption"), align=tuple(aligns), row_headers=row_headers)


def _mark(blocks) -> str:
    """'<' or '^' when that is all the cell holds, as text (written as code, `<`, it is the sign itself)."""
    if len(blocks) == 1 and isinstance(blocks[0], m.Para) and all(isinstance(i, m.Text) for i in blocks[0].content):
        text = plain(blocks[0].content).strip()
        return text if text in MERGE else ""
    return ""


def _spans(conv, rows, nhead, nfoot, line) -> list:
    """grid[r][c] = (r0, c0), the cell whose text fills row r, column c; errors where a span is not a rectangle."""
    grid: list = []
    section = lambda r: 0 if r < nhead else (2 if r >= len(rows) - nfoot else 1)
    for r, row in enumerate(rows):
        grid.append([])
        for c, blocks in enumerate(row):
            mark = _mark(blocks)
            owner = (r, c)
            if mark == "<" and c == 0:
                conv.error("a '<' cell merges into the cell on its left, and the first column has none",
                           "table-span", line(r))
            elif mark == "^" and (r == 0 or section(r - 1) != section(r)):
                conv.error(f"column {c + 1}: a '^' cell merges into the cell above, and there is none in its part of "
                           "the table (header, body or footer rows)", "table-span", line(r))
            elif mark:
                owner = grid[r][c - 1] if mark == "<" else grid[r - 1][c]
            grid[r].append(owner)
    members: dict = {}
    for r, row in enumerate(grid):
        for c, owner in enumerate(row):
            members.setdefault(owner, []).append((r, c))
    for (r0, c0), cells in members.items():
        height = max(r for r, _ in cells) - r0 + 1
        width = max(c for _, c in cells) - c0 + 1
        if len(cells) != height * width or min(c for _, c in cells) != c0:
            conv.error(f"column {c0 + 1}: the cells merged into this cell ('<' and '^') do not make a rectangle",
                       "table-span", line(r0))
    return grid


def _cells(rows, grid, aligns, nhead, row_headers, ident) -> list:
    """Rows of model Cells (only the cells that start in each row), with header ids and `headers` when needed."""
    extent = {}
    for r, row in enumerate(grid):
        for c, owner in enumerate(row):
            r0, c0 = owner
            h, w = extent.get(owner, (1, 1))
            extent[owner] = (max(h, r - r0 + 1), max(w, c - c0 + 1))
    spanned = any(v != (1, 1) for v in extent.values())
    complex_ = nhead > 1 or spanned
    pads = _pads(rows, grid, aligns, nhead)
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, blocks in enumerate(row):
            if grid[r][c] != (r, c):
                continue
            height, width = extent[(r, c)]
            header = r < nhead or c < row_headers
            cid = f"{ident}-h{r + 1}-{c + 1}" if header and complex_ else ""
            headers = ()
            if complex_ and r >= nhead:
                above = [grid[hr][cc] for hr in range(nhead) for cc in range(c, c + width)]
                left = [grid[rr][hc] for rr in range(r, r + height) for hc in range(min(row_headers, c))]
                headers = tuple(dict.fromkeys(f"{ident}-h{o[0] + 1}-{o[1] + 1}" for o in above + left))
            cells.append(m.Cell(blocks, width, height, header, aligns[c] if c < len(aligns) else "",
                                pads.get((r, c), ""), cid, headers))
        out.append(cells)
    return out


def _pads(rows, grid, aligns, nhead) -> dict:
    """(r, c) -> figure spaces (and a punctuation space for a missing point) that align a decimal column."""
    out = {}
    for col, align in enumerate(aligns):
        if align != "decimal":
            continue
        numbers = {}
        for r in range(nhead, len(rows)):
            if grid[r][col] == (r, col) and (text := _text(rows[r][col])) and (found := NUMBER.fullmatch(text)):
                numbers[r] = len(found.group(1) or "")
        widest = max(numbers.values(), default=0)
        for r, decimals in numbers.items():
            if decimals < widest:
                out[(r, col)] = ("" if decimals else "\u2008") + "\u2007" * (widest - decimals)
    return out


def _text(blocks) -> str:
    return plain(blocks[0].content).strip() if len(blocks) == 1 and isinstance(blocks[0], m.Para) else ""


def table_div(conv, attr, children, pos):
    """`::: {.table #tab-x header-rows=… footer-rows=… row-headers=… decimal="3 4"}`: a caption paragraph, then one
    pipe table."""
    options: dict = {"id": attr[0]} if attr[0] else {}
    for key, value in attr[2]:
        if key in ("header-rows", "footer-rows", "row-headers"):
            if value.isdigit() and len(value) < 4:
                options[key] = int(value)
            else:
                counts = "columns" if key == "row-headers" else "rows"
                conv.error(f"{key}='{value}' is not a number: it counts {counts} ({key}=0, {key}=1, {key}=2…)",
                           "table-invalid", pos)
        elif key == "decimal":
            columns = value.replace(",", " ").split()
            if columns and all(x.isdigit() and 0 < int(x) < 1000 for x in columns):
                options["decimal"] = tuple(int(x) for x in columns)
            else:
                conv.error(f"decimal='{value}' names the columns aligned on the decimal point by number: "
                           "decimal=\"3 4\"", "table-invalid", pos)
    nodes = list(_unwrap(children))
    tables = [n for n in nodes if n["t"] == "Table"]
    before = nodes[:nodes.index(tables[0])] if tables else nodes
    if len(tables) != 1 or nodes[-1]["t"] != "Table" or len(before) > 1 or any(n["t"] != "Para" for n in before):
        conv.error("a table block holds a caption paragraph (optional) and then one pipe table", "table-invalid", pos)
        return conv.blocks(children)
    if before:
        saved, conv.seg_prefix = conv.seg_prefix, "tab"
        caption = conv.blocks(before)
        options["caption"] = caption[0] if caption and isinstance(caption[0], m.Para) else None
        conv.seg_prefix = saved
    return plain_table(conv, tables[0]["c"], options)


def _unwrap(nodes):
    for node in nodes:
        if node["t"] == "Div" and dict(node["c"][0][2]).get("wrapper") == "1":
            yield from _unwrap(node["c"][1])
        else:
            yield node
