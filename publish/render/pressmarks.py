"""Turn a press PDF laid out with bleed into a press-ready one: crop marks outside the bleed on a larger
MediaBox, and the PDF/X version in the document information dictionary as well as in the XMP.

WeasyPrint 70's `marks: crop` draws its marks 4 pt long, 5 pt from the trim: inside the 0.125 in
bleed, on a MediaBox equal to the BleedBox. Here the MediaBox grows by MARGIN on every side and each
corner gets two marks in the trim's lines, from OFFSET to OFFSET + LENGTH beyond the trim, in
registration colour (all four inks), so the marks print outside the bleed as printers expect.
"""
from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Name, String

OFFSET = 12.0  # pt from the trim: past the 9 pt bleed with 3 pt to spare
LENGTH = 18.0
MARGIN = OFFSET + LENGTH + 6.0  # the MediaBox beyond the trim
WEIGHT = 0.25


def _marks(trim) -> bytes:
    x0, y0, x1, y1 = (float(v) for v in trim)
    ops = [f"q {WEIGHT} w 1 1 1 1 K 0 J"]
    for x, sign_x in ((x0, -1), (x1, 1)):
        for y, sign_y in ((y0, -1), (y1, 1)):
            ops.append(f"{x + sign_x * OFFSET:.3f} {y:.3f} m {x + sign_x * (OFFSET + LENGTH):.3f} {y:.3f} l S")
            ops.append(f"{x:.3f} {y + sign_y * OFFSET:.3f} m {x:.3f} {y + sign_y * (OFFSET + LENGTH):.3f} l S")
    ops.append("Q")
    return "\n".join(ops).encode("ascii")


def finish(data: bytes, marks: bool = True) -> bytes:
    """The press PDF with its marks outside the bleed (`marks`; else the MediaBox is the BleedBox), and
    /GTS_PDFXVersion in /Info if it is PDF/X."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            obj = page.obj
            trim = obj.get("/TrimBox")
            if trim is None or not marks:
                continue
            x0, y0, x1, y1 = (float(v) for v in trim)
            obj.MediaBox = Array([x0 - MARGIN, y0 - MARGIN, x1 + MARGIN, y1 + MARGIN])
            contents = obj.get("/Contents")
            streams = list(contents) if isinstance(contents, Array) else ([contents] if contents is not None else [])
            obj.Contents = Array([pdf.make_stream(b"q\n"), *streams, pdf.make_stream(b"\nQ\n" + _marks(trim))])
        version = _pdfx_version(pdf)
        if version:
            pdf.docinfo[Name.GTS_PDFXVersion] = String(version)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _pdfx_version(pdf: pikepdf.Pdf) -> str | None:
    """"PDF/X-4" when the XMP declares it and an output intent is present (WeasyPrint's pdf/x-4 variant)."""
    intents = pdf.Root.get("/OutputIntents")
    metadata = pdf.Root.get("/Metadata")
    if not intents or metadata is None:
        return None
    xmp = metadata.read_bytes()
    for version in (b"PDF/X-4", b"PDF/X-3", b"PDF/X-1a"):
        if b"GTS_PDFXVersion>" + version in xmp or b'GTS_PDFXVersion="' + version in xmp:
            return version.decode()
    return None
