"""Turn pandoc's default Word styles into the house styles, and write the template .docx authors write in.

The styles the import gives a meaning (docs/word.md): Title, Heading 1–4, Key Takeaways, Executive
Summary, Byline, Signature, Figure Caption, Figure Panel, Figure Note, Figure Source, Caption.
"""
from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from ..write import write_file

SANS = "Noto Sans"
OURS = {  # style name -> paragraph properties, run properties (WordprocessingML)
    "Key Takeaways": ('<w:pBdr><w:top w:val="single" w:sz="8" w:space="4" w:color="1F4E79"/><w:bottom w:val="single" '
                      'w:sz="8" w:space="4" w:color="1F4E79"/></w:pBdr><w:shd w:val="clear" w:color="auto" w:fill="EAF1F8"/>'
                      '<w:spacing w:before="60" w:after="60"/>', f'<w:rFonts w:ascii="{SANS}" w:hAnsi="{SANS}"/>'),
    "Executive Summary": ('<w:shd w:val="clear" w:color="auto" w:fill="EAF1F8"/>', f'<w:rFonts w:ascii="{SANS}" w:hAnsi="{SANS}"/>'),
    "Byline": ('<w:spacing w:after="240"/>', "<w:i/><w:sz w:val=\"24\"/>"),
    "Signature": ('<w:spacing w:before="240" w:after="0"/>', ""),
    "Figure Caption": ('<w:keepNext/>', "<w:b/>"),
    "Section Break": ('<w:jc w:val="center"/><w:spacing w:before="240" w:after="240"/>', ""),
    "Verse": ('<w:ind w:left="720"/><w:spacing w:after="240"/>', ""),
    "Epigraph": ('<w:ind w:left="1440"/>', "<w:i/>"),
    "Epigraph Attribution": ('<w:ind w:left="1440"/><w:jc w:val="right"/>', ""),
    "Contributor": ('<w:keepNext/><w:spacing w:before="240" w:after="60"/>', ""),
    "Figure Panel": ('<w:jc w:val="center"/>', "<w:caps/>"),
    "Figure Note": ("", '<w:sz w:val="18"/>'),
    "Figure Source": ("", '<w:i/><w:sz w:val="18"/>'),
}


def _ident(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", name)


def restyle(docx: bytes, looks: dict | None = None, numbering: tuple = ("endnote", 1, True), design=None) -> bytes:
    """The book's typefaces and sizes, a definition for each of the house's own styles, tables' First Column."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    from .notesmode import number_notes
    from .tablelook import first_columns
    kind, start, restart = numbering
    document, settings = number_notes(parts["word/document.xml"].decode(), parts["word/settings.xml"].decode()
                                      if "word/settings.xml" in parts else None, kind, start, restart)
    parts["word/document.xml"] = document.encode()
    if settings is not None:
        parts["word/settings.xml"] = settings.encode()
    for part, in_note in (("word/document.xml", False), (f"word/{kind}s.xml", True)):
        if part in parts and (looks or {}).get(in_note):
            parts[part] = first_columns(parts[part].decode(), looks[in_note]).encode()
    from .design import Design, apply
    styles = apply(parts["word/styles.xml"], design or Design()).decode()
    for name, (ppr, rpr) in OURS.items():
        styles = re.sub(rf'<w:style [^>]*w:styleId="{_ident(name)}".*?</w:style>', "", styles, flags=re.S)
        styles = styles.replace("</w:styles>", f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{_ident(name)}">'
                                f'<w:name w:val="{name}"/><w:basedOn w:val="BodyText"/><w:qFormat/>'
                                f'<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style></w:styles>')
    parts["word/styles.xml"] = styles.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _para(style: str | None, text: str) -> dict:
    para = {"t": "Para", "c": [{"t": "Str", "c": text}]}
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], [para]]} if style else para


def write_template(path: Path) -> None:
    """A .docx whose paragraphs each show, in its own style, what that style means to `publish import`."""
    from .writing import render

    blocks = [{"t": "Header", "c": [1, ["", [], []], [{"t": "Str", "c": "Chapter title (style Heading 1; or Title, then sections are Heading 1)"}]]},
              _para("Byline", "Ada Lovelace (style Byline: one author per paragraph, named as in book.yaml)"),
              _para("Key Takeaways", "Key Takeaways (style Key Takeaways: the box's heading, then its paragraphs and bullets in the same style)"),
              _para("Key Takeaways", "A takeaway."),
              {"t": "Header", "c": [2, ["", [], []], [{"t": "Str", "c": "A section (style Heading 2)"}]]},
              _para(None, "Body text (style Normal or Body Text). Notes are Word footnotes or endnotes; "
                          "text in Japanese or Chinese is marked with its language (Review › Language)."),
              _para("Figure Caption", "A chart's caption (style Figure Caption), when the chart itself is not reproduced"),
              _para("Figure Panel", "ONE PANEL OF THE CHART (style Figure Panel)"),
              _para("Figure Note", "A note on the chart (style Figure Note)"),
              _para("Figure Source", "Source: where the data come from (style Figure Source)"),
              _para("Signature", "Ada Lovelace (style Signature, under a preface: one line per row)")]
    with tempfile.TemporaryDirectory() as tmp:
        write_file(path, render(blocks, "en", tmp))
