"""Turn a note reference glued to the number or Latin word after it into one a line may break after.

In Japanese a note reference often stands between a sentence's 。 and the next sentence's first
character, with no space: 「合意した。²³2018年以降」. Its number and a following digit or Latin letter
make one unbreakable run for the line breaker (UAX #14: NU × NU, NU × AL), so 「た。²³2018年」 (or
「²³COVID-19」) goes to the next line whole, and a narrow column's line before it is spread between its
characters to reach the measure. A ZERO WIDTH SPACE after the reference lets the line break there,
as it may after any note reference in Japanese (the reference itself never begins a line: the print
renderer glues it to the character before it).
"""
from __future__ import annotations

import re

ZWSP = "\u200b"
_AFTER_REF = re.compile(r'(<sup><a class="noteref"[^>]*>[^<]*</a></sup>)(?=[0-9A-Za-z])')


def apply(html: str) -> str:
    """The document with a break opportunity after every note reference that a digit or a Latin letter follows."""
    return _AFTER_REF.sub(lambda m: m.group(1) + ZWSP, html)
