"""People and front matter in the built editions: a book by its author (no bios, no "about" page), a
foreword by another, translators, editors; where they are credited (title page, PDF /Author and XMP,
EPUB creators and MARC roles, HTML meta) and that no byline links to a bio the edition lacks."""
from __future__ import annotations

import io
import re
import subprocess
import zipfile

import pikepdf
import pytest
from lxml import etree

from publish import build as pipeline

from .conftest import BOOKS
from .helpers import copy_book

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """tests/books/single-author built in PDF, EPUB and HTML."""
    root = tmp_path_factory.mktemp("single") / "book"
    copy_book(BOOKS / "single-author", root)
    pipeline.build(root, ("html", "pdf", "epub"))
    return root / "build" / "en"


def opf_people(epub: bytes) -> list[tuple[str, str, list[str]]]:
    """(dc element, name, MARC roles) of every creator and contributor in the package."""
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        package = etree.fromstring(z.read("EPUB/content.opf"))
    metadata = package.find(f"{OPF}metadata")
    roles = {}
    for meta in metadata.iter(f"{OPF}meta"):
        if meta.get("property") == "role":
            assert meta.get("scheme") == "marc:relators"
            roles.setdefault(meta.get("refines").lstrip("#"), []).append(meta.text)
    return [(el.tag.replace(DC, ""), el.text, roles.get(el.get("id"), []))
            for el in metadata if el.tag in (f"{DC}creator", f"{DC}contributor")]


def epub_file(epub: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        return etree.fromstring(z.read(f"EPUB/{name}"))


def test_pdf_names_its_author_in_info_and_xmp(single):
    with pikepdf.open(single / "book.pdf") as pdf:
        assert str(pdf.docinfo["/Author"]) == "Jane Doe"
        with pdf.open_metadata() as xmp:
            assert xmp["dc:creator"] == ["Jane Doe"]


def test_pdf_front_matter_in_book_yaml_order(single):
    text = subprocess.run(["pdftotext", "-layout", str(single / "book.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = [re.sub(r"\s+", " ", page).strip() for page in text.split("\f")]
    assert pages[0].startswith("The Lighthouse Keeper A Short Novel")  # the front cover
    assert pages[2] == "The Lighthouse Keeper"  # after the inside cover, the half-title: the title alone
    title_page = next(p for p in pages[2:] if p.startswith("The Lighthouse Keeper A Short Novel"))
    assert "BY Jane Doe" in title_page and "WITH A FOREWORD BY Samuel Reed" in title_page
    order = [next(i for i, p in enumerate(pages) if needle in p) for needle in
             ("BY Jane Doe", "© 2024 Jane Doe", "For my mother", "The sea has neither", "Contents Dedication",
              "Jane Doe first told me", "Arrival The boat", "Bibliography • Stevenson")]
    assert order == sorted(order)
    assert "Edited by" not in text and "EDITED BY" not in text


def test_epub_creator_and_roles(single):
    epub = (single / "book.epub").read_bytes()
    assert opf_people(epub) == [("creator", "Jane Doe", ["aut"]), ("contributor", "Samuel Reed", ["aui"])]
    title = "".join(epub_file(epub, "title-page.xhtml").itertext())
    assert "By Jane Doe" in title and "With a foreword by Samuel Reed" in title


def test_epub_units_carry_their_roles_and_the_contents_its_place(single):
    epub = (single / "book.epub").read_bytes()
    for slug in ("dedication", "epigraph", "foreword", "bibliography"):
        unit = epub_file(epub, f"{slug}.xhtml").find(f".//*[@id='{slug}']")
        assert (unit.get(EPUB_TYPE), unit.get("role")) == (slug, f"doc-{slug}")
        assert unit.get("aria-labelledby") == f"{slug}-title"  # an accessible name, printed or not
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        package = etree.fromstring(z.read("EPUB/content.opf"))
    hrefs = {item.get("id"): item.get("href") for item in package.iter(f"{OPF}item")}
    spine = [hrefs[ref.get("idref")] for ref in package.iter(f"{OPF}itemref")]
    assert spine[:6] == ["cover.xhtml", "title-page.xhtml", "copyright-page.xhtml", "dedication.xhtml",
                         "epigraph.xhtml", "nav.xhtml"]


def test_html_meta_author_and_title_page(single):
    index = (single / "html" / "index.html").read_text()
    assert '<meta name="author" content="Jane Doe">' in index
    assert '<p class="authors">By Jane Doe</p>' in index
    chapter = (single / "html" / "arrival.html").read_text()
    assert '<meta name="author" content="Jane Doe">' in chapter


def test_no_link_to_a_bio_the_edition_lacks(single):
    foreword = (single / "html" / "foreword.html").read_text()
    assert '<p class="byline">Samuel Reed</p>' in foreword
    epub = (single / "book.epub").read_bytes()
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        texts = [z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml")]
    pages = [p.read_text() for p in (single / "html").glob("*.html")]
    assert not [t for t in texts + pages if "bio-" in t]


def test_a_bio_in_the_edition_is_linked(tmp_path):
    root = tmp_path / "book"
    copy_book(BOOKS / "minimal", root)
    pipeline.build(root, ("html",))
    chapter = (root / "build" / "en" / "html" / "chapter.html").read_text()
    assert '<p class="byline"><a href="contributors.html#bio-alan">Alan Turing</a></p>' in chapter
    index = (root / "build" / "en" / "html" / "index.html").read_text()
    assert '<p class="editors">Edited by Ada Lovelace</p>' in index  # an edited book stays edited
    assert '<meta name="author" content="Ada Lovelace">' in index


def test_translated_edition_credits_its_translators(tmp_path):
    root = tmp_path / "book"
    copy_book(BOOKS / "translated", root)
    yaml = root / "manuscript" / "book.yaml"
    yaml.write_text(yaml.read_text().replace("translations: [ja]", "translations: [ja]\nauthors: [ada, alan]\n"
                                             "translators:\n  ja: [ada, alan]"))
    pipeline.build(root, ("html",), only=("en", "ja", "en-ja"))
    en = (root / "build" / "en" / "html" / "index.html").read_text()
    assert '<p class="authors">By Ada Lovelace and Alan Turing</p>' in en
    assert "Translated by" not in en  # the original is not a translation
    ja = (root / "build" / "ja" / "html" / "index.html").read_text()
    # Japanese: the names joined with 、 (no spaces), the role after them
    assert '<p class="authors">エイダ・ラブレス、アラン・チューリング 著</p>' in ja
    assert ja.count('<p class="translators">エイダ・ラブレス、アラン・チューリング 訳</p>') == 2  # title, copyright
    both = (root / "build" / "en-ja" / "html" / "index.html").read_text()  # the bilingual edition: both sides
    assert ('<p lang="en" class="side side-o">Translated by Ada Lovelace and Alan Turing</p>'
            '<p lang="ja" class="side side-t">エイダ・ラブレス、アラン・チューリング 訳</p>') in both


def test_rights_written_once_in_markdown(single):
    epub = (single / "book.epub").read_bytes()
    rights = epub_file(epub, "copyright-page.xhtml").find(f".//{XHTML}p[@class='rights']")
    assert etree.tostring(rights, encoding="unicode", with_tail=False).endswith(
        "© 2024 Jane Doe. <em>All rights reserved.</em></p>")
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        package = etree.fromstring(z.read("EPUB/content.opf"))
    assert package.find(f".//{DC}rights").text == "© 2024 Jane Doe. All rights reserved."  # plain text
    index = (single / "html" / "index.html").read_text()
    assert "<p>© 2024 Jane Doe. <em>All rights reserved.</em></p>" in index


@pytest.fixture(scope="module")
def bilingual_credits(tmp_path_factory):
    """The bilingual title pages of a book by its author (tests/books/stories, en-ja) and of an edited
    book translated into French (tests/books/multilingual, en-fr), HTML, EPUB and PDF, as text."""
    out = {}
    for name, edition in (("stories", "en-ja"), ("multilingual", "en-fr")):
        root = copy_book(BOOKS / name, tmp_path_factory.mktemp(name) / "book")
        assert [str(d) for d in pipeline.build(root, ("html", "pdf", "epub"), only=(edition,))
                if d.severity == "error"] == []
        built = root / "build" / edition
        html = (built / "html" / "index.html").read_text(encoding="utf-8")
        epub = " ".join("".join(p.itertext()) for p in epub_file((built / "book.epub").read_bytes(), "title-page.xhtml").iter(f"{XHTML}p"))
        pdf = subprocess.run(["pdftotext", "-f", "3", "-l", "3", str(built / "book.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout
        out[name] = {"html": " ".join(re.sub(r"<[^>]+>", " ", html).split()), "epub": " ".join(epub.split()),
                     "pdf": " ".join(pdf.split())}
    return out


def test_a_bilingual_title_page_credits_each_role_in_each_languages_order(bilingual_credits):
    """Only the roles the book has (a book by its author printed "Edited by" and "編" with no names in
    its bilingual HTML), each in its language's order: the label after the names in Japanese (森花 著),
    before them in French ("Sous la direction de Ada Lovelace", which the bilingual editions printed
    the Japanese way round)."""
    stories, french = bilingual_credits["stories"], bilingual_credits["multilingual"]
    for fmt in ("html", "epub", "pdf"):
        assert "Edited by" not in stories[fmt] and "EDITED BY" not in stories[fmt] and "編" not in stories[fmt], fmt
        assert "森花 著" in stories[fmt], (fmt, stories[fmt][:400])
        # (the French side follows the English: "… Ada Lovelace Ada Lovelace Sous la direction de …" before)
        assert re.search(r"(?i)sous la direction de ada lovelace", french[fmt]), (fmt, french[fmt][:400])
