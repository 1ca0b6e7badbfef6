"""Turn book.yaml's `notes:` into how Word numbers and places the notes of an exported document.

chapter    each unit ends a Word section; endnotes restart at 1 in each and are printed at its end
book       one numbering through the document; a file exported alone (--split) starts at the number
           its first note has in the book (w:numStart)
footnotes  real Word footnotes (at the foot of the page), numbered as the book numbers them
"""
from __future__ import annotations

import re

SECTION_BREAK = {"t": "RawBlock", "c": ["openxml", '<w:p><w:pPr><w:sectPr><w:endnotePr><w:numRestart w:val="eachSect"/>'
                                       '</w:endnotePr><w:type w:val="nextPage"/></w:sectPr></w:pPr></w:p>']}


def restarts(units, mode: str) -> bool:
    """Do the notes start again at 1 in each unit? (`footnotes` as the book's files number them.)"""
    firsts = [u.notes[0].number for u in units if u.notes]
    return mode == "chapter" or (mode == "footnotes" and all(n == 1 for n in firsts))


def with_sections(blocks_of_units: list[list], restart: bool) -> list:
    """The units' blocks, a section break after each unit but the last when notes restart per unit."""
    out = []
    for i, blocks in enumerate(blocks_of_units):
        out += blocks
        if restart and i < len(blocks_of_units) - 1:
            out.append(SECTION_BREAK)
    return out


def number_notes(document: str, settings: str | None, kind: str, start: int, restart: bool) -> tuple[str, str | None]:
    """document.xml's last section numbers its notes from `start`, restarting per section or not; in chapter
    mode the endnotes print at the end of each section (settings.xml)."""
    props = f'<w:{kind}Pr>' + (f'<w:numStart w:val="{start}"/>' if start != 1 else "") + (
        '<w:numRestart w:val="eachSect"/>' if restart else '<w:numRestart w:val="continuous"/>') + f'</w:{kind}Pr>'
    last = document.rfind("<w:sectPr")
    if last >= 0:
        tail = re.sub(rf"<w:{kind}Pr>.*?</w:{kind}Pr>", "", document[last:], count=1, flags=re.S)
        tail = re.sub(r"(<w:sectPr[^>]*>)", r"\1" + props, tail, count=1)
        document = document[:last] + tail
    if settings is not None and restart and kind == "endnote":
        if "<w:endnotePr>" in settings:
            settings = settings.replace("<w:endnotePr>", '<w:endnotePr><w:pos w:val="sectEnd"/>', 1)
        else:  # in the schema's order: after footnotePr, before compat / docVars / rsids / what follows them
            at = min([settings.find(t) for t in ("<w:compat", "<w:docVars", "<w:rsids", "<m:mathPr", "<w:themeFontLang",
                                                 "<w:clrSchemeMapping", "<w:decimalSymbol", "</w:settings>") if t in settings])
            settings = settings[:at] + '<w:endnotePr><w:pos w:val="sectEnd"/></w:endnotePr>' + settings[at:]
    return document, settings
