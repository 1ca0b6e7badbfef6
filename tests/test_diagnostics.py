"""`publish check` and `publish build` on broken books: the exact diagnostics, exit codes, no writes."""
from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner

from publish.cli import main

from .conftest import BOOKS
from .helpers import copy_book

BROKEN = sorted(p.name for p in BOOKS.iterdir()
                if p.name.startswith(("broken-", "warn-")) and (p / "expected.txt").exists())


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_there_is_a_fixture_for_every_diagnostic_code():
    import publish.diagnostics as d

    codes = {line.split()[0] for line in d.__doc__.splitlines()[2:] if line.startswith("  ") and line.split()}
    covered = {line.rsplit("[", 1)[1].rstrip("]") for expected in BOOKS.glob("*/expected*.txt")
               for line in expected.read_text().splitlines()}
    # cases a fixture directory cannot hold (symlinks, FIFOs, time limits) pin their exact text in a test
    covered |= {code for test in BOOKS.parent.glob("test_*.py")
                for code in re.findall(r"\[([a-z0-9-]+)\]\\n[\"']", test.read_text())}
    # pandoc reads any text (no input makes it fail); the exchange codes are pinned in test_i18n_exchange.py
    assert codes - covered == {"pandoc-failed", "xliff-invalid", "po-invalid"}


@pytest.mark.parametrize("name", BROKEN)
def test_check_reports_exact_diagnostics(name, golden):
    result = run("check", BOOKS / name)
    golden(BOOKS / name / "expected.txt", result.stderr)
    assert result.stderr.strip(), "a broken book must say what is wrong"
    assert result.exit_code == (0 if name.startswith("warn-") else 1)
    assert "Traceback" not in result.output


def test_valid_book_checks_clean():
    result = run("check", BOOKS / "minimal")
    assert (result.exit_code, result.stderr) == (0, "")


def test_usage_error_exits_2(tmp_path):
    assert run("check", tmp_path).exit_code == 2
    assert run("build", BOOKS / "minimal", "--format", "docx").exit_code == 2


@pytest.mark.parametrize("name", ["broken-note-undefined", "broken-yaml-invalid", "broken-unclosed"])
def test_failed_build_leaves_previous_build_intact(name, tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "minimal", book)
    assert run("build", book).exit_code == 0
    before = {p.relative_to(book): p.read_bytes() for p in (book / "build" / "en").rglob("*") if p.is_file()}
    assert before
    shutil.rmtree(book / "manuscript")
    copy_book(BOOKS / name / "manuscript", book / "manuscript")
    result = run("build", book)
    assert result.exit_code == 1
    assert result.stderr == (BOOKS / name / "expected.txt").read_text()
    after = {p.relative_to(book): p.read_bytes() for p in (book / "build" / "en").rglob("*") if p.is_file()}
    assert after == before
