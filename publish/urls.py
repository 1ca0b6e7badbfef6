"""Turn a link's URL into what a browser makes of it: its scheme, and whether a book may link there."""
from __future__ import annotations

import re

SCHEMES = ("http", "https", "mailto")  # every other scheme (javascript:, data:, file:, tel:…) is refused
_ENDS = "".join(map(chr, range(0x21)))  # C0 controls and space: a browser strips them at both ends
_INSIDE = re.compile("[\t\n\r]")  # … and removes tabs and newlines anywhere
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def scheme(url: str) -> str:
    """The URL's scheme in lower case, read as the WHATWG URL parser reads it; "" for a relative URL.

    The URL is the attribute value after HTML decoding (`&#106;` is already `j`): the renderers escape
    every `&`, so what the model holds is exactly what a browser parses."""
    found = _SCHEME.match(_INSIDE.sub("", url.strip(_ENDS)))
    return found.group(1).lower() if found else ""


def scheme_allowed(url: str) -> bool:
    """The URL has no scheme (it is relative) or one a book may link to."""
    return scheme(url) in SCHEMES + ("",)


def external(url: str) -> bool:
    """A link that may be written as it is: http:, https: or mailto:."""
    return scheme(url) in SCHEMES
