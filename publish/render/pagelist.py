"""Turn the print edition's page map into page breaks in the EPUB's XHTML, and the entries of its page list.

The page map (`page_map=`) comes from the print PDF's layout (publish.render.pdf.render_pdf):

    {"pages": [                      # one entry a PDF page; page N at index N-1
        {"id": "fukuda-note-4",      # the element id of the block holding the page's first
         "seg": "fukuda.p12",        #   character, else its data-seg (either key may be null;
                                     #   both null: the page starts no text of its own)
         "offset": 143,              # characters of that block's text set on earlier pages
         "label": "7",               # optional: the folio as printed (default: str(N))
         "text": "of the Covid"},    # optional: the page's first characters, to find the place
        ...],                        #   even if the editions count characters differently
     "source": "…"}                  # optional: the dc:source text (default: labels.print_edition)

A block's text, for `offset`: all its text with whitespace runs collapsed to one space and
stripped (`" ".join(text.split())`), leaving out the text of backlinks (role="doc-backlink": the
EPUB's ↩, the print edition's note number): they differ between editions and are not content.
Other keys (page, anchor…) are ignored.

Page N's break, `<span epub:type="pagebreak" role="doc-pagebreak" id="page-N" aria-label="LABEL"/>`,
goes right before the first non-space character at or after `offset` in that block, splitting a
text node if need be. A page with no block here (blank, or print-only) gets its break right before
the next placed page's break (or at the end of the book), and is listed in the page list all the same.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"


@dataclass
class Page:
    number: int
    label: str
    href: str  # "fukuda.xhtml#page-7"


def place_page_breaks(docs, page_map: dict) -> list[Page]:
    """Insert each page's break where the map says, in `docs` (with .name and .tree, in reading
    order); the pages for the page list, in page order."""
    where = {}
    for d in docs:
        for el in d.tree.iter(f"{{{XHTML}}}*"):
            for key in (el.get("id"), el.get("data-seg")):
                if key:
                    where.setdefault(key, (d, el))
    pages, waiting = [], []
    for number, entry in enumerate(page_map.get("pages", []), 1):
        label = str(entry.get("label") or number)
        span = etree.Element(f"{{{XHTML}}}span", {f"{{{OPS}}}type": "pagebreak", "role": "doc-pagebreak",
                                                  "id": f"page-{number}", "aria-label": label})
        keys = [k for k in (entry.get("id"), entry.get("seg")) if k]
        hit = next((where[k] for k in keys if k in where), None)
        if hit is None:
            waiting.append((number, label, span))
            continue
        d, el = hit
        insert_at(el, int(entry.get("offset") or 0), span, entry.get("text"))
        for n, lab, early in waiting:
            span.addprevious(early)
            pages.append(Page(n, lab, f"{d.name}#page-{n}"))
        waiting = []
        pages.append(Page(number, label, f"{d.name}#page-{number}"))
    if waiting:
        last = docs[-1]
        body = last.tree.getroot().find(f"{{{XHTML}}}body")
        for n, lab, early in waiting:
            body.append(early)
            pages.append(Page(n, lab, f"{last.name}#page-{n}"))
    return sorted(pages, key=lambda p: p.number)


def text_slots(el):
    """(node, "text" | "tail") for every piece of text inside `el`, in document order; the text of
    backlinks (role="doc-backlink": ↩ here, the note's number in print) does not count."""
    if el.text:
        yield el, "text"
    for child in el:
        if isinstance(child.tag, str) and child.get("role") != "doc-backlink":
            yield from text_slots(child)
        if child.tail:
            yield child, "tail"


def block_text(el) -> str:
    """A block's text as the page map counts it: whitespace collapsed and stripped, no backlinks."""
    return " ".join("".join(getattr(node, attr) for node, attr in text_slots(el)).split())


def insert_at(el, offset: int, span, hint: str | None = None) -> None:
    """Put `span` before the first non-space character at or after `offset` of block_text(el).

    With `hint` (the page's first characters), the place is the occurrence of the hint in the
    block's text nearest to `offset`, if there is one."""
    if hint and " ".join(hint.split()):
        text, hint = block_text(el).casefold(), " ".join(hint.split()).casefold()
        found = [i for i in range(len(text)) if text.startswith(hint, i)]
        if found:
            offset = min(found, key=lambda i: (abs(i - offset), i))
    at, space, started = 0, False, False  # `at`: index in block_text of the next character
    for node, attr in list(text_slots(el)):
        text = getattr(node, attr)
        for i, ch in enumerate(text):
            if ch.isspace():
                space = started
                continue
            if space:
                at, space = at + 1, False
            if at >= offset:
                if attr == "text":
                    node.text = text[:i] or None
                    node.insert(0, span)
                else:
                    node.tail = text[:i] or None
                    node.addnext(span)
                span.tail = text[i:]
                return
            at, started = at + 1, True
    el.append(span)
