"""Input built to hurt: an alias bomb, 2,000-deep nesting of every shape, odd YAML values. Each is
refused at its file and line, quickly, without a traceback."""
from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from publish import yamlmap
from publish.cli import main
from publish.read import read_text

from .conftest import BOOKS
from .helpers import copy_book

DEEP = 2000
INDENTED = 1000  # 2,000 levels of indentation would pass 2 MB: file-too-large refuses them first


def check(book):
    return CliRunner().invoke(main, ["check", str(book)])


def book_with(tmp_path, chapter_lines=(), yaml_edit=lambda text: text):
    book = tmp_path / "book"
    copy_book(BOOKS / "minimal", book)
    meta = book / "manuscript" / "book.yaml"
    meta.write_text(yaml_edit(meta.read_text()))
    if chapter_lines:
        chapter = book / "manuscript" / "chapter.md"
        lines = chapter.read_text().split("\n")
        chapter.write_text("\n".join(lines[:11] + list(chapter_lines) + [""] + lines[11:]))
    return book


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    bomb = ['lol0: &a0 ["lol"]'] + [f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    book = book_with(tmp_path, yaml_edit=lambda text: "\n".join(bomb) + "\n" + text)
    start = time.monotonic()
    result = check(book)
    assert time.monotonic() - start < 10
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"manuscript/book.yaml:{i + 1}: error: YAML anchors and aliases are not allowed ('&a{i}') [yaml-invalid]"
        for i in range(9)]


@pytest.mark.parametrize("text, line, message", [
    ("a: 1\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x" + "]" * 65 + "\n", 2,
     "lists and mappings nested more than 64 deep"),
    ("a: 1\nb: !binary aGk=\n", 2, "YAML tag '!binary' is not allowed: only plain text, lists and mappings"),
    ("a: 1\n? [x]\n: 2\n", 2, "a key must be plain text, not a list or mapping"),
])
def test_yaml_refusals(text, line, message):
    with pytest.raises(yamlmap.YamlError) as caught:
        yamlmap.load(text)
    assert caught.value.problems == [(line, message)]


def test_yaml_values_that_used_to_crash_stay_text():
    data, _ = yamlmap.load("a: =\nb: <<\nc: " + "9" * 5000 + "\nd: 2024-13-45\ne: !!str 5\nf: 2024-01-05\n")
    assert data == {"a": "=", "b": "<<", "c": "9" * 5000, "d": "2024-13-45", "e": "5", "f": "2024-01-05"}


def test_an_unquoted_date_is_a_date(tmp_path):
    book = book_with(tmp_path, yaml_edit=lambda text: text.replace("date: 2024-05", "date: 2024-01-05"))
    assert (check(book).exit_code, check(book).stderr) == (0, "")
    book = book_with(tmp_path / "b", yaml_edit=lambda text: text.replace("date: 2024-05", "date: 2023-02-29"))
    assert check(book).stderr == ("manuscript/book.yaml:5: error: 'date' 2023-02-29 is not a real date "
                                  "(YYYY, YYYY-MM or YYYY-MM-DD) [meta-invalid]\n")


@pytest.mark.parametrize("written, message", [
    ("/etc/passwd.md", "'/etc/passwd.md' is outside manuscript/: name a .md file inside it"),
    ("sub\\\\chapter.md", "'sub\\chapter.md': write file names with '/', not '\\'"),
    ("contributors.md", "'contributors.md' and 'contributors' (line 26) would both become contributors.html; rename one"),
])
def test_contents_names(tmp_path, written, message):
    book = book_with(tmp_path, yaml_edit=lambda text: text + f'  - file: "{written}"\n')
    (book / "manuscript" / "contributors.md").write_text("# Contributors\n\nText.\n")
    assert check(book).stderr == f"manuscript/book.yaml:29: error: {message} [{'meta-invalid' if '/' in message else 'contents-duplicate'}]\n"


SHAPES = {
    "dashes on one line": ["- " * DEEP + "x"],
    "ordered markers on one line": ["1. " * DEEP + "x"],
    "quotes and lists on one line": ["> - " * DEEP + "x"],
    "quotes": ["> " * DEEP + "x"],
    "quotes without spaces": [">" * DEEP + " x"],
    "lists indented by 2": ["  " * i + "- x" for i in range(INDENTED)],
    "lists indented by 3": ["   " * i + "1. x" for i in range(INDENTED)],
    "lists with lazy lines": [line for i in range(INDENTED) for line in ("  " * i + "- x", "lazy")],
    "fancy lists": ["   " * i + "a. x" for i in range(INDENTED)],
    "definitions": ["  " * i + ": x" for i in range(INDENTED)],
    "lists in a quote": ["> " + "  " * i + "- x" for i in range(INDENTED)],
    "fenced divs": ["::: box"] * DEEP + ["x"] + [":::"] * DEEP,
    "bracketed spans": ["[" * DEEP + "x" + "]{.a}" * DEEP],
    "emphasis": ["*a _a " * (DEEP // 2) + "x" + " a_ a*" * (DEEP // 2)],
}


@pytest.mark.parametrize("shape", SHAPES)
def test_deep_nesting_of_every_shape_is_refused_at_its_line(tmp_path, shape):
    book = book_with(tmp_path, SHAPES[shape])
    result = check(book)
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("manuscript/chapter.md:") and line.endswith("(at most 32) [block-nesting]"), line
    number = int(line.split(":")[1])
    assert 12 <= number <= 12 + 2 * 33  # where the 33rd level opens, not line 1


def test_a_nul_byte_is_reported_at_its_line(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"one\ntwo\nth\0ree\n")
    assert [str(d) for d in read_text(tmp_path, "a.txt")[1]] == [
        "a.txt:3: error: a NUL byte: binary data, not UTF-8 text [file-encoding]"]


def test_a_recursion_error_names_the_text(tmp_path, monkeypatch):
    import publish.assemble

    def deep(source, *args):
        raise RecursionError

    monkeypatch.setattr(publish.assemble, "convert", deep)
    result = check(book_with(tmp_path))
    assert result.exit_code == 1
    # the first text converted: Ada's bio, on line 11 of book.yaml
    assert result.stderr == "manuscript/book.yaml:11: error: the input is nested too deeply to process [block-nesting]\n"
