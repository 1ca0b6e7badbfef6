"""Turn book.yaml's `layout` (an edition's writing direction) into diagnostics and the model's value.

layout   maps an edition's language (the book's own, or one of its translations) to `horizontal`
         (the default) or `vertical` (縦書き: Japanese, Chinese and Korean only):
             translations: [ja]
             layout: {ja: vertical}
         The HTML and EPUB of a vertical edition are set top to bottom, lines right to left
         (publish/render/tategaki.py, css/vertical.css); its PDF stays horizontal, because WeasyPrint
         cannot lay out vertical text, and `publish check` says so (layout-vertical-pdf).
"""
from __future__ import annotations

from .diagnostics import Diagnostic, error, warning

LAYOUTS = ("horizontal", "vertical")
VERTICAL_LANGUAGES = ("ja", "zh", "ko")  # scripts set top to bottom, lines right to left (vertical-rl)


def validate(meta: dict, lines: dict, path: str) -> list[Diagnostic]:
    """Each `layout` entry names an edition of this book and a known layout; a vertical one, a CJK
    language, and a warning that its PDF stays horizontal."""
    if "layout" not in meta:
        return []
    layout = meta["layout"]
    if not isinstance(layout, dict):
        return [error(path, lines.get(("layout",), 1), "'layout' maps an edition's language to horizontal or "
                      "vertical (layout: {ja: vertical})", "meta-invalid")]
    translations = meta.get("translations") if isinstance(meta.get("translations"), list) else []
    editions = {str(lang).casefold(): str(lang) for lang in [meta.get("language"), *translations] if isinstance(lang, str)}
    out = []
    for lang, value in layout.items():
        line = lines.get(("layout", lang), lines.get(("layout",), 1))
        if str(lang).casefold() not in editions:
            out.append(error(path, line, f"'layout' for '{lang}', which is neither the book's language nor in "
                             "'translations'", "meta-invalid"))
        elif value not in LAYOUTS:
            out.append(error(path, line, f"the layout of '{lang}' is horizontal or vertical, not {value!r}",
                             "meta-invalid"))
        elif value == "vertical" and str(lang).split("-")[0].lower() not in VERTICAL_LANGUAGES:
            out.append(error(path, line, f"'{lang}' is not written vertically: 'vertical' is for a Japanese, "
                             "Chinese or Korean edition", "meta-invalid"))
        elif value == "vertical":
            out.append(warning(path, line, f"the PDF of edition '{lang}' stays horizontal: WeasyPrint, the PDF "
                               "layout engine, cannot set vertical text (its HTML and EPUB are vertical)",
                               "layout-vertical-pdf"))
    return out


def layouts(meta: dict) -> tuple:
    """(language, layout) for each edition book.yaml sets vertical: (("ja", "vertical"),)."""
    layout = meta.get("layout")
    return tuple((str(lang).casefold(), value) for lang, value in (layout.items() if isinstance(layout, dict) else ())
                 if value == "vertical" and str(lang).split("-")[0].lower() in VERTICAL_LANGUAGES)
