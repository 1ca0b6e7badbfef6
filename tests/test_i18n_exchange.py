"""XLIFF 1.2 and PO exchange with CAT tools: round trips, placeholders, no silent overwrites, hostile XML."""
from __future__ import annotations


import pytest
from lxml import etree
from click.testing import CliRunner
from translate.storage import factory

from publish.cli import main
from publish.i18n import paralleltext
from publish.i18n.exchange import XLIFF_NS

from .conftest import BOOKS
from .helpers import copy_book


@pytest.fixture
def book(tmp_path):
    target = tmp_path / "book"
    copy_book(BOOKS / "translated", target)
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
    out.write_text(out.read_text().replace("<target state=\"final\">序文</target>", "<target state=\"final\">はしがき</target>"))
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


def unit_line(text: str, marker: str) -> int:
    """The line of the trans-unit or PO entry (its first comment line) holding `marker`."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if marker in line)
    while at and lines[at - 1].strip() and not lines[at].lstrip().startswith(("<trans-unit", "#. publish-base")):
        at -= 1
    return at + 1


def test_import_refuses_what_check_would_reject_and_writes_nothing(book, tmp_path, monkeypatch):
    out = tmp_path / "book.po"
    run("i18n", "export", book, "--format", "po", "-o", out)
    text = out.read_text()
    text = text.replace('msgstr "機械は計算でき<1/>、<2>蔡英文</2>', 'msgstr "機械は計算でき、蔡英文')  # note and span lost
    text = text.replace('msgstr "<1>その節</1>', 'msgstr "その節')  # link lost
    text = text.replace('msgstr "機械は計算する。"', 'msgstr "機械は計算を行う。\\f[book.title]"')  # a control character
    text = text.replace('msgstr "第二の注', 'msgstr "第二の注釈')  # a good change: not applied either
    out.write_text(text)
    before = {p.name: p.read_text() for p in (book / "manuscript/ja").iterdir()}
    monkeypatch.chdir(tmp_path)
    result = run("i18n", "import", "book.po", book)
    assert result.exit_code == 1
    li1, p1, p2 = (unit_line(text, f'"chapter:chapter.{s}"') for s in ("li1", "p1", "p2"))
    assert result.stderr.splitlines() == [
        f"book.po:{li1}: error: the translation of [chapter.li1] contains the control character U+000C [i18n-markup]",
        f"book.po:{p1}: error: [chapter.p1] language spans lost: zh-Hant [i18n-lang]",
        f"book.po:{p1}: error: [chapter.p1] endnote references differ: English has 1, translation has none [i18n-notes]",
        f"book.po:{p2}: error: [chapter.p2] links differ from the English: #chapter-a-section [i18n-links]",
    ]
    assert {p.name: p.read_text() for p in (book / "manuscript/ja").iterdir()} == before


def test_xliff_import_is_checked_like_the_parallel_text(book, tmp_path, monkeypatch):
    out = tmp_path / "book.xlf"
    run("i18n", "export", book, "-o", out)
    text = out.read_text().replace('<target state="final">機械は計算でき<ph id="1" ctype="x-noteref">^1^</ph>',
                                   '<target state="final">機械は計算でき<ph id="1" ctype="x-noteref">^2^</ph>')
    text = text.replace('<target state="final">機械は計算する。</target>', '<target state="final">機械は\u2028[x]\n計算する。</target>')
    text = text.replace('<target state="final">要点</target>', '<target state="final">要点\n\n新しい段落</target>')
    out.write_text(text)
    monkeypatch.chdir(tmp_path)
    result = run("i18n", "import", "book.xlf", book)
    assert result.exit_code == 1
    h2, li1, p1 = (unit_line(text, f'id="chapter.{s}"') for s in ("h2", "li1", "p1"))
    assert result.stderr.splitlines() == [
        f"book.xlf:{h2}: error: the translation of [chapter.h2] contains a blank line: it must be one paragraph of text [i18n-markup]",
        f"book.xlf:{li1}: error: the translation of [chapter.li1] contains the control character U+2028 [i18n-markup]",
        f"book.xlf:{p1}: error: [chapter.p1] endnote references differ: English has 1, translation has 2 [i18n-notes]",
    ]


def test_import_checks_the_glossary(book, tmp_path, monkeypatch):
    (book / "manuscript/ja/glossary.yaml").write_text("- en: Machines\n  ja: 機械\n")
    out = tmp_path / "book.xlf"
    run("i18n", "export", book, "-o", out)
    text = out.read_text().replace("<target state=\"final\">機械は計算する。", "<target state=\"final\">マシンは計算する。")
    out.write_text(text)
    monkeypatch.chdir(tmp_path)
    result = run("i18n", "import", "book.xlf", book)
    assert result.exit_code == 1
    line = unit_line(text, 'id="chapter.li1"')
    assert result.stderr == f"book.xlf:{line}: error: [chapter.li1] 'Machines' must be translated as 機械 [i18n-glossary]\n"


def test_a_file_from_another_book_is_refused(book, monkeypatch):
    fixture = BOOKS / "import-foreign"
    before = (book / "manuscript/ja/book.txt").read_text()
    monkeypatch.chdir(fixture)
    result = run("i18n", "import", "other-book.xlf", book)
    assert result.exit_code == 1
    assert result.stderr == (fixture / "expected-import.txt").read_text()
    assert (book / "manuscript/ja/book.txt").read_text() == before


def test_a_po_file_naming_another_book_is_refused(book, tmp_path, monkeypatch):
    out = tmp_path / "book.po"
    run("i18n", "export", book, "--format", "po", "-o", out)
    text = out.read_text()
    assert '"X-Publish-Book: A Small Book\\n"' in text
    out.write_text(text.replace("X-Publish-Book: A Small Book", "X-Publish-Book: Another\\tBook").replace("機械は計算する。", "機械が計算する。"))
    monkeypatch.chdir(tmp_path)
    result = run("i18n", "import", "book.po", book)
    line = text.split("\n").index('"X-Publish-Book: A Small Book\\n"') + 1
    assert (result.exit_code, result.stderr) == (1, f"book.po:{line}: error: this file is for another book: it was exported from “Another Book”, not “A Small Book” [import-foreign]\n")
    assert chapter_records(book)["chapter.li1"].target == "機械は計算する。"


def test_unknown_segments_are_warned_at_their_line_and_the_rest_applied(book, tmp_path, monkeypatch):
    out = tmp_path / "book.xlf"
    run("i18n", "export", book, "-o", out)
    text = out.read_text().replace("機械は計算する。", "機械が計算する。").replace('id="chapter.h3"', 'id="chapter.h9"')
    out.write_text(text)
    monkeypatch.chdir(tmp_path)
    result = run("i18n", "import", "book.xlf", book)
    assert result.exit_code == 0
    line = unit_line(text, 'id="chapter.h9"')
    assert result.stderr == f"book.xlf:{line}: warning: segment [chapter.h9] is not in this book: skipped [import-skipped]\n"
    assert "applied 1 translations" in result.stdout
    assert chapter_records(book)["chapter.li1"].target == "機械が計算する。"


def _stale_book(book):
    chapter = book / "manuscript/chapter.md"
    chapter.write_text(chapter.read_text().replace("Machines compute.", "Machines compute quickly."))
    assert run("i18n", "update", book).exit_code == 0


def test_xliff_marks_translations_approved_and_stale_ones_for_review(book, tmp_path):
    _stale_book(book)
    out = tmp_path / "book.xlf"
    assert run("i18n", "export", book, "-o", out).exit_code == 0
    units = {u.getid().split("\x04")[-1]: u for u in factory.getobject(str(out)).units if not u.isheader()}
    assert len(units) == 24
    assert units["chapter.li1"].isreview() and not units["chapter.li1"].isapproved()
    translated = [u for i, u in units.items() if i != "chapter.li1"]
    assert all(u.isapproved() and not u.isfuzzy() and u.get_state_id() == u.S_SIGNED_OFF for u in translated)
    root = etree.parse(str(out)).getroot()
    states = [t.get("state") for t in root.iter(f"{{{XLIFF_NS}}}target")]
    assert states.count("final") == 23 and states.count("needs-review-translation") == 1


def test_import_accepts_old_translated_state_and_a_reviewed_stale_unit(book, tmp_path):
    _stale_book(book)
    out = tmp_path / "book.xlf"
    run("i18n", "export", book, "-o", out)
    text = out.read_text().replace('<target state="final">序文</target>', '<target state="translated">はしがき</target>')
    reviewed = text.replace('<target state="needs-review-translation">', '<target state="translated">')
    out.write_text(text)
    assert "applied 1 translations" in run("i18n", "import", out, book).stdout  # the stale unit waits for review
    assert chapter_records(book)["chapter.li1"].state == "stale"
    out.write_text(reviewed)
    result = run("i18n", "import", out, book)
    assert "applied 1 translations" in result.stdout, result.output
    li1 = chapter_records(book)["chapter.li1"]
    assert (li1.state, li1.was, li1.target) == ("", "", "機械は計算する。")
    assert run("check", book).exit_code == 0


def test_import_waits_for_update_and_refuses_a_segment_twice(book, tmp_path, monkeypatch):
    chapter = book / "manuscript/chapter.md"
    chapter.write_text(chapter.read_text().replace("Machines compute.", "Machines compute quickly."))
    out = tmp_path / "book.xlf"
    run("i18n", "export", book, "-o", out)  # the parallel text still has the old English
    text = out.read_text().replace("機械は計算する。", "機械は速く計算する。")
    at = text.index('      <trans-unit id="chapter.h3"')
    end = text.index("</trans-unit>", at) + len("</trans-unit>\n")
    text = text[:end] + text[at:end].replace("ある節", "とある節") + text[end:]
    out.write_text(text)
    monkeypatch.chdir(tmp_path)
    result = run("i18n", "import", "book.xlf", book)
    li1, h3 = unit_line(text, 'id="chapter.li1"'), unit_line(text, 'id="chapter.h3"')
    assert result.stderr.splitlines() == [
        f"book.xlf:{li1}: warning: [chapter.li1] manuscript/ja/chapter.txt is not up to date: run `publish i18n update`, then import again; skipped [import-skipped]",
        f"book.xlf:{h3 + 4}: warning: segment [chapter.h3] appears twice in this file (first on line {h3}): skipped [import-skipped]",
    ]
    assert chapter_records(book)["chapter.li1"].target == "機械は計算する。"
