"""XLIFF 1.2 and PO exchange with CAT tools: round trips, placeholders, no silent overwrites, hostile XML."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from translate.storage import factory

from publish.cli import main
from publish.i18n import paralleltext

from .conftest import BOOKS


@pytest.fixture
def book(tmp_path):
    target = tmp_path / "book"
    shutil.copytree(BOOKS / "translated", target)
    return target


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def chapter_records(book):
    records, _ = paralleltext.parse((book / "manuscript/ja/chapter.txt").read_text(), "c", "ja")
    return {r.id: r for r in records}


@pytest.mark.parametrize("fmt,suffix", [("xliff", "xlf"), ("po", "po")])
def test_translate_toolkit_reads_every_unit_with_placeholders(book, tmp_path, fmt, suffix):
    out = tmp_path / f"book.{suffix}"
    assert run("i18n", "export", book, "--format", fmt, "-o", out).exit_code == 0
    store = factory.getobject(str(out))
    units = [u for u in store.units if not u.isheader()]
    assert len(units) == 24
    p1 = next(u for u in units if "chapter.p1" in (u.getid() or "") + "".join(u.getlocations()) + (u.getcontext() or ""))
    assert p1.target  # translated
    if fmt == "xliff":
        xml = out.read_text()
        assert '<ph id="1" ctype="x-noteref">^1^</ph>' in xml
        assert '<bpt id="2" ctype="x-lang">[</bpt>蔡英文<ept id="2">]{lang=zh-Hant}</ept>' in xml
    else:
        assert "<1/>" in p1.source and "<1/>" in p1.target and "<2>蔡英文</2>" in p1.target


@pytest.mark.parametrize("fmt,suffix", [("xliff", "xlf"), ("po", "po")])
def test_import_applies_new_translations_and_keeps_markup(book, tmp_path, fmt, suffix):
    out = tmp_path / f"book.{suffix}"
    run("i18n", "export", book, "--format", fmt, "-o", out)
    text = out.read_text().replace("機械は計算でき", "機械は計算することができ")
    out.write_text(text)
    result = run("i18n", "import", out, book)
    assert result.exit_code == 0, result.output
    assert "applied 1 translations" in result.output
    assert chapter_records(book)["chapter.p1"].target == "機械は計算することができ^1^、[蔡英文]{lang=zh-Hant}という名前は中国語である。"
    assert run("check", book).exit_code == 0


@pytest.mark.parametrize("fmt,suffix", [("xliff", "xlf"), ("po", "po")])
def test_import_never_overwrites_newer_work(book, tmp_path, fmt, suffix):
    out = tmp_path / f"book.{suffix}"
    run("i18n", "export", book, "--format", fmt, "-o", out)
    out.write_text(out.read_text().replace("機械は計算する。", "機械が計算する。"))
    path = book / "manuscript/ja/chapter.txt"
    path.write_text(path.read_text().replace("ja: 機械は計算する。", "ja: 機械は計算を行う。"))
    result = run("i18n", "import", out, book)
    assert "[chapter.li1] the translation was changed in the repository since the export: skipped [import-skipped]" in result.stderr
    assert chapter_records(book)["chapter.li1"].target == "機械は計算を行う。"


def test_import_skips_units_whose_english_changed(book, tmp_path):
    out = tmp_path / "book.xlf"
    run("i18n", "export", book, "-o", out)
    out.write_text(out.read_text().replace("<target state=\"translated\">序文</target>", "<target state=\"translated\">はしがき</target>"))
    chapter = book / "manuscript/preface.md"
    chapter.write_text(chapter.read_text().replace("# Preface", "# Foreword"))
    run("i18n", "update", book)
    result = run("i18n", "import", out, book)
    assert "[preface.title] the English changed since the export: skipped [import-skipped]" in result.stderr


HOSTILE = {
    "xxe.xlf": ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<xliff version="1.2">&e;</xliff>',
                "xxe.xlf:2: error: DOCTYPE and ENTITY declarations are not allowed [xliff-invalid]"),
    "bomb.xlf": ('<?xml version="1.0"?>\n\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>\n<xliff version="1.2">&b;</xliff>',
                 "bomb.xlf:3: error: DOCTYPE and ENTITY declarations are not allowed [xliff-invalid]"),
    "broken.xlf": ('<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>',
                   "broken.xlf:4: error: malformed XML: Opening and ending tag mismatch: file line 3 and xliff [xliff-invalid]"),
    "other.xlf": ('<?xml version="1.0"?>\n<html/>', "other.xlf:2: error: not an XLIFF 1.2 document [xliff-invalid]"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_or_malformed_xliff_is_rejected_with_its_line(book, tmp_path, monkeypatch, name):
    content, expected = HOSTILE[name]
    (tmp_path / name).write_text(content)
    before = (book / "manuscript/ja/chapter.txt").read_text()
    monkeypatch.chdir(tmp_path)
    result = run("i18n", "import", name, book)
    assert result.exit_code == 1
    assert result.stderr.strip() == expected
    assert "Traceback" not in result.output
    assert (book / "manuscript/ja/chapter.txt").read_text() == before


def test_malformed_po_is_rejected(book, tmp_path, monkeypatch):
    (tmp_path / "bad.po").write_text('msgid "a"\nmsgstr "b"\nthis is not po\n')
    monkeypatch.chdir(tmp_path)
    result = run("i18n", "import", "bad.po", book)
    assert result.exit_code == 1
    assert result.stderr.startswith("bad.po:1: error: malformed PO file: Syntax error in po file")
    assert result.stderr.rstrip().endswith("[po-invalid]")
