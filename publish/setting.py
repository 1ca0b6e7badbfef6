"""Turn book.yaml's setting fields (`hyphenation`, `typography`, `pdf_standard`) into diagnostics and the values the renderers use.

hyphenation  the language and region whose patterns hyphenate the print edition (a BCP 47 tag with
             a region: en-US, en-GB, de-CH…). Default: en-US for a book in `en`, else the book's
             language. Only the print layout reads it; `lang` attributes and i18n keep `language`.
typography   `smart`: straight quotes, apostrophes and dashes become typographic ones in the text of
             every edition (publish/smartquotes.py); `as-written` (the default): the text as written.
pdf_standard the accessible PDF's standard: `ua-2` (the default: PDF/UA-2, a PDF 2.0 file whose links
             lead to structure elements) or `ua-1` (PDF/UA-1, PDF 1.7, for readers and checkers that
             know no PDF 2.0). The press PDF is PDF/X-4 either way.
takeaways    the one name of the book's takeaways boxes ("Key Takeaways"): a box headed otherwise is
             reported (a warning), not relabelled, as its heading is the author's text.
"""
from __future__ import annotations

from .diagnostics import Diagnostic, error, warning

TYPOGRAPHY = ("as-written", "smart")
PDF_STANDARDS = ("ua-2", "ua-1")  # the first is the default
#: A bare language's usual region, for hyphenation (the patterns differ: en_GB "Ja-pan", en_US "Japan").
DEFAULT_REGION = {"en": "en-US", "pt": "pt-BR"}


def _pyphen_name(tag: str) -> str | None:
    """The name of pyphen's patterns for exactly this language and region (no fallback), or None."""
    import pyphen

    wanted = tag.replace("-", "_").lower()
    return next((name for name in pyphen.LANGUAGES if name.lower() == wanted), None)


def validate(meta: dict, lines: dict, path: str) -> list[Diagnostic]:
    """`hyphenation` names patterns that exist and the book's language; `typography`, `pdf_standard`: known values."""
    out = []
    if "hyphenation" in meta:
        tag, line = meta["hyphenation"], lines.get(("hyphenation",), 1)
        language = str(meta.get("language") or "").split("-")[0].lower()
        if not isinstance(tag, str) or not _pyphen_name(tag):
            import pyphen

            known = sorted(n.replace("_", "-") for n in pyphen.LANGUAGES if "_" in n and n.split("_")[0].lower() == language)
            out.append(error(path, line, f"'hyphenation: {tag}' names no hyphenation patterns"
                             + (f" (for '{language}': {', '.join(known)})" if known else ""), "meta-invalid"))
        elif tag.split("-")[0].lower() != language:
            out.append(error(path, line, f"'hyphenation: {tag}' is not a variety of the book's language "
                             f"'{meta.get('language')}'", "meta-invalid"))
    if "typography" in meta and meta["typography"] not in TYPOGRAPHY:
        out.append(error(path, lines.get(("typography",), 1), f"'typography' is one of {', '.join(TYPOGRAPHY)} "
                         f"(smart: typographic quotes and dashes), not '{meta['typography']}'", "meta-invalid"))
    if "pdf_standard" in meta and meta["pdf_standard"] not in PDF_STANDARDS:
        out.append(error(path, lines.get(("pdf_standard",), 1), "'pdf_standard' is ua-2 (PDF/UA-2, the default) or ua-1 (PDF/UA-1): "
                         f"the accessible PDF's standard, not '{meta['pdf_standard']}'",
                         "meta-invalid"))
    if "takeaways" in meta and not (isinstance(meta["takeaways"], str) and meta["takeaways"].strip()):
        out.append(error(path, lines.get(("takeaways",), 1), "'takeaways' is the heading every takeaways box has "
                         "(e.g. 'Key Takeaways'): one line of text", "meta-invalid"))
    return out


def hyphenation(meta: dict) -> str:
    """The language tag whose patterns hyphenate the book (book.yaml's, or the default for its language)."""
    tag = meta.get("hyphenation")
    if isinstance(tag, str) and tag:
        return tag
    language = str(meta.get("language") or "en")
    return DEFAULT_REGION.get(language.lower(), language)


def typography(meta: dict) -> str:
    value = meta.get("typography")
    return value if value in TYPOGRAPHY else "as-written"


def pdf_standard(meta: dict) -> str:
    value = meta.get("pdf_standard")
    return value if value in PDF_STANDARDS else PDF_STANDARDS[0]
def takeaways(meta: dict) -> str:
    value = meta.get("takeaways")
    return " ".join(value.split()) if isinstance(value, str) else ""


def check_takeaways(book, root) -> list[Diagnostic]:
    """With book.yaml's `takeaways`, every takeaways box whose heading says something else (a warning)."""
    from . import model as m
    from .walk import blocks_of, plain

    if not book.takeaways:
        return []
    out = []
    for unit in book.units:
        for block in blocks_of(unit.blocks):
            if isinstance(block, m.Takeaways) and " ".join(plain(block.heading.content).split()) != book.takeaways:
                out.append(warning(block.heading.pos.path, block.heading.pos.line,
                                   f"this takeaways box is headed '{plain(block.heading.content).strip()}', but "
                                   f"book.yaml names every box '{book.takeaways}' (takeaways): give it that heading, "
                                   "or remove 'takeaways' from book.yaml if the book's boxes differ", "takeaways-name"))
    return out
