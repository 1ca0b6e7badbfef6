"""Turn an original Book and its translation into the bilingual HTML edition: segment beside segment.

The two books have the same structure (a translation replaces text, never blocks), so the
templates walk them in step. Ids live on the original's side; the translation's endnote
references carry an id suffix so that every backlink returns to the reference in its own language.
"""
from __future__ import annotations

from .. import model as m
from ..notes import at_chapter_ends
from ..styles import Styles
from .html import environment, site_href
from . import jlreq, phrases
from .credits import names
from .identical import identical
from .inline import InlineRenderer
from .switch import SWITCH_JS, SWITCH_SOURCE, with_switch

CSS = ("css/screen.css", "css/bilingual.css")


def render_bilingual_site(original: m.Book, translated: m.Book, styles: Styles, labels: dict,
                          labels_tr: dict, joined: dict | None = None) -> dict[str, bytes]:
    original, translated = at_chapter_ends(original), at_chapter_ends(translated)
    href = site_href(original)
    env = environment(original, styles, labels, href)
    suffix = f"-{translated.language}"
    env.filters["inlines_tr"] = InlineRenderer(href, labels_tr, id_suffix=suffix)
    env.filters["same"] = identical  # a translation that is the original word for word: printed once
    env.globals.update(tr=translated, labels_tr=labels_tr, suffix=suffix, zip=zip, joined=joined,
                       names_tr=lambda people: names(people, labels_tr))
    files = {"index.html": styles.render(env, "bilingual/index.html", css=CSS)}
    pairs = list(zip(original.units, translated.units))
    for i, (unit, unit_tr) in enumerate(pairs):
        files[f"{unit.slug}.html"] = styles.render(
            env, "bilingual/unit.html", unit=unit, unit_tr=unit_tr, css=CSS,
            previous=pairs[i - 1] if i else None, next=pairs[i + 1] if i + 1 < len(pairs) else None)
    out = {path: with_switch(phrases.apply(jlreq.apply(text, bilingual=True))).encode("utf-8") for path, text in files.items()}
    for path in CSS:
        out[path] = styles.read(path)
    out[SWITCH_JS] = SWITCH_SOURCE
    return out
