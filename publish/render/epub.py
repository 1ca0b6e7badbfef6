"""Turn the Book model into the EPUB 3 edition: the HTML edition's block macros as XHTML, packaged by ebooklib.

One XHTML file a unit (`styles/templates/epub/unit.xhtml`), plus a cover, a title page, a
copyright page, the navigation document (contents, landmarks, page list) and, when the book has
one, the back-cover text. The cover image is drawn from the book's metadata (typography only).
The accessibility metadata is derived from what the rendered XHTML holds. The zip is rewritten
reproducibly (`publish.zipfile_repro`): the same book and `source_date` give the same bytes.

The page breaks and the page list come from the print edition's page map (`page_map=`): its shape
and how a page's place is found are in publish.render.pagelist.
"""
from __future__ import annotations

import io
import os
import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from ebooklib import epub
from lxml import etree

from .. import confine
from .. import model as m
from ..notes import note_pages
from ..diagnostics import BookError, error
from ..metadata import EPUB_RESERVED
from ..styles import Styles
from ..walk import blocks_of
from ..zipfile_repro import read_zip, write_zip
from .html import anchors, date_display, environment
from . import credits, jlreq, phrases
from .cover import CJK, cover_lines, cover_png
from .inline import plain
from .pagelist import Page, place_page_breaks
from .tategaki import CSS as VERTICAL_CSS, RENDITION, vertical_opf

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FOLDER = "EPUB"
CSS = "css/epub.css"
MAX_IMAGE_BYTES = 50_000_000  # one figure image
COVER_IMAGE = "cover.png"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
#: Labels (styles/locale/*.yaml) this module uses besides those of the HTML edition's templates.
LABELS = ("cover", "cover_alt", "cover_alt_join", "copyright_page", "back_cover", "landmarks", "page_list", "bodymatter",
          "endnotes_of", "print_edition", "language_names", "a11y_certified_by", "a11y_summary", "edited_by",
          "contents", "list_separator", "and")
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}
CJK_LANGUAGES = {"ja", "zh", "ko"}
#: The template of each document; another edition (the bilingual one) names its own.
TEMPLATES = {"cover": "epub/cover.xhtml", "titlepage": "epub/titlepage.xhtml", "copyright": "epub/copyright.xhtml",
             "nav": "epub/nav.xhtml", "unit": "epub/unit.xhtml", "backcover": "epub/backcover.xhtml"}


@dataclass
class Doc:
    """One XHTML file of the spine."""

    name: str  # file name inside EPUB/
    tree: etree._ElementTree
    uid: str


@dataclass
class A11y:
    """What the accessibility metadata says, and why."""

    access_modes: list = field(default_factory=list)
    sufficient: list = field(default_factory=list)
    features: list = field(default_factory=list)
    hazards: list = field(default_factory=list)
    conforms: bool = False
    summary: str = ""


def render_epub(book: m.Book, styles: Styles, labels: dict, *, page_map: dict | None = None,
                source_date: datetime | int | float | None = None, root: Path | None = None) -> bytes:
    """The EPUB file's bytes. `source_date` (a datetime or Unix time) dates the package and the zip
    entries (default: the book's publication date); `root` (the book directory) is needed only to
    read the images of image figures."""
    check_labels(book, labels)
    when = modified(book, source_date)
    images = figure_images(book, root)
    docs, nav = documents(book, styles, labels, images)
    pages = place_page_breaks(docs, page_map) if page_map else []
    if pages:
        nav.add_page_list(pages)
    a11y = accessibility(book, docs, pages, labels)
    return package(book, labels, docs, cover_png(book, labels), images, pages, a11y, when,
                   source=(page_map or {}).get("source"),
                   css=styles.read(CSS) + (styles.read(VERTICAL_CSS) if book.vertical else b""))


def check_labels(book: m.Book, labels: dict) -> None:
    missing = [key for key in LABELS if key not in labels]
    if missing:
        base = book.language.split("-")[0]
        raise BookError([error(f"styles/locale/{base}.yaml", 1, f"label '{key}' missing: the EPUB edition needs it",
                               "template-error") for key in missing])


# Dates and identity ------------------------------------------------------------------------------
def modified(book: m.Book, source_date) -> datetime:
    """The moment the package says it was last modified (UTC, whole seconds)."""
    if isinstance(source_date, datetime):
        when = source_date if source_date.tzinfo else source_date.replace(tzinfo=timezone.utc)
    elif source_date is not None:
        when = datetime.fromtimestamp(int(source_date), timezone.utc)
    else:
        parts = [int(p) for p in book.date.split("-")] + [1, 1]
        when = datetime(parts[0], parts[1], parts[2], tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).replace(microsecond=0)


def identifier(book: m.Book, translated: m.Book | None = None) -> str:
    """A stable identifier: the same title, publisher, date and language (and, for a bilingual
    edition, the translation's language) give the same urn:uuid."""
    key = "\n".join((book.title, book.subtitle, book.publisher, book.date, book.language))
    if translated is not None:
        key += "\n" + translated.language
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, key)}"


# XHTML documents ---------------------------------------------------------------------------------
def styles_env(book, styles, labels, page_of: dict, current: list):
    """The HTML edition's environment in EPUB mode; links are relative to the file `current[0]`."""

    def href(ident: str) -> str:
        page = page_of.get(ident, "nav.xhtml")
        if page == current[0]:
            return f"#{ident}"
        return page if ident == page.rsplit(".", 1)[0] else f"{page}#{ident}"

    return environment(book, styles, labels, href, epub=True)


def nav_text(items) -> tuple:
    """Inlines fit for a navigation label: no note references, links unwrapped."""
    out = []
    for item in items:
        if isinstance(item, m.NoteRef):
            continue
        if isinstance(item, m.Link):
            out.extend(nav_text(item.children))
        elif hasattr(item, "children"):
            out.append(replace(item, children=nav_text(item.children)))
        else:
            out.append(item)
    return tuple(out)


def unit_file(unit: m.Unit) -> str:
    return f"{unit.slug}-text.xhtml" if unit.slug in EPUB_RESERVED else f"{unit.slug}.xhtml"


class Nav:
    """The navigation document: rendered without its page list, which is added once pages are placed."""

    def __init__(self, styles, env, context, template="epub/nav.xhtml", bilingual=False):
        self.styles, self.env, self.context, self.template = styles, env, context, template
        self.doc = Doc("nav.xhtml", parse(phrases.apply(jlreq.apply(styles.render(env, template, **context, pages=[]), bilingual))), "nav")

    def add_page_list(self, pages: list[Page]) -> None:
        full = parse(self.styles.render(self.env, self.template, **self.context, pages=pages))
        page_list = full.find(f".//{{{XHTML}}}nav[@{{{OPS}}}type='page-list']")
        self.doc.tree.getroot().find(f"{{{XHTML}}}body").append(page_list)


def parse(text: str):
    return etree.ElementTree(etree.fromstring(text.encode("utf-8"), PARSER))


def documents(book, styles, labels, images, templates: dict | None = None, setup=None,
              translated=None) -> tuple[list[Doc], Nav]:
    """The spine's documents in reading order (the navigation document among them).

    `templates`: TEMPLATES to replace; `setup(env, page_of)`, if given, adds to the templates'
    environment and to the map of ids to files before anything is rendered. `translated`: a bilingual
    edition's translation (its titles are on the cover)."""
    templates = {**TEMPLATES, **(templates or {})}
    page_of = {"contents": "nav.xhtml", "toc": "nav.xhtml", "book-title": "title-page.xhtml"}
    for unit in book.units:
        for ident in anchors(unit):
            page_of[ident] = unit_file(unit)
        if unit.kind == "contributors":
            for person in book.contributors:
                page_of[f"bio-{person.id}"] = unit_file(unit)
    files = {unit.slug: unit_file(unit) for unit in book.units}
    page_of.update((ident, files[slug]) for ident, slug in note_pages(book).items())
    current = [""]
    env = styles_env(book, styles, labels, page_of, current)
    if setup is not None:
        setup(env, page_of)

    def doc(name, template, uid, **context):
        current[0] = name
        tree = parse(phrases.apply(jlreq.apply(styles.render(env, template, css=CSS, **context), bilingual=translated is not None)))
        for img in tree.iter(f"{{{XHTML}}}img"):
            if img.get("src") in images:
                img.set("src", images[img.get("src")][0])
        return Doc(name, tree, uid)

    cover_text = labels["cover_alt_join"].join(text for _, text in cover_lines(book, labels, translated))
    docs = [doc("cover.xhtml", templates["cover"], "cover", cover_src=COVER_IMAGE,
                cover_alt=labels["cover_alt"].format(text=cover_text))]
    toc, landmarks = [], [{"type": "cover", "href": "cover.xhtml", "title": labels["cover"]},
                          {"type": "toc", "href": "nav.xhtml#toc", "title": labels["contents"]}]
    nav_at = None  # where the contents go in the spine (the half-title is the print edition's only)

    def matter(index):
        nonlocal nav_at
        for kind in book.matter_before(index):
            if kind == "title-page":
                docs.append(doc("title-page.xhtml", templates["titlepage"], "title-page"))
            elif kind == "copyright":
                docs.append(doc("copyright-page.xhtml", templates["copyright"], "copyright-page"))
            elif kind == "contents":
                nav_at = len(docs)

    for i, unit in enumerate(book.units):
        matter(i)
        name = unit_file(unit)
        docs.append(doc(name, templates["unit"], f"text-{i + 1}", unit=unit, index=i))
        sections = [{"href": f"{name}#{h.id}", "title": nav_text(h.content), "children": ()}
                    for h in blocks_of(unit.blocks) if isinstance(h, m.Heading) and h.level == 2 and h.id]
        toc.append({"href": name, "title": nav_text(unit.title), "children": sections})
    body = next((u for u in book.units if u.part == "body"), book.units[0] if book.units else None)
    if body is not None:
        landmarks.append({"type": "bodymatter", "href": unit_file(body), "title": labels["bodymatter"]})
    for unit in book.units:
        if unit.notes:
            landmarks.append({"type": "endnotes", "href": f"{page_of[unit.slug + '-endnotes']}#{unit.slug}-endnotes",
                              "title": labels["endnotes_of"].format(title=plain(unit.title))})
    matter(len(book.units))
    if book.back_cover:
        docs.append(doc("back-cover.xhtml", templates["backcover"], "back-cover"))
        toc.append({"href": "back-cover.xhtml", "title": (m.Text(labels["back_cover"]),), "children": ()})
    current[0] = "nav.xhtml"
    nav = Nav(styles, env, {"css": CSS, "toc": toc, "landmarks": landmarks}, templates["nav"], translated is not None)
    docs.insert(len(docs) if nav_at is None else nav_at, nav.doc)  # where the print edition has its contents
    return docs, nav


PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def figure_images(book: m.Book, root: Path | None) -> dict:
    """Manuscript src -> (path in the EPUB, bytes, media type) for every image figure."""
    out = {}
    for unit in book.units:
        for block in blocks_of(unit.blocks):
            if isinstance(block, m.Figure) and block.image and block.image.src not in out:
                if root is None:
                    raise ValueError("render_epub needs root= (the book directory) to read figure images")
                try:
                    source = confine.inside(Path(root) / "manuscript" / block.image.src, [root])
                    data = confine.read_bytes(source, [root], MAX_IMAGE_BYTES)
                except OSError as exc:
                    reason = exc.reason if isinstance(exc, confine.Refused) else exc.strerror
                    raise BookError([error(block.pos.path, block.pos.line,
                                           f"cannot read image '{block.image.src}': {reason}", "image-outside")]) from None
                inside = source.relative_to(Path(root).resolve()).as_posix()
                media_type = MEDIA_TYPES.get(source.suffix.lower(), "application/octet-stream")
                out[block.image.src] = (f"media/{inside}", data, media_type)
    return out


# Accessibility -----------------------------------------------------------------------------------
def accessibility(book: m.Book, docs: list[Doc], pages: list[Page], labels: dict) -> A11y:
    """The schema.org accessibility properties of what the XHTML holds (not of what it might hold)."""
    texts = labels["a11y_summary"]
    every = [img for d in docs for img in d.tree.iter(f"{{{XHTML}}}img")]
    # The cover (an image of the title page's text, with that text as its alternative) does not
    # make the book visual; every image, the cover too, needs a text alternative to conform.
    imgs = [img for img in every if img.get(f"{{{OPS}}}type") != "cover"]
    missing_alt = sum(1 for img in every if not (img.get("alt") or "").strip())
    headings = any(d.tree.find(f".//{{{XHTML}}}h2") is not None for d in docs)
    untagged, languages = language_check(book, docs)
    broken = broken_links(docs)
    notes = sum(len(u.notes) for u in book.units)
    not_reproduced = sum(1 for u in book.units for b in blocks_of(u.blocks) if isinstance(b, m.Figure) and not b.image)

    a = A11y()
    a.access_modes = ["textual"] + (["visual"] if imgs else [])
    a.sufficient = (["textual"] if not missing_alt else []) + (["textual,visual"] if imgs else [])
    a.features = ["tableOfContents", "readingOrder"] + (["structuralNavigation"] if headings else [])
    if imgs and not missing_alt:
        a.features.append("alternativeText")
    if pages:
        a.features += ["pageNavigation", "pageBreakMarkers"]
    if any(el.get("role") for d in docs for el in d.tree.iter(f"{{{XHTML}}}*")):
        a.features.append("ARIA")
    a.hazards = ["none"]  # no sound, no motion, no flashing: the model has no media of that kind
    reasons = []
    if missing_alt:
        reasons.append(texts["images_missing_alt"].format(missing=missing_alt, count=len(every)))
    if untagged:
        reasons.append(texts["untagged_language"])
    if broken:
        reasons.append(texts["broken_links"])
    a.conforms = not reasons

    summary = [texts["conforms"] if a.conforms else texts["not_conforms"].format(reasons="; ".join(reasons)),
               texts["navigation"]]
    if notes:
        summary.append(texts["notes"].format(count=notes))
    if languages:
        names = labels["language_names"]
        named = [names.get(code) or names.get(code.split("-")[0], code) for code in languages]
        listed = named[0] if len(named) == 1 else labels["list_separator"].join(named[:-1]) + f" {labels['and']} " + named[-1]
        summary.append(texts["languages"].format(languages=listed))
    if pages:
        summary.append(texts["pages"].format(count=len(pages)))
    if imgs and not missing_alt:
        summary.append(texts["images_alt"].format(count=len(imgs)))
    if not_reproduced:
        summary.append(texts["figures_not_reproduced_one" if not_reproduced == 1 else "figures_not_reproduced"]
                       .format(count=not_reproduced))
    a.summary = " ".join(summary)
    return a


def language_check(book: m.Book, docs: list[Doc]) -> tuple[int, list[str]]:
    """(runs of Chinese, Japanese or Korean script whose language is none of those, the languages
    other than the book's that are marked, in the order met)."""
    untagged, seen = 0, []

    def walk(el, lang):
        nonlocal untagged
        lang = el.get(XML_LANG) or el.get("lang") or lang
        if lang != book.language and lang not in seen:
            seen.append(lang)
        east_asian = lang.split("-")[0] in CJK_LANGUAGES
        if el.text and not east_asian and CJK.search(el.text):
            untagged += 1
        for child in el:
            if isinstance(child.tag, str):
                walk(child, lang)
            if child.tail and not east_asian and CJK.search(child.tail):
                untagged += 1

    for d in docs:
        walk(d.tree.getroot(), book.language)
    return untagged, seen


def broken_links(docs: list[Doc]) -> int:
    ids = {d.name: {el.get("id") for el in d.tree.iter() if isinstance(el.tag, str) and el.get("id")} for d in docs}
    broken = 0
    for d in docs:
        for a in d.tree.iter(f"{{{XHTML}}}a"):
            href = a.get("href") or ""
            if re.match(r"[a-z][a-z0-9+.-]*:", href):
                continue
            page, _, frag = href.partition("#")
            page = page or d.name
            if page not in ids or (frag and frag not in ids[page]):
                broken += 1
    return broken


# Package -----------------------------------------------------------------------------------------
def serialize(tree) -> bytes:
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8", doctype="<!DOCTYPE html>")


def package(book, labels, docs, cover, images, pages, a11y, when, source, css,
            translation: tuple[m.Book, str] | None = None) -> bytes:
    """Everything as an EPUB 3 package (ebooklib), then the OPF fixed and the zip made reproducible.

    `translation`: for a bilingual edition, (the translated Book, its full title): its language and
    title are the package's too, after the original's."""
    translated, translated_title = translation or (None, "")
    eb = epub.EpubBook()
    eb.set_identifier(identifier(book, translated))
    eb.title = book.title
    eb.add_metadata("DC", "title", book.title, {"id": "title"})
    eb.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if book.subtitle:
        eb.add_metadata("DC", "title", book.subtitle, {"id": "subtitle"})
        eb.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    eb.set_language(book.language)
    if translated is not None:
        eb.add_metadata("DC", "language", translated.language)
        eb.add_metadata("DC", "title", translated_title, {"id": "title-tr", XML_LANG: translated.language})
    credits.add_to_package(eb, book, translated.language if translated is not None else None)  # MARC roles
    eb.add_metadata("DC", "publisher", book.publisher)
    eb.add_metadata("DC", "date", book.date)
    eb.add_metadata("DC", "rights", book.rights)
    if pages:  # the print edition whose page numbers the page list gives (EPUB 3.3: pageBreakSource)
        print_edition = source or labels["print_edition"].format(
            title=book.title, publisher=book.publisher, date=date_display(book, labels))
        eb.add_metadata("DC", "source", print_edition)
        eb.add_metadata(None, "meta", print_edition, {"property": "pageBreakSource"})
    if book.series:
        eb.add_metadata(None, "meta", book.series, {"property": "belongs-to-collection", "id": "series"})
        eb.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
    for prop, values in (("accessMode", a11y.access_modes), ("accessModeSufficient", a11y.sufficient),
                         ("accessibilityFeature", a11y.features), ("accessibilityHazard", a11y.hazards),
                         ("accessibilitySummary", [a11y.summary])):
        for value in values:
            eb.add_metadata(None, "meta", value, {"property": f"schema:{prop}"})
    if a11y.conforms:
        eb.add_metadata(None, "meta", CONFORMS_TO, {"property": "dcterms:conformsTo"})
        eb.add_metadata(None, "meta", labels["a11y_certified_by"], {"property": "a11y:certifiedBy"})

    for prop, value in RENDITION if book.vertical else ():  # a vertical book (render/tategaki.py)
        eb.add_metadata(None, "meta", value, {"property": prop})
    eb.set_cover(COVER_IMAGE, cover, create_page=False)
    eb.add_item(epub.EpubItem(uid="css", file_name=CSS, media_type="text/css", content=css))
    for i, (path, data, media_type) in enumerate(sorted(images.values())):
        eb.add_item(epub.EpubItem(uid=f"image-{i + 1}", file_name=path, media_type=media_type, content=data))
    spine = []
    for d in docs:
        item = epub.EpubItem(uid=d.uid, file_name=d.name, media_type="application/xhtml+xml", content=serialize(d.tree))
        if d.uid == "nav":
            item.properties = ["nav"]
        spine.append(eb.add_item(item))
    eb.spine = spine

    raw = io.BytesIO()
    epub.write_epub(raw, eb, {"epub2_guide": False, "epub3_landmark": False, "epub3_pages": False,
                              "mtime": when, "raise_exceptions": True})
    entries = read_zip(raw.getvalue())
    opf = f"{FOLDER}/content.opf"
    entries[opf] = fix_opf(entries[opf], book)
    return write_zip(entries, when=when, first=("mimetype",), stored=("mimetype",))


def fix_opf(data: bytes, book: m.Book) -> bytes:
    """What ebooklib cannot say: the package's language; no NCX reference, no redundant prefix."""
    root = etree.fromstring(data)
    root.set(XML_LANG, book.language)
    root.attrib.pop("prefix", None)  # ebooklib declares `rendition:`, a reserved prefix
    spine = root.find(f"{{{OPF}}}spine")
    spine.attrib.pop("toc", None)  # no NCX: EPUB 3 reading systems use the navigation document
    if book.vertical:
        vertical_opf(root)
    for meta in root.iter(f"{{{OPF}}}meta"):
        if meta.get("name") == "generator":
            meta.getparent().remove(meta)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
