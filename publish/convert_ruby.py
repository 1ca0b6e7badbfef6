"""Turn a bracketed span with `ruby` (`[漢字]{ruby=かんじ}`, `[漢字]{ruby="かん じ"}`) into a model Ruby inline.

One reading (no spaces) is group ruby: it stands over the whole base. Several readings, separated by
spaces, are per-character ruby: one reading for each base character, in order; the counts must agree.
The base is plain text (characters, no markup); a base character is a character with the combining
marks and variation selectors that follow it (葛󠄀 is one character).
"""
from __future__ import annotations

import unicodedata

from . import model as m


def characters(text: str) -> list[str]:
    """The base characters of `text`: each with its combining marks and variation selectors."""
    out: list[str] = []
    for ch in text:
        joins = unicodedata.category(ch) in ("Mn", "Me") or 0xFE00 <= ord(ch) <= 0xFE0F or 0xE0100 <= ord(ch) <= 0xE01EF
        if joins and out:
            out[-1] += ch
        else:
            out.append(ch)
    return out


def ruby(conv, reading: str, lang: str | None, children) -> list:
    """The Ruby inline for the span's pandoc `children` read as `reading`; a `ruby-invalid` error (and
    the content as it is) when it cannot be one. A span that also has `lang`, or whose content is
    one language span of plain text, gives Lang(Ruby)."""
    pos = conv.here
    conv.lang_depth += bool(lang)
    content = conv.inlines(children)
    conv.lang_depth -= bool(lang)
    if lang:
        content = (m.Lang(lang, content),)
    if len(content) == 1 and isinstance(content[0], m.Lang) and not content[0].fallback:
        lang, content = content[0].lang, content[0].children
    base = "".join(item.text for item in content if isinstance(item, m.Text))
    shown = base if len(base) <= 40 else base[:40] + "…"
    if not all(isinstance(item, m.Text) for item in content):
        conv.error("ruby goes on plain text: the base of '[…]{ruby=…}' holds characters only (no emphasis, link, "
                   "note reference, code or other span inside it; put those around it)", "ruby-invalid", pos)
        return list(content)
    if not base.strip():
        conv.error("ruby has no base text: write the characters it reads, e.g. [漢字]{ruby=かんじ}", "ruby-invalid", pos)
        return list(content)
    readings = reading.split()
    if not readings:
        conv.error(f"ruby over '{shown}' has an empty reading: write its reading, e.g. [漢字]{{ruby=かんじ}}",
                   "ruby-invalid", pos)
        return list(content)
    chars = characters(base)
    if len(readings) == 1:
        made = m.Ruby(((base, readings[0]),))
    elif len(readings) == len(chars):
        made = m.Ruby(tuple(zip(chars, readings)))
    else:
        conv.error(f"ruby over '{shown}' gives {len(readings)} readings for {len(chars)} characters: write one "
                   f"reading per character, separated by spaces, or one reading without spaces for the whole "
                   f"base", "ruby-invalid", pos)
        return list(content)
    return [m.Lang(lang, (made,))] if lang else [made]
