"""The print PDF, read back from the PDF itself: what a reader (and a screen reader) gets.

The book is the repository's own manuscript, its English edition as built, laid out once for the whole
test run (tests/flagship.py). Page text and glyph
positions come from pdfplumber (pdfminer), structure, links and fonts from pikepdf: neither is the
code that made the PDF.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace

import pdfplumber  # test dependency: pdfplumber==0.11.10
import pikepdf
import pytest

from publish import model as m  # noqa: E402
from publish.render.inline import plain  # noqa: E402
from publish.styles import Styles  # noqa: E402
from publish.walk import blocks_of  # noqa: E402

from . import flagship as shared

ROOT = Path(__file__).resolve().parents[1]
FOLIO = re.compile(r"^(?:\d+|[ivxlcdm]+)$")
TOC_ENTRY = re.compile(r"^(?P<title>.*?)[\s.]*?\s(?P<folio>\d+|[ivxlcdm]+)$", re.S)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


CJK_RANGES = ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x312F), (0x31F0, 0x31FF), (0x3400, 0x4DBF),
              (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3134F))


def is_cjk(text: str) -> bool:
    """Chinese or Japanese: ideographs, kana, CJK punctuation and full-width forms."""
    return any(lo <= ord(ch) <= hi for ch in text for lo, hi in CJK_RANGES)


@pytest.fixture(scope="module")
def book_pdf(tmp_path_factory):
    """The English PDF edition as built (tests/flagship.py: laid out once for the whole run)."""
    book = shared.book("en")
    labels = Styles.for_book(ROOT).labels(book.language)
    data, page_map = shared.laid_out("en")
    path = tmp_path_factory.mktemp("pdf") / "book.pdf"
    path.write_bytes(data)
    pdf = pikepdf.open(path)
    plumb = pdfplumber.open(path)
    yield SimpleNamespace(book=book, labels=labels, path=path, page_map=page_map, pdf=pdf, plumb=plumb,
                          index={p.objgen: i for i, p in enumerate(pdf.pages)})
    plumb.close()
    pdf.close()


# Helpers ----------------------------------------------------------------------------------------
def page_labels(pdf) -> list[str]:
    """The viewer's page labels from /PageLabels (lower-roman and decimal styles)."""
    nums = pdf.Root.PageLabels.Nums
    ranges = [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    out = []
    for index in range(len(pdf.pages)):
        start, spec = max((r for r in ranges if r[0] <= index), key=lambda r: r[0])
        if "/S" not in spec:  # a prefix alone: the front cover's pages ("Cover")
            out.append(str(spec.get("/P", "")))
            continue
        n = int(spec.get("/St", 1)) + index - start
        out.append(str(n) if spec.get("/S") == "/D" else roman(n))
    return out


def roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def lines(page, chars=None):
    """Text lines of a page (or of some of its chars): [(top, text, chars)] from top to bottom."""
    rows = defaultdict(list)
    for c in chars if chars is not None else page.chars:
        rows[round(c["bottom"])].append(c)
    out = []
    for bottom in sorted(rows):
        cs = sorted(rows[bottom], key=lambda c: c["x0"])
        text, last = "", None
        for c in cs:
            if last is not None and c["x0"] - last["x1"] > 0.15 * c["size"]:
                text += " "
            text += c["text"]
            last = c
        out.append((min(c["top"] for c in cs), squash(text), cs))
    return out


def annot_box(page_height, annot):
    x0, y0, x1, y1 = (float(v) for v in annot.Rect)
    return min(x0, x1), page_height - max(y0, y1), max(x0, x1), page_height - min(y0, y1)


def chars_in(page, box, pad=0.5):
    x0, top, x1, bottom = box
    return [c for c in page.chars
            if c["x0"] >= x0 - pad and c["x1"] <= x1 + pad and c["top"] >= top - pad - 2 and c["bottom"] <= bottom + pad + 2]


def destinations(pdf) -> dict:
    return {str(k): v for k, v in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


def resolve(ctx, dest):
    """(page index, y from the top) of a destination: a name or an explicit array."""
    if isinstance(dest, pikepdf.String):
        dest = destinations(ctx.pdf)[str(dest)]
    if isinstance(dest, pikepdf.Dictionary):
        dest = dest.D
    index = ctx.index[dest[0].objgen]
    height = float(ctx.pdf.pages[index].MediaBox[3])
    return index, height - float(dest[3])


def link_dest(annot):
    """An internal link's destination: its /Dest (PDF/UA-1), or its GoTo action's /D (PDF/UA-2, whose
    action also names the structure element, /SD); None for any other link."""
    if "/Dest" in annot:
        return annot.Dest
    action = annot.get("/A")
    return action.D if action is not None and action.get("/S") == "/GoTo" else None


def internal_links(ctx, pages=None):
    """[(page index, annotation, its box from the top, the text under it)] for every internal link."""
    out = []
    for i in pages if pages is not None else range(len(ctx.pdf.pages)):
        page = ctx.pdf.pages[i]
        plumbed = ctx.plumb.pages[i]
        for annot in page.obj.get("/Annots", ()):
            if annot.get("/Subtype") != "/Link" or link_dest(annot) is None:
                continue
            box = annot_box(plumbed.height, annot)
            out.append((i, annot, box, "".join(c["text"] for c in chars_in(plumbed, box))))
    return out


@pytest.fixture(scope="module")
def contents(book_pdf):
    """The contents as printed: [(title, folio, page index)] in order, read from the contents page(s)."""
    ctx = book_pdf
    slugs = {u.slug for u in ctx.book.units}
    labels = page_labels(ctx.pdf)
    entries, seen = [], set()
    before_the_first_unit = range(ctx.page_map[ctx.book.units[0].slug] - 1)
    for i, annot, box, _text in internal_links(ctx, before_the_first_unit):
        target = str(link_dest(annot))
        if target not in slugs or target in seen:
            continue
        seen.add(target)
        text = squash(" ".join(t for _, t, _ in lines(None, chars_in(ctx.plumb.pages[i], box))))
        match = TOC_ENTRY.match(text)
        assert match, f"contents entry without a page number: {text!r}"
        folio = match["folio"]
        assert labels.count(folio) == 1, f"folio {folio} is not one page"
        entries.append((squash(match["title"]), folio, labels.index(folio), target))
    return entries


# The contents, bookmarks and page numbers -------------------------------------------------------
def test_printed_folios_agree_with_the_page_labels(book_pdf):
    labels = page_labels(book_pdf.pdf)
    printed = 0
    for i, page in enumerate(book_pdf.plumb.pages):
        block = book_pdf.page_map["pages"][i]["box"]
        below = [t for top, t, _ in lines(page) if top > block[3]]
        assert len(below) <= 1, f"page {i + 1}: more than a folio under the text block: {below}"
        if below:
            assert FOLIO.match(below[0]), f"page {i + 1}: {below[0]!r} is not a folio"
            assert below[0] == labels[i], f"page {i + 1} prints {below[0]}, its label is {labels[i]}"
            printed += 1
        assert book_pdf.page_map["pages"][i]["label"] == labels[i]
    assert printed > len(labels) // 2
    assert labels[:3] == ["Cover", "Cover", "i"] and "1" in labels, "the cover, front matter in roman, the body from arabic 1"


def test_every_contents_entry_is_the_page_where_its_unit_starts(book_pdf, contents):
    ctx = book_pdf
    assert [c[0] for c in contents] == [squash(plain(u.title)) for u in ctx.book.units]
    for title, folio, index, slug in contents:
        page = ctx.plumb.pages[index]
        display = [c for c in page.chars if c["size"] >= 16]  # the unit title is set large
        heading = squash(" ".join(t for _, t, _ in lines(page, display)))
        heading = re.sub(r"(?<=\w)- (?=\w)", "-", heading)  # a title broken after a hard hyphen (Japan-|Taiwan)
        assert heading == title, f"contents say {title!r} is on page {folio}; page {folio} shows {heading!r}"
        for earlier in ctx.plumb.pages[:index]:
            big = squash(" ".join(t for _, t, _ in lines(earlier, [c for c in earlier.chars if c["size"] >= 16])))
            assert big != title, f"{title!r} already appears as a title before page {folio}"
        assert ctx.page_map[slug] == index + 1


def test_bookmarks_equal_the_contents(book_pdf, contents):
    ctx = book_pdf
    with ctx.pdf.open_outline() as outline:
        items = list(outline.root)
        assert all(not item.children for item in items), "the outline is one level, as the contents"
        # PDF/UA-2: a bookmark is a GoTo action (its /D the page, its /SD the heading's structure element)
        got = [(squash(item.title), resolve(ctx, item.destination if item.destination is not None else item.action.D)[0])
               for item in items]
    assert got == [(title, index) for title, _folio, index, _slug in contents]


def test_units_open_on_right_hand_pages_without_running_heads(book_pdf, contents):
    ctx = book_pdf
    for title, folio, index, _slug in contents:
        assert index % 2 == 0, f"{title!r} opens on a left-hand page ({folio})"
        page = ctx.plumb.pages[index]
        block = ctx.page_map["pages"][index]["box"]
        outside = [t for top, t, cs in lines(page) if top < block[1] or cs[0]["bottom"] > block[3] + 1]
        assert outside == [], f"opener of {title!r} has a running head or folio: {outside}"


def test_running_heads_book_title_left_unit_title_right(book_pdf, contents):
    ctx = book_pdf
    starts = [(index, title) for title, _folio, index, _slug in contents]
    heads = 0
    for i, page in enumerate(ctx.plumb.pages):
        block = ctx.page_map["pages"][i]["box"]
        above = [t for top, t, _ in lines(page) if top < block[1]]
        if not above:
            continue
        heads += 1
        assert len(above) == 1, f"page {i + 1}: running head on more than one line: {above}"
        unit = [title for index, title in starts if index <= i]
        expected = ctx.book.title if i % 2 else (unit[-1] if unit else ctx.labels["contents"])
        assert above[0] == expected, f"page {i + 1}: running head {above[0]!r}, expected {expected!r}"
        assert i not in {index for index, _ in starts}
    assert heads > len(ctx.plumb.pages) // 2


# Endnotes and links -----------------------------------------------------------------------------
def test_endnote_numbers_in_the_text_match_the_notes_and_link_both_ways(book_pdf, contents):
    ctx = book_pdf
    bounds = [index for _t, _f, index, _s in contents] + [len(ctx.pdf.pages)]
    units = {u.slug: u for u in ctx.book.units}
    checked = 0
    for (title, _folio, start, slug), end in zip(contents, bounds[1:]):
        # where the unit's notes begin: its "Endnotes" heading
        heading = next(((i, top) for i in range(start, end) for top, text, _ in lines(ctx.plumb.pages[i])
                        if text.casefold() == ctx.labels["endnotes"].casefold()), None)
        if not units[slug].notes:
            assert heading is None, f"{title}: an endnotes heading without notes"
            continue
        assert heading is not None, f"{title}: no endnotes heading"
        refs, notes = [], []
        for i, annot, box, text in internal_links(ctx, range(start, end)):
            if not text.isdigit():
                continue
            page = ctx.plumb.pages[i]
            chars = chars_in(page, box)
            middle = (chars[0]["top"] + chars[0]["bottom"]) / 2
            line = [c for c in page.chars if c["top"] <= middle <= c["bottom"]]  # its line
            if (i, box[1]) > heading:
                if min(c["x0"] for c in chars) <= min(c["x0"] for c in line) + 0.5:
                    notes.append((int(text), i, box, annot))   # the number that opens a note
            elif max(c["size"] for c in chars) < 0.8 * max(c["size"] for c in line):
                refs.append((int(text), i, box, annot))        # a superscript reference
        expected = [n.number for n in units[slug].notes]
        assert [n for n, *_ in notes] == expected, f"{title}: the notes list"
        assert sorted({n for n, *_ in refs}) == expected, f"{title}: the references in the text"
        for number, _i, _box, annot in refs:           # reference -> its note
            page, y = resolve(ctx, link_dest(annot))
            near = [n for n, j, box, _ in notes if j == page and abs(box[1] - y) < 14]
            assert near == [number], f"{title}: reference {number} leads to {near} on page {page + 1}"
        for number, _i, _box, annot in notes:          # note -> back to its reference
            page, y = resolve(ctx, link_dest(annot))
            near = [n for n, j, box, _ in refs if j == page and abs(box[1] - y) < 14]
            assert number in near, f"{title}: note {number} leads back to {near} on page {page + 1}"
        checked += len(notes)
    assert checked == sum(len(u.notes) for u in ctx.book.units)


def test_every_link_target_resolves(book_pdf):
    ctx = book_pdf
    names = destinations(ctx.pdf)
    internal = external = 0
    for page in ctx.pdf.pages:
        for annot in page.obj.get("/Annots", ()):
            if annot.get("/Subtype") != "/Link":
                continue
            assert str(annot.get("/Contents", "")).strip(), "a link without a description"
            if link_dest(annot) is not None:
                dest = link_dest(annot)
                assert not isinstance(dest, pikepdf.String) or str(dest) in names, f"dangling link {dest}"
                resolve(ctx, dest)
                internal += 1
            else:
                assert str(annot.A.S) == "/URI" and re.match(r"https?://", str(annot.A.URI))
                external += 1
    assert internal and external


# Type -------------------------------------------------------------------------------------------
def fonts(pdf):
    seen = {}

    def walk(resources):
        for _name, font in resources.get("/Font", {}).items():
            seen[font.objgen] = font
        for _name, xobject in resources.get("/XObject", {}).items():
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                walk(xobject.Resources)

    for page in pdf.pages:
        walk(page.obj.get("/Resources", {}))
    return list(seen.values())


def test_every_font_is_embedded_and_subset(book_pdf):
    found = fonts(book_pdf.pdf)
    assert found
    families = set()
    for font in found:
        descendant = font.DescendantFonts[0] if font.get("/Subtype") == "/Type0" else font
        descriptor = descendant.FontDescriptor
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{font.BaseFont} not embedded"
        assert re.match(r"^/[A-Z]{6}\+", str(font.BaseFont)), f"{font.BaseFont} not subset"
        assert "/ToUnicode" in font
        families.add(str(font.BaseFont).split("+", 1)[1])
    assert any("CJK-JP" in f for f in families) and any("CJK-TC" in f for f in families)


def test_no_text_outside_the_text_block(book_pdf):
    ctx = book_pdf
    for i, page in enumerate(ctx.plumb.pages):
        x0, top, x1, bottom = ctx.page_map["pages"][i]["box"]
        for c in page.chars:
            if not c["text"].strip():
                continue  # a space sets no ink
            assert c["x0"] >= x0 - 0.5 and c["x1"] <= x1 + 0.5, (
                f"page {i + 1}: {c['text']!r} at x {c['x0']:.1f}–{c['x1']:.1f} outside {x0}–{x1}")
            assert c["top"] >= top - 48 and c["bottom"] <= bottom + 48 and c["top"] >= 0 and c["bottom"] <= page.height
        for top_, text, cs in lines(page):  # only the running head above, the folio below
            if cs[0]["bottom"] < top or top_ > bottom:
                assert cs[0]["size"] < 10, f"page {i + 1}: body text {text!r} outside the text block"


# Breaks: no heading at the foot of a page, no widows or orphans ---------------------------------
def blocks_by_page(ctx) -> dict:
    """{page index: [(structure type, lines it sets on that page)]} for paragraphs, headings and
    other elements holding text, in reading order (the structure tree's); lines are counted from
    the glyphs of their MCIDs."""
    out = defaultdict(list)

    def mcids(elem):
        kids = elem.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if isinstance(kid, int):
                yield int(kid)
            elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from mcids(kid)
            elif isinstance(kid, pikepdf.Dictionary) and "/MCID" in kid:
                yield int(kid.MCID)

    def walk(node):
        kids = node.get("/K")
        kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        for kid in kids:
            if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                continue
            kind = str(kid.S)
            holds_text = any(isinstance(k, int) for k in (kid.K if isinstance(kid.get("/K"), pikepdf.Array) else []))
            if kind == "/P" or re.fullmatch(r"/H[1-6]", kind) or holds_text:
                if "/Pg" in kid:  # a paragraph, a heading, or other text (contents entries, list items)
                    out[ctx.index[kid.Pg.objgen]].append((kind, set(mcids(kid))))
                continue
            walk(kid)

    walk(ctx.pdf.Root.StructTreeRoot)
    result = {}
    for i, blocks in out.items():
        bottoms = defaultdict(set)
        for c in ctx.plumb.pages[i].chars:
            if c.get("mcid") is not None and c["text"].strip():
                bottoms[c["mcid"]].add(round(c["bottom"]))
        result[i] = [(kind, len(set().union(*(bottoms[m] for m in ids)) if ids else set()))
                     for kind, ids in blocks]
        result[i] = [(kind, n) for kind, n in result[i] if n]
    return result


def test_no_heading_alone_at_the_foot_of_a_page(book_pdf):
    for i, blocks in blocks_by_page(book_pdf).items():
        if blocks and i + 1 < len(book_pdf.pdf.pages):
            assert not blocks[-1][0].startswith("/H"), f"page {i + 1} ends with a heading"


def test_no_widows_or_orphans(book_pdf):
    ctx = book_pdf
    by_page = blocks_by_page(ctx)
    split = [p for p in ctx.page_map["pages"] if p["offset"] > 0 and p["seg"]]
    assert split, "some paragraph runs over a page"
    for entry in split:
        i = entry["page"] - 1
        kind, first = by_page[i][0]
        _, last = by_page[i - 1][-1]
        assert kind == "/P"
        assert first >= 2, f"page {i + 1}: a widow (the paragraph ends with {first} line on it)"
        assert last >= 2, f"page {i}: an orphan (the paragraph starts with {last} line at its foot)"


# Accessibility ----------------------------------------------------------------------------------
def parent_tree(pdf) -> dict:
    out = {}

    def walk(node):
        nums = node.get("/Nums")
        if nums is not None:
            for k in range(0, len(nums), 2):
                out[int(nums[k])] = nums[k + 1]
        for kid in node.get("/Kids", ()):
            walk(kid)

    walk(pdf.Root.StructTreeRoot.ParentTree)
    return out


def inherited_lang(elem):
    while elem is not None and isinstance(elem, pikepdf.Dictionary):
        if "/Lang" in elem:
            return str(elem.Lang)
        elem = elem.get("/P")
    return None


def model_lang_spans(book: m.Book):
    out = []

    def inlines(items):
        for item in items:
            if isinstance(item, m.Lang):
                out.append((item.lang, plain(item.children)))
            if hasattr(item, "children"):
                inlines(item.children)

    def blocks(bs):
        for b in blocks_of(bs):
            for field in ("content", "caption", "note", "source"):
                value = getattr(b, field, None)
                if isinstance(value, tuple):
                    inlines(value)
                elif isinstance(value, m.Para):
                    inlines(value.content)
            for panel in getattr(b, "panels", ()):
                inlines(panel.content)
            if isinstance(b, m.Table):
                for row in b.head + b.body:
                    for cell in row:
                        blocks(cell)

    for unit in book.units:
        inlines(unit.title)
        blocks(unit.blocks)
        for note in unit.notes:
            blocks(note.blocks)
    for person in book.contributors:
        blocks(person.bio)
    for a in book.abbreviations:
        inlines(a.expansion.content)
    blocks(book.back_cover)
    return out


def test_every_cjk_span_carries_its_language(book_pdf):
    ctx = book_pdf
    spans = model_lang_spans(ctx.book)
    assert spans, "the manuscript has Chinese and Japanese spans"
    expected = Counter((lang, ch) for lang, text in spans for ch in text if is_cjk(ch))
    parents = parent_tree(ctx.pdf)
    got = Counter()
    for i, page in enumerate(ctx.plumb.pages):
        cjk = [c for c in page.chars if is_cjk(c["text"])]
        if not cjk:
            continue
        mcids = parents[int(ctx.pdf.pages[i].obj.StructParents)]
        by_mcid = defaultdict(list)
        for c in cjk:
            assert c.get("mcid") is not None, f"page {i + 1}: {c['text']} is not marked content"
        for c in page.chars:
            if c.get("mcid") in {c["mcid"] for c in cjk}:
                by_mcid[c["mcid"]].append(c)
        for mcid, chars in by_mcid.items():
            lang = inherited_lang(mcids[mcid])
            text = "".join(c["text"] for c in chars)  # one text fragment, all in one language
            assert lang in {lang for lang, _ in spans}, f"page {i + 1}: {text!r} has /Lang {lang}"
            assert any(text in span for span_lang, span in spans if span_lang == lang), (
                f"page {i + 1}: {text!r} tagged {lang}, the manuscript says otherwise")
            region = {"ja": "CJK-JP", "zh-Hant": "CJK-TC", "zh-Hans": "CJK-SC"}.get(lang)
            if region:
                assert all(region in c["fontname"] for c in chars if is_cjk(c["text"])), text
            got.update((lang, c["text"]) for c in chars if is_cjk(c["text"]))
    assert got == expected


def test_document_is_tagged_titled_and_in_the_book_language(book_pdf):
    pdf, book = book_pdf.pdf, book_pdf.book
    assert str(pdf.Root.Lang) == book.language
    assert bool(pdf.Root.MarkInfo.Marked) is True
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
    assert "/StructTreeRoot" in pdf.Root
    info = pdf.docinfo
    assert str(info.Title).startswith(book.title)
    for person in book.editors:
        assert person.name in str(info.Author)
    assert str(info.get("/Subject", "")).strip()
    with pdf.open_metadata() as xmp:
        assert "pdfuaid:part" in str(xmp) or xmp.get("pdfuaid:part") == "1"


def test_verapdf_passes_the_declared_pdf_ua(book_pdf):
    verapdf = pytest.importorskip("publish.referees.verapdf")
    from publish.referees import RefereeUnavailable

    try:
        findings = verapdf.check_declared([book_pdf.path])
    except RefereeUnavailable as exc:
        pytest.skip(str(exc))
    assert [str(f) for f in findings] == []


# The page map -----------------------------------------------------------------------------------
def test_page_map_covers_units_headings_and_note_references(book_pdf, contents):
    ctx = book_pdf
    page_map = ctx.page_map
    assert len(page_map["pages"]) == len(ctx.pdf.pages)
    for unit in ctx.book.units:
        assert page_map[unit.slug] == page_map[f"{unit.slug}-title"]
        for block in blocks_of(unit.blocks):
            if isinstance(block, m.Heading):
                assert block.id in page_map
    refs = [k for k in page_map if re.search(r"-ref-\d+(-\d+)?$", k)]
    assert len(refs) >= sum(len(u.notes) for u in ctx.book.units)
    for ident in refs:  # the page of a reference is the page showing its number, linked to its note
        unit, number = re.match(r"(.+)-ref-(\d+)(?:-\d+)?$", ident).groups()
        targets = {str(link_dest(a)) for _, a, _, _ in internal_links(ctx, [page_map[ident] - 1])}
        assert f"{unit}-note-{number}" in targets, ident
    starts = [p for p in page_map["pages"] if p["seg"] or p["id"]]
    assert all(p["offset"] >= 0 for p in starts)
    assert any(p["offset"] > 0 for p in starts), "some page begins in the middle of a paragraph"


# The press PDF ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def press_pdf(book_pdf, tmp_path_factory):
    data, _ = shared.laid_out("en", "print")
    path = tmp_path_factory.mktemp("press") / "press.pdf"
    path.write_bytes(data)
    with pikepdf.open(path) as pdf:
        yield pdf


def test_press_pdf_has_bleed_crop_marks_and_no_rgb(press_pdf, book_pdf):
    pdf = press_pdf
    # the interior only: the screen PDF's front cover and its inside, and the back cover and its inside, are not in it
    assert len(pdf.pages) == len(book_pdf.pdf.pages) - 4
    bleed = 0.125 * 72
    for page in pdf.pages:
        trim = [float(v) for v in page.TrimBox]
        media = [float(v) for v in page.MediaBox]
        assert trim[2] - trim[0] == pytest.approx(612) and trim[3] - trim[1] == pytest.approx(792)
        bleed_box = [float(v) for v in page.BleedBox]
        assert [b - a for a, b in zip(trim, bleed_box)] == pytest.approx([-bleed, -bleed, bleed, bleed])
        assert media[0] < bleed_box[0] and media[1] < bleed_box[1] and media[2] > bleed_box[2] and media[3] > bleed_box[3]
        assert "/Annots" not in page.obj
        operators = Counter(str(op) for _, op in pikepdf.parse_content_stream(page))
        for form in page.Resources.get("/XObject", {}).values():
            if form.get("/Subtype") == "/Form":
                operators.update(str(op) for _, op in pikepdf.parse_content_stream(form))
        assert not operators["rg"] and not operators["RG"], "DeviceRGB colour in the press PDF"
    intents = pdf.Root.get("/OutputIntents")
    with pdf.open_metadata() as xmp:
        claims_x4 = "PDF/X-4" in str(xmp)
    if intents is not None:
        profile = intents[0].DestOutputProfile
        assert str(intents[0].S) == "/GTS_PDFX" and int(profile.N) == 4
        assert profile.read_bytes()[12:20] == b"prtrCMYK"
    assert claims_x4 == (intents is not None), "PDF/X-4 claimed only with a CMYK output intent"
