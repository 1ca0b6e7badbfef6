"""Turn an original Book and its translation into the bilingual print edition: one PDF, the original
on the left and the translation on the right, segment beside segment.

The document is styles/templates/pdf/bilingual.html, styled by css/print.css and
css/print-bilingual.css, laid out and post-processed by publish.render.pdf exactly as the print
edition is (page labels, page map, link descriptions, /Lang, PDF/UA-1): only the template differs.

    render_bilingual_pdf(original, translated, styles, labels, labels_tr) -> (PDF bytes, page map)

Alignment. Each segment is a pair of blocks laid out as a one-row table (see print-bilingual.css):
both blocks start at the row's top, so the translation of a segment starts on the page where its
original starts, and the two first lines share a baseline (each pair states its sizes and
leadings; the side whose first baseline would sit higher gets the difference as top padding).
A row may break across pages; should one side's first lines fit at the foot of a page and the
other's not (widows and orphans, a taller line), the layout is read back (`misaligned`) and the book
laid out again with that pair, or the heading before it, starting the next page; publish.render.pdf
does so until no pair is split (one layout when none is, as for this book).

Balanced columns. Aligning every paragraph leaves a hole under the shorter side of each. The first
layout (every pair alone) is read back twice. publish.render.bilingual_shares sets each unit's
column split (its text's, its notes') where its rows come out shortest: a side that runs long
through a whole chapter leaves holes no grouping cancels. publish.render.bilingual_groups.plan,
reading the heights predicted at those splits, groups the paragraphs: a run of paragraph
pairs whose sides differ by more than a line is set as ONE pair, the originals of k segments in its
left cell and their translations in its right, each side flowing without gaps, until the sides
balance again (within one line); a paragraph that balances alone stays a pair, and no paragraph's
two sides begin more than a quarter of the text block apart. The book is then laid out again with
those groups (one more layout), and the pairs it splits are moved as above. A group's tags read the
originals' paragraphs, then the translations', each P with its own /Lang and data-seg; the page map
lists the groups under "groups". A paragraph followed by a signature is set as one pair with it
(each cell: the paragraph, then its side's signature lines), so that a page break may fall inside
the paragraph and the signature keeps with its last lines; the page map lists these under "signed"
([paragraph seg, signature line segs…]).

Languages. Every block carries its own `lang` (`en` on the left, `ja` on the right), and the /Lang
post-processing (publish.render.pdflang) puts it on the block's structure element (P, H1…), and
on every `<span lang>` inside (an English name in the Japanese text, a Chinese title in the
English). The document's /Lang is the original's.

Notes. The original's note references link to `{unit}-note-{n}` and its notes back to
`{unit}-ref-{n}`; the translation's references and notes carry the language as an id suffix
(`-ja`), as in the bilingual HTML edition, so every id is unique and each side's links stay in its
own language.
"""
from __future__ import annotations

import re
import time
from dataclasses import replace
from pathlib import Path

from .. import model as m
from ..notes import at_chapter_ends
from ..styles import Styles
from .cover import CJK
from .credits import credit_lines, names
from .html import date_display
from .bilingual_groups import classes, plan
from .bilingual_rows import half_empty, needless_breaks
from .bilingual_shares import splits
from .floats import Floats
from .identical import identical
from .inline import InlineRenderer
from .pdf import book_html, render_pdf

TEMPLATE = "pdf/bilingual.html"
CSS = ("css/print.css", "css/print-bilingual.css")
_NOTE = re.compile(r".+-note-\d+")


def is_fallback(content) -> bool:
    """True for a translated segment that fell back to the original (shown, marked untranslated)."""
    return len(content) == 1 and isinstance(content[0], m.Lang) and content[0].fallback


def join_runs(items: tuple) -> tuple:
    """Inlines with neighbouring runs of the same language joined across what separates them when
    that holds no Chinese or Japanese: `<span lang=en>…/20200721</span>_<span lang=en>HC632</span>`
    becomes one English run. One run reads as one phrase, and a line may break inside it (WeasyPrint
    finds no break between sibling spans, so a URL cut into runs overflows its column)."""
    out: list = []
    for item in items:
        if isinstance(item, (m.Styled, m.Link)) or (isinstance(item, m.Lang) and item.fallback):
            item = replace(item, children=join_runs(item.children))
        if isinstance(item, m.Lang) and not item.fallback and out:
            between = []
            k = len(out)
            while k and isinstance(out[k - 1], m.Text) and not CJK.search(out[k - 1].text):
                k -= 1
                between.insert(0, out[k])
            previous = out[k - 1] if k else None
            if (isinstance(previous, m.Lang) and not previous.fallback and previous.lang == item.lang
                    and all(not t.text.isspace() or t.text == " " for t in between)):
                del out[k - 1:]
                item = m.Lang(item.lang, previous.children + tuple(between) + item.children)
        out.append(item)
    return tuple(out)


_URLISH = re.compile(r"\S{25,}")
_BREAK_BEFORE = re.compile(r"(?<=[^/\s])(?=[/._#?=&](?=\w))")
_HYPHEN = re.compile(r"(?<=\w)(?=-\w)")
_ZWSP = "\u200b"


def _breakable(run: str) -> str:
    """A long run with its break points; in a URL (a run with a slash) before its hyphens too, as
    The Chicago Manual of Style allows (14.18): publish.render.urlbreaks forbids a break after a URL's
    hyphen, and a 44 % column cannot hold `…/relaning-ban-japanese-food-needs-rational-discussion-trail.`."""
    run = _BREAK_BEFORE.sub(_ZWSP, run)
    return _HYPHEN.sub(_ZWSP, run) if "/" in run else run


def soft_breaks(items: tuple) -> tuple:
    """Inlines whose long unbroken runs (URLs, file names) may break where a typesetter breaks them:
    before a slash, a full stop, an underscore, a URL's hyphen… (a ZERO WIDTH SPACE there). A narrow
    column cannot hold them whole, and CSS's `overflow-wrap: anywhere` would cut them anywhere, "ht|tps" too."""
    out: list = []
    for item in items:  # neighbouring texts as one (a translation's runs come in pieces)
        if isinstance(item, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + item.text)
        else:
            out.append(item)
    items, out = out, []
    for item in items:
        if isinstance(item, m.Text) and _URLISH.search(item.text):
            item = m.Text(_URLISH.sub(lambda run: _breakable(run.group()), item.text))
        elif isinstance(item, (m.Styled, m.Link, m.Lang)):
            item = replace(item, children=soft_breaks(item.children))
        out.append(item)
    return tuple(out)


def bilingual_context(original: m.Book, translated: m.Book, labels: dict, labels_tr: dict) -> tuple[dict, dict]:
    """The template globals and filters the bilingual template needs besides the print edition's."""
    suffix = f"-{translated.language}"

    def href_tr(ident: str) -> str:
        return "#" + ident + (suffix if _NOTE.fullmatch(ident) else "")

    render = InlineRenderer(lambda ident: "#" + ident, labels, print_ruby=True)
    render_tr = InlineRenderer(href_tr, labels_tr, id_suffix=suffix, print_ruby=True)
    context = {"tr": translated, "labels_tr": labels_tr, "suffix": suffix, "zip": zip, "breaks": frozenset(),
               "groups": {}, "grouped": frozenset(), "split": {}, "notes_split": {}, "deferred": {},
               "date_tr": date_display(translated, labels_tr), "names_tr": lambda people: names(people, labels_tr),
               "cover_credits": credit_lines(original, labels, translated.language),
               "cover_credits_tr": credit_lines(translated, labels_tr)}
    filters = {"inlines": lambda items: render(soft_breaks(items)),
               "inlines_tr": lambda items: render_tr(soft_breaks(join_runs(items))), "fallback": is_fallback,
               "same": identical}
    return context, filters


def bilingual_book_html(original: m.Book, translated: m.Book, styles: Styles, labels: dict, labels_tr: dict, *,
                        variant: str = "ua") -> tuple[str, list[Path]]:
    """The document's first HTML and its stylesheets (for a layout cache's key)."""
    original, translated = at_chapter_ends(original), at_chapter_ends(translated)
    context, filters = bilingual_context(original, translated, labels, labels_tr)
    return book_html(original, styles, labels, variant=variant, template=TEMPLATE, css=CSS, context=context,
                     filters=filters)


def render_bilingual_pdf(original: m.Book, translated: m.Book, styles: Styles, labels: dict, labels_tr: dict, *,
                         base_url: str | Path | None = None, variant: str = "ua",
                         timings: dict | None = None, html: str | None = None,
                         balance: bool = True) -> tuple[bytes, dict]:
    """The bilingual PDF and its page map (publish.render.pdf's, keyed by the original's ids; "groups":
    the paragraph pairs set as one, [[seg, …], …]).

    `base_url`: where relative image paths resolve (the book's manuscript/ directory);
    `variant` "print": the press PDF, as publish.render.pdf makes it; `timings`, `html` as there
    (`html`: bilingual_book_html's, made already); `balance` False: every paragraph a pair of its own."""
    original, translated = at_chapter_ends(original), at_chapter_ends(translated)
    if len(original.units) != len(translated.units):
        raise ValueError("the translated book does not have the original's units")
    context, filters = bilingual_context(original, translated, labels, labels_tr)
    breaks: set = set()
    groups: list = []
    page_split: dict = {}
    planned = [not balance]
    signed = None  # the paragraphs set with the signature after them, read from the first layout
    floats = Floats(lambda element: "pair-p" in classes(element))  # figures set after the paragraphs that fill the page before

    def adjust(document):
        nonlocal signed
        if signed is None:
            signed = signed_pairs(document)
        if not planned[0]:  # once, from the first layout (every pair alone): publish.render.bilingual_groups
            planned[0] = True
            split, notes_split, measured = splits(document)
            groups.extend(plan(document, avoid=half_empty(document), measured=measured))
            page_split.update(text=split, notes=notes_split)
            if groups or split or notes_split:
                return {"groups": {g[0]: len(g) for g in groups}, "grouped": frozenset(s for g in groups for s in g),
                        "split": split, "notes_split": notes_split}
        found = misaligned(document) - breaks
        needless = needless_breaks(document) & breaks  # moved by an earlier layout, no longer worth it
        deferred = floats.read(document)  # publish.render.floats
        if not found and not needless and deferred is None:
            return None
        breaks.update(found)
        breaks.difference_update(needless - found)
        return {"breaks": frozenset(breaks), "deferred": dict(floats.deferred)}

    pdf, page_map = render_pdf(original, styles, labels, variant=variant, base_url=base_url, timings=timings,
                               template=TEMPLATE, css=CSS, context=context, filters=filters, adjust=adjust, html=html)
    page_map["groups"], page_map["deferred"] = groups, dict(floats.deferred)
    page_map["split"] = page_split
    page_map["signed"] = signed or []
    if variant == "ua":
        clock = time.perf_counter()
        pdf = fold_pair_wrappers(pdf)
        if timings is not None:
            timings["postprocess"] = timings.get("postprocess", 0.0) + time.perf_counter() - clock
    return pdf, page_map


def fold_pair_wrappers(pdf: bytes) -> bytes:
    """The PDF with each pair's structure as Div > (the original's block, the translation's block):
    the Div elements WeasyPrint makes for a pair's anonymous table boxes folded into one."""
    import io

    import pikepdf

    from .pdflang import collapse_wrappers

    with pikepdf.open(io.BytesIO(pdf)) as document:
        collapse_wrappers(document)
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
        return out.getvalue()


def signed_pairs(document) -> list[list[str]]:
    """[[paragraph seg, its signature's line segs…], …]: the paragraphs the template set as one pair with
    the signature after them (`signed`, class pair-signed)."""
    if not document.pages:
        return []
    root = document.pages[0]._page_box.children[0].element
    return [[node.get("data-seg") for node in pair.iter() if node.get("data-seg")]
            for pair in root.iter() if "pair-signed" in classes(pair)]


def first_pages(document) -> dict:
    """{side element: the index of the page its first text is set on} for every side of a pair."""
    from weasyprint.formatting_structure import boxes

    first: dict = {}

    def walk(box, side, index):
        if isinstance(box, boxes.MarginBox):
            return
        element = box.element
        if element is not None and element is not side and "side" in classes(element):
            side = element
        if isinstance(box, boxes.TextBox):
            if side is not None and side not in first and box.text.strip():
                first[side] = index
            return
        for child in getattr(box, "children", ()):
            walk(child, side, index)

    for index, page in enumerate(document.pages):
        walk(page._page_box, None, index)
    return first


def misaligned(document) -> set[str]:
    """The segments whose pair begins on one page on one side and on the next page on the other, or
    whose pair a page break leaves with an empty cell (publish.render.bilingual_rows): the data-seg
    of the original's side; for a pair right after a heading pair, the heading's, so that the
    heading moves with it."""
    first = first_pages(document)
    if not first:
        return set()
    root = document.pages[0]._page_box.children[0].element  # <html>: WeasyPrint's elements know no parent
    parent = {child: node for node in root.iter() for child in node}

    def previous(node):
        siblings = list(parent[node]) if node in parent else []
        at = siblings.index(node) if node in siblings else 0
        return siblings[at - 1] if at else None

    pages: dict = {}
    for side, index in first.items():
        pages.setdefault(parent[side], set()).add(index)
    out = set()
    for pair in {pair for pair, seen in pages.items() if len(seen) > 1} | half_empty(document):
        node = pair  # the block the pair opens: climb out of the list items and lists it begins
        while previous(node) is None and parent.get(node) is not None and parent[node].tag in ("li", "ul", "ol", "aside"):
            node = parent[node]
        before = previous(node)
        key = before if before is not None and any(c.startswith("pair-h") for c in classes(before)) else pair
        seg = next((node.get("data-seg") for node in key.iter() if node.get("data-seg")), None)
        if seg:
            out.add(seg)
    return out
