"""The bilingual PDF of a story collection (tests/books/stories): a quotation, a poem and an epigraph
indented inside each column, the column rule one straight line beside them, a poem's lines at the
leading with the original's indentation in both languages."""
from __future__ import annotations

import io

import pdfplumber
import pytest

from .conftest import BOOKS
from .helpers import copy_book
from .test_bilingual_page import render, squeeze

@pytest.fixture(scope="module")
def stories(tmp_path_factory):
    """tests/books/stories: a story collection and its translation, with an epigraph, a section
    break, a quotation, a list and a poem."""
    root = tmp_path_factory.mktemp("stories") / "book"
    copy_book(BOOKS / "stories", root)
    return render(root)


def test_the_column_rule_stays_put_beside_quotations_poems_and_epigraphs(stories):
    """A quotation, a poem and an epigraph are indented inside each column: their pairs keep the
    text block's width, so each page's column rule is one straight line at the unit's split (with
    print.css's block margins it jogged beside each of them: by 11 % of the text block beside an
    epigraph). Each side's text is still indented from its column's edge."""
    en, ja, pdf, page_map, _ = stories
    kinds = {type(b).__name__.lower() for u in en.units for b in u.blocks}
    assert {"quote", "verse", "epigraph"} <= kinds, kinds
    checked = 0
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        for unit in en.units:
            number = page_map[unit.slug]
            x0, top, x1, bottom = page_map["pages"][number - 1]["box"]
            page = plumb.pages[number - 1]
            rules = [e for e in page.edges if e["orientation"] == "v" and x0 + 50 < e["x0"] < x1 - 50]
            if not rules:
                continue
            checked += 1
            xs = [e["x0"] for e in rules]  # a 0.4 pt rule's two edges
            assert max(xs) - min(xs) < 0.5, (unit.slug, sorted({round(x, 1) for x in xs}))
            share = page_map["split"]["text"].get(unit.slug, 56.0) / 100
            assert abs(min(xs) - (x0 + share * (x1 - x0))) < 0.5, (unit.slug, min(xs))
        words = {}
        for number in range(1, len(plumb.pages) + 1):
            for w in plumb.pages[number - 1].extract_words():
                words.setdefault(w["text"], w["x0"])
    assert checked == len(en.units)  # every unit's first page
    margin = page_map["pages"][page_map["lighthouse"] - 1]["box"][0]
    assert words["A"] - margin > 10  # "A light that nobody sees…": the quotation indented in its column
    assert words["Row,"] - margin > 10  # and the poem


def test_a_poem_keeps_its_indentation_and_leading_in_both_columns(stories):
    """A poem's lines are paired one by one; an indented line (two spaces in the source: 1 em) is
    indented in both columns, and a stanza's lines follow each other at the leading (14.5 pt), not
    a paragraph's space apart."""
    en, ja, pdf, page_map, _ = stories
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        page = plumb.pages[page_map["ferry"] - 1]
        lines = {}
        for c in page.chars:
            key = (round(c["top"]), c["x0"] > page_map["pages"][page_map["ferry"] - 1]["box"][0] + 200)
            lines.setdefault(key, []).append(c)
        starts = {squeeze("".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"]))): (top, min(c["x0"] for c in cs))
                  for (top, _), cs in lines.items()}
    starts = {first: next(v for k, v in starts.items() if k.startswith(first))
              for first in ("Row,theriversaid,row", "thefarshoreisnearer", "漕げ、と川は言った、漕げ", "向こう岸は思う")}
    for first, second, size in (("Row,theriversaid,row", "thefarshoreisnearer", 9.5), ("漕げ、と川は言った、漕げ", "向こう岸は思う", 9.0)):
        (top1, x1), (top2, x2) = starts[first], starts[second]
        assert abs((x2 - x1) - size) < 0.5, (first, x1, second, x2)  # indented 1 em
        assert abs((top2 - top1) - 14.5) < 0.6, (first, top1, second, top2)  # at the leading
