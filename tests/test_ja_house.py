"""The Japanese edition's house details, read back from the built ja PDF, HTML and EPUB: bylines,
the contents' title, signatures, 編 after the names, emphasis without synthetic italics, and
metadata (PDF /Title, XMP dc:title, bookmarks) without kinsoku's word joiners and with the text's "："."""
from __future__ import annotations

import re
import zipfile

import pdfplumber
import pikepdf
import pytest

from publish import build as pipeline
from publish import model as m
from publish.render import kinsoku
from publish.render.inline import plain
from publish.weasy import import_weasyprint

from . import flagship as shared
from .conftest import REPO

CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
JOINER = "\u2060"
LEADING = 17.5  # the Japanese edition's line pitch (print.css)


@pytest.fixture(scope="module")
def ja(tmp_path_factory):
    """The flagship's ja edition (PDF, EPUB, HTML) and its translated Book."""
    out = shared.built(tmp_path_factory)  # tests/flagship.py: built once for the whole run
    book = pipeline.load_all(REPO, only=("ja",)).translated["ja"]
    return out / "ja", book


@pytest.fixture(scope="module")
def pages(ja):
    with pdfplumber.open(ja[0] / "book.pdf") as pdf:
        yield [(page.extract_text_lines(), page.chars) for page in pdf.pages]


def _opener(pages, unit):
    """(page index, its lines, the index of the line after the title) of a unit's opener page."""
    title = plain(unit.title)
    for index, (lines, _) in enumerate(pages):
        big = [i for i, line in enumerate(lines) if line["chars"][0]["size"] > 20]
        if big and "".join(lines[i]["text"] for i in big).replace(" ", "") == title.replace(" ", ""):
            return index, lines, big[-1] + 1
    raise AssertionError(f"no opener titled {title!r}")


def _left_edge(lines):
    return min(line["x0"] for line in lines)


def test_kinsoku_leaves_the_head_alone():
    html = "<html><head><title>日台関係：機会と課題</title></head><body><p>日台関係：機会</p></body></html>"
    assert kinsoku.apply(html) == ("<html><head><title>日台関係：機会と課題</title></head>"
                                   f"<body><p>日台関係{JOINER}：機会</p></body></html>")
    assert kinsoku.release(kinsoku.apply("<p>「私たち」、</p>")) == "<p>「私たち」、</p>"


def test_the_pdf_title_and_xmp_carry_the_texts_colon_and_no_joiner(ja):
    folder, book = ja
    assert "：" not in book.title and book.subtitle
    title = f"{book.title}：{book.subtitle}"
    with pikepdf.open(folder / "book.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == title
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == title


def test_the_bookmarks_carry_no_joiner(ja):
    folder, book = ja
    with pikepdf.open(folder / "book.pdf") as pdf, pdf.open_outline() as outline:
        titles, stack = [], list(outline.root)
        while stack:
            item = stack.pop()
            titles.append(item.title)
            stack.extend(item.children)
    assert [t for t in titles if JOINER in t] == []
    for unit in book.units:  # each unit's title is a bookmark, as printed (kinsoku holds in the text)
        assert plain(unit.title) in titles


def test_every_byline_stands_at_the_text_blocks_left_edge_in_regular_gothic_with_space_below(ja, pages):
    units = [u for u in ja[1].units if u.authors]
    assert len(units) >= 5
    for unit in units:
        index, lines, after_title = _opener(pages, unit)
        byline, below = lines[after_title], lines[after_title + 1]
        assert byline["text"] == "、".join(p.name for p in unit.authors)  # joined with 、, no spaces
        assert abs(byline["x0"] - _left_edge(lines)) < 0.5, (unit.slug, byline["x0"])  # not indented
        fonts = {c["fontname"].split("+")[-1] for c in byline["chars"] if CJK.match(c["text"])}
        assert fonts and all("Sans" in f and "Bold" not in f for f in fonts), (unit.slug, fonts)
        assert below["top"] - byline["top"] >= 2 * LEADING, unit.slug  # space below: it does not touch the text


def test_the_contents_title_stands_where_every_openers_title_stands(ja, pages):
    contents = next(line for page, _ in pages for line in page if line["text"].strip() == "目次")
    assert contents["chars"][0]["size"] > 20
    tops = {round(_opener(pages, u)[1][0]["top"], 2) for u in ja[1].units}
    assert len(tops) == 1 and abs(contents["top"] - tops.pop()) < 0.5


def test_signature_lines_are_set_apart_and_flush_right(ja, pages):
    unit = next(u for u in ja[1].units if any(isinstance(b, m.Signature) for b in u.blocks))
    signature = next(b for b in unit.blocks if isinstance(b, m.Signature))
    texts = [plain(line.content) for line in signature.lines]
    assert len(texts) >= 2
    start = _opener(pages, unit)[0]
    index = next(i for i in range(start, len(pages)) if any(line["text"] == texts[0] for line in pages[i][0]))
    lines = pages[index][0]
    found = [next(line for line in lines if line["text"] == text) for text in texts]
    right = max(line["x1"] for line in lines)  # the measure's right edge (a full line of the text)
    for line in found:
        assert abs(line["x1"] - (right - 10)) < 0.5, (line["text"], line["x1"], right)  # one character in
        assert line["x0"] > _left_edge(lines) + 100
    above = max(line["top"] for line in lines if line["top"] < found[0]["top"] - 1)
    assert found[0]["top"] - above >= 2 * LEADING - 0.5  # a blank line above


def test_editors_label_follows_the_names_on_their_line(ja, pages):
    lines = pages[2][0]  # the title page, after the front cover and its inside
    names = next(line for line in lines if line["text"].startswith(ja[1].editors[0].name))
    assert names["text"].replace(" ", "") == "、".join(p.name for p in ja[1].editors) + "編"


def test_no_cjk_character_is_set_in_a_synthetic_oblique_and_emphasis_is_gothic(pages):
    slanted = [(i + 1, c["text"]) for i, (_, chars) in enumerate(pages) for c in chars
               if CJK.match(c["text"]) and re.search("Oblique|Italic", c["fontname"])]
    assert slanted == []
    emphasised = [c for _, chars in pages for c in chars if c["text"] == "絆" and "Sans" in c["fontname"]]
    assert emphasised  # *絆* in the introduction: Gothic among the Mincho


def _computed(html: str, base_url: str):
    """(element tag, its language, font-style) of every laid-out text box of a page."""
    weasyprint = import_weasyprint()
    document = weasyprint.HTML(string=html, base_url=base_url).render()
    out, stack = [], [page._page_box for page in document.pages]
    while stack:
        box = stack.pop()
        stack.extend(getattr(box, "children", ()))
        if box.__class__.__name__ == "TextBox" and CJK.search(box.text):
            out.append((box.element_tag, box.style["lang"], box.style["font_style"]))
    return out


def test_html_and_epub_emphasis_is_sesame_dots_never_italic(ja):
    folder, _ = ja
    page = (folder / "html" / "introduction.html").read_text(encoding="utf-8")
    assert re.search(r"<em>絆</em>", page)
    with zipfile.ZipFile(folder / "book.epub") as epub:
        xhtml = epub.read("EPUB/introduction.xhtml").decode()
        epub_css = epub.read("EPUB/css/epub.css").decode()
    screen_css = next((folder / "html" / "css").glob("screen*.css")).read_text(encoding="utf-8")
    for css in (screen_css, epub_css):
        rule = re.search(r"(^|\n)em:lang\(ja\) \{([^}]*)\}", css)
        assert rule and "text-emphasis: filled sesame" in rule.group(2)
    for html, base in ((page, (folder / "html").as_uri() + "/"), (xhtml, None)):
        if base is None:
            html = html.replace('href="css/epub.css"', "").replace("</head>", f"<style>{epub_css}</style></head>")
        boxes = _computed(html, base or (folder / "html").as_uri() + "/")
        assert any(tag == "em" for tag, _, _ in boxes)
        assert [b for b in boxes if b[1].startswith(("ja", "zh")) and b[2] != "normal"] == []


def test_the_bilingual_documents_title_is_each_languages_own_and_has_no_joiner():
    """en-ja: the document title (its PDF /Title and XMP) joins the English title with ": " and the
    Japanese with "：", and kinsoku's joiners stay out of it (as out of the ja edition's)."""
    from publish.render.bilingual_pdf import bilingual_book_html
    from publish.styles import Styles

    loaded = pipeline.load_all(REPO, only=("en-ja",))
    original, translated = loaded.book, loaded.translated["ja"]
    styles = Styles.for_book(REPO)
    html, _ = bilingual_book_html(original, translated, styles, styles.labels("en"), styles.labels("ja"))
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title == f"{original.title}: {original.subtitle} / {translated.title}：{translated.subtitle}"
    assert JOINER not in title and JOINER in html  # the body keeps them: lines still obey kinsoku
