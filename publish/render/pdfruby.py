"""Turn the structure elements WeasyPrint gives `<ruby>` into PDF ruby structure: Ruby > RB, RT.

WeasyPrint 70 knows no ruby: a `<ruby>` (one base and its reading in the print edition, see
publish/render/inline.py) becomes a /NonStruct holding the base's /Span elements and, last, a
/NonStruct for the `<rt>` (`<rp>` is not displayed in print, so it makes none). A screen reader
reads that as the base, then the reading, but cannot tell one from the other. PDF 1.7 (14.8.4.3.4)
has the words for it: /Ruby holding one /RB (the base) and one /RT (the reading). So each is
renamed, and the base's elements are wrapped in a new /RB; the marked content and the parent
tree do not change (they point at the /Span elements, which stay).

The renderer hands us, per page, every laid-out ruby in tree order, [(base, reading)]; each is
matched to the next /NonStruct of that page whose text is base + reading and whose last child is a
/NonStruct with the reading. A ruby that finds no element raises RubyMappingError.
"""
from __future__ import annotations

import io
from collections import defaultdict

import pikepdf
from pikepdf import Array, Dictionary, Name

from .pdflang import _norm, element_text, iter_struct, mcid_texts


class RubyMappingError(RuntimeError):
    pass


def laid_out(document) -> list:
    """Per page, every `<ruby>` box in tree order: [(base text, reading text)]."""
    from weasyprint.formatting_structure import boxes

    def text(box, skip_rt: bool) -> str:
        box = getattr(box, "_box", box)  # an absolutely positioned <rt> sits in a placeholder
        if skip_rt and box.element_tag == "rt":
            return ""
        if isinstance(box, boxes.TextBox):
            return box.text
        return "".join(text(child, skip_rt) for child in getattr(box, "children", ()))

    def walk(box, out):
        box = getattr(box, "_box", box)
        if isinstance(box, boxes.MarginBox):
            return
        if box.element_tag == "ruby" and isinstance(box, boxes.InlineBlockBox):
            reading = "".join(text(child, False) for child in _descendants(box) if child.element_tag == "rt")
            out.append((text(box, True), reading))
            return
        for child in getattr(box, "children", ()):
            walk(child, out)

    pages = []
    for page in document.pages:
        out: list = []
        walk(page._page_box, out)
        pages.append(out)
    return pages


def _descendants(box):
    for child in getattr(box, "children", ()):
        child = getattr(child, "_box", child)
        if child.element_tag == "rt":
            yield child
        else:
            yield from _descendants(child)


def tag_ruby(raw: bytes, rubies: list) -> bytes:
    """The PDF with every laid-out ruby tagged Ruby > RB, RT (`rubies`: from `laid_out`)."""
    if not any(rubies):
        return raw
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        retag(pdf, rubies)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def retag(pdf: pikepdf.Pdf, rubies: list) -> int:
    """Rename and wrap the structure elements of every ruby; the number of rubies tagged."""
    page_index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    candidates = defaultdict(list)  # page index -> [/NonStruct holding elements], in structure order
    for elem in iter_struct(pdf.Root.StructTreeRoot):
        if elem.get("/S") == "/NonStruct" and "/Pg" in elem and len(_kids(elem)) >= 2 and _only_elements(elem):
            candidates[page_index[elem.Pg.objgen]].append(elem)
    done, missing = 0, []
    for index, items in enumerate(rubies):
        if not items:
            continue
        texts = mcid_texts(pdf, pdf.pages[index])
        elems, at = candidates.get(index, []), 0
        for base, reading in items:
            found = None
            for j in range(at, len(elems)):
                kids = _kids(elems[j])
                last = kids[-1]
                if (last.get("/S") == "/NonStruct" and _norm(element_text(last, texts)) == _norm(reading)
                        and _norm(element_text(elems[j], texts)) == _norm(base + reading)):
                    found = j
                    break
            if found is None:
                missing.append(f"page {index + 1}: {base!r} ({reading!r})")
                continue
            at = found + 1
            _restructure(pdf, elems[found])
            done += 1
    if missing:
        raise RubyMappingError("no structure element found for the ruby: " + "; ".join(missing))
    return done


def _kids(elem) -> list:
    kids = elem.get("/K")
    kids = list(kids) if isinstance(kids, Array) else [kids] if kids is not None else []
    return [k for k in kids if isinstance(k, Dictionary) and "/S" in k]


def _only_elements(elem) -> bool:
    kids = elem.get("/K")
    return len(_kids(elem)) == (len(kids) if isinstance(kids, Array) else 1)


def _restructure(pdf: pikepdf.Pdf, ruby) -> None:
    kids = _kids(ruby)
    base, rt = kids[:-1], kids[-1]
    rb = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/RB"), K=Array(base), P=ruby, Pg=ruby.Pg))
    for kid in base:
        kid.P = rb
    rt.S = Name("/RT")
    ruby.S = Name("/Ruby")
    ruby.K = Array([rb, rt])
