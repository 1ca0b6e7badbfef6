"""Turn the book's print stylesheet (publish/cssdecl.py) into the fonts and sizes of the Word proof's styles.

Read: css/print.css then css/print-<lang>.css, each the book's own (styles/css/…) if it has one, else
ours; a later rule wins. Rules whose selector is `html` or `body` give the body text's family and size,
`:lang(ja)` (`zh-Hant`, `zh-Hans`) the East Asian family, `h1`…`h6` (or the list `h1, h2, …`) the headings'.
Sizes in pt or px; anything else (em, var(), calc()) is left to the defaults.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .. import cssdecl
from ..diagnostics import BookError
from ..styles import Styles

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
CJK = {"ja": "Noto Serif CJK JP", "zh-Hant": "Noto Serif CJK TC", "zh-Hans": "Noto Serif CJK SC"}


@dataclass
class Design:
    body: str = "Noto Serif"
    body_size: float = 10.5  # pt
    east_asian: str = "Noto Serif CJK JP"
    heading: str = "Noto Sans"
    heading_sizes: dict = field(default_factory=dict)  # level -> pt


def _family(tokens) -> str:
    """The first family of a font-family value ("Noto Serif", serif → Noto Serif)."""
    first = (cssdecl.family_names(tokens) or [""])[0]
    return first if first not in ("serif", "sans-serif", "monospace", "inherit") else ""


def _size(tokens) -> float | None:
    value = [t for t in tokens if t.type not in ("whitespace", "comment")]
    if len(value) == 1 and value[0].type == "dimension" and value[0].unit in ("pt", "px"):
        return float(value[0].value) * (0.75 if value[0].unit == "px" else 1)
    return None


def read_design(root, language: str) -> Design:
    design, lang = Design(), language.split("-")[0].lower()
    styles = Styles.for_book(root)
    design.east_asian = CJK.get(language, CJK["ja"])
    for name in ("css/print.css", f"css/print-{lang}.css"):
        try:
            data = styles.read(name)
        except BookError:
            continue
        for decl in cssdecl.declarations(cssdecl.rules(data)):
            if decl.name not in ("font-family", "font-size"):
                continue
            family, size = _family(decl.value), _size(decl.value)
            for sel in decl.selectors:
                if sel in ("html", "body", "html.variant-print"):
                    design.body = family or design.body if decl.name == "font-family" else design.body
                    design.body_size = size or design.body_size if decl.name == "font-size" else design.body_size
                elif sel == f":lang({language})" and decl.name == "font-family" and family:
                    design.east_asian = family
                elif re.fullmatch(r"h[1-6]", sel):
                    if decl.name == "font-family" and family:
                        design.heading = family
                    elif size:
                        design.heading_sizes[int(sel[1])] = size
    return design


def _set(rpr, tag: str, attrs: dict) -> None:
    for old in rpr.findall(f"w:{tag}", NS):
        rpr.remove(old)
    node = etree.SubElement(rpr, f"{{{W}}}{tag}")
    for key, value in attrs.items():
        node.set(f"{{{W}}}{key}", value)
    order = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "color", "sz", "szCs", "lang"]
    rpr[:] = sorted(rpr, key=lambda n: order.index(etree.QName(n).localname) if etree.QName(n).localname in order else 5)


def apply(styles_xml: bytes, design: Design) -> bytes:
    """docDefaults: the body's family and size; Title and Heading 1–6: the headings' family (and sizes)."""
    root = etree.fromstring(styles_xml, etree.XMLParser(resolve_entities=False, no_network=True))
    fonts = lambda family: {"ascii": family, "hAnsi": family, "eastAsia": design.east_asian, "cs": family}
    half = lambda pt: str(round(pt * 2))
    default = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    if default is not None:
        _set(default, "rFonts", fonts(design.body))
        _set(default, "sz", {"val": half(design.body_size)})
        _set(default, "szCs", {"val": half(design.body_size)})
    for style in root.iter(f"{{{W}}}style"):
        ident = style.get(f"{{{W}}}styleId") or ""
        level = 1 if ident == "Title" else int(ident[-1]) if re.fullmatch(r"Heading[1-6]", ident) else 0
        if not level:
            continue
        rpr = style.find("w:rPr", NS)
        if rpr is None:
            rpr = etree.SubElement(style, f"{{{W}}}rPr")
        _set(rpr, "rFonts", fonts(design.heading))
        if level in design.heading_sizes:
            _set(rpr, "sz", {"val": half(design.heading_sizes[level])})
            _set(rpr, "szCs", {"val": half(design.heading_sizes[level])})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
