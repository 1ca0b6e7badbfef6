"""Turn a Book (the model) into Word documents through pandoc's docx writer: real endnotes, styles, languages."""
from __future__ import annotations

import json
import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from .. import confine, model as m
from ..read import pandoc_path
from ..write import write_file
from .endnotes import as_endnotes
from .notesmode import restarts, with_sections

STYLE = {"emph": "Emph", "strong": "Strong", "sup": "Superscript", "sub": "Subscript", "smallcaps": "SmallCaps",
         "strike": "Strikeout"}
WORD_ALIGN = {"left": "AlignLeft", "center": "AlignCenter", "right": "AlignRight", "decimal": "AlignRight"}
FIGURE_STYLES = {"caption": "Figure Caption", "panel": "Figure Panel", "note": "Figure Note", "source": "Figure Source"}


def div(style: str, blocks: list) -> dict:
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


class Writer:
    def __init__(self, root: Path, images: Path, book: m.Book | None = None):
        self.root, self.images, self.notes, self.book = root, images, {}, book
        self.looks: dict = {False: [], True: []}  # row headers of each table, in the text / in notes

    def unit(self, unit: m.Unit) -> list:
        self.notes = {n.number: n for n in unit.notes}
        self.unit_now = unit
        self.emitted = set()
        out = [{"t": "Header", "c": [1, [unit.slug, [], []], self.inlines(unit.title)]}]
        out += [div("Byline", [{"t": "Para", "c": [{"t": "Str", "c": a.name}]}]) for a in unit.authors]
        if unit.kind in ("abbreviations", "contributors"):
            from .generated import abbreviations, contributors
            return out + (abbreviations if unit.kind == "abbreviations" else contributors)(self, self.book)
        return out + self.blocks(unit.blocks)

    def blocks(self, blocks) -> list:
        return [x for b in blocks for x in self.block(b)]

    def block(self, b) -> list:
        if isinstance(b, m.Heading):
            return [{"t": "Header", "c": [b.level, [b.id, [], []], self.inlines(b.content)]}]
        if isinstance(b, m.Para):
            return [{"t": "Para", "c": self.inlines(b.content)}]
        if isinstance(b, m.ListBlock):
            items = [self.blocks(item) for item in b.items]
            if b.ordered:
                return [{"t": "OrderedList", "c": [[b.start, {"t": b.style}, {"t": b.delim}], items]}]
            return [{"t": "BulletList", "c": items}]
        if isinstance(b, m.Takeaways):
            return [div("Key Takeaways", [{"t": "Para", "c": self.inlines(b.heading.content)}] + self.blocks(b.blocks))]
        if isinstance(b, m.Signature):
            lines = [x for i, line in enumerate(b.lines) for x in ([{"t": "LineBreak"}] if i else []) + self.inlines(line.content)]
            return [div("Signature", [{"t": "Para", "c": lines}])]
        if isinstance(b, m.Quote):
            return [{"t": "BlockQuote", "c": self.blocks(b.blocks)}]
        if isinstance(b, m.Rule):
            return [{"t": "HorizontalRule"}]
        if isinstance(b, m.CodeBlock):
            return [{"t": "CodeBlock", "c": [["", [], []], b.text]}]
        if isinstance(b, m.Table):
            return [self.table(b)]
        if isinstance(b, m.Figure):
            return self.figure(b)
        from .poetry import write_block
        return write_block(self, b) or []

    def figure(self, f: m.Figure) -> list:
        caption = self.inlines(f.caption.content) if f.caption else []
        if f.image is not None:
            path = self.copy(f.image.src)
            image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": f.image.alt}], [str(path), f.image.alt]]}
            return [{"t": "Figure", "c": [[f.id, [], []], [None, [{"t": "Plain", "c": caption}]], [{"t": "Plain", "c": [image]}]]}]
        out = []
        for kind, paras in (("caption", [f.caption]), ("panel", f.panels), ("note", [f.note]), ("source", [f.source])):
            for para in (p for p in paras if p is not None):
                inl = self.inlines(para.content)
                if kind == "caption" and f.id:
                    inl = [{"t": "Span", "c": [[f.id, [], []], []]}] + inl
                out.append(div(FIGURE_STYLES[kind], [{"t": "Para", "c": inl}]))
        return out

    def copy(self, src: str) -> Path:
        """The image, read inside the book (never through a symlink out of it), copied for pandoc."""
        data = confine.read_bytes(self.root / "manuscript" / src, [self.root], 50_000_000)
        target = self.images / f"{len(list(self.images.iterdir()))}{Path(src).suffix}"
        target.write_bytes(data)
        return target

    def table(self, t: m.Table) -> dict:
        """Cells with their spans; head, body and foot rows; alignment (decimal as right); caption and id."""
        align = lambda a: {"t": WORD_ALIGN.get(a, "AlignDefault")}
        cell = lambda c: [["", [], []], align(c.align), c.rowspan, c.colspan, self.blocks(c.blocks)]
        row = lambda cells: [["", [], []], [cell(c) for c in cells]]
        width = max((sum(c.colspan for c in r) for r in t.head + t.body + t.foot), default=1)
        columns = list(t.align) + [""] * (width - len(t.align))
        caption = [{"t": "Plain", "c": self.inlines(t.caption.content)}] if t.caption else []
        self.looks[bool(getattr(self, "in_note", False))].append(t.row_headers)
        ident = "" if re.fullmatch(r".+-table-\d+", t.id or "") else t.id
        return {"t": "Table", "c": [[ident, [], []], [None, caption], [[align(a), {"t": "ColWidthDefault"}] for a in columns],
                                    [["", [], []], [row(r) for r in t.head]],
                                    [[["", [], []], t.row_headers, [], [row(r) for r in t.body]]],
                                    [["", [], []], [row(r) for r in t.foot]]]}

    def inlines(self, nodes) -> list:
        out = []
        for n in nodes:
            if isinstance(n, m.Text):
                out.append({"t": "Str", "c": n.text})
            elif isinstance(n, m.Styled):
                out.append({"t": STYLE[n.style], "c": self.inlines(n.children)})
            elif isinstance(n, m.Code):
                out.append({"t": "Code", "c": [["", [], []], n.text]})
            elif isinstance(n, m.Link):
                out.append({"t": "Link", "c": [["", [], []], self.inlines(n.children), [n.url, ""]]})
            elif isinstance(n, m.Lang):
                out.append({"t": "Span", "c": [["", [], [["lang", n.lang]]], self.inlines(n.children)]})
            elif isinstance(n, m.Ruby):  # pandoc's Word writer has no ruby: the base, its reading after it
                out.append({"t": "Str", "c": ruby_text(n)})
            elif isinstance(n, m.Abbr):
                out.append({"t": "Span", "c": [["", [], [["custom-style", "Abbreviation"]]], self.inlines(n.children)]})
            elif isinstance(n, m.Break):
                out.append({"t": "LineBreak"})
            elif isinstance(n, m.NoteRef):
                out.append(self.note(n))
        return out

    def note(self, ref: m.NoteRef) -> dict:
        note = self.notes.get(ref.number)
        if note is None or ref.number in self.emitted or getattr(self, "in_note", False):
            return {"t": "Superscript", "c": [{"t": "Str", "c": str(ref.number)}]}
        self.emitted.add(ref.number)
        self.in_note = True
        blocks = self.blocks(note.blocks)
        for inner in self.only_in_notes(note):  # Word has no note in a note: its text follows, under its number
            self.emitted.add(inner.number)
            more = self.blocks(inner.blocks) or [{"t": "Para", "c": []}]
            if more[0]["t"] == "Para":
                more[0] = {"t": "Para", "c": [{"t": "Str", "c": f"[{inner.number}]"}, {"t": "Space"}] + more[0]["c"]}
            blocks += more
        self.in_note = False
        return {"t": "Note", "c": blocks}

    def only_in_notes(self, note: m.Endnote) -> list:
        """The notes `note` refers to that the unit's text never refers to (else they would be lost)."""
        in_text = {r.number for r in _refs(self.unit_now.blocks)}
        inside = {r.number for b in note.blocks for r in _refs(b)}
        return [self.notes[n] for n in sorted(inside - in_text - self.emitted) if n in self.notes]


def _refs(node):
    """The note references in a model node, at any depth."""
    if isinstance(node, m.NoteRef):
        yield node
    elif isinstance(node, tuple):
        for x in node:
            yield from _refs(x)
    elif hasattr(node, "__dataclass_fields__"):
        for name in node.__dataclass_fields__:
            yield from _refs(getattr(node, name))


def ruby_text(ruby: m.Ruby) -> str:
    """Ruby as Word proofs show it: 漢字（かんじ）, 北京 (běi jīng)."""
    readings = [reading for _base, reading in ruby.pairs]
    if all(unicodedata.east_asian_width(ch) in "WF" for reading in readings for ch in reading):
        return f"{ruby.base}（{''.join(readings)}）"
    return f"{ruby.base} ({' '.join(readings)})"


def to_docx(root: Path, units, language: str, title: str, notes: str = "chapter", book: m.Book | None = None) -> bytes:
    """One .docx of `units` (pandoc's docx writer once; notes, numbering and styles set afterwards), its notes
    numbered and placed as book.yaml's `notes:` says (notesmode.py)."""
    with tempfile.TemporaryDirectory() as tmp:
        images = Path(tmp) / "images"
        images.mkdir()
        writer = Writer(root, images, book)
        restart = restarts(units, notes)
        start = 1 if restart else next((u.notes[0].number for u in units if u.notes), 1)
        blocks = with_sections([writer.unit(u) for u in units if u.kind != "notes"], restart)
        from .design import read_design
        return render(blocks, language, tmp, writer.looks, ("footnote" if notes == "footnotes" else "endnote", start, restart),
                      read_design(root, language))


def render(blocks: list, language: str, tmp: str, looks: dict | None = None, numbering: tuple | None = None,
           design=None) -> bytes:
    """pandoc's docx writer on pandoc AST `blocks`, then real endnotes (or footnotes) and the house styles."""
    doc = {"pandoc-api-version": [1, 23, 1, 1], "blocks": blocks, "meta": {"lang": {"t": "MetaString", "c": language}}}
    out = Path(tmp) / "out.docx"
    run = subprocess.run([pandoc_path(), "-f", "json", "-t", "docx", "-o", str(out)],
                         input=json.dumps(doc).encode(), capture_output=True, check=False, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(run.stderr.decode(errors="replace").strip())
    data = out.read_bytes()
    from .template import restyle
    numbering = numbering or ("endnote", 1, True)
    return restyle(as_endnotes(data) if numbering[0] == "endnote" else data, looks or {}, numbering, design)


def edition_docx(root: Path, book: m.Book, split: bool, out: Path | None) -> list[Path]:
    """Write the edition's .docx (or one per unit): to `out` by temporary file and rename, else into build/docx/
    inside a new build generation, published by the same rename as the other artifacts (publish.staging)."""
    if split:
        files = {f"{unit.slug}.docx": to_docx(root, [unit], book.language, book.title, book.notes, book)
                 for unit in book.units if unit.kind == "text"}
    else:
        files = {f"{book.language}.docx": to_docx(root, book.units, book.language, book.title, book.notes, book)}
    if out is not None:
        paths = [out / name for name in files] if split else [out]
        for path, data in zip(paths, files.values()):
            write_file(path, data)
        return paths
    from .publishing import publish
    return publish(root, f"docx/{book.language}" if split else "docx", files, tree=split)
