"""Lines too loose to justify, started earlier in the next layout (publish/render/loosebreaks.py):
a break joined across inline markup, and a hyphenated word kept whole at one place (ladder relief)."""
from __future__ import annotations

import pytest

from publish.render import loosebreaks, textslots

NBSP, WJ = "\u00a0", "\u2060"


def parsed(body: str, width: str = "3in"):
    import weasyprint

    from publish.render.hyphenate import HYPHEN

    return weasyprint.HTML(string=(
        f'<html lang="en-US"><style>@page {{ size: {width} 11in; margin: 0.3in }} p {{ font: 10.5pt "Noto Serif"; '
        f'hyphens: auto; text-align: justify; hyphenate-character: "{HYPHEN}" }}</style><p>{body}</p></html>'))


def lines(document) -> list:
    from weasyprint.formatting_structure import boxes

    return ["".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox))
            for line in document.pages[0]._page_box.descendants() if isinstance(line, boxes.LineBox)]


def _is(element, name: str) -> bool:
    return isinstance(element.tag, str) and element.tag.rsplit("}", 1)[-1] == name


def test_a_break_is_joined_across_emphasis_links_and_note_references():
    """The words around a break are found whatever markup sits between them, and the no-break
    space goes into the text node of the word after the gap (inside its element); a word is kept
    whole only where its context stands, not book-wide."""
    html = parsed(f'It was the <em>Stimson</em> Center{WJ}<sup><a href="#n1">12</a></sup> that '
                  '<a href="#r">published the report</a> on cooperation, and cooperation grew.')
    root = html.etree_element
    before = textslots.text(root)
    breaks = {("join", ("was", "the", "Stimson"), f"Center{WJ}12"),
              ("join", (f"Center{WJ}12", "that"), "published"),
              ("whole", ("report", "on"), "coop", "eration"),
              ("join", ("not", "in", "the"), "text")}
    assert loosebreaks.glue(root, breaks) == 3
    after = textslots.text(root)
    assert after == before.replace("Stimson Center", f"Stimson{NBSP}Center").replace(
        "that published", f"that{NBSP}published").replace("on cooperation,", f"on cooperation{WJ},")
    em = next(e for e in root.iter() if _is(e, "em"))
    link = next(e for e in root.iter() if _is(e, "a") and e.get("href") == "#r")
    assert em.tail.startswith(f"{NBSP}Center") and link.text.startswith(f"{NBSP}published")
    assert link.tail == f" on cooperation{WJ}, and cooperation grew."  # kept whole there, not after


def test_a_no_break_space_before_an_element_does_not_break_the_line_early():
    """WeasyPrint 70 breaks a line at the first break of a text ending in a no-break space before
    an element ("Infrastructure" alone on its line); the joiner inside the element does not."""
    html = parsed('Infrastructure Agency and the <a href="#x">Interoperability</a> Council of the Netherlands')
    loosebreaks.glue(html.etree_element, {("join", ("Agency", "and", "the"), "Interoperability")})
    assert lines(html.render()) == ["Infrastructure Agency and", f"the{NBSP}Interoperability Council of",
                                    "the Netherlands"]


def test_joins_in_a_chain_never_make_a_run_no_line_can_hold():
    html = parsed("the implementation of the International Health Regulations and health cooperation in Asia")
    root = html.etree_element
    chain = {("join", ("of", "the"), "International"), ("join", ("the", "International"), "Health"),
             ("join", ("International",), "Health"), ("join", ("Health",), "Regulations"),
             ("join", ("Regulations",), "and")}
    loosebreaks.glue(root, chain)
    runs = textslots.text(root).split(" ")
    assert max(len(run) for run in runs) <= loosebreaks.LONGEST
    assert any(NBSP in run for run in runs)


@pytest.fixture
def ladder_bound():
    """A narrow paragraph of long words: a line whose two lines before end hyphenated (so its next
    word may not be hyphenated) is too loose to justify."""
    from publish.render import cjkjustify, pullup

    cjkjustify.install()
    pullup.install()
    return ("The governments of both countries considered the internationalisation of telecommunications "
            "responsibilities and the institutionalisation of cooperation in the Philippines, while the "
            "administrations characteristically underestimated the incomprehensibility of counterrevolutionary "
            "overgeneralisation in Switzerland, Singapore and Australia.")


def test_a_ladder_bound_line_is_relieved_by_keeping_one_hyphenated_word_whole(ladder_bound):
    """The next layout keeps one word of the ladder above whole, at that one place: the loose line
    is gone, the word is set whole, and no run of three hyphenated lines appears."""
    from publish.render.hyphenate import HYPHEN, house_rules

    def laid_out(edits):
        html = parsed(ladder_bound, "4in")
        loosebreaks.glue(html.etree_element, edits)
        with house_rules("en-US", set()):
            document = html.render()
        return document, lines(document)

    first, before = laid_out(set())
    bound = next(i for i, text in enumerate(before) if i >= 2 and text.startswith("sibility"))
    assert before[bound - 2].endswith(HYPHEN) and before[bound - 1].endswith(HYPHEN)
    ladder = ("whole", ("while", "the", "administrations"), "charac", "teristically")  # two lines above
    assert ladder in loosebreaks.unfilled_breaks(first)[0]  # its line has more spaces to take the width
    second, after = laid_out({ladder})
    assert not any(text.startswith("sibility") for text in after)  # the ladder-bound line is gone
    assert any("characteristically" in text for text in after)
    runs, run = [], 0
    for text in after:
        run = run + 1 if text.endswith(HYPHEN) else 0
        runs.append(run)
    assert max(runs) <= 2
    assert not any(getattr(line, "unfilled", False) and "incomprehensibility" in text
                   for line, text in zip(_lineboxes(second), after))


def _lineboxes(document):
    from weasyprint.formatting_structure import boxes

    return [line for line in document.pages[0]._page_box.descendants() if isinstance(line, boxes.LineBox)]


def test_a_word_joiner_after_a_word_keeps_it_whole_there():
    import pyphen

    from publish.render.hyphenate import KEEP, house_rules

    with house_rules("en-US", set()):
        patterns = pyphen.Pyphen(lang="en_US")
        assert patterns.positions("cooperation") and patterns.positions(f"cooperation{KEEP}") == []


def test_a_line_ending_in_a_kept_word_reaches_the_measure_and_no_further(tmp_path):
    """latinjustify fits a line's last glyph to the measure as drawn: a word joiner after the last
    word (hyphenate.KEEP) is not that glyph (it was, and the line ran 0.5 pt past the measure)."""
    import pdfplumber
    import weasyprint

    from publish.render import cjkjustify
    from publish.render.hyphenate import KEEP, house_rules

    cjkjustify.install()
    words = ("The governments considered the internationalisation of telecommunications and the "
             "institutionalisation of cooperation, while administrations underestimated the "
             "incomprehensibility of overgeneralisation in several regional frameworks. ") * 4
    text = " ".join(word + KEEP for word in words.split())
    html = parsed(text, "4.72in")
    with house_rules("en-US", set()):
        html.write_pdf(tmp_path / "kept.pdf")
    right = (4.72 - 0.3) * 72 - 6  # the page margin and the body's 8 px
    with pdfplumber.open(tmp_path / "kept.pdf") as pdf:
        ends = [max(c["x1"] for c in line["chars"] if c["text"].strip())
                for line in pdf.pages[0].extract_text_lines(return_chars=True)]
    assert len(ends) > 8 and max(ends) <= right + 0.1
    assert sum(abs(end - right) < 0.1 for end in ends) >= len(ends) - 1  # justified: every line but the last
