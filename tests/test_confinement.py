"""A book directory is untrusted: its templates run sandboxed, its files are read only inside it, its
work is time-limited, and build/ changes in one rename or not at all (also under injected kills)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish.cli import main

from .conftest import BOOKS
from .helpers import copy_book

PUBLISH = Path(sys.executable).with_name("publish")


def run(*args, env=None):
    return CliRunner(env=env).invoke(main, list(map(str, args)))


@pytest.fixture
def book(tmp_path):
    root = tmp_path / "book"
    copy_book(BOOKS / "minimal", root)
    return root


def snapshot(build: Path) -> dict:
    """What a reader of build/ sees: every file reached through the edition folders, with its bytes."""
    out = {}
    for edition in sorted(build.iterdir()) if build.is_dir() else ():
        if edition.name.startswith(".") or edition.name == "current":
            continue
        for folder, _dirs, files in os.walk(edition):
            for name in files:
                path = Path(folder, name)
                out[str(path.relative_to(build))] = path.read_bytes()
    return out


# Templates run in Jinja's sandbox ------------------------------------------------------------------
def test_a_template_cannot_run_code(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "broken-template-sandbox", book)
    expected = (BOOKS / "broken-template-sandbox" / "expected.txt").read_text()
    for command in ("check", "build"):
        result = run(command, book)
        assert (result.exit_code, result.stderr) == (1, expected)
        assert "uid=" not in result.output
    assert snapshot(book / "build") == {}


@pytest.mark.parametrize("name", ["broken-template-pdf", "broken-template-pdf-undefined"])
def test_print_template_errors_are_found_by_check_and_build(tmp_path, name):
    book = tmp_path / "book"
    copy_book(BOOKS / name, book)
    expected = (BOOKS / name / "expected.txt").read_text()
    assert run("build", book, "--format", "pdf").stderr == expected
    assert snapshot(book / "build") == {}


def test_a_template_that_loops_for_ever_is_stopped(book):
    unit = book / "styles" / "templates" / "html" / "unit.html"
    unit.parent.mkdir(parents=True)
    unit.write_text("{% for a in range(99999) %}{% for b in range(99999) %}{{ a * b }}{% endfor %}{% endfor %}\n")
    result = run("check", book, env={"PUBLISH_TEMPLATE_TIMEOUT": "1"})
    assert result.exit_code == 1
    assert result.stderr == ("styles/templates/html/unit.html:1: error: template error: rendering the template "
                             "'html/unit.html' took longer than 1 s of processor time [template-error]\n")


def test_a_template_cannot_make_a_huge_string(book):
    unit = book / "styles" / "templates" / "html" / "unit.html"
    unit.parent.mkdir(parents=True)
    unit.write_text("<p>\n{{ 'x' * 10000000000 }}</p>\n")
    result = run("check", book)
    assert result.stderr == ("styles/templates/html/unit.html:2: error: template error: '*' would make "
                             "10,000,000,000 items (at most 1,000,000) [template-error]\n")


@pytest.mark.parametrize("expression", ['{{ "x"|center(10**10) }}', "{{ 'a'.ljust(10**10) }}",
                                        '{% set s = namespace(v="x") %}{% for i in range(40) %}'
                                        '{% set s.v = s.v ~ s.v %}{% endfor %}{{ s.v|length }}'])
def test_a_template_cannot_take_all_memory(book, expression):
    unit = book / "styles" / "templates" / "html" / "unit.html"
    unit.parent.mkdir(parents=True)
    unit.write_text(f"<p>\n{expression}</p>\n")
    result = subprocess.run([PUBLISH, "check", book], capture_output=True, text=True, timeout=120)
    assert result.stderr == ("styles/templates/html/unit.html:2: error: template error: it needed more than 1 GB "
                             "of memory [template-error]\n")


# Nothing outside the book is read -----------------------------------------------------------------
def outside_file(tmp_path, text="# Secret\n\nOutside the book.\n"):
    secret = tmp_path / "secret.md"
    secret.write_text(text)
    return secret


def test_a_chapter_symlinked_outside_is_refused(tmp_path, book):
    secret = outside_file(tmp_path)
    chapter = book / "manuscript" / "chapter.md"
    chapter.unlink()
    chapter.symlink_to(secret)
    result = run("check", book)
    assert result.exit_code == 1
    assert result.stderr == ("manuscript/book.yaml:24: error: cannot read 'manuscript/chapter.md': it "
                             "leads outside the book (a symlink) [file-outside]\n")


def test_a_symlink_outside_is_refused_before_it_is_opened(tmp_path, book):
    """A FIFO outside the book blocks whoever opens it: the check must end without opening it."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    chapter = book / "manuscript" / "chapter.md"
    chapter.unlink()
    chapter.symlink_to(fifo)
    result = subprocess.run([PUBLISH, "check", book], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.endswith("it leads outside the book (a symlink) [file-outside]\n")


def test_a_fifo_in_the_book_does_not_hang(book):
    chapter = book / "manuscript" / "chapter.md"
    chapter.unlink()
    os.mkfifo(chapter)
    result = subprocess.run([PUBLISH, "check", book], capture_output=True, text=True, timeout=60)
    assert result.stderr == ("manuscript/book.yaml:24: error: cannot read 'manuscript/chapter.md': it is not a "
                             "regular file (a pipe, socket or device) [file-unreadable]\n")


@pytest.mark.parametrize("relpath, message", [
    ("styles/extra.svg", "styles/extra.svg:1: error: cannot read the SVG file: it is not a regular file (a pipe, socket or device) [file-unreadable]"),
    ("styles/css/print.css", "styles/css/print.css:1: error: cannot read it: it is not a regular file (a pipe, socket or device) [file-unreadable]"),
    ("styles/css/screen.css", "styles/css/screen.css:1: error: cannot read it: it is not a regular file (a pipe, socket or device) [file-unreadable]"),
    ("styles/css/print-en.css", "styles/css/print-en.css:1: error: cannot read it: it is not a regular file (a pipe, socket or device) [file-unreadable]"),
    ("styles/locale/en.yaml", "styles/locale/en.yaml:1: error: cannot read 'styles/locale/en.yaml': it is not a regular file (a pipe, socket or device) [file-unreadable]"),
])
def test_a_fifo_among_the_styles_is_reported_not_read_or_skipped(book, relpath, message):
    """A pipe in the book's styles would block whoever reads it (an SVG in styles/ hung `publish check`),
    and one named like a stylesheet or locale file was skipped without a word (the defaults used)."""
    fifo = book / relpath
    fifo.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(fifo)
    result = subprocess.run([PUBLISH, "check", book], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (1, message + "\n")


@pytest.mark.parametrize("relpath", ["styles/css/screen.css", "styles/templates/html/unit.html",
                                     "styles/locale/en.yaml"])
def test_a_styles_file_symlinked_outside_is_refused(tmp_path, book, relpath):
    secret = outside_file(tmp_path, "SECRET-CONTENT\n")
    link = book / relpath
    link.parent.mkdir(parents=True)
    link.symlink_to(secret)
    for command in ("check", "build"):
        result = run(command, book)
        assert result.exit_code == 1, result.output
        assert "it leads outside the book (a symlink) [file-outside]" in result.stderr
        assert len(result.stderr.splitlines()) == 1
    assert snapshot(book / "build") == {}
    assert not any(b"SECRET-CONTENT" in p.read_bytes() for p in (book / "build").rglob("*") if p.is_file())


def test_a_styles_folder_symlinked_outside_is_refused(tmp_path, book):
    (tmp_path / "elsewhere" / "css").mkdir(parents=True)
    (book / "styles").symlink_to(tmp_path / "elsewhere")
    result = run("check", book)
    assert result.stderr == ("styles:1: error: cannot use the book's styles: it leads outside the book "
                             "(a symlink) [file-outside]\n")


@pytest.mark.parametrize("link", ["build", "build/.cache"])
def test_build_never_writes_through_a_symlink(tmp_path, book, link):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (book / link).parent.mkdir(exist_ok=True)
    (book / link).symlink_to(elsewhere)
    result = run("build", book, "--format", "html")
    assert result.exit_code == 1
    assert result.stderr == (f"{link}:1: error: '{link}' is a symlink or a file where the build needs a folder "
                             "of its own (remove it) [build-unsafe]\n")
    assert list(elsewhere.iterdir()) == []


# Time limits ---------------------------------------------------------------------------------------
def test_a_layout_over_its_time_limit_fails_and_changes_nothing(book):
    assert run("build", book).exit_code == 0
    before = snapshot(book / "build")
    chapter = book / "manuscript" / "chapter.md"
    chapter.write_text(chapter.read_text() + "\nOne more paragraph.\n")
    result = run("build", book, env={"PUBLISH_LAYOUT_TIMEOUT": "0.2"})
    assert result.exit_code == 1
    assert result.stderr == ("manuscript/book.yaml:1: error: laying out the PDF took longer than 0.2 s of processor time "
                             "(PUBLISH_LAYOUT_TIMEOUT raises the limit) [layout-timeout]\n")
    assert snapshot(book / "build") == before


# build/ changes in one rename ---------------------------------------------------------------------
def test_a_build_failing_in_layout_leaves_every_edition_as_it_was(tmp_path, book):
    assert run("build", book).exit_code == 0
    before = snapshot(book / "build")
    shutil.copy(BOOKS / "broken-fetch-svg" / "manuscript" / "chart.svg", book / "manuscript")
    shutil.copy(BOOKS / "broken-fetch-svg" / "manuscript" / "chapter.md", book / "manuscript")
    result = run("build", book)
    assert result.exit_code == 1
    assert result.stderr == (BOOKS / "broken-fetch-svg" / "expected-build.txt").read_text()
    assert snapshot(book / "build") == before  # the HTML edition too, although it was rendered first


def test_building_one_format_keeps_the_others(book):
    assert run("build", book).exit_code == 0
    before = snapshot(book / "build")
    assert run("build", book, "--format", "html").exit_code == 0
    after = snapshot(book / "build")
    assert after == before
    assert len(list((book / "build" / ".gen").iterdir())) == 1


@pytest.fixture(scope="module")
def killat(tmp_path_factory):
    """tests/tools/killat.c built as an LD_PRELOAD library: SIGKILL at the Nth rename."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is needed to build the kill shim")
    lib = tmp_path_factory.mktemp("killat") / "killat.so"
    subprocess.run(["gcc", "-shared", "-fPIC", "-O2", "-o", lib, Path(__file__).parent / "tools" / "killat.c", "-ldl"],
                   check=True)
    return lib


def test_a_kill_at_any_rename_leaves_the_old_build_or_the_new_one(book, killat):
    """Kill the build (SIGKILL) at its 1st, 2nd, … rename: what a reader sees is the previous build
    exactly until the one publishing rename, the new one after it; the next build sweeps the rest."""
    subprocess.run([PUBLISH, "build", book], check=True, capture_output=True)
    chapter = book / "manuscript" / "chapter.md"
    n = 0
    while True:
        n += 1
        before = snapshot(book / "build")
        chapter.write_text(re.sub(r"Machines compute[^\n]*", f"Machines compute ({n}).", chapter.read_text(), count=1))
        env = {**os.environ, "LD_PRELOAD": str(killat), "KILL_AT_RENAME": str(n)}
        result = subprocess.run([PUBLISH, "build", book], capture_output=True, timeout=300, env=env)
        after = snapshot(book / "build")
        if result.returncode == 0:  # fewer renames than n: the build ran to its end
            assert f"Machines compute ({n})." in after["en/html/chapter.html"].decode()
            break
        assert result.returncode == -9
        published = f"Machines compute ({n})." in after["en/html/chapter.html"].decode()
        assert after == before or (published and set(after) == set(before)), f"kill at rename {n}: build/ half-changed"
    assert n > 6  # the cache writes, the artifacts and the publishing rename were all tried
    swept = [p for p in (book / "build").rglob("*") if p.name.endswith((".tmp", ".old"))]
    assert swept == []
    assert len(list((book / "build" / ".gen").iterdir())) == 1


def test_a_build_folder_shipped_with_the_book_is_not_trusted(tmp_path, book):
    """build/ from someone else: its lock, generations, `current` and edition links lead outside the book."""
    outside = tmp_path / "outside"
    (outside / "html").mkdir(parents=True)
    (outside / "book.pdf").write_bytes(b"not ours")
    (outside / "lockfile").write_bytes(b"keep")
    build = book / "build"
    (build / ".gen").mkdir(parents=True)
    (build / ".lock").symlink_to(outside / "lockfile")
    (build / ".gen" / "gshipped").symlink_to(outside)
    (build / "current").symlink_to(".gen/gshipped")
    (build / "en").symlink_to(outside)
    (build / ".x.tmp").symlink_to(outside)
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    result = run("build", book, "--format", "html")
    assert (result.exit_code, result.stderr) == (0, "")
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before  # nothing outside changed
    assert (build / "en" / "html" / "index.html").is_file()
    assert not (build / "en" / "book.pdf").exists()  # nothing carried over from outside
    assert os.readlink(build / "en") == "current/en" and not (build / ".x.tmp").exists()


@pytest.mark.parametrize("snippet, found", [
    ('<a href="https://example.org/">x</a>', []),
    ('<a href="mailto:a@example.org">x</a>', []),
    ('<a href="chapter.html#s">x</a>', []),
    ('<svg><use href="#shape"/></svg>', []),
    ('<img src="data:image/png;base64,AAAA" alt="">', []),
    ('<a href="vbscript:msgbox(1)">x</a>', ["a link to 'vbscript:msgbox(1)'"]),
    ('<svg><image href="https://x.example/y.png"/></svg>', ["'https://x.example/y.png', which is outside the book"]),
    ('<link rel="stylesheet" href="//cdn.example/x.css">', ["'//cdn.example/x.css', which is outside the book"]),
    ('<div style="background: url(http://x.example/b.png)">x</div>', ["CSS that loads 'http://x.example/b.png'"]),
    ('<img srcset="a.png 1x, https://x.example/b.png 2x" alt="">', ["'https://x.example/b.png', which is outside the book"]),
    ('<style>@import "x.css";</style>', ["CSS that loads 'x.css'"]),
    ('<iframe src="chapter.html"></iframe>', ["a <iframe> element"]),
    ('<p onclick="x()">x</p>', ["an event handler 'onclick'"]),
    ('<meta http-equiv="refresh" content="0;url=https://x.example">', ["a <meta http-equiv=refresh>"]),
])
def test_the_audit_finds_what_a_page_may_not_do(snippet, found):
    from publish.audit import audit

    page = f"<!DOCTYPE html><html><head><title>t</title></head><body>{snippet}</body></html>"
    assert [what for what, _ in audit(page)] == found


def test_a_font_the_layout_cannot_load_fails_the_build(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "broken-font-garbage", book)
    result = run("build", book, "--format", "pdf")
    assert (result.exit_code, result.stderr) == (1, (BOOKS / "broken-font-garbage" / "expected-build.txt").read_text())
    assert snapshot(book / "build") == {}
