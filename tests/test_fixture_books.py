"""Every fixture book that stands for a kind of real book, built in every format, before every referee.

Each book in REFEREED is checked (`publish check`: no error), built (every edition and format), and
its outputs go to the referees together: axe-core and the Nu checker on all HTML pages at once,
veraPDF on all PDFs at once (PDF/UA-2, the default; and PDF/UA-1 on the books built again with
`pdf_standard: ua-1`), EPUBCheck and Ace on each EPUB. A finding names the book.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import copy_book

from publish.referees import RefereeUnavailable, ace, axe, epubcheck, verapdf, vnu

BOOKS = Path(__file__).resolve().parent / "books"
#: The books that stand for a kind of book the toolchain must make (README: "Fixture books").
REFEREED = ("minimal", "classic", "tables", "poetry", "ruby", "single-author", "footnotes", "tategaki", "figure")


def _run(check, *args):
    try:
        return check(*args)
    except RefereeUnavailable as exc:
        if os.environ.get("PUBLISH_REFEREES_REQUIRED"):
            raise
        pytest.skip(str(exc))


def _publish(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(Path(sys.executable).with_name("publish")), *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """Book name -> its build/ folder, each book copied out of the tree first (its build/ is its own)."""
    out = {}
    for name in REFEREED:
        book = tmp_path_factory.mktemp(name) / name
        copy_book(BOOKS / name, book)
        result = _publish("build", book)
        assert result.returncode == 0, f"{name}: {result.stderr}"
        out[name] = book / "build"
    return out


def _files(built, pattern):
    return sorted(p for build in built.values() for p in build.glob(pattern))


@pytest.mark.parametrize("name", REFEREED)
def test_the_book_checks_clean(name):
    result = _publish("check", BOOKS / name)
    assert result.returncode == 0 and "error" not in result.stderr, result.stderr


def test_every_edition_and_format_is_built(built):
    for name, build in built.items():
        editions = [p for p in build.iterdir() if p.is_dir() and (p / "html").is_dir()]
        assert editions, name
        for edition in editions:
            assert (edition / "book.pdf").stat().st_size > 1000, f"{name}/{edition.name}"
            assert (edition / "book.epub").stat().st_size > 1000, f"{name}/{edition.name}"
            assert list((edition / "html").glob("*.html")), f"{name}/{edition.name}"


def test_axe_finds_no_violation(built):
    assert [str(f) for f in _run(axe.check_html, _files(built, "*/html/*.html"))] == []


def test_nu_checker_finds_no_error(built):
    assert [str(f) for f in _run(vnu.check_html, _files(built, "*/html/*.html"))] == []


def test_verapdf_pdf_ua2_passes(built):
    pdfs = _files(built, "*/book.pdf")
    assert pdfs
    assert {str(p): verapdf.declared_profile(p) for p in pdfs} == {str(p): "ua2" for p in pdfs}
    assert [str(f) for f in _run(verapdf.check_declared, pdfs)] == []


#: The books built again as PDF/UA-1 (book.yaml `pdf_standard: ua-1`): the structures PDF/UA-2 made us change.
UA1 = ("minimal", "tables", "poetry", "footnotes", "ruby")


def test_verapdf_pdf_ua1_passes_with_the_setting(tmp_path):
    pdfs = []
    for name in UA1:
        book = tmp_path / name
        copy_book(BOOKS / name, book)
        yaml = book / "manuscript" / "book.yaml"
        yaml.write_text(yaml.read_text(encoding="utf-8") + "\npdf_standard: ua-1\n", encoding="utf-8")
        result = _publish("build", book, "--format", "pdf")
        assert result.returncode == 0, f"{name}: {result.stderr}"
        pdfs += sorted((book / "build").glob("*/book.pdf"))
    assert pdfs and {verapdf.declared_profile(p) for p in pdfs} == {"ua1"}
    assert [str(f) for f in _run(verapdf.check_pdf, pdfs, "ua1")] == []


def test_epubcheck_and_ace_pass(built):
    epubs = _files(built, "*/book.epub")
    assert epubs
    findings = []
    for epub in epubs:
        findings += _run(epubcheck.check_epub, epub) + _run(ace.check_epub, epub)
    assert [str(f) for f in findings] == []
