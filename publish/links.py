"""Turn every edition's rendered documents into `link-broken` diagnostics: each internal href reaches a page and an id.

`publish check` renders every edition (publish.build.check_templates); the pages are handed here:
the HTML site, the PDF's single document (tagged and press), the EPUB's XHTML (navigation included),
and the bilingual editions. A link made by a template (a byline, a note's backlink, the contents)
is checked as the EPUB and HTML validators would check it, before they run. A broken link is
reported where it comes from: the manuscript paragraph of its enclosing `data-seg`, else the
book.yaml entry of the unit whose page holds it, else book.yaml. The same link broken in several
editions is one diagnostic naming them.
"""
from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path, PurePosixPath

from lxml import etree
from lxml import html as lxml_html

from . import model as m
from .diagnostics import Diagnostic, error
from .walk import blocks_of, field_blocks
from .yamlmap import load_file

BOOK_YAML = "manuscript/book.yaml"
PAGE = re.compile(r"\.x?html?$", re.I)
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FORMAT_NAMES = {"html": "HTML", "ua": "PDF", "print": "press PDF", "epub": "EPUB"}
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def parse_html(data) -> etree._Element | None:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        return lxml_html.document_fromstring(text.encode("utf-8"))
    except (etree.ParserError, ValueError):
        return None


def parse_xhtml(data: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(data, XML_PARSER)
    except etree.XMLSyntaxError:
        return None


def dangling(pages: dict, outside=frozenset()) -> list[tuple[str, etree._Element, str]]:
    """(page, element, href) for every `a`/`area` href without a scheme whose page or id does not exist.
    `pages`: path -> parsed root; a link to a file that is not a page (a stylesheet, an image) is not followed.
    `outside`: the paths (relative to the pages' folder) outside it that the build makes (another edition's
    site, the edition's PDF and EPUB); any other link leaving the folder is dangling."""
    ids = {path: set(root.xpath("//@id")) for path, root in pages.items()}
    out = []
    for path, root in pages.items():
        for element in root.xpath("//*[local-name()='a' or local-name()='area'][@href]"):
            href = element.get("href").strip()
            if SCHEME.match(href):
                continue
            target, _, fragment = href.partition("#")
            page = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) if target else path
            if page.startswith("../"):
                if page not in outside:
                    out.append((path, element, href))
            elif page not in ids:
                if not PAGE.search(target):
                    continue
                out.append((path, element, href))
            elif fragment and fragment not in ids[page]:
                out.append((path, element, href))
    return out


class LinkCheck:
    """Collects the rendered documents of every edition, then reports each broken link once."""

    def __init__(self, book: m.Book, root, styles=None):
        self.book, self.root = book, root
        self.templates = own_templates(root, styles)
        self.found: dict[tuple, dict] = {}  # (pos, target) -> {edition: [formats]}
        self.texts: dict[tuple, str] = {}  # (pos, target) -> the link's text
        self.segs = seg_positions(book)
        self.entries = None  # unit slug -> its book.yaml line, read when first needed

    # What check_templates hands over ---------------------------------------------------------
    def site(self, edition: str, files: dict | None, outside=frozenset()) -> None:
        if files:
            self.pages(edition, "html", {p: parse_html(d) for p, d in files.items() if PAGE.search(p)}, outside)

    def single(self, edition: str, variant: str, rendered: tuple | None) -> None:
        if rendered:
            self.pages(edition, variant, {"book.html": parse_html(rendered[0])})

    def epub_docs(self, edition: str, rendered: tuple | None) -> None:
        if rendered:
            self.pages(edition, "epub", {doc.name: doc.tree.getroot() if hasattr(doc.tree, "getroot") else doc.tree
                                         for doc in rendered[0]})

    def epub_zip(self, edition: str, data: bytes | None) -> None:
        from .zipfile_repro import read_zip

        if data:
            self.pages(edition, "epub", {p: parse_xhtml(d) for p, d in read_zip(data).items() if PAGE.search(p)})

    def pages(self, edition: str, fmt: str, pages: dict, outside=frozenset()) -> None:
        pages = {path: root for path, root in pages.items() if root is not None}
        for path, element, href in dangling(pages, outside):
            key = (self.where(path, element), self.what(href))
            if key not in self.texts:  # the link as the first edition (the original's) words it
                self.texts[key] = " ".join("".join(element.itertext()).split())
            formats = self.found.setdefault(key, {}).setdefault(edition, [])
            if fmt not in formats:
                formats.append(fmt)

    # The report ----------------------------------------------------------------------------
    def diagnostics(self) -> list[Diagnostic]:
        out = []
        for (pos, what), editions in self.found.items():
            text = self.texts[pos, what]
            where = "; ".join(f"{name}: {', '.join(FORMAT_NAMES[f] for f in fmts)}" for name, fmts in editions.items())
            link = f"the link '{text}'" if text else "a link"
            out.append(error(pos.path, pos.line, f"{link} leads to {what} ({where})",
                             "link-broken"))
        return out

    @staticmethod
    def what(href: str) -> str:
        target, _, fragment = href.partition("#")
        return (f"'#{fragment}', an id no page of the edition has" if fragment
                else f"'{PurePosixPath(target).name}', a page the edition does not have")

    def where(self, path: str, element) -> m.Pos:
        """The manuscript place a rendered element comes from."""
        for ancestor in (element, *element.iterancestors()):
            seg = ancestor.get("data-seg")
            if seg is None and "pair" in (ancestor.get("class") or "").split():
                seg = next(iter(ancestor.xpath(".//@data-seg")), None)  # a bilingual pair: the original's side
            if seg in self.segs:
                return self.segs[seg]
        href = element.get("href")
        for path, text in self.templates:  # written as it is by a template of the book's own styles/
            if f'"{href}"' in text or f"'{href}'" in text:
                at = text.find(f'"{href}"') if f'"{href}"' in text else text.find(f"'{href}'")
                return m.Pos(path, text.count("\n", 0, at) + 1)
        slug = PurePosixPath(path).stem
        for ancestor in element.iterancestors():  # in one document of every unit (PDF), the unit's own element
            if ancestor.get("id") in self.units():
                slug = ancestor.get("id")
                break
        return m.Pos(BOOK_YAML, self.units().get(slug, self.units().get(slug.removesuffix("-text"), 1)))

    def units(self) -> dict[str, int]:
        """Unit slug -> the line of its entry in book.yaml's contents."""
        if self.entries is None:
            meta, lines, _ = load_file(self.root, BOOK_YAML)
            self.entries = {}
            for i, entry in enumerate((meta or {}).get("contents") or []):
                if isinstance(entry, dict):
                    name = entry.get("generate") or PurePosixPath(str(entry.get("file", ""))).stem
                    self.entries.setdefault(str(name), lines.get(("contents", i), 1))
        return self.entries


def own_templates(root, styles) -> list[tuple[str, str]]:
    """(path relative to the book, text) of every template in the book's own styles/ (not the defaults)."""
    from . import confine
    from .styles import MAX_TEMPLATE

    root = Path(root).resolve()
    out = []
    for folder in (d / "templates" for d in (styles.dirs if styles else ()) if d.is_relative_to(root)):
        for path in sorted(Path(top, f) for top, _, files in os.walk(folder) for f in files):
            if path.is_file() and not path.is_symlink():
                try:
                    data = confine.read_bytes(path, [folder], MAX_TEMPLATE)
                except OSError:
                    continue
                out.append((path.relative_to(root).as_posix(), data.decode("utf-8", errors="replace")))
    return out


def seg_positions(book: m.Book) -> dict[str, m.Pos]:
    """Segment id -> where its text is written, for every block that carries one."""
    out: dict[str, m.Pos] = {}
    for block in field_blocks(book):
        if getattr(block, "seg", None):
            out.setdefault(block.seg, block.pos)
    for unit in book.units:
        out.setdefault(unit.title_seg, unit.pos)
        for block in blocks_of(unit.blocks + tuple(b for note in unit.notes for b in note.blocks)):
            if getattr(block, "seg", None):
                out.setdefault(block.seg, block.pos)
    return out
