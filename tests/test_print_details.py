"""The print edition's details, measured from the PDF: contents leaders end at one point, the contents
title has the colour of every opener title, a note's first line starts where its runovers do, URLs
never break at their own hyphens; a chart that is not reproduced is a numbered, tagged figure."""
from __future__ import annotations

import collections
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from lxml import html as lxml_html

from publish.build import load
from publish.diagnostics import has_errors
from publish.render.pdf import render_pdf
from publish.render.pdflang import iter_struct
from publish.render.urlbreaks import breakable
from publish.styles import Styles

BOOKS = Path(__file__).resolve().parent / "books"


def laid_out(name: str, tmp_path_factory) -> Path:
    """The screen PDF of the fixture book tests/books/NAME (checked: no errors), in a temporary folder."""
    root = BOOKS / name
    book, diagnostics = load(root)
    assert book is not None and not has_errors(diagnostics), [str(d) for d in diagnostics]
    styles = Styles.for_book(root)
    data, _ = render_pdf(book, styles, styles.labels(book.language), base_url=root / "manuscript")
    path = tmp_path_factory.mktemp(name) / "book.pdf"
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def figure_pdf(tmp_path_factory):
    """The PDF of tests/books/figure (a chart that is not reproduced, notes, a long hyphenated URL)."""
    return laid_out("figure", tmp_path_factory)


def contents_leaders(path) -> list:
    """(page, x1 of the last leader dot, text) of every contents line with a leader."""
    out = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for line in page.extract_text_lines(return_chars=True):
                dots = [c for c in line["chars"] if c["text"] == "."]
                if ". . ." in line["text"] and dots:
                    out.append((number, round(dots[-1]["x1"], 1), line["text"]))
    return out


def test_contents_leaders_end_at_one_point(figure_pdf):
    leaders = contents_leaders(figure_pdf)
    assert len(leaders) >= 3
    assert len({x for _, x, _ in leaders}) == 1, leaders


def test_the_contents_title_is_black_like_every_opener_title(figure_pdf):
    with pdfplumber.open(figure_pdf) as pdf:
        titles = {}
        for page in pdf.pages[2:]:  # after the front cover (its title is white on the series' colour) and its inside
            for line in page.extract_text_lines(return_chars=True):
                if line["chars"][0]["size"] > 20:  # an opener's title (22 pt)
                    titles[line["text"]] = tuple(line["chars"][0]["non_stroking_color"])
    assert "Contents" in titles and len(titles) >= 3
    assert len(set(titles.values())) == 1, titles


def test_a_notes_first_line_starts_where_its_runovers_do(figure_pdf):
    """The number hangs in the indent; the text after it starts at its runovers' left edge."""
    pairs, first = [], None  # (x0 of a note's first line's text, x0 of one of its runovers)
    with pdfplumber.open(figure_pdf) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines(return_chars=True):
                chars = [c for c in line["chars"] if c["text"].strip()]
                if not chars or abs(chars[0]["size"] - 8.5) > 0.05:
                    first = None
                elif "Sans-Bold" in chars[0]["fontname"] and chars[0]["text"].isdigit():
                    first = next(c for c in chars if not c["text"].isdigit())["x0"]
                elif first is not None and "Serif" in chars[0]["fontname"]:
                    pairs.append((round(first, 1), round(chars[0]["x0"], 1)))
    assert pairs, "no note of the fixture runs over a line: the test would prove nothing"
    assert [(a, b) for a, b in pairs if abs(a - b) > 0.2] == []


def test_urls_break_after_slashes_and_before_dots_never_at_their_hyphens(figure_pdf):
    assert breakable("https://www.roc-taiwan.org/jp-ja") == (
        "https://\u200bwww\u200b.roc-\u2060taiwan\u200b.org\u200b/jp-\u2060ja")
    with pdfplumber.open(figure_pdf) as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
    url_lines = [t for t in lines if "roc-" in t or "hyphenated-name" in t or "a-very-long" in t]
    assert len(url_lines) >= 2, "the fixture's long URL no longer wraps: the test would prove nothing"
    assert [t for t in lines if re.search(r"(https?:|www|/)\S*-$", t.replace("\u2060", "").strip())] == []


def test_a_chart_that_is_not_reproduced_is_a_numbered_tagged_figure(figure_pdf):
    with pikepdf.open(figure_pdf) as pdf:
        elements = list(iter_struct(pdf.Root.StructTreeRoot))
        figures = [e for e in elements if e.S == "/Figure"]
        assert len(figures) == 1
        alt = str(figures[0].Alt)
        assert alt.startswith("MAJOR SOCIAL MEDIA APPLICATION USAGE. TEXT-BASED NEWS SERVICES USAGE.")
        assert "not reproduced" in alt
        parent = figures[0].P
        assert [str(k.S) for k in parent.K if isinstance(k, pikepdf.Dictionary) and "/S" in k][:2] == ["/Caption", "/Figure"]
    with pdfplumber.open(figure_pdf) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        dashed = [c for page in pdf.pages for c in page.curves + page.rects if c.get("dash")]
    assert re.search(r"Figure 1\.\s*How are social media and news services used in Japan\?", text)
    assert dashed == []


def test_the_html_figure_is_numbered_and_its_chart_an_image_with_its_text():
    from publish.render.html import render_site

    root = BOOKS / "figure"
    book, _ = load(root)
    styles = Styles.for_book(root)
    site = render_site(book, styles, styles.labels(book.language))
    figure = lxml_html.fromstring(site["chapter.html"]).xpath("//figure")[0]
    assert figure.xpath("string(.//figcaption)").startswith("Figure 1. How are social media")
    chart = figure.xpath(".//*[@role='img']")[0]
    assert "not reproduced" in chart.get("aria-label") and len(chart.xpath(".//*[@class='figure-panel']")) == 2


@pytest.fixture(scope="module")
def tables_pdf(tmp_path_factory):
    """The PDF of tests/books/tables: a Contents, a list of tables and a list of figures."""
    return laid_out("tables", tmp_path_factory)


def test_the_lists_of_tables_and_figures_have_the_contents_leaders(tables_pdf):
    """Every leader of the lists ends where the Contents' do, and their page numbers end where its folios do."""
    ends = {}  # (page parity, "contents" or "lists") -> {(x of the last leader dot, x1 of the page number)}
    with pdfplumber.open(tables_pdf) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            text = page.extract_text() or ""
            kind = "contents" if "Contents" in text.split("\n")[:3] or text.lstrip().startswith("Contents") else "lists"
            for line in page.extract_text_lines(return_chars=True):
                dots = [c for c in line["chars"] if c["text"] == "."]
                if ". . ." in line["text"] and dots:
                    ends.setdefault((number % 2, kind), set()).add((round(dots[-1]["x1"], 1), round(line["chars"][-1]["x1"], 1)))
    lists = {key: found for key, found in ends.items() if key[1] == "lists"}
    assert lists and all((parity, "contents") in ends for parity, _ in lists), ends
    for (parity, _), found in lists.items():
        assert len(ends[parity, "contents"]) == 1, ends
        assert found == ends[parity, "contents"], (found, ends[parity, "contents"])
