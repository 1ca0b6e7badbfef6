"""The one CSS declaration reader (publish/cssdecl.py) and its readers: the font key's families and the
Word proof's design read the same declarations, with their selectors, in @media and @page too."""
from __future__ import annotations

from publish import cssdecl, fonts
from publish.docx.design import read_design

CSS = b"""/* font-family: Commented Out; */
html { font-family: "Noto Serif", serif; font-size: 10pt; }
@media print { h2 { font-family: 'Source Sans 3', "Comma, Family", sans-serif !important; font-size: 13pt; } }
@page :left { @top-left { font-family: Noto Sans Mono; content: "font-family: In A String"; } }
.x { color: red }
"""


def test_declarations_carry_their_selectors_through_media_and_page_rules():
    found = [(d.selectors, d.name, cssdecl.family_names(d.value)) for d in cssdecl.declarations(cssdecl.rules(CSS))
             if d.name == "font-family"]
    assert found == [(("html",), "font-family", ["Noto Serif", "serif"]),
                     (("h2",), "font-family", ["Source Sans 3", "Comma, Family", "sans-serif"]),
                     (("@page :left @top-left",), "font-family", ["Noto Sans Mono"])]


def test_the_font_key_reads_declarations_not_comments_or_strings(tmp_path):
    path = tmp_path / "print.css"
    path.write_bytes(CSS)
    assert fonts.families([path]) == {"noto serif", "serif", "source sans 3", "comma, family", "sans-serif",
                                      "noto sans mono"}


def test_the_word_design_reads_the_books_own_print_css(tmp_path):
    (tmp_path / "styles" / "css").mkdir(parents=True)
    (tmp_path / "styles" / "css" / "print.css").write_bytes(CSS)
    design = read_design(tmp_path, "en")
    assert (design.body, design.body_size, design.heading_sizes.get(2)) == ("Noto Serif", 10.0, 13.0)
