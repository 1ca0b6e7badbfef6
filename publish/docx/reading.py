"""Turn pandoc's AST of a Word document into a chapter in the manuscript format, and a report of what did not map.

Word's notes (footnotes and endnotes) become the chapter's endnotes, numbered in reading order, each
reference at its place. Paragraph styles with a meaning in the format: Key Takeaways / Executive
Summary (a takeaways box), Byline (the chapter's authors), Signature, Figure Caption / Panel / Note /
Source (a figure whose chart is not reproduced). Every problem names the Word paragraph it is in.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import markdown as md

TAKEAWAYS = {"Key Takeaways", "Executive Summary"}
FIGURE = {"Figure Caption": "caption", "Figure Panel": "panel", "Figure Note": "note", "Figure Source": "source"}
OURS = TAKEAWAYS | {"Byline", "Signature"} | set(FIGURE)
NEUTRAL = {"Normal", "Body Text", "Body Text 2", "Body Text 3", "First Paragraph", "Compact", "List Paragraph",
           "List Bullet", "List Number", "List Continue", "No Spacing", "Plain Text", "Normal (Web)", "Default",
           "Footnote Text", "Endnote Text", "Caption", "Image Caption", "Captioned Figure", "Table Caption",
           "Block Text", "Quote", "Intense Quote", "Table", "Table Paragraph", "Figure", "Source Code",
           "Hyperlink", "Footnote Reference", "Endnote Reference", "Default Paragraph Font", "Emphasis", "Strong",
           "Comment Reference", "Verbatim Char", "Page Number", "Subtitle", "Author", "Date", "Abstract"}
NEUTRAL = {name.casefold() for name in NEUTRAL}  # Word names its built-in styles in lower case ("footnote text")


def neutral(style: str) -> bool:
    return not style or style.casefold() in NEUTRAL or style.casefold().startswith("heading") or style.endswith(" Char")
HASHED = re.compile(r"X[0-9a-f]{39}")  # pandoc's docx writer names a bookmark over 40 characters so
CAPTION = {"Caption", "Image Caption"}
QUOTE = {"Footnote Block Text", "Endnote Block Text"}
POETRY = {"Verse", "Epigraph", "Epigraph Attribution", "Section Break"}
STYLED = {"Emph": "*", "Underline": "*", "Strong": "**", "Strikeout": "~~"}


def stringify(nodes) -> str:
    out = []
    for node in nodes:
        t, c = node["t"], node.get("c")
        if t == "Str":
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t == "Span" and _style(c[0]) in ("publish-p", "publish-anchor", "publish-item", "publish-table"):
            continue
        elif isinstance(c, list) and c and isinstance(c[-1], list):
            out.append(stringify([x for x in c[-1] if isinstance(x, dict) and "t" in x]))
    return "".join(out)


def first_para(nodes) -> int:
    """The number of the first Word paragraph among `nodes` (its marker span), else 0."""
    for node in nodes if isinstance(nodes, list) else ():
        if isinstance(node, dict) and node.get("t") == "Span" and _style(node["c"][0]) == "publish-p":
            return int(stringify(node["c"][1]) or 0)
        found = first_para(node.get("c") if isinstance(node, dict) else node)
        if found:
            return found
    return 0


def _style(attr) -> str:
    return dict(attr[2]).get("custom-style", "")


def _quote(node):
    """The blocks of a quotation (pandoc's, or in a Div of a style such as Block Text), else None."""
    if node["t"] == "Div" and neutral(_style(node["c"][0])) and len(node["c"][1]) == 1:
        node = node["c"][1][0]
    return node["c"] if node["t"] == "BlockQuote" else None


def numbered(notes: list[str], start: int) -> list[tuple[int, str]]:
    """(number, text) of each note. A note that another note refers to (`^N^`) and holds at its end as a
    paragraph `[N] …` (how the export writes a note in a note, which Word cannot hold) is note N again."""
    out, inner = {}, {}
    for i, text in enumerate(notes):
        keep, current = [], None
        for para in text.split("\n\n"):
            found = re.match(r"\\\[(\d+)\\\] ", para)
            if found and f"^{found[1]}^" in "\n\n".join(keep) and int(found[1]) >= start + len(notes):
                current = int(found[1])
                inner[current] = [para[found.end():]]
            elif current is not None:
                inner[current].append(para)
            else:
                keep.append(para)
        out[start + i] = "\n\n".join(keep)
    out.update({n: "\n\n".join(paras) for n, paras in inner.items() if n not in out})
    return sorted(out.items())


@dataclass
class Problem:
    paragraph: int
    message: str
    code: str
    loss: bool = True  # text or structure dropped (exit 1); False: only formatting, reported


@dataclass
class Chapter:
    markdown: str
    authors: list = field(default_factory=list)  # names from the byline
    images: list = field(default_factory=list)  # (src in the package, name under manuscript/images/)
    problems: list = field(default_factory=list)


#: Styles `publish export` gives the pages it generates from book.yaml (the contributors), which a chapter
#: does not hold: a whole book's proof imported as one chapter is the likely cause.
GENERATED_STYLES = {"Contributor"}
GENERATED = (" (a page publish export makes from book.yaml: import a book's chapters one by one, "
             "exported with --split)")

class Mapper:
    def __init__(self, slug: str, has_title_style: bool):
        self.slug, self.has_title_style = slug, has_title_style
        self.para = 0
        self.notes: list[str] = []
        self.anchors: dict[int, list[str]] = {}
        self.chapter = Chapter("")
        self.shift = 0
        self.caption = None
        self.note_start = 1  # the number of the chapter's first note (`notes: book` numbers through the book)

    def report(self, message: str, code: str = "docx-loss", loss: bool = True):
        self.chapter.problems.append(Problem(self.para, message, code, loss))

    # the document ---------------------------------------------------------------------------------
    def document(self, ast: dict, fallback_title: str) -> Chapter:
        meta, blocks = ast.get("meta", {}), ast.get("blocks", [])
        title = self.meta_inlines(meta.get("title")) if self.has_title_style else ""
        h1 = [b for b in blocks if b["t"] == "Header" and b["c"][0] == 1]
        if not title and len(h1) == 1 and blocks and blocks[0] is h1[0]:
            title = md.paragraph(self.inlines(h1[0]["c"][2])).replace("\\\n", " ")
            self.heading_anchor, blocks = self.anchors.pop(self.para, None), blocks[1:]
        elif not title:
            title = self.meta_inlines(meta.get("title")) or md.escape(fallback_title)
            if h1 and not self.has_title_style:
                self.report(f"no paragraph in the style Title and {len(h1)} in Heading 1: the chapter's title is "
                            f"'{title}' and each Heading 1 a section", "docx-form", loss=False)
        self.shift = 1 if self.has_title_style or any(b["t"] == "Header" and b["c"][0] == 1 for b in blocks) else 0
        for key in ("subtitle", "abstract", "date"):
            if meta.get(key):
                self.report(f"the document's {key} is not part of a chapter: not imported")
        if meta.get("author"):
            self.chapter.authors += [stringify(a.get("c", [])) if isinstance(a, dict) else "" for a in
                                     (meta["author"]["c"] if meta["author"]["t"] == "MetaList" else [meta["author"]])]
        body = self.blocks(blocks)
        out = [f"# {title}"] + body
        if self.notes:
            items = [md.list_item(f"{n}. ", [text]) for n, text in numbered(self.notes, self.note_start)]
            out.append(md.fence("endnotes", "\n".join(items)))
        self.chapter.markdown = "\n\n".join(x for x in out if x.strip()) + "\n"
        return self.chapter

    def meta_inlines(self, value) -> str:
        if not value:
            return ""
        nodes = value["c"] if value["t"] == "MetaInlines" else [n for b in value["c"] for n in b.get("c", [])]
        return md.paragraph(self.inlines(nodes)).replace("\\\n", " ")

    # blocks ------------------------------------------------------------------------------------------
    def blocks(self, nodes) -> list[str]:
        out, i = [], 0
        while i < len(nodes):
            style = self.block_style(nodes[i])
            if style in TAKEAWAYS | set(FIGURE) or style == "Signature":
                group = FIGURE if style in FIGURE else TAKEAWAYS if style in TAKEAWAYS else {"Signature"}
                j = i
                while j < len(nodes) and self.block_style(nodes[j]) in group:
                    j += 1
                out.append(self.box(style, nodes[i:j]))
                i = j
                continue
            if style in POETRY:
                from .poetry import read_group
                j = i + 1
                group = {"Epigraph", "Epigraph Attribution"} if style.startswith("Epigraph") else {style}
                while j < len(nodes) and self.block_style(nodes[j]) in group and style != "Section Break":
                    j += 1
                out.append(read_group(self, style, nodes[i:j]))
                i = j
                continue
            if _quote(nodes[i]) is not None and i + 1 < len(nodes) and _quote(nodes[i + 1]) is not None:
                nodes = nodes[:i] + [{"t": "BlockQuote", "c": _quote(nodes[i]) + _quote(nodes[i + 1])}] + nodes[i + 2:]
                continue  # Word has a paragraph style, not a quotation: paragraphs in a row are one quotation
            if style in QUOTE:  # pandoc's docx writer sets a quotation in a note in Footnote Block Text
                j = i
                while j < len(nodes) and self.block_style(nodes[j]) in QUOTE:
                    j += 1
                out.append(md.indent("\n\n".join(self.blocks([self.unstyled(n) for n in nodes[i:j]])), "> "))
                i = j
                continue
            if i + 1 < len(nodes) and self.block_style(nodes[i + 1]) in CAPTION and self.only_images(nodes[i]):
                self.caption = md.paragraph(self.inlines(self.flat(nodes[i + 1]))).replace("\\\n", " ")
                out += self.block(nodes[i])
                i += 2
                continue
            out += self.block(nodes[i])
            i += 1
        return [x for x in out if x.strip()]

    def only_images(self, node) -> bool:
        nodes = self.flat(node)
        return any(n["t"] == "Image" for n in nodes) and all(n["t"] in ("Image", "Space", "SoftBreak") or (
            n["t"] == "Span" and _style(n["c"][0]) == "publish-p") for n in nodes)

    def block_style(self, node) -> str:
        if node["t"] == "Div":
            return _style(node["c"][0])
        if node["t"] in ("BulletList", "OrderedList"):
            items = node["c"] if node["t"] == "BulletList" else node["c"][1]
            styles = {self.block_style(b) for item in items for b in item[:1]}
            return styles.pop() if len(styles) == 1 else ""
        return ""

    def box(self, style: str, nodes) -> str:
        start = self.para
        inner = [self.unstyled(n) for n in nodes]
        if style in FIGURE:
            parts = [md.fence(FIGURE[self.block_style(n)], "\n\n".join(self.blocks(n["c"][1]))) for n in nodes]
            first = [a for p in sorted(self.anchors) if p > start for a in self.anchors[p]]
            ident = f" #{first[0]}" if first else ""
            self.anchors.clear()
            return md.fence("{.figure" + ident + "}", "\n".join(parts))
        blocks = [b for n in inner for b in self.block(n)]
        if style == "Signature":
            return md.fence("signature", "\\\n".join(b.replace("\n\n", "\\\n") for b in blocks))
        if blocks and not blocks[0].startswith("#"):
            blocks[0] = "## " + blocks[0].replace("\\\n", " ")
        return md.fence("takeaways", "\n\n".join(blocks))

    def unstyled(self, node):
        if node["t"] == "Div":
            return {"t": "Div", "c": [["", [], []], node["c"][1]]}
        if node["t"] in ("BulletList", "OrderedList"):
            items = node["c"] if node["t"] == "BulletList" else node["c"][1]
            items = [[self.unstyled(b) for b in item] for item in items]
            return {"t": node["t"], "c": items if node["t"] == "BulletList" else [node["c"][0], items]}
        return node

    def block(self, node) -> list[str]:
        t, c = node["t"], node.get("c")
        if t in ("Para", "Plain"):
            return self.para_block(c)
        if t == "Header":
            level, attr, inlines = c
            if level == 1 and not self.shift:
                self.report("a second Heading 1 is a section here (level 2)", "docx-form", loss=False)
            level = min(level + self.shift, 6)
            text = md.paragraph(self.inlines(inlines)).replace("\\\n", " ")
            if not text.strip():
                self.report(f"an empty paragraph in the style Heading {c[0]}: left out", "docx-form", loss=False)
                return []
            ident = (self.anchors.pop(self.para, None) or [attr[0]])[0]
            plain = stringify(inlines)
            keep = ident and not ident.startswith("_") and not HASHED.fullmatch(ident) and ident not in (md.auto_id(plain), f"{self.slug}-{md.auto_id(plain)}")
            return [("#" * level) + " " + text + (f" {{#{ident}}}" if keep else "")]
        if t == "Div":
            style = _style(c[0])
            if style == "Byline":
                self.chapter.authors += [stringify(b["c"]) for b in c[1] if b["t"] in ("Para", "Plain")]
                return []
            if not neutral(style):
                self.para = first_para(c[1]) or self.para
                self.report(f"the paragraph style '{style}' has no meaning in the manuscript format: "
                            "imported as a plain paragraph" + (GENERATED if style in GENERATED_STYLES else ""), "docx-style")
            return self.blocks(c[1])
        if t in ("BulletList", "OrderedList"):
            return [self.list_block(t, c)]
        if t == "BlockQuote":
            return [md.indent("\n\n".join(self.blocks(c)), "> ")]
        if t == "Table":
            from .tables import table
            return [table(self, c)]
        if t == "Figure":
            return self.figure(c)
        if t == "DefinitionList":
            from .poetry import definition_list
            return [definition_list(self, c)]
        if t == "HorizontalRule":
            return ["* * *"]
        if t == "CodeBlock":
            return ["```\n" + c[1] + "\n```"]
        if t == "LineBlock":
            return [md.paragraph(self.inlines(line)) for line in c]
        if t == "RawBlock":
            self.report(f"raw {c[0]} content could not be imported")
            return []
        self.report(f"a {t} block could not be imported")
        return []

    def para_block(self, inlines) -> list[str]:
        images = [n for n in inlines if n["t"] == "Image"]
        rest = [n for n in inlines if n["t"] not in ("Image", "Space", "SoftBreak") and not (
            n["t"] == "Span" and _style(n["c"][0]) in ("publish-p", "publish-anchor", "publish-item", "publish-table"))]
        if images and not rest:
            self.inlines([n for n in inlines if n["t"] != "Image"])  # paragraph number and anchors
            caption, self.caption = self.caption, None
            return [self.image(img, caption) for img in images]
        text = md.paragraph(self.inlines(inlines))
        return [text] if text.strip() else []

    def list_block(self, t, c) -> str:
        items = c if t == "BulletList" else c[1]
        from ..convert_prose import label, list_style
        start, (style, delim) = (c[0][0], list_style(c[0][1], c[0][2])) if t == "OrderedList" else (1, ("", ""))
        out = []
        for n, item in enumerate(items):
            marker = "- " if t == "BulletList" else label(style, delim, start + n) + " "
            out.append(md.list_item(marker, self.blocks(item)))
        return "\n".join(out)

    def figure(self, c) -> list[str]:
        _attr, caption, body = c
        images = [n for b in body for n in (b.get("c") or []) if isinstance(n, dict) and n.get("t") == "Image"]
        text = md.paragraph(self.inlines([n for b in caption[1] for n in self.flat(b)])).replace("\\\n", " ")
        if not images:
            return self.blocks(body)
        return [self.image(img, text) for img in images]

    def flat(self, block):
        if block["t"] == "Div":
            return [n for b in block["c"][1] for n in self.flat(b)]
        return block["c"] if block["t"] in ("Para", "Plain") else []

    def image(self, node, caption) -> str:
        from .images import image
        return image(self, node, caption)

    def inlines(self, nodes) -> str:
        from .inlines import inlines
        return inlines(self, nodes)
