"""Turn a .docx file's XML into what pandoc cannot see: paragraph numbers, run languages, comments, tracked changes.

The package is read with zipfile and lxml (no entity expansion, no network, limits on size). Before
pandoc reads it, every body paragraph gets a marker run (character style `publish-p`, its number) so
the report can name paragraphs, and every run Word tagged with a language gets the character style
`publish-lang-<tag>`, which pandoc's `+styles` keeps as a span.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from .notelists import Numbering, mark_note_lists
from .tablelook import mark_tables

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}
MAX_PACKAGE = 50_000_000  # uncompressed bytes of every part together
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
CHANGES = {"ins": "an insertion", "del": "a deletion", "moveFrom": "a move", "moveTo": "a move",
           "rPrChange": "a formatting change", "pPrChange": "a formatting change"}
LANGS = {"zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans"}


class NotDocx(Exception):
    """The file is not a Word document this importer can read; the message says why."""


@dataclass
class Package:
    parts: dict  # name -> bytes (the marked copy pandoc reads)
    paragraphs: int = 0
    comments: list = field(default_factory=list)  # (paragraph, author, text)
    changes: list = field(default_factory=list)  # (paragraph, what, author, text)
    styles: dict = field(default_factory=dict)  # style id -> name
    pstyles: dict = field(default_factory=dict)  # paragraph number -> its style's name

    def docx(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.parts.items():
                z.writestr(name, data)
        return out.getvalue()


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def open_package(data: bytes) -> Package:
    """Read the parts of a .docx (refusing what is not one, or too large) and mark its paragraphs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            if sum(i.file_size for i in infos) > MAX_PACKAGE:
                raise NotDocx(f"its parts hold more than {MAX_PACKAGE // 1_000_000} MB uncompressed")
            parts = {i.filename: z.read(i) for i in infos if not i.is_dir()}
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise NotDocx(f"not a Word .docx file (not a zip package: {exc})") from None
    if "word/document.xml" not in parts:
        raise NotDocx("not a Word .docx file (no word/document.xml: a .doc, .odt or other package?)")
    package = Package(parts)
    package.styles = _styles(parts.get("word/styles.xml"))
    default_lang = _default_lang(parts.get("word/styles.xml"))
    doc = _parse(parts["word/document.xml"], "word/document.xml")
    body = doc.find("w:body", NS)
    for number, p in enumerate(list(body.iter(w("p"))) if body is not None else (), 1):
        package.paragraphs = number
        _scan(p, number, package)
        _mark(p, number, _bookmarks(p))
    numbering = Numbering(_parse(parts["word/numbering.xml"], "word/numbering.xml") if "word/numbering.xml" in parts
                          else None, _parse(parts["word/styles.xml"], "word/styles.xml") if "word/styles.xml" in parts
                          else None, NS, w)
    for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        tree = doc if part == "word/document.xml" else (_parse(parts[part], part) if part in parts else None)
        if tree is not None:
            if tree is not doc:
                mark_note_lists(tree, numbering, w)
            mark_tables(tree, NS, w)
            languages = _languages(tree, default_lang)
            package.parts[part] = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)
            _add_styles(package, languages)
    comments = _parse(parts["word/comments.xml"], "word/comments.xml") if "word/comments.xml" in parts else None
    texts = {c.get(w("id")): ("".join(c.itertext()).strip(), c.get(w("author")) or "someone")
             for c in (comments.iter(w("comment")) if comments is not None else ())}
    package.comments = [(n, texts.get(i, ("", "someone"))[1], texts.get(i, ("", ""))[0]) for n, i in package.comments]
    return package


def _parse(data: bytes, name: str):
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError as exc:
        raise NotDocx(f"{name} is not well-formed XML ({exc})") from None


def _styles(data: bytes | None) -> dict:
    if not data:
        return {}
    root = _parse(data, "word/styles.xml")
    return {s.get(w("styleId")): (s.find("w:name", NS).get(w("val")) if s.find("w:name", NS) is not None else s.get(w("styleId")))
            for s in root.iter(w("style"))}


def _default_lang(data: bytes | None) -> str:
    if not data:
        return ""
    lang = _parse(data, "word/styles.xml").find("w:docDefaults//w:lang", NS)
    return (lang.get(w("val")) or "") if lang is not None else ""


def _scan(p, number: int, package: Package) -> None:
    """Comments and tracked changes in paragraph `number`."""
    style = p.find("w:pPr/w:pStyle", NS)
    if style is not None:
        package.pstyles[number] = package.styles.get(style.get(w("val")), style.get(w("val")))
    for ref in p.iter(w("commentReference")):
        package.comments.append((number, ref.get(w("id"))))
    for tag, what in CHANGES.items():
        for change in p.iter(w(tag)):
            if tag == "pPrChange" and change.getparent().getparent() is not p:
                continue
            text = "".join(t.text or "" for t in change.iter(w("t"), w("delText")))
            package.changes.append((number, what, change.get(w("author")) or "someone", text))


def _bookmarks(p) -> list[str]:
    """Names of the bookmarks in paragraph `p` or just before it (pandoc keeps only linked ones)."""
    names = [b.get(w("name")) for b in p.iter(w("bookmarkStart"))]
    before = p.getprevious()
    while before is not None and before.tag == w("bookmarkStart"):
        names.insert(0, before.get(w("name")))
        before = before.getprevious()
    return [n for n in names if n and not n.startswith("_")]


def _mark(p, number: int, anchors: list[str]) -> None:
    ppr = p.find("w:pPr", NS)
    at = 0 if ppr is None else p.index(ppr) + 1
    for style, text in [("PublishP", str(number))] + [("PublishAnchor", name) for name in anchors]:
        run = etree.Element(w("r"))
        etree.SubElement(etree.SubElement(run, w("rPr")), w("rStyle")).set(w("val"), style)
        etree.SubElement(run, w("t")).text = text
        p.insert(at, run)
        at += 1


def language_tag(value: str) -> str:
    """Word's `ja-JP` as the manuscript writes it: `ja`; `zh-TW` → `zh-Hant`, `zh-CN` → `zh-Hans`."""
    value = value.strip()
    if value.lower() in LANGS:
        return LANGS[value.lower()]
    if value.lower().startswith("zh-han"):
        return "zh-" + value[3:].capitalize()
    return value.split("-")[0].lower() if value.lower().startswith(("ja", "ko")) else value


def _languages(tree, default: str) -> set:
    """Give each run tagged with a language other than the document's a `publish-lang-…` style."""
    found = set()
    for run in tree.iter(w("r")):
        lang, rpr = run.find("w:rPr/w:lang", NS), run.find("w:rPr", NS)
        if lang is None or rpr.find("w:rStyle", NS) is not None:
            continue
        text = "".join(t.text or "" for t in run.iter(w("t")))
        value = lang.get(w("eastAsia")) if CJK.search(text) and lang.get(w("eastAsia")) else lang.get(w("val"))
        if not value or not text.strip() or value.split("-")[0].lower() == default.split("-")[0].lower():
            continue
        tag = language_tag(value)
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", tag):
            continue
        found.add(tag)
        style = etree.Element(w("rStyle"))
        style.set(w("val"), "PublishLang" + tag.replace("-", "_"))
        rpr.insert(0, style)
    return found


def _add_styles(package: Package, languages: set) -> None:
    """Declare the marker styles in styles.xml (pandoc names a span by its style's name)."""
    data = package.parts.get("word/styles.xml") or (
        f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}"/>').encode()
    root = _parse(data, "word/styles.xml")
    have = {s.get(w("styleId")) for s in root.iter(w("style"))}
    for ident, name in [("PublishP", "publish-p"), ("PublishAnchor", "publish-anchor"), ("PublishItem", "publish-item"),
                        ("PublishTable", "publish-table")] + [("PublishLang" + t.replace("-", "_"), "publish-lang-" + t) for t in sorted(languages)]:
        if ident not in have:
            style = etree.SubElement(root, w("style"))
            style.set(w("type"), "character")
            style.set(w("customStyle"), "1")
            style.set(w("styleId"), ident)
            etree.SubElement(style, w("name")).set(w("val"), name)
    package.parts["word/styles.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
