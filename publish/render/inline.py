"""Turn model inlines into escaped HTML markup (shared by every edition)."""
from __future__ import annotations

import math
import unicodedata
from typing import Callable

from markupsafe import Markup, escape

from .. import model as m
from ..urls import external
from .tategaki import tcy
from ..walk import plain  # noqa: F401  (re-exported: the renderers import it from here)

TAGS = {"emph": "em", "strong": "strong", "sup": "sup", "sub": "sub", "strike": "s"}


def note_id(unit: str, number: int) -> str:
    return f"{unit}-note-{number}"


def ref_id(unit: str, number: int, occurrence: int = 1) -> str:
    return f"{unit}-ref-{number}" + (f"-{occurrence}" if occurrence > 1 else "")


def ruby_html(ruby: m.Ruby, split: bool = False) -> Markup:
    """`<ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp>字<rp>(</rp><rt>じ</rt><rp>)</rp></ruby>`: the HTML ruby model,
    read by screen readers as the base, then its reading, once (rp shows the reading in parentheses
    where ruby is not laid out, and is hidden where it is). `split` (print): one <ruby> for each
    base and reading, with a class `ruby-wN` that widens a base narrower than its reading by N
    quarter ems (WeasyPrint has no ruby layout: css/print.css sets the reading above its base)."""
    pair = Markup("%s<rp>(</rp><rt>%s</rt><rp>)</rp>")
    if not split:
        return Markup("<ruby>%s</ruby>") % Markup("").join(pair % (base, reading) for base, reading in ruby.pairs)
    out = []
    for base, reading in ruby.pairs:
        wider = _ems(reading) / 2 - _ems(base)  # the reading is set at half the base's size
        steps = min(16, math.ceil(wider * 4 - 1e-9)) if wider > 0 else 0
        out.append((Markup('<ruby class="ruby-w%d">' % steps) if steps else Markup("<ruby>"))
                   + pair % (base, reading) + Markup("</ruby>"))
    return Markup("").join(out)


def _ems(text: str) -> float:
    """The width of `text` in ems, as a typesetter estimates it: full width 1, anything else 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text
               if not unicodedata.combining(ch) and not 0xFE00 <= ord(ch) <= 0xFE0F and ord(ch) < 0xE0100)


class InlineRenderer:
    """`href(id)` maps an element id to the URL that reaches it (a page and a fragment)."""

    def __init__(self, href: Callable[[str], str], labels: dict, epub: bool = False, id_suffix: str = "",
                 abbreviations: dict | None = None, print_ruby: bool = False, vertical: bool = False):
        self.href, self.labels, self.epub = href, labels, epub
        self.abbreviations = abbreviations or {}  # abbreviation -> its expansion, as plain text (<abbr title>)
        self.id_suffix = id_suffix  # a second language on the same page: its references need ids of their own
        self.print_ruby = print_ruby  # the print edition: one <ruby> a base, sized for its reading (css/print.css)
        self.text = tcy if vertical else escape  # a vertical edition: short digit runs set upright (tategaki.py)

    def __call__(self, items) -> Markup:
        return Markup("").join(self.one(item) for item in items)

    def one(self, item) -> Markup:
        if isinstance(item, m.Text):
            return self.text(item.text)
        if isinstance(item, m.Styled):
            if item.style == "smallcaps":
                return Markup('<span class="smallcaps">%s</span>') % self(item.children)
            tag = TAGS[item.style]
            return Markup(f"<{tag}>%s</{tag}>") % self(item.children)
        if isinstance(item, m.Code):
            return Markup("<code>%s</code>") % item.text
        if isinstance(item, m.Link):
            if item.url.startswith("#"):
                url = self.href(item.url[1:])
            elif external(item.url):
                url = item.url
            else:  # `publish check` refuses it (link-scheme, link-broken): only a bypassed check gets here
                raise ValueError(f"refusing to write a link to {item.url!r}: not http:, https:, mailto: or #id")
            return Markup('<a href="%s">%s</a>') % (url, self(item.children))
        if isinstance(item, m.Lang):
            attr = 'lang="%s" xml:lang="%s"' if self.epub else 'lang="%s"'
            if item.fallback:
                attr += ' class="untranslated" title="%s"'
                values = (item.lang,) * (2 if self.epub else 1) + (self.labels.get("untranslated", ""),)
            else:
                values = (item.lang,) * (2 if self.epub else 1)
            return Markup(f"<span {attr}>%s</span>") % (values + (self(item.children),))
        if isinstance(item, m.Ruby):
            return ruby_html(item, self.print_ruby)
        if isinstance(item, m.NoteRef):
            epub_type = ' epub:type="noteref"' if self.epub else ""
            label = self.labels["note_ref"].format(number=item.number)
            return Markup(
                '<sup><a class="noteref" href="%s" id="%s" role="doc-noteref"%s aria-label="%s">%s</a></sup>'
            ) % (self.href(note_id(item.unit, item.number)), ref_id(item.unit, item.number, item.occurrence) + self.id_suffix,
                 Markup(epub_type), label, item.number)
        if isinstance(item, m.Abbr):
            if title := self.abbreviations.get(item.abbr):
                return Markup('<abbr title="%s">%s</abbr>') % (title, self(item.children))
            return Markup("<abbr>%s</abbr>") % self(item.children)
        if isinstance(item, m.Break):
            return Markup("<br/>" if self.epub else "<br>")
        raise TypeError(f"unknown inline {item!r}")  # the converter admits no other kind
