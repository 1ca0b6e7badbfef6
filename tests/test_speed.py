"""Builds do only what changed: an unchanged artifact is neither laid out nor rewritten, a no-op build
reads nothing but the inputs' stats and the published artifacts, and a parallel build is
byte-identical to a sequential one."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from publish import build as pipeline
from publish.diagnostics import BookError

from .conftest import BOOKS
from .helpers import copy_book


@pytest.fixture
def book(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    root = tmp_path / "book"
    copy_book(BOOKS / "translated", root)
    return root


def files(build: Path) -> dict:
    """Every published file: its bytes, inode and mtime."""
    current = build / "current"
    out = {}
    for folder, _dirs, names in os.walk(current):
        for name in names:
            path = Path(folder, name)
            info = path.stat()
            out[path.relative_to(current).as_posix()] = (path.read_bytes(), info.st_ino, info.st_mtime_ns)
    return out


def run(root, jobs=1, out=None, **kwargs):
    stats, steps = {}, []
    diagnostics = pipeline.build(root, out=out, jobs=jobs, stats=stats, progress=steps.append, **kwargs)
    return stats, steps, diagnostics


def test_a_second_build_reads_hashes_and_stops(book):
    first, steps, diagnostics = run(book, jobs=2)
    assert first["layouts"] and "reading the manuscript" in steps
    before = files(book / "build")
    assert {"en/book.pdf", "en-ja/book.pdf", "en-ja/book-print.pdf", "ja/book.epub"} <= set(before)
    again, steps_again, diagnostics_again = run(book, jobs=2)
    assert again["noop"] and again["layouts"] == [] and steps_again == []
    assert diagnostics_again == diagnostics
    assert files(book / "build") == before  # same bytes, same inodes, same mtimes


def test_one_edition_of_a_book_built_whole_is_a_no_op_the_first_time_it_is_asked_for(book):
    run(book, formats=("html", "epub"))
    before = files(book / "build")
    for only in (("en",), ("ja", "en-ja")):
        stats, steps, diagnostics = run(book, formats=("html", "epub"), only=only)
        assert stats["noop"] and steps == [] and diagnostics == [], only
    assert files(book / "build") == before
    stats, _, _ = run(book, formats=("html", "epub", "pdf"), only=("en",))  # a format never built: built
    assert not stats["noop"] and "en/book.pdf" in stats["written"]


def test_a_build_of_more_formats_than_the_last_one_builds_them(book):
    """`make html` and then `make` (everything): the PDF and EPUB are built, not skipped as unchanged."""
    run(book, formats=("html",))
    stats, _, _ = run(book)
    assert not stats["noop"] and {"en/book.pdf", "ja/book.epub", "en-ja/book.pdf"} <= set(stats["written"])


def test_a_touched_file_reads_the_book_again_but_rewrites_nothing(book):
    run(book)
    before = files(book / "build")
    os.utime(book / "manuscript" / "chapter.md")
    stats, steps, _ = run(book)
    assert not stats["noop"] and steps == ["reading the manuscript"]
    assert stats["layouts"] == [] and stats["written"] == [] and len(stats["kept"]) == 15  # 3 editions × html, pdf, print, cover spread, epub
    assert files(book / "build") == before


def test_a_translation_edit_rebuilds_only_that_language(book):
    run(book)
    before = files(book / "build")
    translation = book / "manuscript" / "ja" / "chapter.txt"
    text = translation.read_text(encoding="utf-8")
    target = next(line for line in text.splitlines() if line.startswith("ja: 機械は計算でき"))
    translation.write_text(text.replace(target, target + "（改）", 1), encoding="utf-8")
    stats, _, _ = run(book)
    after = files(book / "build")
    assert sorted(stats["written"]) == sorted(f"{e}/{f}" for e in ("ja", "en-ja")
                                              for f in ("html", "book.pdf", "book-print.pdf", "book-cover.pdf", "book.epub"))
    assert sorted(stats["layouts"]) == ["en-ja/print", "en-ja/ua", "ja/print", "ja/ua"]
    for rel, (data, inode, mtime) in before.items():
        if rel.startswith("en/"):
            assert after[rel] == (data, inode, mtime), rel
    assert after["ja/html/chapter.html"][0] != before["ja/html/chapter.html"][0]
    assert after["ja/html/preface.html"] == before["ja/html/preface.html"]  # rendered again, same bytes: kept


def test_a_chapter_edit_keeps_the_pages_it_does_not_change(book):
    run(book, formats=("html",))
    before = files(book / "build")
    chapter = book / "manuscript" / "chapter.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace("Machines can compute", "Machines may compute"),
                       encoding="utf-8")
    stats, _, _ = run(book, formats=("html",))
    after = files(book / "build")
    assert after["en/html/chapter.html"][0] != before["en/html/chapter.html"][0]
    assert after["en/html/preface.html"] == before["en/html/preface.html"]
    assert "en/html" in stats["written"]


def test_an_altered_published_artifact_is_built_again(book):
    run(book, formats=("pdf",), only=("en",))
    published = book / "build" / "current" / "en" / "book.pdf"
    good = published.read_bytes()
    published.write_bytes(good.replace(b"%PDF", b"%FDP", 1))
    stats, _, _ = run(book, formats=("pdf",), only=("en",))
    assert not stats["noop"] and stats["written"] == ["en/book.pdf"] and stats["layouts"] == []  # the layout cache
    assert (book / "build" / "current" / "en" / "book.pdf").read_bytes() == good


def test_a_parallel_build_is_byte_identical_to_a_sequential_one(book, tmp_path):
    _, steps_one, diagnostics_one = run(book, jobs=1, out=tmp_path / "one")
    shutil.rmtree(book / "build" / ".cache")
    stats, steps_two, diagnostics_two = run(book, jobs=2, out=tmp_path / "two")
    # nothing from a cache: each PDF laid out, once (the EPUB's page list is the PDF's layout)
    assert sorted(stats["layouts"]) == sorted(f"{e}/{v}" for e in ("en", "ja", "en-ja") for v in ("ua", "print"))
    one = {rel: data for rel, (data, _, _) in files(tmp_path / "one").items()}
    two = {rel: data for rel, (data, _, _) in files(tmp_path / "two").items()}
    assert one.keys() == two.keys() and len(one) > 20
    assert [rel for rel in one if one[rel] != two[rel]] == []
    assert steps_two == steps_one and diagnostics_two == diagnostics_one


def test_a_time_limit_holds_in_the_workers(book, monkeypatch):
    monkeypatch.setenv("PUBLISH_LAYOUT_TIMEOUT", "0.2")
    with pytest.raises(BookError) as caught:
        run(book, jobs=2, formats=("pdf", "print"))
    assert [str(d) for d in caught.value.diagnostics] == [
        "manuscript/book.yaml:1: error: laying out the PDF took longer than 0.2 s of processor time "
        "(PUBLISH_LAYOUT_TIMEOUT raises the limit) [layout-timeout]"]
    assert not (book / "build" / "current").exists()


def test_a_touched_font_is_laid_out_again(book, tmp_path, monkeypatch):
    from publish import fonts

    font = tmp_path / "fonts" / "NotoSerif-Regular.ttf"
    font.parent.mkdir()
    font.write_bytes(b"stands for a font file: only its path, size and mtime are read")
    monkeypatch.setattr(fonts, "_installed", lambda: (("noto serif", str(font)),))
    assert str(font) in fonts.files(fonts.stylesheets([fonts.Path(pipeline.Styles.for_book(book).dirs[-1])]))
    first, _, _ = run(book, formats=("pdf",), only=("en",))
    assert first["layouts"] == ["en/ua"]
    again, _, _ = run(book, formats=("pdf",), only=("en",))
    assert again["noop"]
    info = font.stat()
    os.utime(font, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    touched, _, _ = run(book, formats=("pdf",), only=("en",))
    assert not touched["noop"] and touched["layouts"] == ["en/ua"]
