"""`publish import` of Word files and `publish export --format docx`: exact reports, refusals, the round trip."""
from __future__ import annotations

import dataclasses
import html
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import build as pipeline, model as m
from publish.cli import main
from publish.docx.importer import read_docx
from publish.docx.writing import to_docx

from .conftest import BOOKS
from .helpers import copy_book
from .tools.word_docx import CHAPTER, word_docx

ROOT = Path(__file__).parent.parent
FLAGSHIP_UNITS = ["preface", "acknowledgments", "introduction", "fukuda", "takuma", "kawaguchi", "koshino",
                  "final-thoughts", "about-stimson"]


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


@pytest.fixture
def book(tmp_path):
    copy_book(BOOKS / "minimal", tmp_path / "book")
    return tmp_path / "book"


def write(tmp_path, paragraphs, name="chapter.docx") -> Path:
    path = tmp_path / name
    path.write_bytes(word_docx(paragraphs))
    return path


def test_a_word_document_the_project_did_not_make_imports_checks_and_builds(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, CHAPTER, "engines.docx")
    result = run("import", "engines.docx", book)
    assert (result.exit_code, result.stderr) == (0, "")
    text = (book / "manuscript/engines.md").read_text()
    assert text.startswith("# On Engines\n\n::: takeaways\n## Key Takeaways\n\n- Engines compute.\n:::\n\n## A Section\n")
    assert ("Engines compute^1^ and the name [蔡英文]{lang=zh-Hant} is Chinese; *whole* numbers, [夏目漱石]{lang=ja}."
            in text)
    assert '![](images/engines-image1.png "A small red square")' in text
    assert text.endswith("::: endnotes\n1. Menabrea, Luigi. Sketch of the Analytical Engine. 1842.\n:::\n")
    assert "  - file: engines.md\n    authors: [alan]\n  - generate: contributors" in (book / "manuscript/book.yaml").read_text()
    assert (book / "manuscript/images/engines-image1.png").read_bytes()[:4] == b"\x89PNG"
    assert run("check", book).exit_code == 0
    assert run("build", book, "--format", "html").exit_code == 0
    assert "夏目漱石" in (book / "build/en/html/engines.html").read_text()


def test_comments_and_tracked_changes_are_refused_at_their_paragraph(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, [("Title", ["Review"]), (None, ["Engines ", {"text": "do", "comment": "Really?", "author": "Ada Lovelace"},
                     " compute", {"text": " fast", "ins": "Ada Lovelace"}, {"text": " slowly", "del": "Ada Lovelace"}, "."])])
    before = (book / "manuscript/book.yaml").read_text()
    result = run("import", "chapter.docx", book, "--as", "review")
    assert result.exit_code == 1
    assert result.stderr == (
        "chapter.docx:2: error: a tracked change, a deletion by Ada Lovelace ('slowly'): accept or reject the changes in "
        "Word (Review › Accept All Changes) and import again, or import with --accept-changes [docx-changes]\n"
        "chapter.docx:2: error: a tracked change, an insertion by Ada Lovelace ('fast'): accept or reject the changes in "
        "Word (Review › Accept All Changes) and import again, or import with --accept-changes [docx-changes]\n"
        "chapter.docx:2: error: a comment by Ada Lovelace ('Really?'): resolve the comments, delete them "
        "(Review › Delete All Comments) and import again, or import with --accept-changes [docx-comment]\n")
    assert not (book / "manuscript/review.md").exists() and (book / "manuscript/book.yaml").read_text() == before
    accepted = run("import", "chapter.docx", book, "--as", "review", "--accept-changes")
    assert (accepted.exit_code, accepted.stderr) == (0, "chapter.docx:1: warning: --accept-changes: 2 tracked changes "
                                                      "accepted, 1 comments left out [docx-changes]\n")
    assert "Engines do compute fast." in (book / "manuscript/review.md").read_text()


def test_an_unknown_style_and_an_image_without_alt_text_are_reported_and_nothing_is_written(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, [("Title", ["Boxes"]), ("Fancy", ["In a box."]), (None, [{"image": ""}])])
    result = run("import", "chapter.docx", book, "--as", "boxes")
    assert result.exit_code == 1
    assert result.stderr == (
        "chapter.docx:2: error: the paragraph style 'Fancy Box' has no meaning in the manuscript format: imported as "
        "a plain paragraph [docx-style]\n"
        "chapter.docx:3: error: an image (image1.png) without alternative text: write it in Word (right-click, View Alt "
        "Text) and import again [image-alt]\n"
        "publish: nothing written: the report above lists what could not be imported (--allow-loss writes the chapter anyway)\n")
    assert not (book / "manuscript/boxes.md").exists()
    assert run("import", "chapter.docx", book, "--as", "boxes", "--allow-loss").exit_code == 1  # check: image-alt
    assert "In a box." in (book / "manuscript/boxes.md").read_text()


def test_what_the_format_cannot_hold_is_reported(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.docx").write_bytes(b"not a zip")
    assert run("import", "x.docx", book).stderr == (
        "x.docx:1: error: cannot import: not a Word .docx file (not a zip package: File is not a zip file) [docx-invalid]\n")
    write(tmp_path, [("Title", ["Engines"]), ("Byline", ["By Charles Babbage"]), (None, ["Text."])], "engines.docx")
    result = run("import", "engines.docx", book)
    assert result.stderr.startswith("engines.docx:1: error: the byline names Charles Babbage, who is not among "
                                    "book.yaml's contributors: add them there, then to this chapter's authors [docx-loss]\n")
    write(tmp_path, [("Title", ["Chapter"]), (None, ["Text."])])
    assert run("import", "chapter.docx", book, "--dry-run").stderr == (
        "chapter.docx:1: error: book.yaml's contents already hold chapter.md: import with --as NAME [docx-exists]\n"
        "publish: nothing written: the report above lists what could not be imported (--allow-loss writes the chapter anyway)\n")


def test_a_document_without_a_title_takes_its_file_name_with_a_warning(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, [("Heading1", ["One"]), (None, ["Text."]), ("Heading1", ["Two"])], "machines.docx")
    result = run("import", "machines.docx", book)
    assert (result.exit_code, result.stderr) == (0, "machines.docx:1: warning: no paragraph in the style Title and 2 in "
                                                 "Heading 1: the chapter's title is 'machines' and each Heading 1 a section [docx-form]\n")
    assert (book / "manuscript/machines.md").read_text() == "# machines\n\n## One\n\nText.\n\n## Two\n"


def test_small_capitals_and_abbreviations_come_back_as_their_spans(book, tmp_path):
    from publish.docx.reading import Mapper

    ast = {"meta": {}, "blocks": [{"t": "Para", "c": [{"t": "SmallCaps", "c": [{"t": "Str", "c": "nato"}]}, {"t": "Space"},
                                                      {"t": "Span", "c": [["", [], [["custom-style", "Abbreviation"]]],
                                                                          [{"t": "Str", "c": "AE"}]]}]}]}
    chapter = Mapper("x", False).document(ast, "X")
    assert chapter.markdown == "# X\n\n[nato]{.smallcaps} [AE]{.abbr}\n"
    assert chapter.problems == []


def test_dry_run_writes_nothing(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, CHAPTER, "engines.docx")
    before = sorted(p.name for p in (book / "manuscript").rglob("*"))
    result = run("import", "engines.docx", book, "--dry-run", "--part", "back")
    assert result.exit_code == 0
    assert result.stdout == ("would write manuscript/engines.md (17 lines)\nwould write manuscript/images/engines-image1.png\n"
                             "would add engines.md to book.yaml's contents (authors: alan)\n")
    assert sorted(p.name for p in (book / "manuscript").rglob("*")) == before


def test_export_makes_real_word_endnotes_headings_and_languages(book):
    assert run("export", book).exit_code == 0
    with zipfile.ZipFile(book / "build/docx/en.docx") as z:
        document, notes, styles = (z.read(f"word/{n}.xml").decode() for n in ("document", "endnotes", "styles"))
    assert "<w:endnoteReference" in document and "footnoteReference" not in document
    assert "Turing, Alan." in notes and "<w:endnote " in notes
    assert '<w:pStyle w:val="Heading2" />' in document and '<w:lang w:val="zh-Hant" />' in document
    assert '<w:pStyle w:val="KeyTakeaways" />' in document and '<w:name w:val="Byline"/>' in styles
    assert run("export", book, "--split").exit_code == 0
    assert sorted(p.name for p in (book / "build/docx/en").iterdir()) == ["chapter.docx", "preface.docx"]


def test_the_template_holds_every_style_the_import_knows(tmp_path):
    assert run("template-docx", "-o", tmp_path / "t.docx").exit_code == 0
    with zipfile.ZipFile(tmp_path / "t.docx") as z:
        styles = z.read("word/styles.xml").decode()
    for name in ("Key Takeaways", "Executive Summary", "Byline", "Signature", "Figure Caption", "Figure Source"):
        assert f'<w:name w:val="{name}"/>' in styles


def normalised(x):
    """A unit as text, notes and structure: positions and segment ids left out, whitespace normalised."""
    if isinstance(x, m.Pos):
        return None
    if dataclasses.is_dataclass(x):
        return (type(x).__name__,) + tuple(normalised(getattr(x, f.name)) for f in dataclasses.fields(x)
                                           if f.name not in ("pos", "seg", "title_seg"))
    if isinstance(x, tuple):
        return tuple(normalised(y) for y in x)
    return " ".join(x.split()) if isinstance(x, str) else x


def round_trip(source: Path, tmp_path: Path) -> tuple:
    book = tmp_path / "book"
    copy_book(source / "manuscript", book / "manuscript")
    original, _ = pipeline.load(book)
    for unit in (u for u in original.units if u.kind == "text"):
        docx = tmp_path / f"{unit.slug}.docx"
        docx.write_bytes(to_docx(book, [unit], original.language, original.title))
        (book / "manuscript" / f"{unit.slug}.md").write_text(read_docx(docx, docx.name, book, unit.slug, unit.part, False).markdown)
    again, diagnostics = pipeline.load(book)
    assert [str(d) for d in diagnostics] == []
    return original, again


def as_word_holds_it(x):
    """What Word cannot hold, as it comes back: decimal alignment is right alignment (no figure-space padding)."""
    if isinstance(x, m.Cell):
        return dataclasses.replace(x, blocks=as_word_holds_it(x.blocks), pad="",
                                   align="right" if x.align == "decimal" else x.align)
    if isinstance(x, m.Table):
        return dataclasses.replace(x, head=as_word_holds_it(x.head), body=as_word_holds_it(x.body),
                                   foot=as_word_holds_it(x.foot),
                                   align=tuple("right" if a == "decimal" else a for a in x.align))
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return dataclasses.replace(x, **{f.name: as_word_holds_it(getattr(x, f.name)) for f in dataclasses.fields(x)
                                         if f.init and isinstance(getattr(x, f.name), tuple) or
                                         dataclasses.is_dataclass(getattr(x, f.name))})
    if isinstance(x, tuple):
        return tuple(as_word_holds_it(y) for y in x)
    return x


# every fixture book whose constructs Word can hold (see docs/word.md, "What is not mapped", for the others)
@pytest.mark.parametrize("name", ["minimal", "classic", "footnotes", "tables", "translated", "single-author"])
def test_round_trip_of_the_fixture_books(tmp_path, name):
    original, again = round_trip(BOOKS / name, tmp_path)
    assert len(again.units) == len(original.units)
    for before, after in zip(original.units, again.units):
        assert normalised(after) == normalised(as_word_holds_it(before)), before.slug


@pytest.fixture(scope="module")
def flagship(tmp_path_factory):
    return round_trip(ROOT, tmp_path_factory.mktemp("flagship"))


@pytest.mark.parametrize("slug", FLAGSHIP_UNITS)
def test_round_trip_of_each_flagship_chapter(flagship, slug):
    original, again = flagship
    assert normalised(again.unit(slug)) == normalised(original.unit(slug))


def docx_parts(path: Path, *names: str) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode() if n in z.namelist() else "" for n in names]


def test_export_numbers_and_places_notes_as_book_yaml_says(tmp_path):
    for name in ("minimal", "classic", "footnotes"):
        copy_book(BOOKS / name, tmp_path / name)
    # notes: chapter: each unit a Word section, endnotes restarting in each and printed at its end
    assert run("export", tmp_path / "minimal").exit_code == 0
    document, settings = docx_parts(tmp_path / "minimal/build/docx/en.docx", "word/document.xml", "word/settings.xml")
    assert document.count("<w:sectPr") == 4 and document.count('<w:numRestart w:val="eachSect"/>') == 4
    assert '<w:endnotePr><w:pos w:val="sectEnd"/></w:endnotePr>' in settings
    # notes: book: one numbering; a chapter exported alone starts at its first note's number in the book
    assert run("export", tmp_path / "classic").exit_code == 0
    document, = docx_parts(tmp_path / "classic/build/docx/en.docx", "word/document.xml")
    assert document.count("<w:sectPr") == 1 and '<w:numRestart w:val="continuous"/>' in document
    assert run("export", tmp_path / "classic", "--split").exit_code == 0
    union, notes = docx_parts(tmp_path / "classic/build/docx/en/union.docx", "word/document.xml", "word/endnotes.xml")
    assert '<w:numStart w:val="4"/>' in union and notes.count("<w:endnote w:id") == 4  # notes 4-7
    # notes: footnotes: Word footnotes; a note referred to only from another note is kept in it, under its number
    assert run("export", tmp_path / "footnotes").exit_code == 0
    notes, endnotes = docx_parts(tmp_path / "footnotes/build/docx/en.docx", "word/footnotes.xml", "word/endnotes.xml")
    assert "<w:footnote " in notes and endnotes == "" and "[22]" in notes and "The pay of a legionary" in notes


def test_export_sets_out_abbreviations_as_a_table_and_contributors_with_their_roles(book):
    assert run("export", book).exit_code == 0
    document, = docx_parts(book / "build/docx/en.docx", "word/document.xml")
    table = document[document.index("<w:tbl>"):document.index("</w:tbl>")]
    rows = [re.sub(r"<[^>]+>", "", row) for row in table.split("<w:tr>")[1:]]
    assert rows == ["AEAnalytical Engine", "UTMUniversal Turing machine"]
    assert re.search(r'<w:pStyle w:val="Contributor" />.*?<w:b />.*?Ada Lovelace.*? — editor', document, re.S)
    assert re.search(r"Alan Turing.*? — author of On Machines.*?ALAN TURING asked", document, re.S)


def test_export_publishes_build_docx_by_the_builds_rename_and_a_build_keeps_it(book):
    assert run("export", book).exit_code == 0
    assert (book / "build/docx").is_symlink() and os.readlink(book / "build/docx") == "current/docx"
    first = os.readlink(book / "build/current")
    assert run("build", book, "--format", "html").exit_code == 0
    assert os.readlink(book / "build/current") != first and (book / "build/docx/en.docx").is_file()
    assert run("export", book, "--split").exit_code == 0
    assert (book / "build/en/html").is_dir() and (book / "build/docx/en.docx").is_file()
    assert not [p for p in (book / "build").rglob("*.tmp")]


def test_the_proofs_fonts_and_sizes_come_from_the_books_print_stylesheet(book):
    def styles_of(path):
        from lxml import etree
        root = etree.fromstring(docx_parts(path, "word/styles.xml")[0].encode())
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        get = lambda node, tag, attr="val": node.find(f".//{w}{tag}").get(f"{w}{attr}")
        default = root.find(f"{w}docDefaults")
        heading = next(s for s in root.iter(f"{w}style") if s.get(f"{w}styleId") == "Heading2")
        return get(default, "rFonts", "ascii"), get(default, "sz"), get(heading, "rFonts", "ascii"), get(heading, "sz")

    assert run("export", book).exit_code == 0  # ours: html { Noto Serif 10.5pt }, h1…h6 { Noto Sans }, h2 12.5pt
    assert styles_of(book / "build/docx/en.docx") == ("Noto Serif", "21", "Noto Sans", "25")
    (book / "styles/css").mkdir(parents=True)
    (book / "styles/css/print.css").write_text('html { font-family: "Source Serif 4", serif; font-size: 12pt }\n'
                                               'h1, h2, h3 { font-family: Inter, sans-serif }\nh2 { font-size: 16px }\n')
    assert run("export", book).exit_code == 0  # the book's own stylesheet wins
    assert styles_of(book / "build/docx/en.docx") == ("Source Serif 4", "24", "Inter", "24")


FOREIGN = ROOT / "tests/fixtures/docx"  # saved by Microsoft Word, from pandoc's test suite (README.md there)


@pytest.mark.parametrize("name, report, text", [
    ("pandoc-notes", "", "## A footnote\n\nTest footnote.^1^ Test endnote.^2^\n\n::: endnotes\n1. My note.\n"
                         "2. This is an endnote at the end of the document.\n:::\n"),
    ("pandoc-inline-formatting", "", "This is [Small Caps]{.smallcaps}, and this is ~~strikethrough~~."),
    ("pandoc-table-captions", "pandoc-table-captions.docx:12: warning: an empty paragraph in the style Heading 2: "
                              "left out [docx-form]\n",
     "::: {.table row-headers=1}\nTable 5.1\n\n|  | Count | % |\n|---|---|---|\n| First option | 242 | 45 |\n"),
])
def test_word_documents_made_by_word_import_check_and_build(book, tmp_path, monkeypatch, name, report, text):
    monkeypatch.chdir(FOREIGN)
    result = run("import", f"{name}.docx", book)
    assert (result.exit_code, result.stderr) == (0, report)
    assert text in (book / f"manuscript/{name}.md").read_text()
    assert run("check", book).exit_code == 0
    built = run("build", book)
    assert built.exit_code == 0, built.stderr
    assert sorted(p.name for p in (book / "build/en").iterdir()) == ["book-cover.pdf", "book-print.pdf", "book.epub", "book.pdf", "html"]
    assert "Test footnote" in (book / f"build/en/html/{name}.html").read_text() or name != "pandoc-notes"


CONTENTS = "contents:\n  - file: preface.md\n    part: front\n  - generate: abbreviations\n    title: Abbreviations\n    part: front\n  - file: chapter.md\n    authors: [alan]\n  - generate: contributors\n    title: About the Authors\n    part: back\n"


@pytest.mark.parametrize("contents", ["contents: []\n", "contents:\n", ""])
def test_a_book_begun_with_empty_contents_takes_its_first_chapter(book, tmp_path, monkeypatch, contents):
    """A book begun for Word (`contents: []`, `contents:` or none yet): the import writes the contents
    as a list with the chapter in it (it appended `  - file:` under `contents: []`, which is no YAML,
    and the next import failed with an internal error)."""
    import yaml

    monkeypatch.chdir(tmp_path)
    path = book / "manuscript/book.yaml"
    path.write_text(path.read_text().replace(CONTENTS, contents))
    write(tmp_path, CHAPTER, "engines.docx")
    write(tmp_path, [("Title", ["On Gears"]), (None, ["Gears turn."])], "gears.docx")
    assert run("import", "engines.docx", book).exit_code == 0
    assert run("import", "gears.docx", book).exit_code == 0
    assert yaml.safe_load(path.read_text())["contents"] == [{"file": "engines.md", "authors": ["alan"]}, {"file": "gears.md"}]


REFUSED = [
    ("contents: [{file: preface.md, part: front}, {file: chapter.md}]\n",  # inline: no place for a line
     "engines.docx:1: error: book.yaml's contents are not a list written one entry a line (`contents:`, then "
     "`  - file: …` lines): add `- file: engines.md` to them by hand [docx-contents]\n"
     "publish: nothing written: the report above lists what could not be imported\n"),
    ("contents: []\n  - file: chapter.md\n",  # no YAML (what the import once wrote itself)
     "manuscript/book.yaml:19: error: invalid YAML: expected <block end>, but found '<block sequence start>' "
     "[yaml-invalid]\n"),
]


@pytest.mark.parametrize("contents, stderr", REFUSED)
def test_a_book_yaml_the_entry_cannot_go_into_is_reported_and_never_written_over(book, tmp_path, monkeypatch,
                                                                                 contents, stderr):
    monkeypatch.chdir(tmp_path)
    path = book / "manuscript/book.yaml"
    before = path.read_text().replace(CONTENTS, contents)
    path.write_text(before)
    write(tmp_path, CHAPTER, "engines.docx")
    for flags in ((), ("--allow-loss",)):  # --allow-loss writes no empty or broken book.yaml either
        result = run("import", "engines.docx", book, *flags)
        assert (result.exit_code, result.stderr) == (1, stderr)
        assert path.read_text() == before and not (book / "manuscript/engines.md").exists()


def test_colons_are_escaped_only_where_commonmark_would_read_them(book, tmp_path, monkeypatch):
    """A time, a ratio or a colon before a list reads as typed ("11:40", "passengers:", was "11\\:40"),
    and so does an exclamation mark no "[" follows ("Come home!", was "home\\!") and an "&" that begins no
    entity ("R&D", was "R\\&D");
    a colon that could begin an emoji (:smile:) or a fenced div (:::) keeps its backslash, and the
    chapter builds back to the words of the Word file."""
    monkeypatch.chdir(tmp_path)
    words = "The ferry left at 11:40, passengers: three; ratio 3:2; :smile: and ::: stay text. Come home! R&D at AT&T."
    write(tmp_path, [("Title", ["Ferries"]), (None, [words])], "ferries.docx")
    assert run("import", "ferries.docx", book).exit_code == 0
    text = (book / "manuscript/ferries.md").read_text()
    assert "at 11:40, passengers: three; ratio 3:2; \\:smile: and \\:\\:\\: stay text. Come home! R&D at AT&T." in text, text
    assert run("build", book, "--format", "html", "--edition", "en").exit_code == 0
    assert words in html.unescape(re.sub(r"<[^>]+>", "", (book / "build/en/html/ferries.html").read_text()))


def test_a_whole_books_proof_imported_as_a_chapter_says_to_import_the_chapters(book, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("export", book, "-o", tmp_path / "whole.docx").exit_code == 0
    result = run("import", "whole.docx", book, "--as", "whole")
    assert result.exit_code == 1
    assert ("error: the paragraph style 'Contributor' has no meaning in the manuscript format: imported as a plain "
            "paragraph (a page publish export makes from book.yaml: import a book's chapters one by one, exported "
            "with --split) [docx-style]\n") in result.stderr
    assert not (book / "manuscript/whole.md").exists()
