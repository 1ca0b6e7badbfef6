"""Turn book.yaml's `print:` settings (trim size, paper, spine text) into diagnostics and the press geometry.

print:
  trim: letter            # the trimmed page: a name (letter, a4, a5, b5, 6x9…) or WIDTHxHEIGHT in in or mm
  paper_ppi: 444          # the paper's pages per inch: spine width = interior pages / paper_ppi
  spine_text_min_pages: 80  # fewer interior pages: the spine carries no text
  marks: true             # crop marks outside the bleed (false for print-on-demand uploads: no marks)

Defaults: US Letter (the print stylesheet's page), 444 pages per inch (KDP's white paper, 0.002252 in a
page), 80 pages (KDP: spine text only on books of more than 79 pages). Every edition's PDF is set on the
trim; the press PDF adds the bleed (BLEED_IN) and crop marks outside it.
"""
from __future__ import annotations

import re
from .diagnostics import Diagnostic, error
from .model import PrintSpec

BLEED_IN = 0.125
KEYS = ("trim", "paper_ppi", "spine_text_min_pages", "marks")
NAMED = {"letter": (8.5, 11.0), "a4": (210 / 25.4, 297 / 25.4), "a5": (148 / 25.4, 210 / 25.4),
         "b5": (176 / 25.4, 250 / 25.4), "6x9": (6.0, 9.0)}
SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(in|mm)\s*$", re.IGNORECASE)
PPI_RANGE = (200, 1000)


def trim_in(spec: PrintSpec) -> tuple:
    """(width, height) of the trimmed page in inches."""
    return trim_size(spec.trim) or NAMED["letter"]


def spine_in(spec: PrintSpec, pages: int) -> float:
    """The spine's width in inches for an interior of `pages` pages."""
    return pages / spec.paper_ppi


def spine_text(spec: PrintSpec, pages: int) -> bool:
    """Whether the spine carries text: the printer's minimum page count is reached."""
    return pages >= spec.spine_text_min_pages


def trim_size(value) -> tuple | None:
    """(width, height) in inches of a trim written as a name or WIDTHxHEIGHT with a unit, else None."""
    if not isinstance(value, str):
        return None
    named = NAMED.get(value.strip().lower().removesuffix("in"))
    if named:
        return named
    match = SIZE.match(value)
    if not match:
        return None
    scale = 1 / 25.4 if match.group(3).lower() == "mm" else 1.0
    width, height = float(match.group(1)) * scale, float(match.group(2)) * scale
    return (width, height) if 3 <= width <= 14 and 3 <= height <= 17 and width < height else None


def validate(meta: dict, lines: dict, path: str) -> list[Diagnostic]:
    if "print" not in meta:
        return []
    spec = meta["print"]

    def bad(keypath, message):
        return error(path, lines.get(keypath, lines.get(("print",), 1)), message, "print-invalid")

    if not isinstance(spec, dict):
        return [bad(("print",), "'print' is a mapping: " + ", ".join(KEYS))]
    out = [bad(("print", key), f"'print' has no setting '{key}' (it has {', '.join(KEYS)})")
           for key in spec if key not in KEYS]
    if "trim" in spec and trim_size(spec["trim"]) is None:
        out.append(bad(("print", "trim"), f"'print: trim: {spec['trim']}' is not a portrait trim size: a name "
                       f"({', '.join(NAMED)}) or WIDTHxHEIGHT in in or mm, like 6x9in or 148x210mm"))
    ppi = spec.get("paper_ppi", 444)
    if isinstance(ppi, bool) or not isinstance(ppi, int) or not PPI_RANGE[0] <= ppi <= PPI_RANGE[1]:
        out.append(bad(("print", "paper_ppi"), f"'print: paper_ppi: {ppi}' is not the paper's pages per inch: a whole number "
                       f"from {PPI_RANGE[0]} to {PPI_RANGE[1]} (444 for white paper, 400 for cream)"))
    least = spec.get("spine_text_min_pages", 80)
    if isinstance(least, bool) or not isinstance(least, int) or least < 1:
        out.append(bad(("print", "spine_text_min_pages"), f"'print: spine_text_min_pages: {least}' is not a page count "
                       "(a whole number, 1 or more)"))
    if not isinstance(spec.get("marks", True), bool):
        out.append(bad(("print", "marks"), f"'print: marks: {spec['marks']}' is true or false (crop marks outside the bleed)"))
    return out


def print_spec(meta: dict) -> PrintSpec:
    """The settings book.yaml gives (validated by `validate`), the defaults for the rest."""
    spec = meta.get("print") if isinstance(meta.get("print"), dict) else {}

    def whole(key, default):
        value = spec.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else default

    trim = spec.get("trim")
    return PrintSpec(trim=trim if trim_size(trim) else "letter", paper_ppi=whole("paper_ppi", 444),
                     spine_text_min_pages=whole("spine_text_min_pages", 80), marks=spec.get("marks") is not False)
