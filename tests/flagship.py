"""The flagship (this repository's manuscript) laid out and built once for a whole test run, shared by
every pytest-xdist worker: what each test file reads instead of laying the book out again.

laid_out(edition, variant): the PDF and page map `publish build` makes, through the layout cache of the
    repository's build/.cache (publish.layout): the first process to need an entry lays the book out,
    the others wait for it (publish.entrylock) and read it.
built(tmp_path_factory, formats): one `publish build` of every edition in those formats, into a folder
    the workers of this run share (beside their own temporary folders), made by the first to ask while
    the others wait on its lock.
editions(): the books those are made of: checked, translated and typeset as the build typesets them.
"""
from __future__ import annotations

import fcntl
import os
from functools import lru_cache
from pathlib import Path

from publish import build as pipeline
from publish.layout import Layout
from publish.staging import BookLock
from publish.styles import Styles

REPO = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def editions() -> pipeline.Loaded:
    loaded = pipeline.load_all(REPO)
    assert [str(d) for d in loaded.diagnostics if d.severity == "error"] == []
    return pipeline.typeset(loaded)


def book(edition: str = "en"):
    """The typeset Book of a single-language edition ("en", "ja")."""
    return pipeline.editions(editions())[edition]


@lru_cache(maxsize=None)
def laid_out(edition: str = "en", variant: str = "ua") -> tuple[bytes, dict]:
    """(PDF bytes, page map) of an edition ("en", "ja", "en-ja"), variant "ua" or "print"."""
    loaded, styles = editions(), Styles.for_book(REPO)
    layout = Layout(REPO, styles)
    original, _, lang = edition.partition("-")
    with BookLock(REPO):  # as a build holds it: no other build sweeps the cache entry being written
        if lang:
            return layout.bilingual(loaded.book, loaded.translated[lang], styles.labels(original),
                                    styles.labels(lang), variant)
        edition_book = book(edition)
        return layout.pdf(edition_book, styles.labels(edition_book.language), variant)


def shared_folder(tmp_path_factory) -> Path:
    """This run's folder that every worker sees: the parent of a worker's base temporary folder."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built(tmp_path_factory, formats: tuple = ("html", "pdf", "epub")) -> Path:
    """The build folder of every edition in `formats` (its editions: out / "en", out / "ja"…)."""
    shared = shared_folder(tmp_path_factory)
    out = shared / f"flagship-{'-'.join(formats)}"
    with open(shared / f"flagship-{'-'.join(formats)}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when closed: a worker that failed lets the next try
        if not (shared / f"flagship-{'-'.join(formats)}.done").exists():
            diagnostics = pipeline.build(REPO, formats, out)
            assert [str(d) for d in diagnostics if d.severity == "error"] == []
            (shared / f"flagship-{'-'.join(formats)}.done").write_text("built\n")
    return out
