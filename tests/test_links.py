"""Links and attributes from an untrusted book: only #id, http:, https: and mailto: links reach an edition,
no attribute the format does not define reaches one, and a note referred to from a note links in every format."""
from __future__ import annotations

import posixpath
import re
import string
import zipfile
from dataclasses import replace
from pathlib import Path

import lxml.html
import pikepdf
import pytest
import tinyhtml5
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from publish import build as pipeline
from publish import model as m
from publish.convert import convert
from publish.diagnostics import BookError
from publish.read import Source, parse_sources
from publish.render.html import render_site
from publish.render.inline import InlineRenderer
from publish.styles import Styles
from publish.walk import map_paras

from .conftest import BOOKS
from .helpers import copy_book

NOTE_IN_NOTE = """# On Machines

Machines can compute^1^ and more.^2^

::: endnotes
1. Turing, Alan. See also note 3.^3^
2. Second note, which note 3 explains.^3^
3. Third note, referred to only from notes 1 and 2.
:::
"""


# A note referred to from another note -------------------------------------------------------------
@pytest.fixture(scope="module")
def note_in_note(tmp_path_factory):
    book = tmp_path_factory.mktemp("notes") / "book"
    copy_book(BOOKS / "minimal", book)
    (book / "manuscript" / "chapter.md").write_text(NOTE_IN_NOTE, encoding="utf-8")
    diagnostics = pipeline.build(book, ("html", "pdf", "epub"), only=("en",))
    assert [str(d) for d in diagnostics] == []
    return book / "build" / "en"


def _dangling(pages: dict[str, etree._Element], site=None) -> list[str]:
    """Every internal href of these pages (path -> parsed page) whose file or id does not exist;
    `site`: the folder of the pages, where a link leaving it (another edition, a download) must resolve."""
    ids = {path: set(page.xpath("//@id")) for path, page in pages.items()}
    problems = []
    for path, page in pages.items():
        for href in page.xpath("//*[local-name()='a']/@href"):
            if re.match(r"[a-z]+:", href):
                continue
            target, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)) if target else path
            if site is not None and target.startswith("../"):
                if not (site / target).resolve().is_file():
                    problems.append(f"{path}: {href}")
                continue
            if target not in ids or (fragment and fragment not in ids[target]):
                problems.append(f"{path}: {href}")
    return problems


def _hrefs_of(page, ident: str) -> list[str]:
    return page.xpath(f"//*[@id='{ident}']//*[local-name()='a']/@href")


def test_a_note_referred_to_from_a_note_links_in_the_html(note_in_note):
    site = note_in_note / "html"
    pages = {p.name: lxml.html.fromstring(p.read_bytes()) for p in site.glob("*.html")}
    assert _dangling(pages, site) == []
    chapter = pages["chapter.html"]
    assert "chapter.html#chapter-note-3" in _hrefs_of(chapter, "chapter-note-1")
    assert "#chapter-ref-3" in _hrefs_of(chapter, "chapter-note-3")  # back to where note 1 refers to it


def test_a_note_referred_to_from_a_note_links_in_the_epub(note_in_note):
    with zipfile.ZipFile(note_in_note / "book.epub") as epub:
        pages = {name: etree.fromstring(epub.read(name)) for name in epub.namelist() if name.endswith(".xhtml")}
    assert _dangling(pages) == []
    chapter = next(page for name, page in pages.items() if name.endswith("/chapter.xhtml"))
    assert "#chapter-note-3" in _hrefs_of(chapter, "chapter-note-1")
    assert "#chapter-ref-3" in _hrefs_of(chapter, "chapter-note-3")


def test_a_note_referred_to_from_a_note_links_in_the_pdf(note_in_note):
    with pikepdf.open(note_in_note / "book.pdf") as pdf:
        names = set(pikepdf.NameTree(pdf.Root.Names.Dests).keys())
        dests = [str(annot.get("/Dest") or annot.A.D) for page in pdf.pages for annot in page.get("/Annots", [])
                 if annot.get("/Subtype") == "/Link" and ("/Dest" in annot or annot.A.get("/S") == "/GoTo")]
    assert {"chapter-note-3", "chapter-ref-3"} <= set(dests)
    assert sorted(set(dests) - names) == []


# Links: the scheme as a browser reads it --------------------------------------------------------
def browser_scheme(url: str) -> str:
    """The scheme a browser finds, following the WHATWG URL standard's steps one by one."""
    start, end = 0, len(url)
    while start < end and ord(url[start]) <= 0x20:  # leading C0 control or space
        start += 1
    while end > start and ord(url[end - 1]) <= 0x20:  # trailing
        end -= 1
    chars = [c for c in url[start:end] if c not in "\t\n\r"]
    if not chars or chars[0] not in string.ascii_letters:  # scheme start state
        return ""
    scheme = ""
    for c in chars:  # scheme state
        if c in string.ascii_letters + string.digits + "+-.":
            scheme += c.lower()
        elif c == ":":
            return scheme
        else:
            return ""
    return ""


def _mixed_case(word: str):
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda ups: "".join(c.upper() if up else c for c, up in zip(word, ups)))


_JUNK = st.text(alphabet=st.sampled_from([chr(c) for c in range(0x21)] + ["\u00a0", "\u200b"]), max_size=3)
_SCHEME = st.sampled_from(["javascript", "vbscript", "data", "file", "ftp", "tel", "http", "https", "mailto", "c"])
_NOISY_SCHEME = st.tuples(_SCHEME.flatmap(_mixed_case), st.integers(0, 12), st.sampled_from(["", "\t", "\n", "\r", " ", "%", "\x01"])
                          ).map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:])
URLS = st.one_of(
    st.tuples(_JUNK, _NOISY_SCHEME, st.sampled_from([":", "&colon;", ""]), st.text(max_size=8), _JUNK).map("".join),
    st.text(max_size=12),
)


def _markdown_destination(url: str) -> str:
    """`url` as a CommonMark link destination that reads back exactly (each odd character an entity)."""
    return "<" + "".join(c if c.isascii() and c.isalnum() else f"&#x{ord(c):x};" for c in url) + ">"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(URLS, min_size=1, max_size=25))
def test_a_link_passes_iff_a_browser_finds_an_allowed_scheme_or_none(urls):
    text = "\n\n".join(f"[link {i}]({_markdown_destination(url)})" for i, url in enumerate(urls))
    source = Source(("file", "x.md"), "manuscript/x.md", 1, text)
    assert parse_sources({source.key: source}, {source.key: source}) == []
    converted = convert(source, "x")
    links = [item for block in converted.blocks for item in block.content if isinstance(item, m.Link)]
    assert [link.url for link in links] == [url.replace("\0", "\ufffd") for url in urls]
    refused = {d.line for d in converted.diagnostics if d.code == "link-scheme"}
    for i, link in enumerate(links):
        allowed = browser_scheme(link.url) in ("", "http", "https", "mailto")
        assert (2 * i + 1 not in refused) == allowed, repr(link.url)


def _href(url: str) -> str:
    """The href a browser reads from the HTML the renderer writes for a link to `url`."""
    html = InlineRenderer(lambda ident: "page.html#" + ident, {})((m.Link(url, (m.Text("x"),)),))
    return tinyhtml5.parse(f"<p>{html}</p>").find(".//{http://www.w3.org/1999/xhtml}a").get("href")


@pytest.mark.parametrize("url", ["https://example.org/a?b=1&c=<2>", "mailto:a@example.org", "HTTP://EXAMPLE.ORG"])
def test_an_allowed_link_is_written_as_it_is(url):
    assert _href(url) == url
    assert _href("#chapter") == "page.html#chapter"


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "\x01java\tscript:alert(1)",
                                 "data:text/html,x", "vbscript:x", "file:///etc/passwd", "other.md", "//evil.example/"])
def test_a_link_check_would_refuse_is_never_written(url):
    with pytest.raises(ValueError, match="refusing to write a link"):
        _href(url)


def test_a_site_with_a_refused_link_is_not_rendered():
    """With the check bypassed, the renderer itself refuses: the site is not made at all."""
    book, diagnostics = pipeline.load(BOOKS / "minimal")
    assert diagnostics == []
    evil = (m.Text("click "), m.Link("javascript:alert(document.cookie)", (m.Text("here"),)))
    units = tuple(replace(u, blocks=map_paras(u.blocks, lambda b: b.content + evil)) for u in book.units)
    styles = Styles.for_book(BOOKS / "minimal")
    with pytest.raises(BookError, match="refusing to write a link to 'javascript:alert"):
        render_site(replace(book, units=units), styles, styles.labels("en"))


# Images: a relative file path inside the project, nothing else ----------------------------------
IMAGES = ["javascript:alert(1)", " JaVaScRiPt:x.png", "java&#x9;script:x.png", "data:image/png;base64,iVBORw0KGgo=",
          "file:///etc/passwd", "//evil.example/x.png", "https://example.org/x.png", "../../outside.png"]


def test_an_image_must_be_a_file_in_the_project(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "minimal", book)
    chapter = book / "manuscript" / "chapter.md"
    figures = "".join(f'![Figure {i}](<{src}> "alt")\n\n' for i, src in enumerate(IMAGES))
    chapter.write_text(chapter.read_text().replace("## A Section", figures + "## A Section"))
    _book, diagnostics = pipeline.load(book)
    first = chapter.read_text().splitlines().index('![Figure 0](<javascript:alert(1)> "alt")') + 1
    refused = {d.line for d in diagnostics if d.code in ("image-outside", "file-missing")}
    assert refused == {first + 2 * i for i in range(len(IMAGES))}


# Attributes: none reaches the model unless the format defines it --------------------------------
def test_unknown_attributes_are_reported_and_reach_nothing():
    chapter = (BOOKS / "broken-attr-unknown" / "manuscript" / "chapter.md").read_text()
    source = Source(("file", "chapter.md"), "manuscript/chapter.md", 1, chapter)
    parse_sources({source.key: source}, {source.key: source})
    converted = convert(source, "chapter")
    reported = [d.message for d in converted.diagnostics if d.code == "attr-unknown"]
    assert len(reported) == 7
    model = repr(converted.blocks) + repr(converted.endnotes)
    for value in ("alert", "onclick", "onload", "onerror", "onmouseover", "_blank", "unnumbered"):
        assert value not in model
    assert "zh-Hant" in model  # the attribute the format does define is kept
