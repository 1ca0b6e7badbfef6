"""Turn the Book model into the HTML edition: a page per unit plus a contents page, via Jinja."""
from __future__ import annotations

from markupsafe import escape

from .. import model as m
from ..styles import Styles
from ..tables import listed
from ..walk import blocks_of
from ..notes import back_href, note_pages, notes_of
from ..people import creators
from . import jlreq, phrases
from .wheel import WHEEL_JS, WHEEL_SOURCE, with_wheel
from .credits import bio_shown, credit_lines, credit_pairs, names
from .tategaki import SITE_CSS as VERTICAL_CSS, tcy
from .inline import InlineRenderer, note_id, plain, ref_id

CSS = ("css/screen.css",)


def kind(obj) -> str:
    """The template-facing name of a model class: 'heading', 'para', 'listblock'…"""
    return type(obj).__name__.lower()


def anchors(unit: m.Unit):
    """Every id an element of this unit's page carries."""
    yield unit.slug
    for block in blocks_of(unit.blocks):
        if isinstance(block, (m.Heading, m.Figure, m.Table)) and block.id:
            yield block.id
    for note in unit.notes:
        yield from (b.id for b in blocks_of(note.blocks) if isinstance(b, m.Table))
    for note in unit.notes:
        yield note_id(unit.slug, note.number)
    if unit.kind == "contributors":
        yield "contributors"


def date_display(book: m.Book, labels: dict) -> str:
    parts = book.date.split("-")
    if len(parts) == 1:
        return parts[0]
    return labels["date_format"].format(month=labels["months"][int(parts[1]) - 1], year=parts[0])


def environment(book: m.Book, styles: Styles, labels: dict, href, epub: bool = False, print_ruby: bool = False):
    expansions = {a.abbr: plain(a.expansion.content) for a in book.abbreviations}
    vertical = book.vertical and not print_ruby  # a vertical edition's PDF stays horizontal
    env = styles.environment(inlines=InlineRenderer(href, labels, epub=epub, abbreviations=expansions,
                                                    print_ruby=print_ruby, vertical=vertical),
                             plain=plain,
                             kind=kind, tcy=tcy if vertical else escape)  # |tcy: a template's own digits upright
    env.globals.update(book=book, labels=labels, note_id=note_id, ref_id=ref_id, epub=epub,
                       names=lambda people: names(people, labels),
                       date=(tcy if vertical else str)(date_display(book, labels)),
                       bio_id=lambda person: f"bio-{person.id}", href=href, has_bio=bio_shown(book),
                       credits=credit_lines(book, labels), creators=creators(book),
                       credit_pairs=lambda tr, labels_tr: credit_pairs(book, tr, labels, labels_tr),
                       notes_of=notes_of, back_href=back_href(book, href),
                       listed=lambda kind: listed(book, kind), joined=None)
    return env


def site_href(book: m.Book):
    """A function from an element id to the URL that reaches it in a page-per-unit site."""
    page_of = {"contents": "index.html"}
    for unit in book.units:
        for ident in anchors(unit):
            page_of[ident] = f"{unit.slug}.html"
        if unit.kind == "contributors":
            for person in book.contributors:
                page_of[f"bio-{person.id}"] = f"{unit.slug}.html"
    page_of.update((ident, f"{slug}.html") for ident, slug in note_pages(book).items())

    def href(ident: str) -> str:
        page = page_of.get(ident, "index.html")
        return page if ident == page[:-5] else f"{page}#{ident}"

    return href


def render_site(book: m.Book, styles: Styles, labels: dict, joined: dict | None = None) -> dict[str, bytes]:
    """Relative path -> file content for the whole site; `joined`: its links to the other editions and
    downloads (publish/render/joined.py)."""
    env = environment(book, styles, labels, site_href(book))
    env.globals["joined"] = joined
    css = CSS + (VERTICAL_CSS if book.vertical else ())
    files = {"index.html": styles.render(env, "html/index.html", css=css)}
    units = book.units
    for i, unit in enumerate(units):
        files[f"{unit.slug}.html"] = styles.render(
            env, "html/unit.html", unit=unit, css=css,
            previous=units[i - 1] if i else None,
            next=units[i + 1] if i + 1 < len(units) else None,
        )
    wheel = with_wheel if book.vertical else str  # a vertical page: a mouse wheel scrolls it sideways (wheel.py)
    out = {path: wheel(phrases.apply(jlreq.apply(text))).encode("utf-8") for path, text in files.items()}  # JLREQ's half-width pairs
    for path in css:
        out[path] = styles.read(path)
    if book.vertical:
        out[WHEEL_JS] = WHEEL_SOURCE
    return out
