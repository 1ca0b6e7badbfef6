"""Hostile books found by playing the attacker: each is refused (or warned about) at its file and line,
never with a traceback, and nothing it names is dropped silently."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BOOKS
from .test_hostile_input import book_with, check
from .helpers import copy_book

BIO = "bio: ADA LOVELACE wrote the *first* program."


@pytest.mark.parametrize("old, new, expected", [
    ("editors: [ada]", "editors: 5", "7: error: 'editors' must be a list of contributor ids [meta-invalid]"),
    ("editors: [ada]", "editors: [[ada]]", "7: error: 'editors' must be a list of contributor ids [meta-invalid]"),
    ("editors: [ada]", "editors: [{id: ada}]", "7: error: 'editors' must be a list of contributor ids [meta-invalid]"),
    ("authors: [alan]", "authors: 5", "25: error: 'authors' must be a list of contributor ids [meta-invalid]"),
    ("authors: [alan]", "authors: [[alan]]", "25: error: 'authors' must be a list of contributor ids [meta-invalid]"),
    ("file: preface.md", "file: [preface.md]",
     "19: error: 'file' must name a .md file inside manuscript/, not ['preface.md'] [meta-invalid]"),
    ("title: Abbreviations", "title: [x]", "22: error: a contents entry's 'title' must be text [meta-invalid]"),
    ("title: About the Authors", "title: {a: b}", "27: error: a contents entry's 'title' must be text [meta-invalid]"),
    (BIO, "bio: [a, b]", "11: error: a contributor's 'bio' must be text [meta-invalid]"),
    (BIO, "bio: {a: b}", "11: error: a contributor's 'bio' must be text [meta-invalid]"),
])
def test_a_field_of_the_wrong_type_is_an_error_not_a_crash(tmp_path, old, new, expected):
    result = check(book_with(tmp_path, yaml_edit=lambda text: text.replace(old, new, 1)))
    assert (result.exit_code, result.stderr) == (1, f"manuscript/book.yaml:{expected}\n")


def test_a_contributor_id_that_is_a_list_is_an_error_not_a_crash(tmp_path):
    result = check(book_with(tmp_path, yaml_edit=lambda text: text.replace("id: ada", "id: [ada]")))
    assert (result.exit_code, result.stderr) == (1, (
        "manuscript/book.yaml:7: error: unknown contributor 'ada' [contributor-unknown]\n"
        "manuscript/book.yaml:9: error: a contributor needs an 'id' (a-z, 0-9, -) and a 'name' [meta-invalid]\n"))


@pytest.mark.parametrize("old, new, expected", [
    ("name: Ada Lovelace", "name: Ada Lovelace\n    evil: x",
     "11: warning: unknown field 'evil' (known here: id, name, bio, roles) [meta-invalid]"),
    ("authors: [alan]", "authors: [alan]\n    template: x",
     "26: warning: unknown field 'template' (known here: file, part, authors, role) [meta-invalid]"),
    ("file: preface.md", "file: preface.md\n    title: Ignored",
     "20: warning: unknown field 'title' (known here: file, part, authors, role) [meta-invalid]"),
])
def test_a_field_nothing_reads_is_not_dropped_silently(tmp_path, old, new, expected):
    result = check(book_with(tmp_path, yaml_edit=lambda text: text.replace(old, new, 1)))
    assert (result.exit_code, result.stderr) == (0, f"manuscript/book.yaml:{expected}\n")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_unicode_line_separator_does_not_shift_lines(tmp_path, separator):
    """Python's splitlines() ends a line at U+2028 and U+0085; pandoc does not: endnotes stay numbered."""
    result = check(book_with(tmp_path, [f"One line{separator}still the same paragraph."]))
    assert (result.exit_code, result.stderr) == (0, "")


AUDIT = """
import sys
programs = []
sys.addaudithook(lambda event, args: programs.append(str(args[0])) if event in (
    "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system") else None)
from publish.cli import main
try:
    main(["build", sys.argv[1]])
except SystemExit as exit:
    print(exit.code, programs)
"""


def test_a_build_runs_no_program_but_pandoc(tmp_path):
    """WeasyPrint's library search (ctypes.util.find_library) used to run ldconfig, gcc and ld."""
    book = tmp_path / "book"
    copy_book(BOOKS / "minimal", book)
    result = subprocess.run([sys.executable, "-c", AUDIT, str(book)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}, check=True)
    code, programs = result.stdout.split(" ", 1)
    assert code == "0" and (book / "build" / "en" / "book.pdf").is_file()
    assert [Path(p).name for p in eval(programs)] == ["pandoc"]
