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
from .links import LinkCheck
from .render.bilingual import render_bilingual_site
from .render.bilingual_epub import render_bilingual_epub
from .render.bilingual_pdf import render_bilingual_pdf
from .render.epub import render_epub
from .render.html import render_site
from .render.joined import artifacts, edition_links, outside, present
from .styles import Styles
from .staging import Generation, current_generation, require_folders
from .write import sweep

FORMATS = ("html", "pdf", "print", "epub")


class UnknownEdition(ValueError):
    """`--edition` names an edition the book does not have (a usage error: nothing would be written)."""


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
    """Render every edition's documents in memory (HTML site, PDF document, EPUB pages; nothing laid
    out): a broken template or stylesheet is found by `publish check` as by `publish build`."""
    from .render.bilingual_pdf import bilingual_book_html
    from .render.epub import documents, figure_images
    from .render.pdf import book_html

    problems: list[Diagnostic] = []

    def attempt(render, *args, **kwargs):
        try:
            return render(*args, **kwargs)
        except BookError as exc:
            problems.extend(d for d in exc.diagnostics if d not in problems)
            return None

    try:
        styles = Styles.for_book(root)
    except BookError as exc:
        return exc.diagnostics
    links = LinkCheck(loaded.book, root, styles)
    every = artifacts(editions(loaded).keys() | {f"{loaded.book.language}-{lang}" for lang in loaded.translated})

    def edition(name, book):
        labels = styles.labels(book.language)
        links.site(name, attempt(render_site, book, styles, labels, joined=joined(loaded, styles, name, every)),
                   outside(name, every))
        for variant in ("ua", "print"):
            links.single(name, variant, attempt(book_html, book, styles, labels, variant=variant))
        links.epub_docs(name, attempt(lambda: documents(book, styles, labels, figure_images(book, root))))

    def bilingual(name, original, book):
        labels, labels_tr = styles.labels(original.language), styles.labels(book.language)
        links.site(name, attempt(render_bilingual_site, original, book, styles, labels, labels_tr,
                                 joined=joined(loaded, styles, name, every)), outside(name, every))
        for variant in ("ua", "print"):
            links.single(name, variant, attempt(bilingual_book_html, original, book, styles, labels, labels_tr,
                                                variant=variant))
        links.epub_zip(name, attempt(render_bilingual_epub, original, book, styles, labels, labels_tr, root=root))

    for name, book in editions(loaded).items():
        attempt(edition, name, book)
    for lang, book in loaded.translated.items():
        attempt(bilingual, f"{loaded.book.language}-{lang}", loaded.book, book)
    return problems + links.diagnostics()


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
    require_folders(root, root / "build" / ".cache")
    progress("reading the manuscript")
    loaded = load_all(root, ConvertCache(root), only=only)
    if has_errors(loaded.diagnostics):
        raise BookError(loaded.diagnostics)
    styles = Styles.for_book(root)
    book = loaded.book
    names = [book.language, *book.translations, *(f"{book.language}-{lang}" for lang in book.translations)]
    if unknown := [name for name in only if name not in names]:
        raise UnknownEdition(f"no edition {', '.join(map(repr, unknown))} of this book; its editions: {', '.join(names)}")
    with Generation(out, root) as generation:
        sweep(root / "build")
        held = present(names, formats, only, current_generation(out))
        _render(root, loaded, styles, formats, only, generation, progress, held)
        generation.commit(names)
    return loaded.diagnostics


def joined(loaded: Loaded, styles: Styles, name: str, held: set[str]) -> dict:
    """The links of edition `name`'s HTML site to the other editions and its downloads in `held`."""
    return edition_links(name, loaded.book, tuple(loaded.book.translations), styles.labels, held)


def _render(root, loaded, styles, formats, only, generation, progress, held=frozenset()) -> None:
    """Every artifact asked for, rendered into the new generation of build/ (`held`: the artifacts
    build/ will hold, which the HTML sites link to)."""
    layout = Layout(root, styles)
    for name, book in editions(loaded).items():
        if only and name not in only:
            continue
        labels = styles.labels(book.language)
        if "html" in formats:
            progress(f"rendering the {name} HTML edition")
            generation.tree(f"{name}/html", render_site(book, styles, labels, joined(loaded, styles, name, held)))
        page_map = None
        if "pdf" in formats or "epub" in formats:
            progress(f"laying out the {name} PDF edition")
            pdf, page_map = layout.pdf(book, labels)
            if "pdf" in formats:
                generation.file(f"{name}/book.pdf", pdf)
        if "print" in formats:
            progress(f"laying out the {name} press PDF")
            generation.file(f"{name}/book-print.pdf", layout.pdf(book, labels, "print")[0])
        if "epub" in formats:
            progress(f"packaging the {name} EPUB edition")
            generation.file(f"{name}/book.epub", render_epub(book, styles, labels, page_map=page_map,
                                                             source_date=source_date(), root=root))
    original = loaded.book
    for lang, book in loaded.translated.items():
        name = f"{original.language}-{lang}"
        if only and name not in only:
            continue
        labels, labels_tr = styles.labels(original.language), styles.labels(lang)
        if "html" in formats:
            progress(f"rendering the {name} HTML edition")
            generation.tree(f"{name}/html", render_bilingual_site(original, book, styles, labels, labels_tr,
                                                                  joined(loaded, styles, name, held)))
        for variant, fmt, file in (("ua", "pdf", "book.pdf"), ("print", "print", "book-print.pdf")):
            if fmt in formats:
                progress(f"laying out the {name} {'PDF edition' if fmt == 'pdf' else 'press PDF'}")
                pdf, _ = render_bilingual_pdf(original, book, styles, labels, labels_tr, base_url=root / "manuscript",
                                              variant=variant)
                generation.file(f"{name}/{file}", pdf)
        if "epub" in formats:
            progress(f"packaging the {name} EPUB edition")
            generation.file(f"{name}/book.epub", render_bilingual_epub(original, book, styles, labels, labels_tr,
                                                                       source_date=source_date(), root=root))


def source_date() -> int | None:
    """SOURCE_DATE_EPOCH if set; otherwise the renderers date things by the book's own date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None
