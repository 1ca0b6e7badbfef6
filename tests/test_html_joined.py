"""The HTML editions joined up: links between editions and to downloads, the bilingual language
choice kept across pages, no horizontal overflow, the bilingual contents, the EPUB's wording."""
from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from lxml import html as lxml_html

from publish import build as pipeline
from publish.links import dangling, parse_html
from publish.render.epub import accessibility, documents, figure_images
from publish.styles import Styles


REPO = Path(__file__).resolve().parent.parent
TRANSLATED = REPO / "tests" / "books" / "translated"
EDITIONS = ("en", "ja", "en-ja")


def pages_of(out: Path) -> dict[Path, lxml_html.HtmlElement]:
    return {p: lxml_html.fromstring(p.read_bytes()) for p in sorted(out.glob("*/html/*.html"))}


def leaving(root) -> list:
    """Every link of a page that leaves its site's folder."""
    return [a for a in root.xpath("//a[@href]") if a.get("href").startswith("../")]


@pytest.fixture(scope="module")
def translated_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("translated-html")
    pipeline.build(TRANSLATED, ("html",), out)
    return out


def test_every_page_links_to_the_other_editions_and_every_link_resolves(translated_html):
    pages = pages_of(translated_html)
    assert {p.parent.parent.name for p in pages} == set(EDITIONS)
    for path, root in pages.items():
        edition = path.parent.parent.name
        targets = {}
        for a in leaving(root):
            resolved = (path.parent / a.get("href")).resolve()
            assert resolved.is_file(), f"{path.relative_to(translated_html)}: {a.get('href')} does not resolve"
            targets[a.get("href")] = a
        others = {f"../../{e}/html/index.html" for e in EDITIONS if e != edition}
        assert set(targets) == others  # an html-only build: no PDF or EPUB to link to
        for href, a in targets.items():
            lang = href.split("/")[2].split("-")[0]
            assert a.get("hreflang") == lang
            assert a.xpath(".//span/@lang")[0] == lang
        current = root.xpath("//nav[@class='editions']//*[@aria-current]")
        assert [s.get("lang") for s in current[0].xpath(".//span[@lang]")] == edition.split("-")


def test_downloads_are_linked_only_when_the_build_holds_them(tmp_path):
    """An EPUB made by this build, or carried over from the previous one, is linked; no PDF ever made is not."""
    for formats in (("html", "epub"), ("html",)):
        pipeline.build(TRANSLATED, formats, tmp_path)
        for edition in EDITIONS:
            root = lxml_html.fromstring((tmp_path / edition / "html" / "index.html").read_bytes())
            downloads = root.xpath("//nav[@class='editions']//ul[@class='downloads']//a")
            assert [(a.get("href"), a.get("type"), a.get("hreflang")) for a in downloads] == [
                ("../book.epub", "application/epub+zip", edition.split("-")[0])]
            assert (tmp_path / edition / "html" / "../book.epub").resolve().is_file()
            assert not (tmp_path / edition / "book.pdf").exists()


def test_the_link_checker_knows_the_links_between_editions_and_reports_others():
    loaded = pipeline.load_all(TRANSLATED)
    assert [str(d) for d in pipeline.check_templates(TRANSLATED, loaded)] == []
    page = parse_html('<p><a href="../../ja/html/index.html">ja</a> <a href="../../xx/html/index.html">xx</a>'
                      ' <a href="../book.pdf">pdf</a> <a href="../book-print.pdf">press</a></p>')
    found = [href for _, _, href in dangling({"index.html": page}, {"../../ja/html/index.html", "../book.pdf"})]
    assert found == ["../../xx/html/index.html", "../book-print.pdf"]


def test_bilingual_contents_is_a_two_language_list_with_authors(flagship_build, flagship):
    root = lxml_html.fromstring((flagship_build / "en-ja" / "html" / "index.html").read_bytes())
    items = root.xpath("//nav[contains(@class, 'toc')]/ol/li")
    assert len(items) == len(flagship.units)
    for li, unit in zip(items, flagship.units):
        sides = li.xpath("./*[contains(@class, 'side')]")
        assert [s.get("lang") for s in sides] == ["en", "ja"]
        assert all(s.xpath("./a/@href") == [f"{unit.slug}.html"] for s in sides)
        authors = [s.xpath("string(.//*[@class='toc-authors'])") for s in sides]
        if unit.authors:
            assert authors[0].startswith(unit.authors[0].name) and authors[1], unit.slug
        else:
            assert authors == ["", ""]


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_index_has_one_copyright_notice(flagship_build, flagship, edition):
    text = (flagship_build / edition / "html" / "index.html").read_text(encoding="utf-8")
    root = lxml_html.fromstring(text)
    assert root.xpath("//section[@class='copyright']/@aria-label") not in (["Title page"], ["扉"])
    rights = flagship.rights if edition != "ja" else root.xpath("string(//section[@class='copyright']/p[1])")
    assert rights and text.count(rights) == 1


def test_the_epub_summary_names_languages_and_the_page_source_says_whose_pdf_it_is(flagship):
    from lxml import etree

    from publish.render.epub import Doc

    styles = Styles.for_book(REPO)
    labels = styles.labels("en")
    body = "".join(f'<p lang="{code}" xml:lang="{code}">x</p>' for code in ("la", "de", "fr", "it", "pt-BR"))
    tree = etree.ElementTree(etree.fromstring(f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>'))
    summary = accessibility(flagship, [Doc("a.xhtml", tree, "a")], [], labels).summary
    assert "Passages in Latin, German, French, Italian and Portuguese are marked with their language." in summary
    summary_ja = accessibility(flagship, [Doc("a.xhtml", tree, "a")], [], styles.labels("ja")).summary
    assert "ラテン語" in summary_ja and "ポルトガル語" in summary_ja
    assert "publish toolchain" in labels["print_edition"] and "{publisher}" not in labels["print_edition"]


def test_long_abbreviation_terms_leave_the_epub_term_column(flagship):
    css = (REPO / "styles" / "css" / "epub.css").read_text()
    assert "dl.abbreviations dt.long { float: none; }" in css
    longest = max(flagship.abbreviations, key=lambda a: len(a.abbr)).abbr
    styles = Styles.for_book(REPO)
    docs, _ = documents(flagship, styles, styles.labels("en"), figure_images(flagship, REPO))
    terms = [dt for d in docs for dt in d.tree.iter("{http://www.w3.org/1999/xhtml}dt")]
    long = {"".join(dt.itertext()) for dt in terms if dt.get("class") == "long"}
    assert longest in long and "USCYBERCOM" in long


# In Chromium ------------------------------------------------------------------------------------
OVERFLOW = """() => { const width = document.documentElement.clientWidth; let worst = 0;
  for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect();
    if (r.width && r.right - width > worst) worst = r.right - width; }
  return [document.documentElement.scrollWidth - width, Math.ceil(worst)]; }"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_of_any_site_overflows_sideways(browser, flagship_build, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    over = {}
    for path in sorted(flagship_build.glob("*/html/*.html")):
        page.goto(path.resolve().as_uri())
        scroll, worst = page.evaluate(OVERFLOW)
        if scroll > 0 or worst > 0:
            over[str(path.relative_to(flagship_build))] = (scroll, worst)
    page.close()
    assert over == {}


def test_the_language_choice_persists_across_pages(browser, flagship_build):
    site = flagship_build / "en-ja" / "html"
    context = browser.new_context(viewport={"width": 390, "height": 900})
    page = context.new_page()
    page.goto((site / "index.html").resolve().as_uri())
    switch = page.locator(".language-switch")
    labels = switch.locator("label")
    tops = [labels.nth(i).bounding_box()["y"] for i in range(labels.count())]
    assert max(tops) - min(tops) < 8  # the switch's choices sit on one line at 390 px
    for i in range(labels.count()):
        assert labels.nth(i).bounding_box()["height"] < 30  # no label wraps
    page.click("label[for=show-t]")
    assert page.locator("p.side-o").first.is_hidden()
    page.goto((site / "introduction.html").resolve().as_uri())
    assert page.is_checked("#show-t")
    assert page.locator(".pair .side-o").first.is_hidden() and page.locator(".pair .side-t").first.is_visible()
    page.click("label[for=show-both]")
    page.goto((site / "index.html").resolve().as_uri())
    assert page.is_checked("#show-both") and page.locator("p.side-o").first.is_visible()
    context.close()


def test_without_javascript_every_page_shows_both_languages_and_the_switch_works(browser, flagship_build):
    site = flagship_build / "en-ja" / "html"
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "introduction.html").resolve().as_uri())
    assert page.is_checked("#show-both")
    assert page.locator(".pair .side-o").first.is_visible() and page.locator(".pair .side-t").first.is_visible()
    page.click("label[for=show-o]")
    assert page.locator(".pair .side-t").first.is_hidden()
    page.goto((site / "fukuda.html").resolve().as_uri())
    assert page.is_checked("#show-both") and page.locator(".pair .side-t").first.is_visible()
    context.close()


@pytest.mark.parametrize("edition", ["ja", "en-ja"])
def test_no_japanese_text_in_the_contents_is_set_in_fake_italics(browser, flagship_build, edition):
    page = browser.new_page()
    page.goto((flagship_build / edition / "html" / "index.html").resolve().as_uri())
    styles = page.evaluate("""() => [...document.querySelectorAll('.toc *')]
        .filter(e => e.closest('[lang]').lang === 'ja' && e.textContent.trim())
        .map(e => getComputedStyle(e).fontStyle)""")
    page.close()
    assert styles and set(styles) == {"normal"}
