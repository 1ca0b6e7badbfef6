"""Turn a vertical edition's (縦書き) text and package into what vertical reading needs: tate-chū-yoko
spans around short digit runs, its stylesheet, and the EPUB spine read right to left."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

#: The stylesheet a vertical edition adds to its HTML and EPUB (the PDF stays horizontal), and the
#: HTML site's page geometry.
CSS = "css/vertical.css"
SITE_CSS = (CSS, "css/vertical-screen.css")
#: One or two half-width digits standing alone (not inside a longer number, a Latin word, 1.5 or 3/4):
#: set upright across the line, as one character (tate-chū-yoko). Longer numbers lie on their side.
SHORT_DIGITS = re.compile(r"(?<![0-9A-Za-z.,:/\-])[0-9]{1,2}(?![0-9A-Za-z]|[.,:/][0-9])")
QUARTER = "\u2005"  # the Japanese–Latin space (publish/i18n/translate.py AUTOSPACE)
OPF = "{http://www.idpf.org/2007/opf}"
#: EPUB 3 rendition properties of a reflowable vertical book (as the Japanese EPUB guides give them).
RENDITION = (("rendition:layout", "reflowable"), ("rendition:orientation", "auto"), ("rendition:spread", "auto"))


def tcy(text: str) -> Markup:
    """`text` escaped, each run of one or two digits in `<span class="tcy">`. An upright run stands in one
    character's space like a kanji, so the quarter-em Japanese–Latin spaces (U+2005) either side of it
    (a translation's "第\u20053\u2005章", the date label's "2024\u2005年\u20055\u2005月") are dropped."""
    out, at = [], 0
    for match in SHORT_DIGITS.finditer(text):
        start = match.start() - 1 if text[max(at, match.start() - 1):match.start()] == QUARTER else match.start()
        out += [escape(text[at:start]), Markup('<span class="tcy">%s</span>') % match.group()]
        at = match.end() + 1 if text[match.end():match.end() + 1] == QUARTER else match.end()
    return Markup("").join(out + [escape(text[at:])])


def vertical_opf(root) -> None:
    """The package of a vertical book: its pages turn right to left."""
    root.find(f"{OPF}spine").set("page-progression-direction", "rtl")
