"""Two clean builds of the same book are byte-identical, artifact for artifact, in every edition."""
from __future__ import annotations

import shutil

from publish import build as pipeline

from .conftest import BOOKS, REPO
from .helpers import copy_book


def artifacts(root):
    """Every artifact as a reader finds it: build/<edition>/… (through the published generation)."""
    build = root / "build"
    return {f"{edition.name}/{p.relative_to(edition)}": p.read_bytes()
            for edition in sorted(build.iterdir()) if not edition.name.startswith(".") and edition.name != "current"
            for p in sorted(edition.rglob("*")) if p.is_file()}


def test_two_clean_builds_are_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "a" / "book", tmp_path / "b" / "elsewhere"
    for place in (first, second):
        copy_book(BOOKS / "translated", place)
        shutil.copytree(REPO / "styles", place / "styles")  # the book's own styles, at another path each time
        pipeline.build(place)
    a, b = artifacts(first), artifacts(second)
    assert sorted(a) == sorted(b)
    assert {"en/book.pdf", "en/book-print.pdf", "en/book.epub", "ja/book.pdf", "ja/book.epub",
            "en/html/index.html", "ja/html/chapter.html", "en-ja/html/chapter.html"} <= set(a)
    assert [name for name in a if a[name] != b[name]] == []
