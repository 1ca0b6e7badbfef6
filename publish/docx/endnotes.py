"""Turn the footnotes pandoc's docx writer makes into real Word endnotes (the notes at the end, as in the book)."""
from __future__ import annotations

import io
import re
import zipfile

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml."


def as_endnotes(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    if "word/footnotes.xml" not in parts:
        return docx
    rename = lambda text: re.sub(r"(</?w:)footnote(s?|Ref|Reference)\b", r"\1endnote\2", text)
    notes = rename(parts.pop("word/footnotes.xml").decode())
    parts["word/endnotes.xml"] = notes.encode()
    parts["word/document.xml"] = rename(parts["word/document.xml"].decode()).replace(
        "<w:footnotePr>", "<w:endnotePr>").replace("</w:footnotePr>", "</w:endnotePr>").encode()
    if "word/_rels/footnotes.xml.rels" in parts:
        parts["word/_rels/endnotes.xml.rels"] = parts.pop("word/_rels/footnotes.xml.rels")
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(REL + "footnotes", REL + "endnotes").replace(
        'Target="footnotes.xml"', 'Target="endnotes.xml"').encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace("/word/footnotes.xml", "/word/endnotes.xml").replace(
        TYPE + "footnotes+xml", TYPE + "endnotes+xml").encode()
    if "word/settings.xml" in parts:
        settings = parts["word/settings.xml"].decode()
        parts["word/settings.xml"] = rename(settings).replace("<w:footnotePr>", "<w:endnotePr>").replace(
            "</w:footnotePr>", "</w:endnotePr>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
