"""No line of the bilingual PDF's narrow Japanese column reads as letter-spaced (「政 治 学 お よ び」): a line
whose next unit cannot come up whole (「（WHA）」, 「COVID-19」, 「た。²³2018年」, 「（#quarantine）」) is spread
at most a quarter of an em between its characters (publish/render/cjkjustify.py's MAX_GAP_EM), a note
reference lets the line break after it (publish/render/notebreaks.py), and a lower-case English word
hyphenates (css/print-bilingual.css), and a line that would be spread over a tenth of an em takes the
next unit when its punctuation set half-width makes it fit (追い込み, publish/render/pullin.py). Measured
from the PDF's lines (tests/jalines.py)."""
from __future__ import annotations

import re

import pytest

from .conftest import BOOKS
from .helpers import copy_book
from publish.render import cjkjustify, pullin
from publish.render.pullin import MARKS, OPENING

from .jalines import at_measure, full_lines, kinsoku_breaks, lines_of, measures, runs, spread_runs, widest_lines
from .test_bilingual_page import LEAD, render

UNITS = ("は世界保健総会（WHA）に招待されなかった。", "やCOVID-19に関する言説を指摘した。",
         "と合意した。^{n}^2018年以降、両政府は調整を強化した。", "は「全国的な隔離（#quarantine）に関する噂は偽物である」と投稿した。")


def cases() -> list[tuple[str, str]]:
    """(English, Japanese) paragraphs: each unit after 1 to 24 characters of Japanese, so that in a
    22-character column it falls at every point of a line; the third kind with a note reference."""
    out, n = [], 0
    for unit in UNITS:
        for k in range(1, 25):
            note = "{n}" in unit
            n += note
            en = f"Paragraph {len(out) + 1} tells how the engines were used." + (f"^{n}^" if note else "")
            out.append((en, LEAD[:k] + unit.format(n=n)))
    return out


@pytest.fixture(scope="module")
def spread(tmp_path_factory):
    root = tmp_path_factory.mktemp("bilingual-spread") / "book"
    copy_book(BOOKS / "translated", root)
    paragraphs = cases()
    notes = sum("^" in en for en, _ in paragraphs)
    english = "\n\n".join(en for en, _ in paragraphs)
    endnotes = "\n".join(f"{i}. Note {i}." for i in range(1, notes + 1))
    (root / "manuscript" / "chapter.md").write_text(f"# On Machines\n\n{english}\n\n::: endnotes\n{endnotes}\n:::\n",
                                                    encoding="utf-8")
    parallel = ["[chapter.title]\nen: On Machines\nja: 機械について\n"]
    parallel += [f"[chapter.p{i}]\nen: {en}\nja: {ja}\n" for i, (en, ja) in enumerate(paragraphs, 1)]
    parallel += [f"[chapter.n{i}]\nen: Note {i}.\nja: 注{i}。\n" for i in range(1, notes + 1)]
    (root / "manuscript" / "ja" / "chapter.txt").write_text("\n".join(parallel), encoding="utf-8")
    _, _, pdf, _, _ = render(root)
    path = root.parent / "book.pdf"
    path.write_bytes(pdf)
    return lines_of(path)


def test_no_japanese_line_of_the_bilingual_column_is_letter_spaced(spread):
    runs = spread_runs(spread)
    assert sum("WHA" in text or "COVID" in text or "quar" in text for _, _, text in runs) >= 60  # every case laid out
    assert [(gap, page, text) for gap, page, text in runs if gap > 0.255] == []
    # 19 before cjkjustify's cap (7 over 0.25 em); 14 before pullin.py, 7 after (whose next unit has no mark to give)
    assert sum(gap > 0.1 for gap, _, _ in runs) <= 7, [r for r in runs if r[0] > 0.1]


def test_a_line_may_break_after_a_note_reference_before_a_number(spread):
    """「合意した。¹2018年以降」: a column's line may end with the note's number, 2018 beginning the next."""
    assert any(re.search(r"した。\d{1,2}$", text) for _, _, text in spread_runs(spread))


def _marks(lines):
    """Every full-width mark of the Japanese column between two characters: (the room between its
    neighbours' boxes in em, how far its box overlaps the neighbour on its glyph's side in points
    (a closing mark's glyph stands in the left half of its box, an opening one's in the right), the
    three characters, the run's text)."""
    out = []
    for line in lines:
        for run in runs(line):
            for a, mark, b in zip(run, run[1:], run[2:]):
                if mark["text"] in MARKS:
                    text = "".join(c["text"] for c in run)
                    overlap = b["x0"] - mark["x1"] if mark["text"] in OPENING else mark["x0"] - a["x1"]
                    out.append(((b["x0"] - a["x1"]) / mark["size"], -overlap, a["text"] + mark["text"] + b["text"], text))
    return out


def test_a_spread_line_takes_the_next_unit_with_its_punctuation_half_width(spread):
    """追い込み: lines whose 「（」 or 「」」 is set half-width to take the next unit; every mark keeps at least
    half an em between its neighbours and its glyph clear of them, and the column's lines still end at
    the measure and obey kinsoku."""
    marks = _marks(spread)
    compressed = [m for m in marks if m[0] < 0.75]  # half an em plus the line's spacing
    assert len({text for *_, text in compressed}) >= 4, compressed
    assert any(t in "（「" for *_, (_, t, _), _ in compressed) and any(t in "）」" for *_, (_, t, _), _ in compressed)
    assert [m for m in marks if m[0] < 0.5 - 0.01 or m[1] > 0.05] == []
    edges, widest = measures(spread), widest_lines(spread)
    assert [line.text for line in full_lines(spread) if not at_measure(line, edges, widest)] == []
    assert kinsoku_breaks(spread) == []


def test_pulling_in_refuses_another_weasyprint(monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(cjkjustify.UnsupportedWeasyPrint, match="WeasyPrint 71.0 is installed"):
        pullin.install()


def test_each_line_splitting_wrapper_is_installed_once_however_often_a_layout_asks(monkeypatch):
    """Every PDF layout installs pullup and pullin; in a long-lived process (tests, `publish serve`, a
    build's workers) each must wrap WeasyPrint's line splitting once, whichever was installed last:
    re-wrapping made every layout retry every line through a growing chain of wrappers (a fixture
    book's layout went from 17 s to the 122 s layout limit in one test process)."""
    from weasyprint.layout import inline

    from publish.render import pullup

    monkeypatch.setattr(inline, "split_inline_box", inline.split_inline_box)  # restored after the test
    for _ in range(3):
        pullup.install()
        pullin.install()
    wrapper, depth = inline.split_inline_box, 0
    while (inner := next((c.cell_contents for c in wrapper.__closure__ or ()
                          if getattr(c.cell_contents, "__name__", "") == "split_inline_box"), None)) is not None:
        wrapper, depth = inner, depth + 1
    assert depth <= 2, depth  # pullin's over pullup's (over WeasyPrint's own, or none if cached deeper)
