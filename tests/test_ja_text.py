"""The flagship's Japanese translation (manuscript/ja/*.txt) read as text: the reviser's findings stay
applied and every unified term, figure and punctuation style (issue 13) stays unified."""
from __future__ import annotations

import re

import pytest

from .conftest import REPO

CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"


def _segments() -> dict[str, str]:
    """Segment id -> its Japanese text, over every parallel-text file of the flagship."""
    out = {}
    for path in sorted((REPO / "manuscript" / "ja").glob("*.txt")):
        seg = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("[") and line.endswith("]"):
                seg = line[1:-1]
            elif line.startswith("ja:") and seg:
                out[seg] = line[3:].strip()
    return out


SEGMENTS = _segments()

#: (what a reader must never meet, why): each a pattern over one segment's Japanese.
NEVER = [
    (r"米国在台湾協会", "AIT is 米国在台協会"),
    (r"WHO総会", "the WHA is 世界保健総会（WHA）"),
    (r"レジリエンス|強靱性", "resilience is 強靭性"),
    (r"価値観を共有する(?:国|民主主義)", "like-minded is 志を同じくする"),
    (r"オブザーバー参加", "observer status is オブザーバー資格 (participation: オブザーバーとしての参加)"),
    (r"[カヶケ]国", "countries are counted with か国"),
    (r"第[0-9０-９]+[はに][、" + CJK + "]", "enumeration is 第一に/第一は in kanji"),
    (r"[0-9]%", "a percentage is ％ (full width: it stands upright in a vertical edition too)"),
    (r"社長|厚生長官|退役", "Stimson's president is 所長, HHS's secretary 保健福祉長官, veterans 退職自衛官"),
    (r"[" + CJK + "）」』、。],", "no ASCII comma directly after Japanese text"),
    (r"[" + CJK + "]<?https?://", "a URL never follows a Japanese word directly (after 。 or in （） it may)"),
    (r"https?://[!-~]+[、" + CJK + "]", "a URL (with its > and a full stop) is never directly followed by a Japanese word"),
]


def test_the_translation_was_read():
    assert len(SEGMENTS) > 450 and sum(len(t) for t in SEGMENTS.values()) > 80_000


@pytest.mark.parametrize("pattern, why", NEVER, ids=[why for _, why in NEVER])
def test_unified_forms_stay_unified(pattern, why):
    found = {seg: m.group() for seg, text in SEGMENTS.items() if (m := re.search(pattern, text))}
    assert found == {}, why


def test_the_unified_forms_are_used():
    text = "\n".join(SEGMENTS.values())
    for form in ("米国在台協会", "世界保健総会（WHA）", "志を同じくする", "強靭性", "オブザーバー資格", "か国", "第一に", "％",
                 "所長兼最高経営責任者", "保健福祉長官", "退職自衛官", "「非政府間の関係」"):
        assert form in text, form


def test_headings_have_no_final_full_stop():
    headings = {seg: text for seg, text in SEGMENTS.items() if re.search(r"\.(?:h\d+|title)$", seg)}
    assert len(headings) > 20
    assert [seg for seg, text in headings.items() if text.endswith("。")] == []


def test_the_series_is_in_double_brackets_wherever_the_text_names_it():
    named = {seg: text for seg, text in SEGMENTS.items() if "次世代の視点" in text and seg != "book.series"}
    assert named and {seg for seg, text in named.items() if re.search(r"(?<!『)次世代の視点", text)} == set()


def test_notes_give_dates_in_one_style():
    """Dates in the notes' own words are 2020年5月15日; an English month is left only inside a cited English title."""
    notes = {seg: text for seg, text in SEGMENTS.items() if re.search(r"\.n\d+$", seg)}
    assert len(notes) > 100
    month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    outside_titles = {seg: m.group() for seg, text in notes.items()
                      if (m := re.search(r"(?<![\w(“\"])" + month + r" \d{1,2}, \d{4}(?![^“\"”]*[”\"])", text))}
    assert outside_titles == {}
