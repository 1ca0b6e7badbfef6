"""Japanese set as a Japanese publisher sets it, read back from the PDFs: lines justified to the
measure between characters (publish/render/cjkjustify.py), modest Latin word spaces, kinsoku."""
from __future__ import annotations

import pytest

from publish.render import cjkjustify, jlreq, kinsoku
from publish.render.pullin import MARKS
from publish.weasy import import_weasyprint

from . import flagship as shared
from .test_ja_phrases import breaks_inside_phrases
from .jalines import (at_measure, autospace_gaps, compressible_pairs, full_em_pairs, full_lines, kinsoku_breaks,
                      lines_of, measures, widest_lines)

PARAGRAPH = ("日台関係は、日本とそのパートナーが今日直面する最も重要な課題に対して提言を行う政策論文のシリーズ"
             '<span lang="en">Views from the Next Generation</span>の第8巻です。本巻では、4人の日本人執筆者による'
             "論考が日台関係の現状を検討し、その課題と機会を探ります。日本最大の通信事業者であるNTTドコモについては、"
             '例えば以下を参照。<span lang="en">“DOCOMO to Commence Specifications.”</span>執筆者はそれぞれ、経済・'
             "安全保障協力、技術の進歩、サイバーセキュリティ上の脆弱性、ポスト\u2005COVID-19、危機への備えといった"
             "喫緊の課題に焦点を当て<sup>12</sup>ながら、日台関係の複雑さと限界を掘り下げています。")
ENGLISH = ("Each author focuses on pressing challenges such as economic and security cooperation, technological "
           "advances, cybersecurity vulnerabilities, COVID-19, and crisis preparedness, exploring the complexity "
           "and limits of the relationship between Japan and Taiwan at a time of change in the region.")


def _pdf(tmp_path, body: str, name="t.pdf"):
    weasyprint = import_weasyprint()
    cjkjustify.install()
    html = ('<html lang="ja"><body style="margin:0;width:440pt;font-family:\'Noto Serif CJK JP\';font-size:10pt;'
            f'line-height:17.5pt;text-align:justify">{body}</body></html>')
    path = tmp_path / name
    weasyprint.HTML(string=kinsoku.apply(html)).write_pdf(path)
    return lines_of(path)


def test_a_japanese_paragraph_reaches_the_measure_on_every_line_but_its_last(tmp_path):
    lines = _pdf(tmp_path, f"<p>{PARAGRAPH}</p>")
    assert len(lines) >= 6
    start = min(line.x0 for line in lines)
    for line in lines[:-1]:
        assert abs(line.x1 - (start + 440)) < 0.05, (line.x1, line.text)
    assert lines[-1].x1 < start + 400
    spaces = [gap / size for line in lines for gap, size, _ in line.latin_spaces()]
    assert spaces and max(spaces) <= 0.5


def test_a_latin_line_in_japanese_keeps_modest_word_spaces_and_english_is_untouched(tmp_path):
    lines = _pdf(tmp_path, f'<p>{ENGLISH}</p><p lang="en" style="font-family:\'Noto Serif\'">{ENGLISH}</p>')
    japanese = [line for line in lines if line.x1 - line.x0 < 445][: len(lines) // 2]
    assert all(gap / size <= 0.5 for line in japanese for gap, size, _ in line.latin_spaces())
    english = lines[len(lines) // 2:]  # lang="en": WeasyPrint's own justification, by word spaces only
    start = min(line.x0 for line in english)
    assert all(abs(line.x1 - (start + 440)) < 0.5 for line in english[:-1])


def test_the_hook_refuses_another_weasyprint(monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(cjkjustify.UnsupportedWeasyPrint, match="WeasyPrint 71.0 is installed"):
        cjkjustify.install()


def test_kinsoku_holds_across_tags():
    assert kinsoku.apply("<p>彼は<em>“foo</em>”と言った。</p>") == "<p>彼は<em>“\u2060foo</em>\u2060”と言\u2060った\u2060。</p>"


@pytest.fixture(scope="module")
def japanese_pdf(tmp_path_factory):
    out = shared.built(tmp_path_factory)  # tests/flagship.py: built once for the whole run
    return lines_of(out / "ja" / "book.pdf")


def test_the_japanese_edition_is_justified_to_the_measure(japanese_pdf):
    edges = measures(japanese_pdf)
    full = full_lines(japanese_pdf)
    widest = widest_lines(japanese_pdf)
    short = [(line.page, line.text) for line in full if not at_measure(line, edges, widest)]
    assert len(full) > 1000
    assert short == []
    body = {x for page in edges.values() for x in page}
    assert 533.2 in body and 519.2 in body  # the text block: 44 characters of 10 pt on either page


def test_no_latin_word_space_over_half_an_em(japanese_pdf):
    wide = [(line.page, words, round(gap / size, 2)) for line in japanese_pdf
            for gap, size, words in line.latin_spaces() if gap / size > 0.5]
    assert wide == []


def test_no_line_breaks_kinsoku(japanese_pdf):
    assert [(line.page, line.text) for line in kinsoku_breaks(japanese_pdf)] == []


def test_consecutive_punctuation_is_set_half_an_em_apart(japanese_pdf):
    """JLREQ 3.1.4: 」「, 、「, ）」, 。」 … leave half an em between them, not a full one."""
    assert compressible_pairs(japanese_pdf) > 50
    # Left at full em: only where the mark to set half-width is in a Chinese span (a cited title,
    # 『[「七二年體制」…]{lang=zh-Hant}』), which publish/render/jlreq.py leaves as Chinese sets it (1 of 97).
    assert len(full_em_pairs(japanese_pdf)) <= 1, full_em_pairs(japanese_pdf)


def test_pulled_in_lines_keep_every_glyph_clear(japanese_pdf):
    """追い込み (publish/render/pullin.py): a lone mark set half-width to take the next unit keeps its glyph
    clear of the characters beside it (a half-width 、 before 「COVID-19」 at a line's end was once
    drawn over the は before it: cjkjustify fitted it to the measure by its whole glyph box)."""
    from .test_bilingual_spread import _marks

    lone = [m for m in _marks(japanese_pdf) if m[0] < 0.75 and m[2][0] not in MARKS and m[2][2] not in MARKS]
    assert len(lone) >= 3  # the marks of the lines pulled in (21 on the flagship, 0 before pullin.py)
    assert [m for m in lone if m[1] > 0.5] == []


def test_japanese_and_latin_letters_and_digits_are_a_quarter_em_apart(japanese_pdf):
    gaps = autospace_gaps(japanese_pdf)
    assert len(gaps) > 500
    # a quarter em (0.25), plus the line's own inter-character justification
    assert [g for g in gaps if not 0.2 <= g[2] <= 0.4] == []


def test_marks_half_width_in_pairs_and_at_a_paragraph_start(tmp_path):
    body = "<p>「なかで、「私たち」と言った。これは「勢力）」が問題である。「「二重」」と呼んだ。</p>" * 2
    html = (f'<html lang="ja"><head><style>.halt {{ font-feature-settings: "halt" }} p {{ text-indent: 1em }}</style></head>'
            f'<body style="margin:0;width:200pt;font-family:\'Noto Serif CJK JP\';font-size:10pt">{body}</body></html>')
    weasyprint = import_weasyprint()
    weasyprint.HTML(string=kinsoku.apply(jlreq.apply(html))).write_pdf(tmp_path / "p.pdf")
    lines = lines_of(tmp_path / "p.pdf")
    assert compressible_pairs(lines) >= 10 and full_em_pairs(lines) == []
    left = min(line.x0 for line in lines if line.text[0] not in jlreq.OPENING)
    first = [line for line in lines if line.text.startswith("「な")]
    assert first and all(abs(line.x0 + 5 - (left + 10)) < 0.3 for line in first)  # the bracket's ink one em in


def test_jlreq_marks_pairs_across_inline_tags_only():
    html = '<html lang="ja"><body class="「」"><p>「あ」<em>「い」</em>、</p><p>う」</p><p>「え」。</p></body></html>'
    out = jlreq.apply(html)
    assert out == ('<html lang="ja"><body class="「」"><p><span class="halt">「</span>あ<span class="halt">」</span>'
                   '<em>「い<span class="halt">」</span></em>、</p><p>う」</p><p><span class="halt">「</span>え'
                   '<span class="halt">」</span>。</p></body></html>')
    assert jlreq.apply(html.replace('lang="ja"', 'lang="en"')) == html.replace('lang="ja"', 'lang="en"')


def test_jlreq_leaves_chinese_and_the_english_edition_alone():
    chinese = '<html lang="ja"><body><p>《臺日》「<span lang="zh-Hant">《臺日》「</span></p></body></html>'
    assert jlreq.apply(chinese).count("halt") == 2  # the Japanese paragraph's first 《 and 》「 only
    english = '<html lang="en"><body><p>See <span lang="ja">「「特定」及び」</span>.</p></body></html>'
    assert jlreq.apply(english) == english
    bilingual = english.replace('lang="en"', 'lang="en" class="variant-ua bilingual"')
    assert jlreq.apply(bilingual).count("halt") == 1


def test_no_japanese_heading_line_ends_inside_a_phrase(japanese_pdf):
    """publish/render/phrases.py: every heading of the ja edition wraps between two BudouX phrases."""
    assert breaks_inside_phrases(japanese_pdf) == []
