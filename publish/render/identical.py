"""Turn a segment's original and translated inlines into whether the translation is the original word for word.

A citation's translation is often the citation itself (an author, an English title, a URL): the
bilingual editions print such a segment once, across both columns, instead of twice side by side.
The translation's language marks (`Lang` runs the translation pipeline puts around Latin text) and
how its text runs are cut do not count; everything else does (emphasis, links, note references).
A segment that fell back to the original (untranslated) is not "identical": it is marked as missing.
"""
from __future__ import annotations

from dataclasses import fields, is_dataclass

from .. import model as m


def _flat(items):
    for item in items:
        if isinstance(item, m.Lang) and not item.fallback:
            yield from _flat(item.children)
        else:
            yield item


def _normal(items) -> tuple:
    out: list = []
    for item in _flat(items):
        if is_dataclass(item) and hasattr(item, "children"):
            item = (type(item).__name__, *((f.name, _normal(getattr(item, f.name)) if f.name == "children"
                                            else getattr(item, f.name)) for f in fields(item)))
        if isinstance(item, m.Text):
            item = item.text
        if isinstance(item, str) and out and isinstance(out[-1], str):
            out[-1] += item
        else:
            out.append(item)
    return tuple(out)


def identical(original, translated) -> bool:
    """True when the translated inlines say exactly what the original's say (a Para, a Heading or
    their contents); False when either is missing or empty."""
    original = getattr(original, "content", original)
    translated = getattr(translated, "content", translated)
    if not original or not translated:
        return False
    return _normal(original) == _normal(translated)
