"""The EPUB edition opened as a reading system opens it (zip + OPF + XHTML through lxml): notes, navigation,
metadata that claims only what the content has, page breaks where the print edition's pages begin,
reproducible bytes, and the referees (EPUBCheck, Ace) on the result."""
from __future__ import annotations

import io
import os
import posixpath
import re
import unicodedata
import zipfile

import pytest
from lxml import etree

from publish import build as pipeline
from publish.referees import RefereeUnavailable
from publish.render.epub import render_epub
from publish.render.pagelist import block_text
from publish.render.html import render_site
from publish.render.inline import plain
from publish.styles import Styles

from . import flagship as shared
from .conftest import BOOKS, REPO

XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
SOURCE_DATE = 1614556800  # 2021-03-01T00:00:00Z
REQUIRED = os.environ.get("PUBLISH_REFEREES_REQUIRED", "") not in ("", "0")


class Reader:
    """An EPUB as a reading system sees it: the container, the package, the spine, the nav."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        opf_path = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        self.base = posixpath.dirname(opf_path)
        self.opf = etree.fromstring(self.zip.read(opf_path))
        self.items = {item.get("id"): item for item in self.opf.iter(f"{OPF}item")}
        self.spine = [self.items[ref.get("idref")].get("href") for ref in self.opf.iter(f"{OPF}itemref")]
        self.docs = {item.get("href"): etree.fromstring(self.read(item.get("href")))
                     for item in self.items.values() if item.get("media-type") == "application/xhtml+xml"}
        self.nav_href = next(i.get("href") for i in self.items.values() if "nav" in (i.get("properties") or "").split())
        self.nav = self.docs[self.nav_href]

    def read(self, href: str) -> bytes:
        return self.zip.read(posixpath.normpath(posixpath.join(self.base, href)))

    def resolve(self, doc: str, href: str):
        """(document, element) an internal link reaches, or None."""
        page, _, fragment = href.partition("#")
        page = posixpath.normpath(posixpath.join(posixpath.dirname(doc), page)) if page else doc
        tree = self.docs.get(page)
        if tree is None:
            return None
        if not fragment:
            return page, tree
        found = tree.xpath("//*[@id=$i]", i=fragment)
        return (page, found[0]) if found else None

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iter(f"{OPF}meta") if m.get("property") == prop and not m.get("refines")]

    def refines(self, ident: str, prop: str) -> list[str]:
        return [m.text for m in self.opf.iter(f"{OPF}meta") if m.get("refines") == f"#{ident}" and m.get("property") == prop]

    def dc(self, name: str) -> list:
        return list(self.opf.iter(f"{DC}{name}"))

    def nav_list(self, kind: str):
        navs = self.nav.xpath("//x:nav[@epub:type=$k]", k=kind,
                              namespaces={"x": XHTML[1:-1], "epub": EPUB_TYPE[1:-1].rsplit("}", 1)[0]})
        return navs[0] if navs else None

    def spine_stream(self):
        """('page', id) and ('text', str) in reading order: what a reader meets, without backlinks."""
        for href in self.spine:
            yield from _stream(self.docs[href].find(f"{XHTML}body"))


def _stream(el):
    if el.get("role") == "doc-backlink" or el.get("hidden") is not None:
        return
    if el.get("role") == "doc-pagebreak":
        yield "page", el.get("id")
    if el.text:
        yield "text", el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from _stream(child)
        if child.tail:
            yield "text", child.tail


def squeeze(text: str) -> str:
    """Text compared across PDF and EPUB: no whitespace, no hyphens (hyphenation), case folded."""
    return re.sub(r"[\s\-\u2010\u2011\u00ad]", "", unicodedata.normalize("NFKC", text)).casefold()


def referee(fn, path):
    try:
        return fn(path)
    except RefereeUnavailable as exc:
        if REQUIRED:
            pytest.fail(str(exc))
        pytest.skip(str(exc))


# Fixtures ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kit(flagship):
    styles = Styles.for_book(REPO)
    return flagship, styles, styles.labels(flagship.language)


@pytest.fixture(scope="module")
def epub_bytes(kit):
    book, styles, labels = kit
    return render_epub(book, styles, labels, source_date=SOURCE_DATE, root=REPO)


@pytest.fixture(scope="module")
def reader(epub_bytes):
    return Reader(epub_bytes)


def synthetic_page_map(book):
    """Pages at a unit's title, at word starts inside paragraphs and an endnote, a blank page, and
    one the EPUB does not have; with what each page must start with."""
    fukuda = book.unit("fukuda")
    paras = [b for b in fukuda.blocks if type(b).__name__ == "Para"]
    long_para = max(paras, key=lambda p: len(plain(p.content)))
    pages = [{"id": None, "seg": None, "offset": 0},                       # 1: blank
             {"id": "book-title", "seg": None, "offset": 0},               # 2: the title page
             {"id": "fukuda-title", "seg": "fukuda.title", "offset": 0}]   # 3: a unit's first page
    for para in (paras[1], long_para):                                     # 4, 5: mid-paragraph
        words = [m.start() for m in re.finditer(r"(?<= )\S", " ".join(plain(para.content).split()))]
        pages.append({"id": None, "seg": para.seg, "offset": words[len(words) // 2]})
    pages.append({"id": "print-only-element", "seg": None, "offset": 0})  # 6: not in the EPUB
    pages.append({"id": "fukuda-note-3", "seg": None, "offset": 12, "label": "9"})  # 7: in a note
    return {"pages": pages}


@pytest.fixture(scope="module")
def paged(kit):
    book, styles, labels = kit
    page_map = synthetic_page_map(book)
    return page_map, Reader(render_epub(book, styles, labels, source_date=SOURCE_DATE, root=REPO, page_map=page_map))


# Package -----------------------------------------------------------------------------------------
def test_zip_is_an_epub_container_with_fixed_order_and_times(epub_bytes):
    archive = zipfile.ZipFile(io.BytesIO(epub_bytes))
    infos = archive.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/epub+zip"
    assert epub_bytes[30:38] == b"mimetype"  # first local header, no extra field: as the OCF asks
    names = [i.filename for i in infos[1:]]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(2021, 3, 1, 0, 0, 0)}


def test_two_builds_give_the_same_bytes(kit, epub_bytes):
    book, _, _ = kit
    again, _ = pipeline.load(REPO)  # read from disk again, not the same objects
    styles = Styles.for_book(REPO)
    assert render_epub(again, styles, styles.labels(book.language), source_date=SOURCE_DATE, root=REPO) == epub_bytes


def test_modification_date_comes_from_the_source_date(kit, reader):
    book, styles, labels = kit
    assert reader.meta("dcterms:modified") == ["2021-03-01T00:00:00Z"]
    later = Reader(render_epub(book, styles, labels, source_date=SOURCE_DATE + 86400 + 61, root=REPO))
    assert later.meta("dcterms:modified") == ["2021-03-02T00:01:01Z"]
    assert later.dc("identifier")[0].text == reader.dc("identifier")[0].text  # same book, same id


def test_a_chapter_a_file_in_reading_order(kit, reader):
    book, _, labels = kit
    units = [f"{u.slug}.xhtml" for u in book.units]
    assert reader.spine[:4] == ["cover.xhtml", "title-page.xhtml", "copyright-page.xhtml", reader.nav_href]
    assert reader.spine[4:4 + len(units)] == units
    for unit in book.units:
        h1 = reader.docs[f"{unit.slug}.xhtml"].findall(f".//{XHTML}h1")
        assert len(h1) == 1 and " ".join("".join(h1[0].itertext()).split()) == plain(unit.title)


# Notes -------------------------------------------------------------------------------------------
def test_every_noteref_resolves_and_every_backlink_returns(kit, reader):
    book, _, _ = kit
    notes, refs = {}, []
    for href in reader.spine:
        for el in reader.docs[href].iter(f"{XHTML}*"):
            if el.get(EPUB_TYPE) == "endnote":
                notes[(href, el.get("id"))] = el
            if el.get(EPUB_TYPE) == "noteref":
                refs.append((href, el))
    assert len(notes) == sum(len(u.notes) for u in book.units) == 132
    reached = set()
    for href, ref in refs:
        doc, target = reader.resolve(href, ref.get("href"))
        assert target.get(EPUB_TYPE) == "endnote", ref.get("href")
        assert target.getparent().getparent().get(EPUB_TYPE) == "endnotes"
        reached.add((doc, target.get("id")))
    assert reached == set(notes)
    for (href, ident), note in notes.items():
        backlinks = note.xpath(".//x:a[@role='doc-backlink']", namespaces={"x": XHTML[1:-1]})
        assert backlinks, ident
        doc, back = reader.resolve(href, backlinks[0].get("href"))
        assert back.get(EPUB_TYPE) == "noteref"
        assert reader.resolve(doc, back.get("href")) == (href, note)


def test_note_ids_are_the_html_editions(kit, reader):
    book, styles, labels = kit
    pattern = re.compile(r'id="([a-z0-9-]+-(?:note|ref)-\d+(?:-\d+)?)"')
    html_ids = {i for text in render_site(book, styles, labels).values() for i in pattern.findall(text.decode("utf-8", "replace"))}
    epub_ids = {i for tree in reader.docs.values() for i in tree.xpath("//@id") if pattern.fullmatch(f'id="{i}"')}
    assert epub_ids == html_ids and len(epub_ids) >= 2 * 132


# Navigation --------------------------------------------------------------------------------------
def test_nav_lists_the_units_in_order_and_every_entry_resolves(kit, reader):
    book, _, labels = kit
    toc = reader.nav_list("toc")
    top = toc.find(f"{XHTML}ol").findall(f"{XHTML}li")
    titles = [" ".join("".join(li.find(f"{XHTML}a").itertext()).split()) for li in top]
    assert titles == [plain(u.title) for u in book.units] + [labels["back_cover"]]
    for a in toc.iter(f"{XHTML}a"):
        assert reader.resolve(reader.nav_href, a.get("href")), a.get("href")


def test_landmarks_reach_cover_contents_body_and_endnotes(kit, reader):
    book, _, _ = kit
    marks = [(a.get(EPUB_TYPE), a.get("href")) for a in reader.nav_list("landmarks").iter(f"{XHTML}a")]
    kinds = [k for k, _ in marks]
    assert kinds[:3] == ["cover", "toc", "bodymatter"]
    assert kinds.count("endnotes") == sum(1 for u in book.units if u.notes)
    first_body = next(u for u in book.units if u.part == "body")
    assert dict(marks[:3])["bodymatter"] == f"{first_body.slug}.xhtml"
    for kind, href in marks:
        doc, target = reader.resolve(reader.nav_href, href)
        if kind == "cover":
            assert target.find(f".//{XHTML}img").get(EPUB_TYPE) == "cover"
        if kind == "endnotes":  # the endnotes' heading, first thing in their section
            assert target.getparent().get(EPUB_TYPE) == "endnotes" and target.getprevious() is None
    assert reader.nav_list("page-list") is None  # no page map, no page list


# Metadata ----------------------------------------------------------------------------------------
def test_package_metadata_is_the_books(kit, reader):
    book, _, _ = kit
    assert reader.opf.get(XML_LANG) == book.language
    assert [e.text for e in reader.dc("language")] == [book.language]
    titles = {e.get("id"): e.text for e in reader.dc("title")}
    assert titles == {"title": book.title, "subtitle": book.subtitle}
    assert reader.refines("title", "title-type") == ["main"] and reader.refines("subtitle", "title-type") == ["subtitle"]
    creators = reader.dc("creator")
    assert [c.text for c in creators] == [p.name for p in book.editors]
    assert all(reader.refines(c.get("id"), "role") == ["edt"] for c in creators)
    authors = list(dict.fromkeys(p.name for u in book.units for p in u.authors))
    contributors = reader.dc("contributor")
    assert [c.text for c in contributors] == authors
    assert all(reader.refines(c.get("id"), "role") == ["aut"] for c in contributors)
    assert all(m.get("scheme") == "marc:relators" for m in reader.opf.iter(f"{OPF}meta") if m.get("property") == "role")
    assert [e.text for e in reader.dc("publisher")] == [book.publisher]
    assert [e.text for e in reader.dc("date")] == [book.date]
    assert [e.text for e in reader.dc("rights")] == [book.rights]
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", reader.dc("identifier")[0].text)
    assert reader.dc("source") == [] and reader.meta("pageBreakSource") == []


def test_every_foreign_language_run_carries_its_language(kit, reader):
    book, _, _ = kit
    spans = 0
    for href in reader.spine:
        root = reader.docs[href]
        assert root.get(XML_LANG) == root.get("lang") == book.language
        for el in root.iter(f"{XHTML}*"):
            if el.get("lang") and el is not root:
                spans += 1
                assert el.get(XML_LANG) == el.get("lang")

        def walk(el, lang):
            lang = el.get(XML_LANG) or lang
            for text in (el.text, *(c.tail for c in el if isinstance(c.tag, str))):
                assert not (text and CJK.search(text) and lang == book.language), (href, text)
            for child in el:
                if isinstance(child.tag, str):
                    walk(child, lang)

        walk(root, book.language)
    assert spans >= 1


def test_accessibility_metadata_claims_only_what_the_content_has(reader):
    every = [img for href in reader.spine for img in reader.docs[href].iter(f"{XHTML}img")]
    cover = [img for img in every if img.get(EPUB_TYPE) == "cover"]
    assert len(cover) == 1 and cover[0].get("alt").strip()  # the cover does not make the book visual
    imgs = [img for img in every if img not in cover]
    features = reader.meta("schema:accessibilityFeature")
    modes = reader.meta("schema:accessMode")
    assert "textual" in modes and ("visual" in modes) == bool(imgs)
    all_alt = all((img.get("alt") or "").strip() for img in imgs)
    assert ("alternativeText" in features) == (bool(imgs) and all_alt)
    assert "pageNavigation" not in features and "pageBreakMarkers" not in features  # no page list here
    assert {"tableOfContents", "readingOrder", "structuralNavigation"} <= set(features)
    assert "MathML" not in features
    assert reader.meta("schema:accessibilityHazard") == ["none"]
    assert ("textual" in reader.meta("schema:accessModeSufficient")) == all_alt
    assert reader.meta("schema:accessibilitySummary")[0]
    assert reader.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    assert reader.meta("a11y:certifiedBy")


def test_an_image_without_alt_text_loses_the_claims():
    root = BOOKS / "epub-image-noalt"
    book, diagnostics = pipeline.load(root)
    assert [d.code for d in diagnostics if d.severity == "error"] == ["image-alt"]  # `publish check` says so
    styles = Styles.for_book(root)
    r = Reader(render_epub(book, styles, styles.labels(book.language), source_date=SOURCE_DATE, root=root))
    figure_img = r.docs["chapter.xhtml"].find(f".//{XHTML}figure//{XHTML}img")
    assert not figure_img.get("alt") and r.read(figure_img.get("src"))[:4] == b"\x89PNG"
    assert "alternativeText" not in r.meta("schema:accessibilityFeature")
    assert "visual" in r.meta("schema:accessMode")
    assert r.meta("schema:accessModeSufficient") == ["textual,visual"]
    assert r.meta("dcterms:conformsTo") == [] and r.meta("a11y:certifiedBy") == []
    assert "no text alternative" in r.meta("schema:accessibilitySummary")[0]


# Page list ---------------------------------------------------------------------------------------
def test_page_breaks_land_where_the_page_map_says(paged):
    page_map, r = paged
    breaks = {}
    for href, tree in r.docs.items():
        for span in tree.iter(f"{XHTML}span"):
            if span.get(EPUB_TYPE) == "pagebreak":
                assert span.get("role") == "doc-pagebreak" and span.get("id") not in breaks
                breaks[span.get("id")] = (href, span)
    assert len(breaks) == len(page_map["pages"])
    for number, entry in enumerate(page_map["pages"], 1):
        href, span = breaks[f"page-{number}"]
        assert span.get("aria-label") == str(entry.get("label") or number)
        key = entry["id"] or entry["seg"]
        found = r.docs[href].xpath("//*[@id=$k or @data-seg=$k]", k=key) if key else []
        if key and found:
            block = found[0]
            assert span in block.iter(), (number, key)
            after = []
            started = False
            for kind, value in _stream(block):
                started = started or (kind, value) == ("page", span.get("id"))
                if started and kind == "text":
                    after.append(value)
            assert block_text(block)[entry["offset"]:] == " ".join("".join(after).split()), (number, key)
        else:  # no text of its own: right before the next page's break
            nxt = breaks.get(f"page-{number + 1}")
            assert nxt and span.getnext() is nxt[1] and not (span.tail or "").strip(), number


def test_page_list_lists_every_page_in_order(paged):
    page_map, r = paged
    entries = r.nav_list("page-list").findall(f".//{XHTML}a")
    assert [a.text for a in entries] == [str(e.get("label") or n) for n, e in enumerate(page_map["pages"], 1)]
    for n, a in enumerate(entries, 1):
        doc, target = r.resolve(r.nav_href, a.get("href"))
        assert target.get("id") == f"page-{n}"
    assert r.dc("source") and r.meta("pageBreakSource") == [r.dc("source")[0].text]
    assert {"pageNavigation", "pageBreakMarkers"} <= set(r.meta("schema:accessibilityFeature"))


@pytest.fixture(scope="module")
def printed(kit):
    """The English PDF edition as built and its page map (tests/flagship.py: laid out once for the run),
    and the EPUB of the same typeset book with that page map."""
    pypdf = pytest.importorskip("pypdf")
    _, styles, labels = kit
    book = shared.book("en")
    pdf, page_map = shared.laid_out("en")
    texts = [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]
    epub = render_epub(book, styles, labels, source_date=SOURCE_DATE, root=REPO, page_map=page_map)
    return page_map, texts, epub


def test_each_page_break_stands_where_that_pdf_page_begins(printed):
    """The text after page N's break (within its block) is on PDF page N; the block's text before it,
    when the page begins inside a block, on page N-1."""
    page_map, texts, epub = printed
    assert len(page_map["pages"]) == len(texts)
    r = Reader(epub)
    breaks = {span.get("id"): span for tree in r.docs.values() for span in tree.iter(f"{XHTML}span")
              if span.get("role") == "doc-pagebreak"}
    wrong, placed = [], 0
    for n, entry in enumerate(page_map["pages"], 1):
        span = breaks[f"page-{n}"]
        keys = {k for k in (entry.get("id"), entry.get("seg")) if k}
        block = next((a for a in span.iterancestors() if keys & {a.get("id"), a.get("data-seg")}), None)
        if block is None:
            continue  # a page without text of its own: placed right before the next (synthetic test)
        placed += 1
        stream = list(_stream(block))
        i = stream.index(("page", span.get("id")))
        after = squeeze("".join(v for k, v in stream[i + 1:] if k == "text"))[:24]
        before = squeeze("".join(v for k, v in stream[:i] if k == "text"))[-24:]
        if after not in squeeze(texts[n - 1]):
            wrong.append((n, "starts", after))
        elif before and before not in squeeze(texts[n - 2]):
            wrong.append((n, "previous page ends", before))
    assert placed >= len(page_map["pages"]) // 2
    assert wrong == [], f"{placed - len(wrong)} of {placed} pages match the PDF; these do not: {wrong}"


# Referees ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def epub_files(tmp_path_factory, epub_bytes, kit):
    book, styles, labels = kit
    out = tmp_path_factory.mktemp("epub")
    (out / "book.epub").write_bytes(epub_bytes)
    paged = render_epub(book, styles, labels, source_date=SOURCE_DATE, root=REPO, page_map=synthetic_page_map(book))
    (out / "book-paged.epub").write_bytes(paged)
    return [out / "book.epub", out / "book-paged.epub"]


@pytest.mark.parametrize("which", [0, 1], ids=["plain", "page-list"])
def test_epubcheck_finds_no_error_and_no_warning(epub_files, which):
    from publish.referees import epubcheck

    assert [str(f) for f in referee(epubcheck.check_epub, epub_files[which])] == []


@pytest.mark.parametrize("which", [0, 1], ids=["plain", "page-list"])
def test_ace_finds_no_violation(epub_files, which):
    from publish.referees import ace

    assert [str(f) for f in referee(ace.check_epub, epub_files[which])] == []
