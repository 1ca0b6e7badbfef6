"""Turn the Book model into the print edition: one HTML document of the whole book, laid out by WeasyPrint.

HTML is the hub: the document is rendered by the same block macros as the HTML edition
(styles/templates/blocks.html) through styles/templates/pdf/book.html, styled by css/print.css.

    render_pdf(book, styles, labels, variant="ua")     -> (PDF bytes, page map)
    book_html(book, styles, labels, variant="ua")      -> (HTML text, stylesheet paths)

variant "ua":    tagged PDF/UA-2 (PDF 2.0), or PDF/UA-1 with book.yaml `pdf_standard: ua-1`, for reading
                 and for screen readers (publish/render/pdfua2.py, pdfdests.py: what PDF/UA-2 asks more).
variant "print": the press PDF: 0.125 in bleed, crop marks, colours in DeviceCMYK, no links; PDF/X-4
                 (WeasyPrint's own variant) with a CMYK output intent when a CMYK ICC profile is
                 found ($PUBLISH_CMYK_PROFILE, else Debian's libgs-common "Artifex CMYK SWOP"
                 profile), else a plain PDF with bleed and crop marks. Untagged: the accessible
                 edition is the "ua" one.

The page map: {element id: 1-based page index} for every id in the document (units, headings,
endnote references and notes, figures, bios), and under "pages" one entry a page:
  page    1-based page index
  label   the folio as printed (or as it would be on a page that prints none): "iii", "12"
  id, seg the first block on the page (p, h1–h6, li, dd with an id or data-seg, or a span with
          data-seg): its own id (or None) and its data-seg (or None); both None on a blank page
  offset  0 when that block starts on the page; else the number of characters of the block's text
          (whitespace collapsed, as in the HTML) set on the pages before
  anchor  the nearest id at or above that block (a heading's, a note's or the unit's)
  box     the page's text block [x0, top, x1, bottom] in PDF points from the page's top left
("pages" is the one key that is not an id: a unit may not be called pages.md.)
"""
from __future__ import annotations

import hashlib
import os
import re
import time
import warnings
from pathlib import Path

from .. import model as m
from ..artifacts import CMYK_PROFILES, cmyk_profile  # noqa: F401 - CMYK_PROFILES: where it is looked for
from ..diagnostics import BookError, error
from ..guard import Overtime, deadline, seconds_for
from ..styles import Styles
from ..weasy import import_weasyprint
from . import cjkjustify, footnotes, jlreq, kinsoku, layoutcount, loosebreaks, notebreaks, pdfdests, pdfruby, phrases, pressmarks, trimstyle, urlbreaks
from .html import environment
from .hyphenate import house_rules, ladder_words
from .inline import plain
from .layoutlog import LayoutLog
from .printnotes import print_notes
from .pullin import install as install_pullin
from .pullup import install as install_pullup

CSS = ("css/print.css",)
VARIANTS = {"ua": "pdf/ua-1", "print": "pdf/x-4"}  # "ua": the book's pdf_standard decides (STANDARDS)
STANDARDS = {"ua-1": "pdf/ua-1", "ua-2": "pdf/ua-2"}
ADJUST_PASSES = 6
LADDER_PASSES = 3  # layouts made again to break up hyphen ladders and start loose lines earlier (hyphenate.py, loosebreaks.py)
LAYOUT_SECONDS = 120  # the layout's wall-clock limit: this, plus a second per 1,000 characters of text
_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dd"}
_SPACE = re.compile(r"\s+")
COVER_PAGES = ("front-cover", "inside-cover")  # print.css's page names of the screen PDF's front cover
COVER_LABEL = "Cover"  # their page label (publish/render/pdflang.py: a prefix, no number)
_JOINER = "\u2060"  # WORD JOINER: glues a note reference to the word before it (print only)


def _arabic_start(book: m.Book) -> int | None:
    """Index of the unit whose first page is arabic page 1: the first unit after the front matter."""
    return next((i for i, u in enumerate(book.units) if u.part != "front"), None)


def _part_starts(book: m.Book) -> set[int]:
    return {i for i, u in enumerate(book.units) if i and u.part != book.units[i - 1].part}


def _description(book: m.Book) -> str:
    """The PDF's subject: the back-cover text (the book's own summary), else its subtitle."""
    text = " ".join(plain(b.content) for b in book.back_cover if isinstance(b, m.Para))
    return _SPACE.sub(" ", text).strip() or book.subtitle


def book_size(book: m.Book) -> int:
    """Characters of text in the book: what the layout's time limit grows with."""
    from ..walk import blocks_of, inlines_of

    return sum(len(getattr(i, "text", "")) for u in book.units
               for b in blocks_of(u.blocks + tuple(x for n in u.notes for x in n.blocks)) for i in inlines_of(b))


def hyphenation_of(book: m.Book) -> str:
    """The language tag whose patterns hyphenate this edition (book.yaml's `hyphenation`), or "" when
    the edition is in another language (a translation: its own `lang` decides)."""
    tag = getattr(book, "hyphenation", "")
    return tag if tag and tag.split("-")[0].lower() == book.language.split("-")[0].lower() else ""


def book_html(book: m.Book, styles: Styles, labels: dict, *, variant: str = "ua", template: str = "pdf/book.html",
              css: tuple = CSS, context: dict | None = None, filters: dict | None = None) -> tuple[str, list[Path]]:
    """The single-document HTML of the book and the stylesheets it links (absolute file paths).

    Another edition laid out the same way (the bilingual one) names its own `template` and `css`,
    and adds `context` (template globals, seen by imported macros too) and `filters`."""
    if variant not in VARIANTS:
        raise ValueError(f"unknown PDF variant {variant!r} (expected one of {', '.join(VARIANTS)})")
    profile = cmyk_profile() if variant == "print" else None
    book = footnotes.print_book(book)
    if book.notes == "footnotes":
        css = (*css, footnotes.CSS)
    env = environment(book, styles, labels, lambda ident: "#" + ident, print_ruby=True)
    env.globals.update(print_notes(book, labels))
    env.globals.update(context or {})
    env.filters.update(filters or {})
    if css == CSS:  # the book's own language's setting, if the styles have one (css/print-en.css)
        own = f"css/print-{book.language.split('-')[0].lower()}.css"
        css = css + ((own,) if any(os.path.lexists(d / own) for d in styles.dirs) else ())  # a pipe: refused by find
    css = [styles.find(path) for path in css]
    html = styles.render(
        env, template, files=tuple(os.path.realpath(d) for d in styles.dirs) + ((str(profile),) if profile else ()),
        css=[p.as_uri() for p in css],
        variant=variant,
        cmyk_profile=profile.as_uri() if profile else None,
        description=_description(book),
        keywords=list(getattr(book, "keywords", ()) or ()),
        arabic_start=_arabic_start(book),
        part_starts=_part_starts(book),
        hyphenation=hyphenation_of(book),
        trim=trimstyle.for_book(book, styles, template),  # None on letter (pdf/trim.html)
    )
    # A note reference never begins a line: glue it to the word before with U+2060 WORD JOINER
    # (WeasyPrint may otherwise break between "Taiwan." and the separate <sup> box).
    html = notebreaks.apply(html.replace('<sup><a class="noteref"', _JOINER + '<sup><a class="noteref"'))  # a break after it before 2018, COVID
    return kinsoku.apply(phrases.apply(jlreq.apply(urlbreaks.apply(html)), joiners=True)), css  # URLs break at / and ., never at their hyphens; JLREQ's half-width punctuation pairs; CJK headings break between phrases; then kinsoku


def render_pdf(book: m.Book, styles: Styles, labels: dict, *, variant: str = "ua",
               base_url: str | Path | None = None, timings: dict | None = None,
               template: str = "pdf/book.html", css: tuple = CSS, context: dict | None = None,
               filters: dict | None = None, adjust=None, html: str | None = None) -> tuple[bytes, dict]:
    """The PDF of the book and its page map (see the module docstring).

    `base_url`: where relative image paths resolve (the book's manuscript/ directory).
    `timings`, if given, receives the seconds each stage took, and "layout passes": how many layouts were made.
    `template`, `css`, `context`, `filters`: as for book_html (another edition's document).
    `adjust(document)`, if given, reads each layout and returns the template globals to lay the
    book out again with (the bilingual edition's pairs that must move to the next page), or None
    when the layout is final; at most ADJUST_PASSES more layouts are made.
    `html`: the first layout's document when the caller made it already (a layout cache's key):
    book_html then runs only for the layouts `adjust` asks for.
    """
    HTML = import_weasyprint().HTML  # imported here: the other editions do not pay for it
    cjkjustify.install()  # Chinese and Japanese lines justified between characters (WeasyPrint 70 only)
    install_pullup()  # a Latin line too loose to justify takes the next word, tightened
    install_pullin()  # a Japanese line that would be spread takes the next unit, its punctuation compressed
    pdfdests.install()  # structure elements carry their HTML ids (links' structure destinations)

    from .pdflang import postprocess, press

    clock = time.perf_counter()
    stamps = {}
    given = html

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        stamps[name] = stamps.get(name, 0.0) + now - clock
        clock = now

    base = str(base_url) if base_url else str(Path.cwd())
    if not base.endswith("/"):
        base += "/"
    from ..fetch import ConfinedFetcher

    book_dir = Path(base).parent if base_url else Path.cwd()
    profile = cmyk_profile()
    fetcher = ConfinedFetcher([*styles.dirs, book_dir, *([profile] if profile else [])], book_dir)
    context = dict(context or {})
    searched = [*styles.dirs, book_dir / "manuscript"]
    budget = seconds_for("layout", LAYOUT_SECONDS + book_size(book) / 1000)
    try:
        with deadline(budget, "laying out the PDF"):
            with LayoutLog(fetcher, searched):  # an image or stylesheet WeasyPrint drops fails the build
                kept, ladder_passes, edits = set(), 0 if adjust else LADDER_PASSES, loosebreaks.Edits()
                for _attempt in range(1 + (ADJUST_PASSES if adjust else 0) + ladder_passes):
                    if _attempt or given is None:
                        html, _css = book_html(book, styles, labels, variant=variant, template=template, css=css,
                                               context=context, filters=filters)
                    lap("html")
                    parsed = HTML(string=html, base_url=base, url_fetcher=fetcher)
                    edits.apply(parsed.etree_element)  # lines too loose to fill begin earlier
                    if book.notes == "footnotes":
                        footnotes.place(parsed.etree_element)  # before the layout: see footnotes.py
                    with house_rules(hyphenation_of(book), kept):
                        document = parsed.render()
                    layoutcount.note(book, context, variant, _attempt)  # $PUBLISH_LAYOUT_LOG, if set
                    kinsoku.release_bookmarks(document)  # an outline of titles, not of line-breaking controls
                    fetcher.raise_if_denied(searched)
                    lap("layout")
                    stamps["layout passes"] = _attempt + 1  # a count, not seconds (make bench)
                    more = adjust(document) if adjust else None
                    if more:
                        context.update(more)
                        continue
                    ladders = ladder_words(document) - kept if ladder_passes and hyphenation_of(book) else set()
                    loose = edits.read(document, ladder_passes == 1) if ladder_passes and not adjust else False
                    if not (ladders or loose):
                        break
                    kept |= ladders  # a word that made a third hyphenated line in a row: kept whole
                    ladder_passes -= 1
            if variant == "ua":
                options = {"pdf_variant": STANDARDS.get(getattr(book, "pdf_standard", ""), VARIANTS[variant])}
            elif cmyk_profile():
                options = {"pdf_variant": VARIANTS[variant], "pdf_tags": False}
            else:
                warnings.warn("no CMYK ICC profile (install libgs-common or set PUBLISH_CMYK_PROFILE): "
                              "the press PDF is not PDF/X-4", stacklevel=2)
                options = {"pdf_version": "1.6"}
            # a reproducible /ID: from the document, not from where the book happens to be on disk
            portable = re.sub(r'file://[^"\')]*/', "", html)
            options["pdf_identifier"] = hashlib.md5(portable.encode("utf-8")).hexdigest().encode()
            with LayoutLog(fetcher, searched):
                raw = document.write_pdf(**options)
                fetcher.raise_if_denied(searched)  # SVG images fetch while drawn
    except Overtime as exc:
        raise BookError([error("manuscript/book.yaml", 1, f"{exc} (PUBLISH_LAYOUT_TIMEOUT raises the limit)",
                               "layout-timeout")]) from None
    lap("write_pdf")
    page_map, labels_of_pages, lang_spans = _read_layout(document)
    lap("page_map")
    if variant == "ua":
        pdf = postprocess(raw, lang_spans=lang_spans, page_labels=labels_of_pages, language=book.language,
                          link_labels=_link_labels(document), lang_blocks=_lang_blocks(document))
        pdf = pdfruby.tag_ruby(pdf, pdfruby.laid_out(document))  # Ruby > RB, RT (WeasyPrint has none)
    else:
        pdf = pressmarks.finish(press(raw, page_labels=labels_of_pages, language=book.language), book.printing.marks)
    lap("postprocess")
    if timings is not None:
        timings.update(stamps)
    return pdf, page_map


# The layout, read back --------------------------------------------------------------------------
def _page_labels(document) -> list[str]:
    """The folio of every page as the CSS counts it: lower-roman until the arabic-start page group;
    the front cover's pages are COVER_LABEL."""
    out, arabic_from, covers = [], None, 0
    for i, page in enumerate(document.pages):
        name = getattr(page._page_box.page_type, "name", "") or ""
        if name in COVER_PAGES:  # the screen PDF's cover and its inside: no folio, counted by neither
            covers += 1
            out.append(COVER_LABEL)
            continue
        if arabic_from is None and name == "arabic-start":
            arabic_from = i
        out.append(_roman(i + 1 - covers) if arabic_from is None else str(i - arabic_from + 1))
    return out


def _roman(n: int) -> str:
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += numeral
            n -= value
    return out


def _walk(box, block=None, spans=(), ident=None):
    """(text box, enclosing block element, enclosing <span> boxes outermost first, nearest id) for
    a page's flow, in tree order. Margin boxes (running heads, folios) and generated content
    (markers, leaders) are left out. A span box is one fragment of a <span> (a line's, a page's):
    WeasyPrint gives each its own /Span structure element."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        return
    tag = box.element_tag or ""
    if "::" in tag:
        return
    element = box.element
    if element is not None and isinstance(tag, str) and not tag.startswith("{"):
        if element.get("id"):
            ident = element.get("id")
        if ((tag in _BLOCK_TAGS and (element.get("data-seg") or element.get("id")))
                or (tag == "span" and element.get("data-seg"))):
            block = element  # the innermost: a note's paragraph rather than its list item
        if tag == "span" and isinstance(box, boxes.ParentBox) and not isinstance(box, boxes.LineBox):
            spans = spans + (box,)  # text and line boxes carry their parent's tag but make no element
    if isinstance(box, boxes.TextBox):
        yield box, block, spans, ident
        return
    for child in getattr(box, "children", ()):
        yield from _walk(child, block, spans, ident)


def _lang_blocks(document) -> list:
    """Per page, every box of the flow that makes a structure element, in tree order:
    [(the PDF tag WeasyPrint gives it, the lang of an element other than <span> or None, its text)].
    `<span lang>` fragments are the lang spans' business; the root's lang is the document's."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf.tags import _get_pdf_tag

    def text_of(box) -> str:
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text_of(child) for child in getattr(box, "children", ()))

    def walk(box, out):
        if isinstance(box, (boxes.MarginBox, boxes.TextBox)):
            return
        tag = box.element_tag
        if box.element is not None and not isinstance(box, (boxes.LineBox, boxes.PageBox)) \
                and tag not in ("html", "body"):
            lang = box.element.get("lang") if isinstance(tag, str) and tag != "span" else None
            out.append((tag, lang, box))
        for child in getattr(box, "children", ()):
            walk(child, out)

    pages = []
    for page in document.pages:
        out: list = []
        walk(page._page_box, out)
        if any(lang for _, lang, _ in out):  # the texts only where they are needed
            pages.append([(_get_pdf_tag(tag), lang, text_of(box)) for tag, lang, box in out])
        else:
            pages.append([])
    return pages


def _link_labels(document) -> dict[str, str]:
    """{internal link target: what the link says} — its aria-label, else its text — for the link
    annotations' /Contents (WeasyPrint writes the bare target id there)."""
    out: dict[str, str] = {}
    for page in document.pages:
        for link_type, target, _rect, box in page.links:
            element = getattr(box, "element", None)
            if link_type != "internal" or target in out or element is None:
                continue
            label = element.get("aria-label") or _source_text(element)
            if label:
                out[target] = label
    return out


def _source_text(element) -> str:
    """The element's text as laid out in its flow: a footnote inside it is set elsewhere (page foot)."""
    def text(e):
        if isinstance(e.tag, str):  # not a comment
            yield e.text or ""
        for child in e:
            if not footnotes.is_footnote(child):
                yield from text(child)
            yield child.tail or ""
    return _SPACE.sub(" ", "".join(text(element)).replace(_JOINER, "")).strip()


def _read_layout(document):
    """Page map, page labels and the spans as laid out (for the /Lang post-processing)."""
    page_map: dict = {}
    for number, page in enumerate(document.pages, 1):
        for name in page.anchors:
            page_map.setdefault(name, number)
    labels = _page_labels(document)

    cursor: dict = {}  # block element -> characters of its source text set so far
    sources: dict = {}
    pages = []
    lang_spans = []  # per page, every <span> fragment in tree order: [(its lang or None, its text)]
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        x, y = page_box.content_box_x(), page_box.content_box_y()
        entry = {"page": number, "label": labels[number - 1], "id": None, "seg": None, "offset": 0,
                 "anchor": None,  # the text block in PDF points (CSS px × 0.75), from the top left:
                 "box": [round(v * 0.75, 2) for v in (x, y, x + page_box.width, y + page_box.height)]}
        texts: dict = {}
        order = []
        for text_box, block, spans, ident in _walk(page_box):
            if block is not None:
                source = sources.get(block)
                if source is None:
                    source = sources[block] = _source_text(block).lower()
                if entry["id"] is None and entry["seg"] is None:
                    at = cursor.get(block, 0)
                    entry["id"] = block.get("id")
                    entry["anchor"] = ident
                    entry["seg"] = block.get("data-seg")
                    entry["offset"] = at + 1 if at and source[at:at + 1] == " " else at
                    entry["text"] = source[entry["offset"]:entry["offset"] + 32]  # a hint to find the place
                cursor[block] = _advance(source, cursor.get(block, 0), text_box)
            for span in spans:
                if id(span) not in texts:
                    texts[id(span)] = []
                    order.append(span)
                texts[id(span)].append(text_box.text)
        pages.append(entry)
        lang_spans.append([(span.element.get("lang"), "".join(texts[id(span)])) for span in order])
    page_map["pages"] = pages
    return page_map, labels, lang_spans


def _advance(source: str, at: int, text_box) -> int:
    """The position in `source` (a block's collapsed, lower-cased text) after this text box's text."""
    text = _SPACE.sub(" ", text_box.text.replace(_JOINER, "")).strip().lower()
    if not text:
        return at
    hyphen = text_box.style["hyphenate_character"]
    for candidate in (text, text[: -len(hyphen)] if hyphen and text.endswith(hyphen) else None):
        if candidate:
            found = source.find(candidate, at)
            if found != -1 and source[at:found].strip() == "":
                return found + len(candidate)
    return min(len(source), at + len(text))  # best effort: generated or transformed text
