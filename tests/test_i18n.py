"""Translation workflow: parallel-text files, update (no translation ever lost), status, editions."""
from __future__ import annotations


from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

from publish import build as pipeline
from publish.cli import main
from publish.i18n import paralleltext
from publish.i18n.paralleltext import Record
from publish.i18n.segments import Segment
from publish.i18n.update import merge

from .conftest import BOOKS
from .helpers import copy_book

WORDS = st.text(alphabet="abcdefgh ", min_size=1, max_size=30).map(lambda s: s.strip() or "x")
TARGETS = st.text(alphabet="あいうえおかきく", min_size=0, max_size=8)


@st.composite
def history(draw):
    """An English text, its translation, then a random edit of the English."""
    n = draw(st.integers(1, 12))
    texts = [draw(WORDS) + f" {i}" for i in range(n)]
    old = [Record(f"u.p{i + 1}", t, draw(TARGETS)) for i, t in enumerate(texts)]
    new = list(texts)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["insert", "delete", "change", "move", "split"]))
        if op == "insert" or not new:
            new.insert(draw(st.integers(0, len(new))), draw(WORDS) + " new")
            continue
        i = draw(st.integers(0, len(new) - 1))
        if op == "delete":
            new.pop(i)
        elif op == "change":
            new[i] = new[i] + draw(WORDS)
        elif op == "move":
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(i))
        elif op == "split" and len(new[i]) > 2:
            cut = draw(st.integers(1, len(new[i]) - 1))
            new[i:i + 1] = [new[i][:cut], new[i][cut:]]
    segments = [Segment(f"u.p{i + 1}", t, "u") for i, t in enumerate(new)]
    return {"u": old}, segments


@settings(max_examples=300, deadline=None)  # speed is measured in the bench, not asserted
@given(history())
def test_update_never_loses_a_translation(case):
    old, segments = case
    merged = merge(old, segments)
    targets = [r.target for r in merged.get("u", [])]
    for record in old["u"]:
        if record.target:
            assert record.target in targets
    live = [r for r in merged.get("u", []) if r.state != "removed"]
    assert [(r.id, r.en) for r in live] == [(s.id, s.text) for s in segments]
    assert all(r.target for r in merged.get("u", []) if r.state in ("removed", "stale"))
    # updating again changes nothing, and translations survive a second round of edits too
    assert merge(merged, segments) == merged


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(WORDS, TARGETS, st.sampled_from(["", "stale", "removed"])), max_size=8))
def test_parallel_text_round_trips(rows):
    records = [Record(f"s.{i}", en, ja if state == "" else ja or "訳", state, "old" if state == "stale" else "")
               for i, (en, ja, state) in enumerate(rows)]
    parsed, problems = paralleltext.parse(paralleltext.render(records, "ja", "t"), "f.txt", "ja")
    assert problems == []
    assert [(r.id, r.en, r.target, r.state, r.was) for r in parsed] == [(r.id, r.en, r.target, r.state, r.was) for r in records]


def test_update_marks_changed_english_stale_and_keeps_removed(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "translated", book)
    chapter = book / "manuscript" / "chapter.md"
    text = chapter.read_text().replace("Machines compute.", "Machines compute quickly.")
    chapter.write_text(text.replace("## A Section\n", "## A Section\n\nA new paragraph.\n"))
    result = CliRunner().invoke(main, ["i18n", "update", str(book)])
    assert result.exit_code == 0, result.output
    records, _ = paralleltext.parse((book / "manuscript/ja/chapter.txt").read_text(), "c", "ja")
    by_id = {r.id: r for r in records}
    assert by_id["chapter.li1"].state == "stale"
    assert by_id["chapter.li1"].was == "Machines compute."
    assert by_id["chapter.li1"].target == "機械は計算する。"
    assert by_id["chapter.p2"].target == "" and by_id["chapter.p2"].en == "A new paragraph."
    assert by_id["chapter.p3"].target.startswith("[その節]")  # moved: the translation followed its English
    status = CliRunner().invoke(main, ["i18n", "status", str(book), "--fail-under", "100"])
    assert status.exit_code == 1
    assert "chapter                           7      1            1   77.8%" in status.output


def test_status_passes_when_complete():
    result = CliRunner().invoke(main, ["i18n", "status", str(BOOKS / "translated"), "--fail-under", "100"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "total                            24      0            0  100.0%"


def test_japanese_edition_is_japanese_with_english_marked(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "warn-i18n-progress", book)
    pipeline.build(book, ("html",))
    page = lxml_html.parse(str(book / "build/ja/html/chapter.html"))
    assert page.getroot().get("lang") == "ja"
    assert page.xpath("//h1")[0].text_content() == "機械について"
    fallback = page.xpath("//*[@class='untranslated']")
    assert [f.get("lang") for f in fallback] == ["en"] and fallback[0].text_content() == "A Section"
    assert page.xpath("//span[@lang='zh-Hant']/text()") == ["蔡英文"]
    note = page.xpath("//li[@id='chapter-note-1']//span[@lang='en']/text()")
    assert note[0].startswith("Turing, Alan")
    index = lxml_html.parse(str(book / "build/ja/html/index.html"))
    assert index.xpath("//p[@class='original']")[0].text_content().startswith("原書：A Small Book")  # the locale's "：", not ": "


def test_english_edited_in_the_parallel_text_is_stale(tmp_path):
    """The `en:` line is compared with the manuscript itself: check warns (errs with --release) at the
    segment, status counts it stale, and update marks it stale with the English it claimed."""
    book = tmp_path / "book"
    copy_book(BOOKS / "warn-i18n-en-changed", book)
    message = ("manuscript/ja/chapter.txt:13: error: segment [chapter.li1] is stale: its 'en:' line is not the "
               "manuscript's English (run `publish i18n update`, then review the translation) [i18n-stale]\n")
    release = CliRunner().invoke(main, ["check", "--release", str(book)])
    assert (release.exit_code, release.stderr) == (1, message)
    status = CliRunner().invoke(main, ["i18n", "status", str(book), "--fail-under", "100"])
    assert status.exit_code == 1
    assert "chapter                           7      1            0   87.5%" in status.stdout
    assert CliRunner().invoke(main, ["i18n", "update", str(book)]).exit_code == 0
    li1 = {r.id: r for r in paralleltext.parse((book / "manuscript/ja/chapter.txt").read_text(), "c", "ja")[0]}["chapter.li1"]
    assert (li1.state, li1.was, li1.en, li1.target) == ("stale", "Machines calculate.", "Machines compute.", "機械は計算する。")


def test_the_flagship_parallel_text_matches_its_manuscript(flagship):
    from publish.i18n import files
    from publish.i18n.segments import segments

    from .conftest import REPO

    records, problems = files.load(REPO, "ja")
    english = {s.id: s.text for s in segments(flagship)}
    assert problems == []
    assert [r.id for recs in records.values() for r in recs if r.state == "" and r.en != english.get(r.id, r.en)] == []


def test_update_clears_stale_when_the_english_is_reverted(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "translated", book)
    chapter = book / "manuscript" / "chapter.md"
    original = chapter.read_text()
    before = (book / "manuscript/ja/chapter.txt").read_text()
    chapter.write_text(original.replace("Machines compute.", "Machines compute quickly."))
    CliRunner().invoke(main, ["i18n", "update", str(book)])
    assert "[chapter.li1] stale\nwas: Machines compute.\n" in (book / "manuscript/ja/chapter.txt").read_text()
    chapter.write_text(original)
    result = CliRunner().invoke(main, ["i18n", "update", str(book)])
    assert result.exit_code == 0
    assert (book / "manuscript/ja/chapter.txt").read_text() == before


def test_merge_clears_a_stale_mark_whose_was_is_the_english():
    old = {"u": [Record("u.p1", "Now", "今", "stale", "Now")]}
    assert merge(old, [Segment("u.p1", "Now", "u")]) == {"u": [Record("u.p1", "Now", "今")]}
