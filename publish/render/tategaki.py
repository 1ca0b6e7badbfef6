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
OPF = "{http://www.idpf.org/2007/opf}"
#: EPUB 3 rendition properties of a reflowable vertical book (as the Japanese EPUB guides give them).
RENDITION = (("rendition:layout", "reflowable"), ("rendition:orientation", "auto"), ("rendition:spread", "auto"))


def tcy(text: str) -> Markup:
    """`text` escaped, each run of one or two digits in `<span class="tcy">`."""
    out, at = [], 0
    for match in SHORT_DIGITS.finditer(text):
        out += [escape(text[at:match.start()]), Markup('<span class="tcy">%s</span>') % match.group()]
        at = match.end()
    return Markup("").join(out + [escape(text[at:])])


def vertical_opf(root) -> None:
    """The package of a vertical book: its pages turn right to left."""
    root.find(f"{OPF}spine").set("page-progression-direction", "rtl")
