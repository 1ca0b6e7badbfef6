"""Turn a Word table (pandoc AST) into a pipe table, reporting what a pipe table cannot hold."""
from __future__ import annotations


def table(mapper, c) -> str:
    _attr, _caption, _colspecs, head, bodies, foot = c
    head_rows = head[1]
    body_rows = [r for body in bodies for r in body[2] + body[3]] + foot[1]
    if len(head_rows) > 1:
        mapper.report(f"a table with {len(head_rows)} header rows: the first is the header, the others ordinary rows")
    if not head_rows:
        mapper.report("a table without a header row (Word: Table Properties › Row › Repeat as header row): "
                      "its first row is the header", "docx-form", loss=False)
    rows = [cells(mapper, row) for row in head_rows + body_rows]
    from .markdown import pipe_table
    return pipe_table(rows) if rows else ""


def cells(mapper, row) -> list[str]:
    out = []
    for cell in row[1]:
        _attr, _align, rowspan, colspan, blocks = cell
        text = [b for b in mapper.blocks(blocks)]
        if len(text) > 1 or any(b["t"] not in ("Para", "Plain", "Div") for b in blocks):
            mapper.report("a table cell holding more than one paragraph (or a list): its paragraphs are joined into one")
        out.append(" ".join(t.replace("\\\n", " ").replace("\n", " ") for t in text))
        if rowspan > 1 or colspan > 1:
            mapper.report("merged table cells: the text is in the first cell, the cells it covered are empty")
            out += [""] * (colspan - 1)
    return out
