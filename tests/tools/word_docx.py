"""Turn a list of paragraphs into a .docx structured as Word writes one (Word's style ids, w:lang, notes, comments).

Written by hand (zipfile + XML text), not by the project's exporter, so `publish import` is tested on a
document it did not make. `paragraphs` are (style id or None, runs); a run is a string, or a dict with
keys text, i, b, lang (w:val), east (w:eastAsia), note (footnote text), ins/del (author), comment (text).
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
STYLES = {"Normal": "Normal", "Title": "Title", "Heading1": "heading 1", "Heading2": "heading 2",
          "KeyTakeaways": "Key Takeaways", "Byline": "Byline", "Signature": "Signature", "Fancy": "Fancy Box",
          "ListParagraph": "List Paragraph", "FootnoteText": "footnote text", "FootnoteReference": "footnote reference"}


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def run_xml(run, notes, comments) -> str:
    if isinstance(run, str):
        run = {"text": run}
    if "image" in run:
        return (f'<w:r><w:drawing><wp:inline><wp:extent cx="95250" cy="95250"/><wp:docPr id="1" name="Picture 1"'
                f' descr="{escape(run["image"])}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
                '<pic:pic><pic:nvPicPr><pic:cNvPr id="0" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
                '<a:blip r:embed="rIdImg"/></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="95250" cy="95250"/>'
                '</a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    props = "".join(f"<w:{k}/>" for k in ("i", "b") if run.get(k))
    if run.get("lang") or run.get("east"):
        props += "<w:lang" + (f' w:val="{run["lang"]}"' if run.get("lang") else "") + (
            f' w:eastAsia="{run["east"]}"' if run.get("east") else "") + "/>"
    tag = "w:delText" if run.get("del") else "w:t"
    xml = f'<w:r><w:rPr>{props}</w:rPr><{tag} xml:space="preserve">{escape(run["text"])}</{tag}></w:r>'
    if "note" in run:
        notes.append(run["note"])
        xml += f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="{len(notes)}"/></w:r>'
    if run.get("ins"):
        xml = f'<w:ins w:id="90" w:author="{run["ins"]}" w:date="2024-05-01T10:00:00Z">{xml}</w:ins>'
    if run.get("del"):
        xml = f'<w:del w:id="91" w:author="{run["del"]}" w:date="2024-05-01T10:00:00Z">{xml}</w:del>'
    if "comment" in run:
        n = len(comments)
        comments.append((run.get("author", "Reviewer"), run["comment"]))
        xml = (f'<w:commentRangeStart w:id="{n}"/>{xml}<w:commentRangeEnd w:id="{n}"/>'
               f'<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="{n}"/></w:r>')
    return xml


def word_docx(paragraphs) -> bytes:
    notes, comments, body = [], [], []
    for style, runs in paragraphs:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        if style and style.endswith("*"):  # a bulleted paragraph in that style
            style = style.rstrip("*")
            ppr = f'<w:pPr><w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        body.append(f"<w:p>{ppr}{''.join(run_xml(r, notes, comments) for r in runs)}</w:p>")
    styles = "".join(f'<w:style w:type="{"character" if i == "FootnoteReference" else "paragraph"}" w:styleId="{i}">'
                     f'<w:name w:val="{n}"/></w:style>' for i, n in STYLES.items())
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/_rels/document.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rIdImg" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{"".join(body)}<w:sectPr/></w:body></w:document>',
        "word/styles.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {W}><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-US" w:eastAsia="ja-JP"/></w:rPr></w:rPrDefault></w:docDefaults>{styles}</w:styles>',
        "word/footnotes.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        + "".join(f'<w:footnote w:id="{n}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {escape(t)}</w:t></w:r></w:p></w:footnote>' for n, t in enumerate(notes, 1)) + "</w:footnotes>",
        "word/comments.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments {W}>'
        + "".join(f'<w:comment w:id="{n}" w:author="{escape(a)}" w:initials="R"><w:p><w:r><w:t>{escape(t)}</w:t></w:r></w:p></w:comment>' for n, (a, t) in enumerate(comments)) + "</w:comments>",
        "word/numbering.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {W}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
        z.writestr("word/media/image1.png", _png())
    return out.getvalue()


CHAPTER = [
    ("Title", ["On Engines"]),
    ("Byline", ["By Alan Turing"]),
    ("KeyTakeaways", ["Key Takeaways"]),
    ("KeyTakeaways*", ["Engines compute."]),
    ("Heading1", ["A Section"]),
    (None, ["Engines compute", {"text": "", "note": "Menabrea, Luigi. Sketch of the Analytical Engine. 1842."},
            " and the name ", {"text": "蔡英文", "east": "zh-TW"}, " is Chinese; ", {"text": "whole", "i": True},
            " numbers, ", {"text": "夏目漱石", "east": "ja-JP"}, "."]),
    (None, [{"image": "A small red square"}]),
]
