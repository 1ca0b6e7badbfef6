"""Turn the tagged PDF's /Div of a chart that is not reproduced into a /Figure whose /Alt is its text.

A figure whose chart the source does not contain is drawn from text (blocks.html, `figure-chart`):
its panels' frames and titles and the statement that the chart is not reproduced, which HTML and
EPUB mark `role="img"` with that text as its label. WeasyPrint 70 tags only `<img>` and `<svg>`
/Figure, so the `<div>` is a /Div; here every /Div that is a sibling of a /Caption (a `<figure>`'s
`<figcaption>`: an image figure's image is already a /Figure) becomes a /Figure, with /Alt its
paragraphs' text ("MAJOR SOCIAL MEDIA APPLICATION USAGE. TEXT-BASED … The chart is not reproduced
here: …"). The caption, the note and the source stay text around the /Figure, as with an image.
"""
from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from . import pdflang  # which calls tag_text_figures: its helpers are read when it runs


def _kids(elem) -> list:
    kids = elem.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _elem(kid) -> bool:
    return isinstance(kid, Dictionary) and "/S" in kid and kid.get("/Type", Name.StructElem) == Name.StructElem


def tag_text_figures(pdf: pikepdf.Pdf) -> int:
    """Retag every chart drawn from text (see the module docstring); returns how many."""
    pages: dict = {}
    changed = 0
    for parent in list(pdflang.iter_struct(pdf.Root.StructTreeRoot)):
        kids = [k for k in _kids(parent) if _elem(k)]
        if not any(k.S == Name.Caption for k in kids):
            continue
        for div in (k for k in kids if k.S == Name.Div and "/Pg" in k):
            key = div.Pg.objgen
            if key not in pages:
                pages[key] = pdflang.mcid_texts(pdf, pikepdf.Page(div.Pg))
            paragraphs = [_text(p, pages[key]) for p in pdflang.iter_struct(div) if p.S == Name.P]
            alt = " ".join(t if t.endswith((".", ":", "。", "?", "!")) else t + "." for t in paragraphs if t)
            if not alt:
                continue
            div.S = Name.Figure
            div.Alt = String(alt)
            changed += 1
    return changed


def _text(elem, texts: dict) -> str:
    """A paragraph's text, its lines (one marked-content run each, or more) joined by spaces."""
    runs = [texts.get(mcid, "") for mcid in pdflang.element_mcids(elem)]
    return " ".join(" ".join(runs).replace("\u2010 ", "").split())
