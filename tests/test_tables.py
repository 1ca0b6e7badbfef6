"""Tables as books have them, read from the built editions of tests/books/tables: caption and number, head,
body and foot rows, spans, alignment, the list of tables; in print the head repeats and the total row is
never alone on a page; in the PDF the tables are tagged as tables."""
from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import html as lxml_html

from publish import build as pipeline
from publish.i18n.segments import segments

BOOK = Path(__file__).resolve().parent / "books" / "tables"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("tables")
    pipeline.build(BOOK, ("html", "pdf", "epub"), out)
    return out / "en"


@pytest.fixture(scope="module")
def harvest(built):
    return lxml_html.fromstring((built / "html" / "harvest.html").read_bytes())


def texts(elements):
    return [re.sub(r"\s+", " ", e.text_content()).strip() for e in elements]


def test_caption_carries_the_number_through_the_book(harvest):
    captions = texts(harvest.xpath("//table/caption"))
    assert captions[0] == "Table 1. Harvest by county, 1850 (bushels)."
    assert [c.split(".")[0] for c in captions] == [f"Table {n}" for n in range(1, 7)]
    assert harvest.xpath("//table[@id='tab-harvest']/caption/span/@data-seg") == ["harvest.tab1"]


def test_head_body_and_total_row(harvest):
    table = harvest.get_element_by_id("tab-harvest")
    assert texts(table.xpath("thead/tr/th[@scope='col']")) == ["County", "Wheat", "Barley", "Oats"]
    assert texts(table.xpath("tbody/tr/th[@scope='row']")) == ["Kent", "Sussex", "Surrey"]
    assert texts(table.xpath("tfoot/tr/*")) == ["Total", "29,485", "20,560", "9,895"]
    assert table.xpath("tfoot/tr/th/@scope") == ["row"]


def test_alignment_from_the_pipe_table(harvest):
    table = harvest.get_element_by_id("tab-harvest")
    assert table.xpath("tbody/tr[1]/*/@class") == ["align-left", "align-right", "align-right", "align-right"]
    plain = harvest.xpath("//table[thead/tr/th[1]//text()='Left']")[0]
    assert plain.xpath("tbody/tr[1]/td/@class") == ["align-left", "align-center", "align-right"]


def test_decimal_columns_are_padded_with_hidden_figure_spaces(harvest):
    table = harvest.get_element_by_id("tab-yields")
    rows = table.xpath("tbody/tr")
    cells = [row.xpath("td")[1] for row in rows]  # 31.25, 4.5, 102
    assert [c.get("class") for c in cells] == ["align-decimal"] * 3
    pads = ["".join(c.xpath("span[@class='pad']/text()")) for c in cells]
    assert pads == ["", "\u2007", "\u2008\u2007\u2007"]
    assert all(p.get("aria-hidden") == "true" for c in cells for p in c.xpath("span[@class='pad']"))
    # every number of the column then has as many decimal places, in figure widths
    widths = [len(c.xpath("span[@data-seg]")[0].text_content().split(".")[-1] if "." in c.text_content() else "")
              + len(pad) - (1 if pad.startswith("\u2008") else 0) for c, pad in zip(cells, pads)]
    assert widths == [2, 2, 2]


def test_no_header_row_means_no_thead_and_no_empty_header(harvest):
    table = harvest.get_element_by_id("harvest-table-3")
    assert table.xpath("thead") == []
    assert texts(table.xpath("tbody/tr/th[@scope='row']")) == ["Bushel", "Peck", "Gallon"]
    assert all(t.strip() for t in texts(harvest.xpath("//th")))


def test_spans_and_headers(harvest):
    table = harvest.get_element_by_id("tab-ledger")
    first, second = table.xpath("thead/tr")
    assert [(c.get("colspan"), c.get("rowspan")) for c in first.xpath("th")] == [(None, "2"), ("2", None), ("2", None)]
    assert texts(second.xpath("th")) == ["Rents", "Tithes", "Wages", "Repairs"]
    tithes = table.xpath("tbody/tr[1]/td")[1]
    assert (tithes.text_content(), tithes.get("rowspan")) == ("40", "2")
    assert tithes.get("headers").split() == ["tab-ledger-h1-2", "tab-ledger-h2-3", "tab-ledger-h3-1", "tab-ledger-h4-1"]
    ids = set(table.xpath(".//th/@id"))
    assert all(ref in ids for cell in table.xpath(".//td[@headers]") for ref in cell.get("headers").split())
    assert len(table.xpath("tbody/tr[2]/*")) == 4  # the merged Tithes cell is not repeated
    unrecorded = table.xpath("tbody/tr[3]/td")[-1]
    assert (unrecorded.text_content(), unrecorded.get("colspan")) == ("Not recorded", "2")


def test_table_in_an_endnote(built):
    page = lxml_html.fromstring((built / "html" / "harvest.html").read_bytes())
    note = page.get_element_by_id("harvest-note-1")
    assert texts(note.xpath(".//table/thead//th")) == ["Source", "Year"]
    assert note.get("value") == "1"


def test_list_of_tables_links_every_numbered_table(built):
    page = lxml_html.fromstring((built / "html" / "tables.html").read_bytes())
    links = page.xpath("//ol[@class='list-of-tables']/li/a")
    assert [a.get("href") for a in links][:2] == ["harvest.html#tab-harvest", "harvest.html#tab-yields"]
    assert len(links) == 6
    assert texts(links)[0] == "Table 1. Harvest by county, 1850 (bushels)."
    preface = lxml_html.fromstring((built / "html" / "preface.html").read_bytes())
    assert "harvest.html#tab-ledger" in preface.xpath("//a/@href")


def test_epub_has_the_same_table_markup(built):
    with zipfile.ZipFile(built / "book.epub") as epub:
        name = next(n for n in epub.namelist() if n.endswith("harvest.xhtml"))
        text = epub.read(name).decode()
    assert '<table id="tab-harvest"' in text and "<tfoot>" in text and 'scope="row"' in text
    assert "<caption>" in text and "Table 1." in text


def pages_text(pdf: Path) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                             text=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                           text=True).stdout for n in range(1, count + 1)]


def test_print_repeats_the_header_and_keeps_the_total_with_rows(built):
    pages = pages_text(built / "book.pdf")
    parish = [i for i, text in enumerate(pages) if re.search(r"\b18[0-6]\d Parish \w+", text)]
    assert len(parish) >= 2, "the long table runs over several pages"
    for i in parish:
        assert re.search(r"Year\s+Parish\s+Baptisms\s+Rate", pages[i]), f"page {i + 1}: header not repeated"
    total = [i for i, text in enumerate(pages) if re.search(r"Total\s+17,000", text)]
    assert total == [parish[-1]], "the total row is on the page of the last rows"
    last = pages[total[0]]
    assert re.search(r"1869 Parish R69", last), "the total row is not alone: the last body row is with it"


def test_pdf_tags_tables_as_tables(built):
    with pikepdf.open(built / "book.pdf") as pdf:
        found = []

        def walk(node):
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    found.append(str(kid.S))
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    for tag in ("/Table", "/Caption", "/THead", "/TBody", "/TR", "/TH", "/TD"):
        assert tag in found, tag


def test_segments_cover_captions_and_cells():
    book, _ = pipeline.load(BOOK)
    ids = {s.id: s.text for s in segments(book)}
    assert ids["harvest.tab1"] == "Harvest by county, 1850 (bushels)."
    assert "Kent" in ids.values() and "Not recorded" in ids.values() and "Board of Agriculture" in ids.values()
