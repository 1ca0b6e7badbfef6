"""Turn a book directory into its editions: read → check → model → render → write."""
from __future__ import annotations

import builtins
import dataclasses
import gc
import os
import warnings
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from pathlib import Path

from . import artifacts, fonts
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
from .parallel import Task, run_all
from .render.bilingual import render_bilingual_site
from .render.html import render_site
from .render.joined import artifacts as link_targets, edition_links, outside, present
from .styles import Styles
from .staging import BookLock, Generation, current_generation, require_folders
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


@contextmanager
def collector_paused():
    """The manuscript's ASTs and model are trees, freed by reference counts: Python's cycle collector,
    which would scan their millions of objects again and again (a third of a cold HTML build), waits."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_all(root: Path, cache: ConvertCache | None = None, release: bool = False, only: tuple = ()) -> Loaded:
    """The book and its translations, each checked (`only`: just the translations these editions need)."""
    with collector_paused():
        return _load_all(root, cache, release, only)


def _load_all(root: Path, cache: ConvertCache | None, release: bool, only: tuple) -> Loaded:
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


def typeset(loaded: Loaded) -> Loaded:
    """With `typography: smart`, every edition's text with typographic quotes and dashes (the
    manuscript, its segments and the checks keep the text as written)."""
    if loaded.book is None or loaded.book.typography != "smart":
        return loaded
    from .smartquotes import smarten_book

    book = smarten_book(loaded.book)
    translated = {lang: dataclasses.replace(smarten_book(dataclasses.replace(t, original=None)), original=book)
                  for lang, t in loaded.translated.items()}
    return Loaded(book, translated, loaded.diagnostics)


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
    every = link_targets(editions(loaded).keys() | {f"{loaded.book.language}-{lang}" for lang in loaded.translated})

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
        from .render.bilingual_epub import render_bilingual_epub

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


def build(root: Path, *args, **kwargs) -> list[Diagnostic]:
    """Build the book (see _build) while holding its lock shared with other builds of it."""
    require_folders(Path(root), Path(root) / "build" / ".cache")
    with BookLock(Path(root)) as lock:
        return _build(Path(root), *args, lock=lock, **kwargs)


def _build(root: Path, formats=FORMATS, out: Path | None = None, progress=lambda step: None,
           only: tuple = (), jobs: int = 1, stats: dict | None = None, lock: BookLock | None = None) -> list[Diagnostic]:
    """Build every edition in the formats asked for into `out` (default: root/build).

    `only`: edition names to build ("en", "ja", "en-ja"); default: every edition.
    `jobs`: worker processes for the editions' artifacts (1: all in this process).
    `stats`, if given, receives what was done: "layouts" (made, not cached), "written" and "kept"
    (artifacts), "noop" (True when nothing but the inputs was read).
    Raises BookError, writing nothing, when the manuscript or a translation has errors.
    An artifact whose inputs are unchanged is neither built nor rewritten (publish.artifacts)."""
    root = Path(root)
    out = Path(out) if out else root / "build"
    stats = {} if stats is None else stats
    stats.update(layouts=[], written=[], kept=[], noop=False)
    require_folders(root, root / "build" / ".cache")
    inputs = artifacts.Inputs(root, Styles.for_book(root).dirs)
    records = artifacts.Records(root)
    env = artifacts.environment_key(root)
    state_name = artifacts.state_name(env, inputs, only)
    if (done := artifacts.unchanged(artifacts.recorded(records, env, inputs, only), inputs, out, formats, only)) is not None:
        stats["noop"] = True
        return done
    inputs.digest()  # every input hashed before it is read: an edit meanwhile is seen by the next build
    progress("reading the manuscript")
    loaded = load_all(root, ConvertCache(root), only=only)
    if has_errors(loaded.diagnostics):
        raise BookError(loaded.diagnostics)
    styles = Styles.for_book(root)
    loaded = typeset(loaded)
    book = loaded.book
    names = [book.language, *book.translations, *(f"{book.language}-{lang}" for lang in book.translations)]
    if unknown := [name for name in only if name not in names]:
        raise UnknownEdition(f"no edition {', '.join(map(repr, unknown))} of this book; its editions: {', '.join(names)}")
    extras = inputs.add(root.resolve() / "manuscript" / src for src in _images(loaded))
    published = current_generation(out) if out.is_dir() else None
    held = present(names, formats, only, published)  # what build/ will hold: the HTML sites link to it
    font_stats = (fonts.stats(fonts.files(fonts.stylesheets(styles.dirs)))  # the PDF's and EPUB's fonts
                  if set(formats) - {"html"} else {})
    keys = _keys(inputs, env, loaded, formats, only, held, fonts.digest(font_stats))
    kept = {rel for rel, key in keys.items() if published is not None
            and (digest := records.digest(key)) and digest == artifacts.published_digest(published / rel, artifacts.is_tree(rel))}
    tasks = [t for t in plan(loaded, formats, only) if any(rel not in kept for _, rel in t.outputs)]
    digests = {rel: records.digest(keys[rel]) for rel in kept}
    if tasks or published is None:
        layout = Layout(root, styles)
        parent = os.getpid()  # a task run in this process writes its layouts itself; a worker's, this one
        context = {"render": lambda task, result: _render(task, result, root, loaded, styles, kept, held,
                                                          defer=os.getpid() != parent)}
        with Generation(out, root) as generation:
            lock.sweep(lambda: sweep(root / "build"))
            problems = []
            for task, result in run_all(tasks, context, jobs, progress):
                for message, category in result.warnings:
                    warnings.warn(message, getattr(builtins, category, UserWarning), stacklevel=2)
                for entry in result.pending:
                    layout.commit(entry)
                problems += result.errors
                stats["layouts"] += result.made
                for rel, data in result.artifacts:
                    (generation.tree if isinstance(data, dict) else generation.file)(rel, data)
                    digests[rel] = artifacts.tree_digest(data) if isinstance(data, dict) else artifacts.file_digest(data)
                    stats["written"].append(rel)
            if problems:
                raise BookError(problems)
            generation.commit(names + ["docx"])  # a Word proof `publish export` made stays published
    for rel, digest in digests.items():
        records.record(keys[rel], digest)
    stats["kept"] = sorted(kept)
    previous = records.state(state_name) or {}
    records.save_state(state_name, {
        "names": names, "diagnostics": [list(astuple(d)) for d in loaded.diagnostics], "extras": extras,
        "fonts": font_stats or previous.get("fonts") or {},  # an HTML-only build looks at no font
        "artifacts": {**(previous.get("artifacts") or {}), **digests}})
    return loaded.diagnostics


def joined(loaded: Loaded, styles: Styles, name: str, held: set[str]) -> dict:
    """The links of edition `name`'s HTML site to the other editions and its downloads in `held`."""
    return edition_links(name, loaded.book, tuple(loaded.book.translations), styles.labels, held)


def _images(loaded: Loaded) -> list[str]:
    from .walk import blocks_of

    return sorted({block.image.src for unit in loaded.book.units
                   for block in blocks_of(unit.blocks + tuple(b for n in unit.notes for b in n.blocks))
                   if isinstance(block, m.Figure) and block.image})


def _keys(inputs, env: str, loaded: Loaded, formats, only, held=frozenset(), font_key: str = "") -> dict[str, str]:
    """The key of every artifact asked for: the code and options, and the content of its edition's inputs
    (and, for an HTML site, which other artifacts build/ will hold: it links to them; for the others,
    the font files they can embed)."""
    book = loaded.book
    common = inputs.digest(exclude=tuple(book.translations))
    out = {}
    for name in editions_of(loaded, only):
        lang = name.rsplit("-", 1)[-1] if name != book.language else None
        edition = artifacts.file_digest(f"{env}\0{common}\0{inputs.digest(only=lang) if lang else ''}".encode())
        for fmt in formats:
            for _kind, file in artifacts.files_of(fmt):
                rel = f"{name}/{file}"
                linked = "\0".join(sorted(held)) if fmt == "html" else font_key
                out[rel] = artifacts.file_digest(f"{edition}\0{rel}\0{linked}".encode())
    return out


def editions_of(loaded: Loaded, only) -> list[str]:
    book = loaded.book
    names = [*editions(loaded), *(f"{book.language}-{lang}" for lang in loaded.translated)]
    return [n for n in names if not only or n in only]


def plan(loaded: Loaded, formats, only) -> list[Task]:
    """The tasks of a build, in the order their progress is shown."""
    tasks = []
    for name in editions_of(loaded, only):
        bilingual = name not in editions(loaded)
        lang = name.split("-", 1)[1] if bilingual else None
        what = f"the {name}"
        if "html" in formats:
            tasks.append(Task(name, lang, "html", (("html", f"{name}/html"),), (f"rendering {what} HTML edition",)))
        if bilingual:  # the EPUB's page list is the PDF's pages: one task makes both
            both = tuple(f for f in ("pdf", "epub") if f in formats)
            if both:
                tasks.append(Task(name, lang, "pdf", tuple((k, f"{name}/{f}") for fmt in both for k, f in artifacts.files_of(fmt)),
                                  (f"laying out {what} PDF edition",) + ((f"packaging {what} EPUB edition",) if "epub" in both else ())))
            if "print" in formats:
                tasks.append(Task(name, lang, "print", tuple((k, f"{name}/{f}") for k, f in artifacts.files_of("print")),
                                  (f"laying out {what} press PDF",)))
            continue
        both = tuple(f for f in ("pdf", "epub") if f in formats)
        if both:
            tasks.append(Task(name, None, "pdf", tuple((f, f"{name}/{artifacts.FILES[f]}") for f in both),
                              (f"laying out {what} PDF edition",) + ((f"packaging {what} EPUB edition",) if "epub" in both else ())))
        if "print" in formats:
            tasks.append(Task(name, None, "print", tuple((k, f"{name}/{f}") for k, f in artifacts.files_of("print")),
                              (f"laying out {what} press PDF",)))
    return tasks


def _render(task: Task, result, root: Path, loaded: Loaded, styles: Styles, kept, held=frozenset(),
            defer: bool = True) -> None:
    """The artifacts of one task (those not kept) into `result` (`defer`: its layouts' cache entries too)."""
    layout = Layout(root, styles, defer=defer)
    original = loaded.book
    wanted = {fmt: rel for fmt, rel in task.outputs if rel not in kept}
    book = editions(loaded).get(task.edition) if task.lang is None else loaded.translated[task.lang]
    labels = styles.labels(original.language if task.lang else book.language)
    labels_tr = styles.labels(task.lang) if task.lang else None
    if "html" in wanted:
        links = joined(loaded, styles, task.edition, held)
        result.artifacts.append((wanted["html"], render_bilingual_site(original, book, styles, labels, labels_tr, links)
                                 if task.lang else render_site(book, styles, labels, links)))
    for fmt, variant in (("pdf", "ua"), ("print", "print")):
        if fmt in wanted or (fmt == "pdf" and "epub" in wanted) or (fmt == "print" and "cover" in wanted):
            pdf, page_map = (layout.bilingual(original, book, labels, labels_tr, variant) if task.lang
                             else layout.pdf(book, labels, variant))
            if fmt in wanted:
                result.artifacts.append((wanted[fmt], pdf))
            if fmt == "print" and "cover" in wanted:  # the cover spread: its spine as wide as this interior
                from .render.spread import page_count, render_spread

                result.artifacts.append((wanted["cover"], render_spread(original if task.lang else book, styles, labels,
                                                                        pages=page_count(pdf), translated=book if task.lang else None,
                                                                        base_url=root / "manuscript")))
    if "epub" in wanted:  # the renderers of the other formats are imported when asked for
        from .render.bilingual_epub import render_bilingual_epub
        from .render.epub import render_epub

        epub = (render_bilingual_epub(original, book, styles, labels, labels_tr, source_date=source_date(), root=root,
                                      page_map=page_map)
                if task.lang else render_epub(book, styles, labels, page_map=page_map, source_date=source_date(), root=root))
        result.artifacts.append((wanted["epub"], epub))
    result.pending, result.made = layout.pending, layout.made


def source_date() -> int | None:
    """SOURCE_DATE_EPOCH if set; otherwise the renderers date things by the book's own date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None
