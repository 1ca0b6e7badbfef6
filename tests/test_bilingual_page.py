"""The bilingual page, read back from the PDF (pdfplumber) and the EPUB of small books: no row of a
pair with one cell empty, a segment whose translation is the original printed once, everything
inside the page, the book's own translation note, the EPUB's page list from the PDF's pages.

The flagship's figures (pages, holes, wide word spaces) are in tests/test_bilingual.py.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile

import pdfplumber
import pytest
from lxml import etree

from publish import build as pipeline
from publish.render.bilingual_epub import render_bilingual_epub
from publish.render.bilingual_pdf import render_bilingual_pdf
from publish.render.identical import identical
from publish.render.inline import plain
from publish.styles import Styles

from .conftest import BOOKS
from .gutters import Gutter
from .helpers import copy_book

NOTE = "この日本語訳はテストのために作られ、訳者が確認した。"
EDGE = 36.0  # points: running heads and folios stand 0.6–0.75in from the paper's edges


def squeeze(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def render(root):
    loaded = pipeline.load_all(root)
    assert [str(d) for d in loaded.diagnostics if d.severity == "error"] == []
    styles = Styles.for_book(root)
    en, ja = loaded.book, loaded.translated["ja"]
    labels, labels_ja = styles.labels("en"), styles.labels("ja")
    pdf, page_map = render_bilingual_pdf(en, ja, styles, labels, labels_ja, base_url=root / "manuscript")
    epub = render_bilingual_epub(en, ja, styles, labels, labels_ja, root=root, page_map=page_map)
    return en, ja, pdf, page_map, epub


@pytest.fixture(scope="module")
def small_root(tmp_path_factory):
    """tests/books/translated with a translation note of its own."""
    root = tmp_path_factory.mktemp("bilingual") / "book"
    copy_book(BOOKS / "translated", root)
    with (root / "manuscript" / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(f"translation_notes:\n  ja: {NOTE}\n")
    return root


@pytest.fixture(scope="module")
def small(small_root):
    return render(small_root)


@pytest.fixture(scope="module")
def uneven(tmp_path_factory):
    """A chapter of long English paragraphs with one-line translations: page breaks fall in rows
    whose Japanese has ended."""
    root = tmp_path_factory.mktemp("bilingual-uneven") / "book"
    copy_book(BOOKS / "translated", root)
    english = [f"Paragraph {i} " + "runs on and on about engines and their tables " * (12 + i % 5) for i in range(24)]
    (root / "manuscript" / "chapter.md").write_text("# On Machines\n\n" + "\n\n".join(english) + "\n")
    parallel = ["[chapter.title]\nen: On Machines\nja: 機械について\n"]
    parallel += [f"[chapter.p{i + 1}]\nen: {text}\nja: 第{i}段落は機関とその表について語る。\n" for i, text in enumerate(english)]
    (root / "manuscript" / "ja" / "chapter.txt").write_text("\n".join(parallel), encoding="utf-8")
    return render(root)


def column_tops(plumb, page_map: dict) -> list:
    """For every page with text in its text block: (page, first baseline of the left column, of the
    right column); a column is None when it holds nothing. The columns part at the gutter rule."""
    out = []
    for number, page in enumerate(plumb.pages, 1):
        x0, top, x1, bottom = page_map["pages"][number - 1]["box"]
        gutter = Gutter(page, (x0, top, x1, bottom)).at
        chars = [c for c in page.chars if c["text"].strip() and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
        left = [c["bottom"] for c in chars if c["x0"] < gutter(c)]
        right = [c["bottom"] for c in chars if c["x0"] >= gutter(c)]
        if left or right:
            out.append((number, min(left) if left else None, min(right) if right else None))
    return out


def _column_lines(chars, gutter) -> dict:
    """{"o": [(top, bottom)…], "t": […]}: the printed lines of each column, top to bottom; a line that
    crosses the gutter (`gutter(char)`: where the columns part beside it; a segment printed once,
    across both columns) is in both."""
    out = {"o": [], "t": []}
    for c in sorted(chars, key=lambda c: c["bottom"]):
        mid = gutter(c)
        across = c["x0"] < mid - 6 and c["x1"] > mid + 6
        for name in ("o", "t") if across else ("o" if c["x0"] < mid else "t",):
            lines = out[name]
            if lines and c["bottom"] - lines[-1][1] < 4.5:
                lines[-1] = (min(lines[-1][0], c["top"]), max(lines[-1][1], c["bottom"]))
            else:
                lines.append((c["top"], c["bottom"]))
    return out


def holes(plumb, page_map: dict, first: int, starts: set) -> dict:
    """The white a pair leaves in the text block, in points, from page `first` on:
    "side": where one column is blank while the other runs on (under the shorter side of a pair, or
    above it), measured as the height of the other column's lines beside the blank;
    "foot": the blank at the foot of a page that is not a unit's last (the next page has text and does
    not open a unit, in `starts`), below both columns' last lines; "pages": {page: its side + foot}."""
    side = foot = 0.0
    per_page: dict = {}
    feet: dict = {}
    count = len(plumb.pages)
    for number, page in enumerate(plumb.pages, 1):
        if number < first:
            continue
        x0, top, x1, bottom = page_map["pages"][number - 1]["box"]
        gutter = Gutter(page, (x0, top, x1, bottom)).at
        chars = [c for c in page.chars if c["text"].strip() and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
        if not chars:
            continue
        cols = _column_lines(chars, gutter)
        here = 0.0
        for name, other in (("o", "t"), ("t", "o")):
            mine, theirs = cols[name], cols[other]
            if not mine or not theirs:
                continue
            edges = [(-1e9, mine[0][0])] + [(a[1], b[0]) for a, b in zip(mine, mine[1:])] + [(mine[-1][1], 1e9)]
            for upper, lower in edges:
                inside = [line for line in theirs if line[0] >= upper - 0.5 and line[1] <= lower + 0.5]
                if inside:
                    here += max(line[1] for line in inside) - min(line[0] for line in inside)
        side += here
        following = plumb.pages[number] if number < count else None
        box = page_map["pages"][number]["box"] if following is not None else None
        if following is not None and number + 1 not in starts and any(
                c["text"].strip() and box[1] - 1 <= c["top"] and c["bottom"] <= box[3] + 1 for c in following.chars):
            gap = bottom - max(line[1] for lines in cols.values() for line in lines)
            if gap > 15:  # more than a line of white
                foot += gap
                here += gap
                feet[number] = round(gap, 1)
        if here:
            per_page[number] = round(here, 1)
    return {"side": round(side, 1), "foot": round(foot, 1), "pages": per_page, "feet": feet}


def split_pairs(plumb, page_map: dict, first: int) -> list:
    """The pages from `first` on that go on with a pair whose one column has ended (the two columns'
    first lines not on one baseline), each with the blank at the foot of the page before:
    (page, that blank in points)."""
    tops = {number: (left, right) for number, left, right in column_tops(plumb, page_map)}
    out = []
    for number, (left, right) in sorted(tops.items()):
        if number < first or number - 1 not in tops or not (left is None or right is None or abs(left - right) > 12):
            continue
        page = plumb.pages[number - 2]
        bottom = page_map["pages"][number - 2]["box"][3]
        lowest = max(c["bottom"] for c in page.chars if c["text"].strip() and c["bottom"] <= bottom + 1)
        out.append((number, round(bottom - lowest, 1)))
    return out


def test_a_pair_goes_on_with_one_column_empty_only_when_moving_it_would_leave_more_blank(uneven):
    """Long English paragraphs beside one-line translations: page breaks fall in rows whose Japanese
    has ended. A pair begun low on a page moves whole to the next (a little blank at the foot); a
    pair begun high goes on, its English alone at the top of the next page for a few lines, rather
    than leave most of a page blank (publish/render/bilingual_rows.py, MOVE_MAX). Either way both
    sides begin on one page, on one baseline."""
    from publish.render.bilingual_rows import MOVE_MAX

    en, ja, pdf, page_map, _ = uneven
    first_body = page_map["chapter"]
    starts = {page_map[u.slug] for u in en.units}
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        tops = [t for t in column_tops(plumb, page_map) if t[0] >= first_body]
        split = split_pairs(plumb, page_map, first_body)
        blank = holes(plumb, page_map, first_body, starts)
    assert len(tops) >= 4, tops  # the chapter runs over several pages
    assert split, "a long pair begun high on a page goes on over the break"
    assert [(number, gap) for number, gap in split if gap > 45] == []  # the page before is filled to its foot (less the two lines widows may take)
    # no foot blank over twice MOVE_MAX (a move an earlier layout asked for is undone beyond that; CSS px)
    assert max(blank["feet"].values(), default=0) <= 2 * MOVE_MAX * 0.75 + 15, blank["feet"]


def signed_book(root, japanese: int):
    """tests/books/translated with a preface of five paragraphs and a long last one before its
    signature, whose Japanese is `japanese` sentences long."""
    copy_book(BOOKS / "translated", root)
    english = [f"Paragraph {i} tells of engines, tables and the cards that drive them " * 4 for i in range(5)]
    english.append("Finally the editor thanks the readers " + "who came this far with patience and care " * 9)
    sentence = "最後に、編者はここまで忍耐と注意をもって読んでくれた読者に感謝する。"
    (root / "manuscript" / "preface.md").write_text(
        "# Preface\n\n" + "\n\n".join(english) + "\n\n::: signature\nAda Lovelace\\\nEditor\n:::\n")
    parallel = ["[preface.title]\nen: Preface\nja: 序文\n"]
    parallel += [f"[preface.p{i + 1}]\nen: {text}\nja: {f'第{i}段落は機関と表とそれを動かすカードについて語る。' * 3}\n"
                 for i, text in enumerate(english[:-1])]
    parallel.append(f"[preface.p6]\nen: {english[-1]}\nja: {sentence * japanese}\n")
    parallel += ["[preface.sig1]\nen: Ada Lovelace\nja: エイダ・ラブレス\n", "[preface.sig2]\nen: Editor\nja: 編者\n"]
    (root / "manuscript" / "ja" / "preface.txt").write_text("\n".join(parallel), encoding="utf-8")
    return render(root)


@pytest.mark.parametrize("japanese, splits", [(4, True), (3, False)])
def test_a_signature_keeps_with_its_paragraphs_last_lines_in_both_languages(tmp_path, japanese, splits):
    """The preface's last paragraph and its signature are one pair (each cell: the paragraph, then
    the signature): a page break may fall inside the paragraph, and the page before is filled
    (the signature as a pair of its own, `break-before: avoid`, moved the whole paragraph and left
    the foot blank: 153 pt here, 205 pt on the flagship's p. 7). When one language's side would end
    on the page before (its signature there, the other's on the next), the pair moves whole (its part
    there being under bilingual_rows.SIGNED_MOVE_MAX): both signatures stand on one page, under their
    paragraph's last lines. The Japanese signature
    is set flush right one character in, as in the Japanese edition."""
    from publish.render.bilingual_rows import MOVE_MAX

    en, ja, pdf, page_map, _ = signed_book(tmp_path / "book", japanese)
    assert page_map["signed"] == [["preface.p6", "preface.sig1", "preface.sig2"]]
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        pages = {word: [n for n in range(page_map["preface"], page_map["chapter"])
                        if word in squeeze(plumb.pages[n - 1].extract_text() or "")]
                 for word in ("Finallytheeditor", "最後に", "AdaLovelace", "エイダ・ラブレス")}
        signed = pages["AdaLovelace"]
        assert signed == pages["エイダ・ラブレス"] and len(signed) == 1, pages
        number = signed[0]
        x0, top, x1, bottom = page_map["pages"][number - 1]["box"]
        page = plumb.pages[number - 1]
        gutter = Gutter(page, (x0, top, x1, bottom)).at
        chars = [c for c in page.chars if c["text"].strip() and top - 1 <= c["top"] and c["bottom"] <= bottom + 1]
        for name, first, left in (("Ada", "A", True), ("エイダ", "エ", False)):
            side = [c for c in chars if (c["x0"] < gutter(c)) is left]
            line = min(c["top"] for c in side if c["text"] == first)  # the signature's first line
            assert any(c["bottom"] < line for c in side), (name, number)  # under its paragraph's last lines
            signature = [c for c in side if c["top"] >= line - 0.5]
            if left:  # the English at the column's left edge, in italic
                assert abs(min(c["x0"] for c in signature) - x0) < 0.5, signature[0]
            else:  # the Japanese as the Japanese edition sets it: each line flush right, one character (9 pt) in
                ends = {}
                for c in signature:
                    ends[round(c["top"])] = max(ends.get(round(c["top"]), 0.0), c["x1"])
                assert len(ends) == 2 and all(abs(end - (x1 - 9.0)) < 0.5 for end in ends.values()), (ends, x1)
        begun = pages["Finallytheeditor"][0]
        assert pages["最後に"][0] == begun, pages
        assert (begun < signed[0]) is splits, pages
        if splits:  # the page before is filled: less blank at its foot than a pair may leave when it moves
            number = begun
            bottom = page_map["pages"][number - 1]["box"][3]
            lowest = max(c["bottom"] for c in plumb.pages[number - 1].chars if c["text"].strip() and c["bottom"] <= bottom + 1)
            assert bottom - lowest < MOVE_MAX * 0.75, bottom - lowest


def test_a_signature_after_a_list_stays_pairs_of_its_own(tmp_path):
    """Only a paragraph is set with the signature after it: after a list (or a quote, a box) the
    signature keeps its own pairs, each line beside its translation (the template once took the list
    for a paragraph, and the build failed with a template error)."""
    root = tmp_path / "book"
    copy_book(BOOKS / "translated", root)
    (root / "manuscript" / "preface.md").write_text(
        "# Preface\n\nThis book is small.\n\n- one item\n- two items\n\n::: signature\nAda Lovelace\\\nEditor\n:::\n")
    parallel = ["[preface.title]\nen: Preface\nja: 序文\n", "[preface.p1]\nen: This book is small.\nja: この本は小さい。\n",
                "[preface.li1]\nen: one item\nja: 一つ目\n", "[preface.li2]\nen: two items\nja: 二つ目\n",
                "[preface.sig1]\nen: Ada Lovelace\nja: エイダ・ラブレス\n", "[preface.sig2]\nen: Editor\nja: 編者\n"]
    (root / "manuscript" / "ja" / "preface.txt").write_text("\n".join(parallel), encoding="utf-8")
    en, ja, pdf, page_map, _ = render(root)
    assert page_map["signed"] == []
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = squeeze(plumb.pages[page_map["preface"] - 1].extract_text() or "")
    for words in ("twoitems", "二つ目", "AdaLovelace", "エイダ・ラブレス", "Editor", "編者"):
        assert words in text, (words, text)


def test_a_chapter_whose_original_runs_long_gets_the_wider_column(uneven, small):
    """Long English paragraphs beside one-line translations: every row is as tall as its English, so
    the chapter's split is the widest the original may take (publish/render/bilingual_shares.py,
    MOST), and the column rule is drawn there on every page of the chapter; a book whose sides
    balance keeps the style sheet's 56 %."""
    from publish.render.bilingual_shares import MOST

    en, ja, pdf, page_map, _ = uneven
    assert page_map["split"] == {"text": {"chapter": MOST * 100}, "notes": {}}, page_map["split"]
    ruled = 0
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        for number in range(page_map["chapter"], len(page_map["pages"]) + 1):
            x0, _, x1, _ = page_map["pages"][number - 1]["box"]
            rules = {round(e["x0"], 1) for e in plumb.pages[number - 1].edges
                     if e["orientation"] == "v" and x0 + 50 < e["x0"] < x1 - 50}
            share = MOST if number < len(page_map["pages"]) else 0.56  # the back cover is no unit's
            assert all(abs(x - (x0 + share * (x1 - x0))) < 0.5 for x in rules), (number, rules)
            ruled += bool(rules)
    assert ruled >= 4
    assert small[3]["split"] == {"text": {}, "notes": {}}


def test_a_note_whose_translation_is_the_original_is_printed_once(small):
    en, ja, pdf, _, _ = small
    same = [(u, n) for u, v in zip(en.units, ja.units) for n, m in zip(u.notes, v.notes)
            if identical(n.blocks[0], m.blocks[0])]
    differ = [(u, n) for u, v in zip(en.units, ja.units) for n, m in zip(u.notes, v.notes)
              if not identical(n.blocks[0], m.blocks[0])]
    assert same and differ
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = squeeze("".join(page.extract_text() for page in plumb.pages))
    for _unit, note in same:
        assert text.count(squeeze(plain(note.blocks[0].content))) == 1
    for _unit, note in differ:
        assert text.count(squeeze(plain(note.blocks[0].content))) == 1  # and its translation beside it
    assert "第二の注" in text


def test_identical_is_word_for_word(small):
    en, ja, *_ = small
    title, title_ja = en.units[2].title, ja.units[2].title
    assert not identical(title, title_ja) and identical(title, title)
    assert not identical((), ()) and not identical(None, title)


def test_everything_stays_inside_the_page(small):
    _, _, pdf, page_map, _ = small
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        near = [(number, c["text"]) for number, page in enumerate(plumb.pages, 1) for c in page.chars
                if c["x0"] < EDGE or c["top"] < EDGE or c["x1"] > page.width - EDGE or c["bottom"] > page.height - EDGE]
    assert near == []


def test_the_translation_note_is_the_books_own(small):
    en, ja, pdf, _, epub = small
    generic = Styles.for_book(BOOKS / "translated").labels("ja")["translation_note"]
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = squeeze("".join(page.extract_text() for page in plumb.pages))
    assert squeeze(NOTE) in text and squeeze(generic) not in text
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        copyright_page = z.read("EPUB/copyright-page.xhtml").decode("utf-8")
    assert NOTE in copyright_page and generic not in copyright_page


def test_the_epub_page_list_is_the_bilingual_pdfs(small):
    _, _, pdf, page_map, epub = small
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        nav = etree.fromstring(z.read("EPUB/nav.xhtml"))
        opf = z.read("EPUB/content.opf").decode("utf-8")
        docs = {name: z.read(name) for name in z.namelist() if name.endswith(".xhtml")}
    ns = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    entries = nav.findall(".//x:nav[@epub:type='page-list']//x:a", ns)
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        assert len(entries) == len(plumb.pages) == len(page_map["pages"])
    assert [a.text for a in entries] == [str(p["label"]) for p in page_map["pages"]]
    for a in entries:  # every entry leads to its page break
        name, _, ident = a.get("href").partition("#")
        assert f'id="{ident}"'.encode() in docs["EPUB/" + name]
    assert "pageBreakSource" in opf


def _visible(element) -> str:
    """An element's text as read aloud: without what is hidden from every reader."""
    skip = element.xpath(".//*[@aria-hidden='true' or @hidden]")
    for node in skip:
        node.getparent().remove(node)
    return squeeze("".join(element.itertext()))


def test_a_note_whose_translation_is_the_original_is_printed_once_in_html_and_epub(small_root, small):
    """The bilingual HTML page and EPUB document print an identical note once, across both columns,
    in the original's language (a screen reader reads it once, as English); a note with a real
    translation keeps both sides."""
    from lxml import html as lxml_html

    from publish.render.bilingual import render_bilingual_site

    en, ja, _, _, epub = small
    styles = Styles.for_book(small_root)
    site = render_bilingual_site(en, ja, styles, styles.labels("en"), styles.labels("ja"))
    notes = [(u, n, identical(n.blocks[0], k.blocks[0])) for u, v in zip(en.units, ja.units)
             for n, k in zip(u.notes, v.notes)]
    assert {once for *_, once in notes} == {True, False}
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        epub_docs = {name: z.read(name) for name in z.namelist() if name.endswith(".xhtml")}
    twice = []
    for unit, note, once in notes:
        text = squeeze(plain(note.blocks[0].content))
        page = lxml_html.fromstring(site[f"{unit.slug}.html"])
        item = page.get_element_by_id(f"{unit.slug}-note-{note.number}")
        epub_doc = etree.fromstring(next(data for name, data in epub_docs.items() if name.endswith(f"{unit.slug}.xhtml")))
        epub_item = epub_doc.xpath("//*[@id=$i]", i=f"{unit.slug}-note-{note.number}")[0]
        for where, root in (("html", item), ("epub", epub_item)):
            count = _visible(root).count(text)
            if count != 1:
                twice.append((where, unit.slug, note.number, count))
        if once:  # one block, in English, spanning both columns
            (p,) = item.xpath(".//p[contains(@class, 'side-same')]")
            assert p.get("lang") == "en" and "pair-same" in p.getparent().get("class")
            assert not item.xpath(".//p[contains(@class, 'side-t') and not(contains(@class, 'backlink'))]"
                                  "[not(ancestor::div[contains(@class, 'backlinks')])]")
            # Both back-links sit with the text (no row of two arrows, the Japanese one alone in its
            # column), each to its language's reference, the Japanese one marked lang="ja".
            assert not item.xpath(".//div[contains(@class, 'backlinks')]")
            links = [(a.get("lang"), a.get("href")) for a in p.xpath(".//a[@role='doc-backlink']")]
            ref = f"#{unit.slug}-ref-{note.number}"
            assert links == [(None, ref), ("ja", ref + "-ja")], links
            (q,) = epub_item.xpath(".//*[@data-seg]")
            assert q.get("lang") == q.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert twice == []


# A chapter with a figure, a back cover, and Japanese lines that meet an English span at every point of the measure.
FIGURE = """::: {.figure #fig-usage}
::: caption
How are engines used?
:::
::: panel
ENGINE USAGE
:::
::: note
Both surveys asked 1,500 people.
:::
::: source
Source: The Engine Survey (2019).
:::
:::"""
FIGURE_JA = {"fig1": "機関はどう使われているか", "fig2": "機関の利用状況", "fig3": "いずれの調査も1,500人を対象とした。",
             "fig4": "出典：機関調査（2019年）。"}
FIGURE_EN = {"fig1": "How are engines used?", "fig2": "ENGINE USAGE", "fig3": "Both surveys asked 1,500 people.",
             "fig4": "Source: The Engine Survey (2019)."}
LEAD = "川口貴久は東京海上日動リスクコンサルティング株式会社の主席研究員であり情報革命が国際関係に与える影響に関心を持つ"
BACK = "Engines compute tables, and this small book tells how."
BACK_JA = "機関は表を計算する。この小さな本はその方法を語る。"


def kinsoku_cases() -> list[tuple[str, str]]:
    """(English, Japanese) paragraphs whose English span (a cited title, `<span lang=en>`) follows
    「、“」 after 1 to 30 characters of Japanese: in a 22-character column one of them puts the span,
    or the comma before it, at every point of a line."""
    return [(f"Paragraph {k} cites “Japan's Defense Policy in Cyberspace,” a chapter.",
             f"{LEAD[:k]}著作に、“Japan's Defense Policy in Cyberspace”（2020年）がある。") for k in range(1, 31)]


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    """tests/books/translated with a figure, a back cover and the kinsoku cases (see kinsoku_cases)."""
    root = tmp_path_factory.mktemp("bilingual-rich") / "book"
    copy_book(BOOKS / "translated", root)
    manuscript = root / "manuscript"
    cases = kinsoku_cases()
    chapter = (manuscript / "chapter.md").read_text(encoding="utf-8")
    english = "\n\n".join(en for en, _ in cases)
    (manuscript / "chapter.md").write_text(chapter.replace("::: endnotes", f"{FIGURE}\n\n{english}\n\n::: endnotes"),
                                           encoding="utf-8")
    parallel = [f"[chapter.{key}]\nen: {FIGURE_EN[key]}\nja: {text}\n" for key, text in FIGURE_JA.items()]
    parallel += [f"[chapter.p{i + 3}]\nen: {en}\nja: {ja}\n" for i, (en, ja) in enumerate(cases)]
    with (manuscript / "ja" / "chapter.txt").open("a", encoding="utf-8") as f:
        f.write("\n" + "\n".join(parallel))
    with (manuscript / "book.yaml").open("a", encoding="utf-8") as f:
        f.write(f"back_cover: {BACK}\n")
    with (manuscript / "ja" / "book.txt").open("a", encoding="utf-8") as f:
        f.write(f"\n[back-cover.p]\nen: {BACK}\nja: {BACK_JA}\n")
    return root, render(root)


def test_no_japanese_line_breaks_kinsoku_beside_an_english_span(rich, tmp_path):
    """No line of the Japanese column starts with 、 (or any character that may not start a line),
    nor seems to: where a comma meets a cited English title (`<span lang=en>`) at any point of the
    line. A line of two kanji and a long English title that does not fit whole must not be justified
    by opening its one or two gaps between Japanese characters to several ems (「に　　　、　“Japan's…」
    reads as a line starting with 、): the gap stays under an em and the line ends short."""
    from .jalines import columns, kinsoku_breaks, lines_of

    _, (en, ja, pdf, _, _) = rich
    path = tmp_path / "book.pdf"
    path.write_bytes(pdf)
    lines = lines_of(path)
    assert sum("Defense" in line.text for line in lines) >= 30  # every case laid out
    assert [(line.page, columns(line)) for line in kinsoku_breaks(lines)] == []


def test_figures_are_numbered_in_both_languages(rich):
    """A figure's caption opens with its number in each language, as in the English and Japanese
    editions (Figure 1. / 図 1), and the statement that the chart is not reproduced is in both."""
    from lxml import html as lxml_html

    from publish.render.bilingual import render_bilingual_site

    root, (en, ja, pdf, _, epub) = rich
    styles = Styles.for_book(root)
    labels, labels_ja = styles.labels("en"), styles.labels("ja")
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        text = squeeze("".join(page.extract_text() for page in plumb.pages))
    assert squeeze("Figure 1. How are engines used?") in text and squeeze("図 1　機関はどう使われているか") in text
    assert squeeze(labels["figure_not_reproduced"])[:30] in text and squeeze(labels_ja["figure_not_reproduced"])[:20] in text
    site = render_bilingual_site(en, ja, styles, labels, labels_ja)
    caption = lxml_html.fromstring(site["chapter.html"]).xpath("//figcaption")[0]
    assert [squeeze(p.text_content()) for p in caption.xpath(".//p")] == [
        squeeze("Figure 1. How are engines used?"), squeeze("図 1　機関はどう使われているか")]
    with zipfile.ZipFile(io.BytesIO(epub)) as z:
        doc = etree.fromstring(z.read("EPUB/chapter.xhtml"))
    caption = doc.xpath("//x:figcaption", namespaces={"x": "http://www.w3.org/1999/xhtml"})[0]
    assert [squeeze("".join(p.itertext())) for p in caption] == [
        squeeze("Figure 1. How are engines used?"), squeeze("図 1　機関はどう使われているか")]


def test_the_bilingual_cover_spreads_back_is_in_both_languages(rich):
    """The back cover of the en-ja cover spread carries the title and text in both languages, as its
    front does; nothing of it runs into the spine or off the trim."""
    from publish import printspec
    from publish.render.spread import render_spread

    root, (en, ja, *_) = rich
    styles = Styles.for_book(root)
    pdf = render_spread(en, styles, styles.labels("en"), pages=120, translated=ja, base_url=root / "manuscript")
    width = printspec.trim_in(en.printing)[0] * 72
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        page = plumb.pages[0]
        x_trim = float(page.page_obj.attrs["TrimBox"][0])
        back = [c for c in page.chars if c["x1"] <= x_trim + width]
        front = [c for c in page.chars if c["x0"] >= x_trim + width]
    back_text, front_text = squeeze("".join(c["text"] for c in back)), squeeze("".join(c["text"] for c in front))
    for text in (en.title, ja.title, BACK, BACK_JA):
        assert squeeze(text) in back_text, text
    assert squeeze(ja.title) in front_text
    assert min(c["x0"] for c in back) > x_trim + 36 and max(c["x1"] for c in back) < x_trim + width - 36


# Balanced groups of paragraph pairs (publish/render/bilingual_groups.py) --------------------------
WORDS = "engines compute tables of numbers and their makers argue about the use of such machines".split()
# (English lines, Japanese lines) of each paragraph: an unequal run that balances over three pairs,
# a balanced pair, a run that balances over two, and a last unequal pair with nothing to balance it.
SHAPES = [(8, 2), (3, 7), (2, 5), (1, 1), (6, 1), (1, 6), (4, 1)]
NOTE_SHAPES = [(1, 1), (4, 1), (1, 4), (1, 1)]  # endnotes: the second and third balance as a group


def _english(i: int, lines: int) -> str:
    words, size = [f"Paragraph{i:02d}"], 0
    while size < lines * 50 - 30:
        words.append(WORDS[len(words) % len(WORDS)])
        size += len(words[-1]) + 1
    return " ".join(words) + f" omega{i:02d}."


def _japanese(i: int, lines: int) -> str:
    body = "機関は表を計算し、その作り手は機械の使い道を論じる。" * 4
    return f"第{i:02d}段落" + body[:max(0, lines * 22 - 14)] + f"終わり{i:02d}。"


@pytest.fixture(scope="module")
def grouped(tmp_path_factory):
    """A chapter of paragraphs of unequal sides (SHAPES)."""
    root = tmp_path_factory.mktemp("bilingual-groups") / "book"
    copy_book(BOOKS / "translated", root)
    english = [_english(i, en) for i, (en, _) in enumerate(SHAPES)]
    japanese = [_japanese(i, ja) for i, (_, ja) in enumerate(SHAPES)]
    english.append("Notes^1^ follow^2^ here^3^ now.^4^")
    japanese.append("注^1^が^2^続く^3^。^4^")
    notes = [_english(20 + i, en).replace("Paragraph", "Note") for i, (en, _) in enumerate(NOTE_SHAPES)]
    notes_ja = [_japanese(20 + i, ja).replace("段落", "注") for i, (_, ja) in enumerate(NOTE_SHAPES)]
    (root / "manuscript" / "chapter.md").write_text(
        "# On Machines\n\n" + "\n\n".join(english) + "\n\n::: endnotes\n"
        + "".join(f"{i + 1}. {text}\n" for i, text in enumerate(notes)) + ":::\n")
    parallel = ["[chapter.title]\nen: On Machines\nja: 機械について\n"]
    parallel += [f"[chapter.p{i + 1}]\nen: {en}\nja: {ja}\n" for i, (en, ja) in enumerate(zip(english, japanese))]
    parallel += [f"[chapter.n{i + 1}]\nen: {en}\nja: {ja}\n" for i, (en, ja) in enumerate(zip(notes, notes_ja))]
    (root / "manuscript" / "ja" / "chapter.txt").write_text("\n".join(parallel), encoding="utf-8")
    return render(root)


def _find(plumb, page_map: dict, marker: str, side: str) -> tuple:
    """(page, top, bottom) of the first occurrence of `marker` in a column ("o" left, "t" right), in points."""
    for number, page in enumerate(plumb.pages, 1):
        gutter = Gutter(page, page_map["pages"][number - 1]["box"]).at
        chars = sorted((c for c in page.chars if c["text"].strip() and (c["x0"] < gutter(c)) == (side == "o")),
                       key=lambda c: (round(c["bottom"]), c["x0"]))
        text = "".join(unicodedata.normalize("NFKC", c["text"]) for c in chars)
        at = text.find(marker)
        if at >= 0:
            return number, chars[at]["top"], chars[at + len(marker) - 1]["bottom"]
    raise AssertionError(f"{marker} not found in column {side}")


def test_a_run_of_unequal_paragraphs_is_set_as_balanced_groups(grouped):
    """Paragraph pairs whose sides differ by more than a line are set as one pair with their run's
    neighbours, until the two sides are balanced: the group's two sides end within one line of each
    other; a pair whose sides already balance stays alone (its two sides begin on one baseline)."""
    en, ja, pdf, page_map, _ = grouped
    groups = page_map["groups"]
    assert groups[:2] == [["chapter.p1", "chapter.p2", "chapter.p3"], ["chapter.p5", "chapter.p6"]], groups
    assert groups[2:] == [["chapter.n2", "chapter.n3"]], groups
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        for group in groups:
            last = int(group[-1].split(".")[1][1:]) - 1 + (20 if ".n" in group[-1] else 0)
            page_o, _, end_o = _find(plumb, page_map, f"omega{last:02d}", "o")
            page_t, _, end_t = _find(plumb, page_map, f"終わり{last:02d}", "t")
            assert page_o == page_t and abs(end_o - end_t) <= 14.5 + 1, (group, end_o, end_t)
        alone = _find(plumb, page_map, "Paragraph03", "o"), _find(plumb, page_map, "第03段落", "t")
        assert alone[0][0] == alone[1][0] and abs(alone[0][2] - alone[1][2]) < 1.5, alone
        for i in [*range(len(SHAPES)), *range(20, 20 + len(NOTE_SHAPES))]:  # each printed, in its own column
            _find(plumb, page_map, f"omega{i:02d}", "o"), _find(plumb, page_map, f"終わり{i:02d}", "t")


def test_every_paragraph_pair_starts_within_the_drift_cap(grouped):
    """In a group a paragraph's translation may begin above or below its original, never further
    apart than the cap (a quarter of the text block)."""
    from publish.render.bilingual_groups import DRIFT_SHARE

    en, ja, pdf, page_map, _ = grouped
    with pdfplumber.open(io.BytesIO(pdf)) as plumb:
        for i in range(len(SHAPES)):
            page_o, top_o, _ = _find(plumb, page_map, f"Paragraph{i:02d}", "o")
            page_t, top_t, _ = _find(plumb, page_map, f"第{i:02d}段落", "t")
            _, top, _, bottom = page_map["pages"][page_o - 1]["box"]
            drift = abs((page_t - page_o) * (bottom - top) + top_t - top_o)
            assert drift <= DRIFT_SHARE * (bottom - top), (i, drift)


def test_the_partition_groups_where_it_saves_holes_and_within_the_cap():
    """publish.render.bilingual_groups.partition on differences in lines (one line = 1)."""
    from publish.render.bilingual_groups import partition

    assert partition([0, 1, 0], 1) == []  # grouping would save nothing: every pair alone
    assert partition([2, -1, -1, -3], 1) == [(0, 3)]  # balanced after three; the fourth would only unbalance it
    assert partition([0, 2, 1, -3, 1], 1) == [(1, 4)]  # a balanced pair stays out of the group
    assert partition([3, 3, -5], 1, cap=4) == [(1, 3)]  # with the first, the third would begin 6 lines apart
    assert partition([3, -1, 4, -4], 1, cap=4) == [(0, 2), (2, 4)]  # at the cap: two groups
    # two pairs long on the same side, then two long on the other: the walk that closed a group as
    # soon as it balanced left all four alone (8 lines of holes); the partition balances them
    assert partition([2, 2, -2, -2], 1) == [(0, 4)]
    assert partition([2, 2, -2, -2], 1, cap=3) == [(1, 3)]  # all four would begin the third 4 lines apart
