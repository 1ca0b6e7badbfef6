"""Turn a book directory into its editions: read → check → model → render → write."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from . import model as m
from .assemble import assemble
from .cache import ConvertCache
from .check import check
from .diagnostics import BookError, Diagnostic, has_errors
from .i18n.check import check_translation
from .i18n.translate import load_translations, translate_book
from .read import read_book
from .layout import Layout
from .render.bilingual import render_bilingual_site
from .render.bilingual_epub import render_bilingual_epub
from .render.bilingual_pdf import render_bilingual_pdf
from .render.epub import render_epub
from .render.html import render_site
from .styles import Styles
from .write import sweep, write_file, write_tree

FORMATS = ("html", "pdf", "print", "epub")


@dataclass(frozen=True)
class Loaded:
    """A checked book: the original, one translated Book per language, and all diagnostics."""

    book: m.Book | None
    translated: dict = field(default_factory=dict)  # lang -> Book
    diagnostics: list = field(default_factory=list)


def load(root: Path, cache: ConvertCache | None = None) -> tuple[m.Book | None, list[Diagnostic]]:
    """Read and check a book (the original language only); the model and every diagnostic found."""
    reading = read_book(root, known=cache.has if cache else lambda source: False)
    book, diagnostics = assemble(reading, cache)
    diagnostics = list(reading.diagnostics) + diagnostics
    if book is not None and not has_errors(diagnostics):
        diagnostics += check(book, root)
    return book, diagnostics


def load_all(root: Path, cache: ConvertCache | None = None, release: bool = False, only: tuple = ()) -> Loaded:
    """The book and its translations, each checked (`only`: just the translations these editions need)."""
    book, diagnostics = load(root, cache)
    translated = {}
    if book is not None and not has_errors(diagnostics):
        for lang in book.translations:
            if only and not any(name == lang or name.endswith(f"-{lang}") for name in only):
                continue
            translations, records, problems = load_translations(root, lang, cache)
            diagnostics += problems + check_translation(root, book, lang, translations, records, release)
            translated[lang] = translate_book(book, translations, lang)
    return Loaded(book, translated, diagnostics)


def check_templates(root: Path, loaded: Loaded) -> list[Diagnostic]:
    """Render the HTML of every edition in memory: a broken template is found by `publish check` too."""
    styles = Styles.for_book(root)
    try:
        for book in editions(loaded).values():
            render_site(book, styles, styles.labels(book.language))
    except BookError as exc:
        return exc.diagnostics
    return []


def editions(loaded: Loaded) -> dict[str, m.Book]:
    """Output directory name -> the Book of that edition."""
    book = loaded.book
    return {book.language: book, **loaded.translated}


def build(root: Path, formats=FORMATS, out: Path | None = None, progress=lambda step: None,
          only: tuple = ()) -> list[Diagnostic]:
    """Build every edition in the formats asked for into `out` (default: root/build).

    `only`: edition names to build ("en", "ja", "en-ja"); default: every edition.
    Raises BookError, writing nothing, when the manuscript or a translation has errors."""
    root = Path(root)
    out = Path(out) if out else root / "build"
    progress("reading the manuscript")
    loaded = load_all(root, ConvertCache(root), only=only)
    if has_errors(loaded.diagnostics):
        raise BookError(loaded.diagnostics)
    styles = Styles.for_book(root)
    sweep(out)
    layout = Layout(root, styles)
    for name, book in editions(loaded).items():
        if only and name not in only:
            continue
        labels = styles.labels(book.language)
        if "html" in formats:
            progress(f"rendering the {name} HTML edition")
            write_tree(out / name / "html", render_site(book, styles, labels))
        page_map = None
        if "pdf" in formats or "epub" in formats:
            progress(f"laying out the {name} PDF edition")
            pdf, page_map = layout.pdf(book, labels)
            if "pdf" in formats:
                write_file(out / name / "book.pdf", pdf)
        if "print" in formats:
            progress(f"laying out the {name} press PDF")
            write_file(out / name / "book-print.pdf", layout.pdf(book, labels, "print")[0])
        if "epub" in formats:
            progress(f"packaging the {name} EPUB edition")
            write_file(out / name / "book.epub", render_epub(book, styles, labels, page_map=page_map,
                                                             source_date=source_date(), root=root))
    original = loaded.book
    for lang, book in loaded.translated.items():
        name = f"{original.language}-{lang}"
        if only and name not in only:
            continue
        labels, labels_tr = styles.labels(original.language), styles.labels(lang)
        if "html" in formats:
            progress(f"rendering the {name} HTML edition")
            write_tree(out / name / "html", render_bilingual_site(original, book, styles, labels, labels_tr))
        if "pdf" in formats:
            progress(f"laying out the {name} PDF edition")
            pdf, _ = render_bilingual_pdf(original, book, styles, labels, labels_tr, base_url=root / "manuscript")
            write_file(out / name / "book.pdf", pdf)
        if "epub" in formats:
            progress(f"packaging the {name} EPUB edition")
            write_file(out / name / "book.epub", render_bilingual_epub(original, book, styles, labels, labels_tr,
                                                                       source_date=source_date(), root=root))
    return loaded.diagnostics


def source_date() -> int | None:
    """SOURCE_DATE_EPOCH if set; otherwise the renderers date things by the book's own date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None
