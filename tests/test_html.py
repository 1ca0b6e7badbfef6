"""The HTML edition as a reader and a screen reader get it: structure, landmarks, links, escaping."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from publish import build as pipeline

from .conftest import BOOKS
from .helpers import copy_book


def build_minimal(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "minimal", book)
    pipeline.build(book, ("html",))
    return book / "build" / "en" / "html"


def test_minimal_chapter_matches_golden(tmp_path, golden):
    site = build_minimal(tmp_path)
    golden(BOOKS.parent / "golden" / "minimal-chapter.html", (site / "chapter.html").read_text(encoding="utf-8"))


def test_every_page_has_landmarks_one_h1_and_a_skip_link(flagship_html):
    for page in sorted(flagship_html.glob("*.html")):
        tree = lxml_html.parse(str(page))
        assert tree.getroot().get("lang") == "en"
        assert len(tree.xpath("//h1")) == 1, page.name
        assert len(tree.xpath("//main[@id='main']")) == 1
        assert tree.xpath("//header") and tree.xpath("//footer")
        skip = tree.xpath("//a[@class='skip-link']")[0]
        assert skip.get("href") == "#main" and tree.getroot().index(tree.xpath("//body")[0]) >= 0


def test_contents_is_a_nav_linking_every_unit(flagship, flagship_html):
    tree = lxml_html.parse(str(flagship_html / "index.html"))
    links = tree.xpath("//nav[@role='doc-toc']//a/@href")
    assert links == [f"{u.slug}.html" for u in flagship.units]
    for href in links:
        assert (flagship_html / href).exists()


def test_internal_links_resolve_across_pages(flagship_html):
    ids = {p.name: set(lxml_html.parse(str(p)).xpath("//@id")) for p in flagship_html.glob("*.html")}
    for page in flagship_html.glob("*.html"):
        for href in lxml_html.parse(str(page)).xpath("//a/@href"):
            if href.startswith(("http:", "https:")):
                continue
            target, _, fragment = href.partition("#")
            if target.startswith("../"):  # another edition's site or a download (tests/test_html_joined.py)
                assert (page.parent / target).resolve().is_file(), (page.name, href)
                continue
            target = target or page.name
            assert target in ids, (page.name, href)
            assert not fragment or fragment in ids[target], (page.name, href)


def test_abbreviations_are_a_definition_list(flagship_html):
    tree = lxml_html.parse(str(flagship_html / "abbreviations.html"))
    assert len(tree.xpath("//dl/div/dt/abbr")) == 41
    assert len(tree.xpath("//dl/div/dd")) == 41


def test_bylines_link_to_bios(flagship_html):
    tree = lxml_html.parse(str(flagship_html / "introduction.html"))
    assert tree.xpath("//p[@class='byline']/a/@href") == ["contributors.html#bio-kennedy", "contributors.html#bio-onuorah"]
    bios = lxml_html.parse(str(flagship_html / "contributors.html"))
    assert len(bios.xpath("//div[@class='bio']")) == 7


TOKENS = list("abcXYZ <>&\"'=/;") + ["蔡", "日本", "<script>", "&amp;", "é", "{.x}", "--"]
TEXT = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=20).map(
    lambda parts: " ".join("".join(parts).split())).filter(lambda s: s[:1].isalpha())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=TEXT, body=TEXT)
def test_manuscript_text_never_becomes_markup(tmp_path_factory, title, body):
    """Whatever text a manuscript holds reaches the reader as that text, never as markup."""
    tmp = tmp_path_factory.mktemp("prop")
    book = tmp / "book"
    copy_book(BOOKS / "minimal", book)
    escaped = "".join("\\" + c if c in "<>&\\*_[]`^~#{}" else c for c in body)
    (book / "manuscript" / "preface.md").write_text(f"# Preface\n\n{escaped}\n", encoding="utf-8")
    meta = (book / "manuscript" / "book.yaml").read_text(encoding="utf-8")
    (book / "manuscript" / "book.yaml").write_text(meta.replace("title: A Small Book", "title: " + json.dumps(title)), encoding="utf-8")
    pipeline.build(book, ("html",))
    page = lxml_html.parse(str(book / "build" / "en" / "html" / "preface.html"))
    assert page.xpath("//main//p/text()")[0] == body
    assert page.xpath("//title/text()")[0] == f"Preface — {title}"
    assert not page.xpath("//script")
