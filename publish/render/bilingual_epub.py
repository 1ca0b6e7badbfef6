"""Turn an original Book and its translation into the bilingual EPUB: every segment of the original
followed by the same segment in the translation, each marked with its language (lang and xml:lang).

The documents are the EPUB edition's (cover, title page, copyright page, navigation document, a
file a unit, back cover) rendered from styles/templates/epub/bilingual-*.xhtml, and packaged by
publish.render.epub exactly as the EPUB edition is: accessibility metadata from what the XHTML
holds, reproducible zip. The package's languages are the original's, then the translation's.

Notes: one list item a note, each paragraph followed by its translation; the original's
references (`{unit}-ref-{n}`) link to the item (`{unit}-note-{n}`), the translation's references
(`{unit}-ref-{n}-ja`) to the translation's first paragraph (`{unit}-note-{n}-ja`), and each
language's backlink returns to its own reference.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .. import model as m
from ..notes import at_chapter_ends
from ..styles import Styles
from ..walk import blocks_of
from . import epub
from .bilingual_pdf import _NOTE, is_fallback, join_runs
from .cover import cover_png
from .html import date_display
from .identical import identical
from .inline import InlineRenderer, note_id
from .pagelist import place_page_breaks

TEMPLATES = {"titlepage": "epub/bilingual-titlepage.xhtml", "copyright": "epub/bilingual-copyright.xhtml",
             "nav": "epub/bilingual-nav.xhtml", "unit": "epub/bilingual-unit.xhtml",
             "backcover": "epub/bilingual-backcover.xhtml"}
CSS_EXTRA = "css/epub-bilingual.css"


def render_bilingual_epub(original: m.Book, translated: m.Book, styles: Styles, labels: dict, labels_tr: dict, *,
                          source_date: datetime | int | float | None = None, root: Path | None = None,
                          page_map: dict | None = None) -> bytes:
    """The bilingual EPUB's bytes. `source_date` and `root` as for publish.render.epub.render_epub;
    `page_map`: the bilingual PDF's (its page breaks and page list are the bilingual PDF's pages: the
    map names the original's blocks, which the EPUB holds too)."""
    original, translated = at_chapter_ends(original), at_chapter_ends(translated)
    if len(original.units) != len(translated.units):
        raise ValueError("the translated book does not have the original's units")
    epub.check_labels(original, labels)
    epub.check_labels(translated, labels_tr)
    suffix = f"-{translated.language}"
    when = epub.modified(original, source_date)
    images = epub.figure_images(original, root)

    def setup(env, page_of):
        href = env.globals["href"]
        for unit in original.units:
            for note in unit.notes:
                page_of[note_id(unit.slug, note.number) + suffix] = epub.unit_file(unit)

        def href_tr(ident: str) -> str:
            return href(ident + suffix if _NOTE.fullmatch(ident) else ident)

        render_tr = InlineRenderer(href_tr, labels_tr, epub=True, id_suffix=suffix)
        env.filters["inlines_tr"] = lambda items: render_tr(join_runs(items))
        env.filters["fallback"] = is_fallback
        env.filters["same"] = identical  # a translation that is the original word for word: printed once
        env.globals.update(tr=translated, labels_tr=labels_tr, suffix=suffix, zip=zip,
                           date_tr=date_display(translated, labels_tr),
                           toc_tr=lambda toc: translate_toc(toc, original, translated, labels_tr))

    docs, nav = epub.documents(original, styles, labels, images, templates=TEMPLATES, setup=setup, translated=translated)
    pages = place_page_breaks(docs, page_map) if page_map else []
    if pages:
        nav.add_page_list(pages)
    a11y = epub.accessibility(original, docs, pages, labels)
    title_tr = translated.title + (labels_tr.get("title_separator", ": ") + translated.subtitle if translated.subtitle else "")
    css = styles.read(epub.CSS) + styles.read(CSS_EXTRA)
    source = labels["print_edition"].format(title=f"{original.title} / {translated.title}", publisher=original.publisher,
                                            date=date_display(original, labels)) if pages else None
    return epub.package(original, labels, docs, cover_png(original, labels, translated), images, pages, a11y, when,
                        source=source, css=css, translation=(translated, title_tr))


def translate_toc(toc: list, original: m.Book, translated: m.Book, labels_tr: dict) -> list:
    """The navigation entries with the translation's titles beside the original's (`title_tr`)."""
    titles = {}
    for unit, unit_tr in zip(original.units, translated.units):
        name = epub.unit_file(unit)
        titles[name] = epub.nav_text(unit_tr.title)
        for h, h_tr in zip(blocks_of(unit.blocks), blocks_of(unit_tr.blocks)):
            if isinstance(h, m.Heading) and h.id:
                titles[f"{name}#{h.id}"] = epub.nav_text(h_tr.content)
    titles["back-cover.xhtml"] = (m.Text(labels_tr["back_cover"]),)
    return [{**entry, "title_tr": titles.get(entry["href"]),
             "children": translate_toc(list(entry["children"]), original, translated, labels_tr)} for entry in toc]
