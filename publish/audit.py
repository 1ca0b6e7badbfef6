"""Turn a rendered page into what a reader's browser would run or fetch that the book may not ship:
scripts, event handlers, `javascript:` URLs, frames and plug-ins, remote resources.

The manuscript cannot say any of these (raw HTML and such links are refused when it is read), so
whatever is found came from a template, most likely a book's own: the diagnostic names it.
"""
from __future__ import annotations

import os
import re
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

from .urls import scheme, scheme_allowed

FORBIDDEN = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}
FOLLOWED = {"a", "area"}  # their href is followed only when the reader asks: http, https, mailto or inside the book
LOADS = {"href", "src", "srcset", "poster", "data", "background", "action", "formaction", "manifest",
         "ping"}  # fetched as the page opens (href of <link>, <image>, <use>… too)
CSS_URL = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])\s*([^'\")\s]*)", re.I)


def audit(text: str, files: tuple = ()) -> list[tuple[str, str]]:
    """(what was found, the snippet to look for in the template) for each problem in the page.
    `files`: folders a `file:` URL may load from (the PDF's document names its stylesheets so);
    a page for readers loads only relative and `data:` URLs."""
    if not text.strip():
        return []
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"))
    except (etree.ParserError, ValueError):
        return []
    found: list[tuple[str, str]] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in FORBIDDEN:
            found.append((f"a <{tag}> element", f"<{tag}"))
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append(("a <meta http-equiv=refresh>", "http-equiv"))
        if tag == "style" and (problem := _css(element.text or "", files)):
            found.append(problem)
        for name, value in element.attrib.items():
            short = name.rsplit("}", 1)[-1].lower()
            if short.startswith("on"):
                found.append((f"an event handler '{short}'", short))
            elif short == "style" and (problem := _css(value, files)):
                found.append(problem)
            elif short == "href" and tag in FOLLOWED:
                if not scheme_allowed(value):
                    found.append((f"a link to '{value}'", value))
            elif short in LOADS:
                for url in (value.split(",") if short == "srcset" else [value]):
                    url = url.strip().split(" ")[0]
                    if _remote(url, files):
                        found.append((f"'{url}', which is outside the book", url))
    return found


def _remote(url: str, files: tuple) -> bool:
    """A URL that leaves the book: a scheme other than data: (or file: inside one of `files`),
    a host, or an absolute path."""
    kind = scheme(url)
    if kind == "file":
        path = os.path.realpath(unquote(urlsplit(url.strip()).path))
        return not any(path == str(f) or path.startswith(str(f).rstrip("/") + "/") for f in files)
    return kind not in ("", "data") or (kind == "" and url.strip().startswith(("//", "/", "\\")))


def _css(text: str, files: tuple) -> tuple[str, str] | None:
    for match in CSS_URL.finditer(text):
        if _remote(match.group(1), files) or "@import" in match.group(0).lower():
            return (f"CSS that loads '{match.group(1)}'", match.group(1) or "@import")
    if "expression(" in text.lower():
        return ("a CSS expression()", "expression(")
    return None

