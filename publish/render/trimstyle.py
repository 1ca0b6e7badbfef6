"""Turn the print edition's trim (book.yaml `print: trim`) into the geometry of the stylesheet's trim block.

The block (styles/templates/pdf/trim.html) is written after css/print.css and print-LANG.css.

css/print.css and print-en.css are designed for US Letter: on a letter page nothing is written and the
layout is theirs. On any other trim the block sets, from the trim alone:

- the margins and the measure. A Latin-script book keeps a measure of about MEASURE_CHARS characters of
  its body face (Noto Serif, EM_PER_CHAR ems a character with its word spaces: 68 characters on the letter
  page's 5.1 in at 10.5 pt). When the page is too narrow for that measure at 10.5 pt with the smallest
  margins (MIN_INNER, MIN_OUTER), the body is set smaller (down to BODY_MIN pt) so that the line keeps its
  length in characters; on a wider page the margins share the rest as on letter (a third inside). A
  Japanese (or Chinese) book keeps its character grid: a whole number of characters a line.
- the top and bottom margins, the openers' drop, the title, copyright, half-title and back-cover pages'
  heights in proportion to the page's height (the bilingual edition keeps its top and bottom margins and narrows its side margins with the page; its title and
  copyright pages are made as tall as its text block and its title's type as wide as the page allows); the running heads' size so that a long title stays on one
  line; the front cover's type and padding in proportion to the page's width (the cover spread's front
  and back are the same design).
"""
from __future__ import annotations

from .. import model as m
from .. import printspec
from ..styles import DEFAULT

LETTER = printspec.NAMED["letter"]
EM_PER_CHAR = 0.514  # Noto Serif's average character, word spaces included, in ems
MEASURE_CHARS = 64  # the measure kept on a narrow page (the letter page's median is 68)
BODY, BODY_MIN = 10.5, 9.5  # pt: the body's size on letter, and the smallest it is set on a small trim
LEADING = 15 / 10.5  # the body's line height over its size (10.5/15 pt on letter)
MIN_INNER, MIN_OUTER = 0.75, 0.6  # in: the margins a narrow page keeps (inside: the binding's gutter too)
INNER_SHARE = 1.15 / 3.4  # the inside margin's share of the two on letter (print-en.css: 1.15in + 2.25in)
LETTER_MEASURE = 5.1  # in: print-en.css's measure, kept on any page with room for it
HEAD_SIZE = 7.5  # pt: a running head of 91 characters fits the letter measure at 7.5 pt (print-en.css)
HEAD_MIN = 6.5
BILINGUAL_TOP, BILINGUAL_BOTTOM = 0.9, 1.0  # in: print.css's page margins, which css/print-bilingual.css keeps
# in: css/print-bilingual.css's side margins on letter, and the least they narrow to with a narrower page
# (6×9 in: 0.67 and 0.56 in, a Japanese column of 15 characters a line instead of 13)
BILINGUAL_INNER, BILINGUAL_OUTER = (0.95, 0.6), (0.8, 0.5)
CJK = {"ja": 10.0, "zh": 10.5}  # pt: the grid's character (print.css: html:lang(ja) 10pt)


def for_book(book: m.Book, styles, template: str) -> dict | None:
    """The trim block's geometry for this document (pdf/book.html, pdf/bilingual.html, pdf/spread.html)."""
    own = any(d != DEFAULT and (d / "css" / "print.css").is_file() for d in styles.dirs)
    return geometry(book.printing, book.language, bilingual=template == "pdf/bilingual.html", own=own)


def geometry(spec: m.PrintSpec, language: str, *, bilingual: bool = False, own: bool = False) -> dict | None:
    """The numbers the trim block is written from (inches, except sizes in points), or None on US Letter.

    `bilingual`: the two-column edition keeps its margins (css/print-bilingual.css); only the page size
    and the cover follow the trim. `own`: the book has its own css/print.css, designed by the book for
    its trim: only the page size and the cover's height are written."""
    width, height = printspec.trim_in(spec)
    if abs(width - LETTER[0]) < 0.01 and abs(height - LETTER[1]) < 0.01:
        return None
    tall, wide = height / LETTER[1], min(width / LETTER[0], 1.0)
    top, bottom = max(0.6, 0.9 * tall), max(0.65, 1.0 * tall)
    area = height - top - bottom
    out = {"width": width, "height": height, "top": top, "bottom": bottom, "tall": tall, "wide": wide,
           "area": area, "bilingual": bilingual or own, "own": own, "body": None}
    if bilingual and not own:  # its pages keep print.css's top and bottom margins: its title pages fit in those
        out.update(top=BILINGUAL_TOP, bottom=BILINGUAL_BOTTOM, area=height - BILINGUAL_TOP - BILINGUAL_BOTTOM,
                   inner=max(BILINGUAL_INNER[1], BILINGUAL_INNER[0] * wide),
                   outer=max(BILINGUAL_OUTER[1], BILINGUAL_OUTER[0] * wide))
    if bilingual or own:
        return out
    grid = CJK.get(language.split("-")[0].lower())
    if grid:  # a whole number of characters a line (ja: plus 0.4 pt each side, as print.css's 44)
        chars = int((width - MIN_INNER - MIN_OUTER) * 72 // grid)
        measure = (chars * grid - (0.8 if grid == CJK["ja"] else 0)) / 72
        inner = (width - measure) * 1.3 / 2.4  # print.css: 1.3in inside, 1.1in outside
        out.update(measure=measure, inner=inner, outer=width - measure - inner, chars=chars, head=8.0)  # print.css's running heads
        return out
    room = width - MIN_INNER - MIN_OUTER
    wanted = MEASURE_CHARS * EM_PER_CHAR * BODY / 72
    if room >= wanted:
        body, measure = BODY, min(room, LETTER_MEASURE)
        inner = max(MIN_INNER, (width - measure) * INNER_SHARE)
    else:  # the body a little smaller, the measure as many characters
        body = max(BODY_MIN, int(room * 72 / (MEASURE_CHARS * EM_PER_CHAR) * 4) / 4)
        measure, inner = room, MIN_INNER
    head = max(HEAD_MIN, round(HEAD_SIZE * min(1.0, measure / LETTER_MEASURE), 1))
    out.update(measure=measure, inner=inner, outer=width - measure - inner, head=head,
               body=body if body != BODY else None, leading=round(body * LEADING * 2) / 2,
               chars=round(measure * 72 / (EM_PER_CHAR * body)))
    return out
