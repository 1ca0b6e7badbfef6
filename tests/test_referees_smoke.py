"""Smoke tests: each referee fails on a small bad input and passes on a small good one."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from publish.referees import ROOT, Finding, RefereeUnavailable, ace, axe, epubcheck, verapdf, vnu


#: Set PUBLISH_REFEREES_REQUIRED=1 (e.g. in CI, after scripts/install-referees.sh) to make a
#: missing tool a failure instead of a skip.
REQUIRED = os.environ.get("PUBLISH_REFEREES_REQUIRED", "") not in ("", "0")


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (PUBLISH_REFEREES_REQUIRED is set)")
    pytest.skip(reason)


def _run_or_skip(fn, *args, **kwargs):
    """Call a referee; skip (with the install hint) only when its tool is truly missing."""
    try:
        return fn(*args, **kwargs)
    except RefereeUnavailable as exc:
        _unavailable(str(exc))


# --- inputs ------------------------------------------------------------------------------------

GOOD_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Good page</title></head>
<body><main><h1>Hello</h1><p>A paragraph.</p>
<img src="pixel.png" alt="A red pixel"></main></body></html>
"""
IMG_NO_ALT_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Bad page</title></head>
<body><main><h1>Hello</h1><img src="pixel.png"></main></body></html>
"""
INVALID_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Invalid page</title></head>
<body><main><div><span>unclosed</div><blink>what</blink></main></body></html>
"""
XHTML_NS = 'xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'


def _xhtml(title: str, body: str, html_attrs: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html {XHTML_NS} {html_attrs} xml:lang="en" lang="en">\n'
            f"<head><title>{title}</title></head>\n<body>{body}</body></html>\n")


def make_epub(path: Path, *, broken: bool = False) -> Path:
    """A minimal EPUB 3 that EPUBCheck and Ace pass; `broken` adds a missing manifest item and an <img> without alt."""
    opf = f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:uuid:12345678-1234-4234-8234-123456789abc</dc:identifier>
    <dc:title>Smoke</dc:title>
    <dc:language>en</dc:language>
    <meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
    <meta property="schema:accessMode">textual</meta>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityHazard">none</meta>
    <meta property="schema:accessibilitySummary">A short text-only test book.</meta>
    <meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>
    <meta property="a11y:certifiedBy">publish smoke test</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/>
    {'<item id="gone" href="missing.xhtml" media-type="application/xhtml+xml"/>' if broken else ''}
  </manifest>
  <spine><itemref idref="c1"/></spine>
</package>"""
    nav = _xhtml("Contents", '<nav epub:type="toc" id="toc" role="doc-toc"><h1>Contents</h1>'
                             '<ol><li><a href="c1.xhtml">Chapter 1</a></li></ol></nav>')
    c1 = _xhtml("Chapter 1", "<main><section><h1>Chapter 1</h1><p>Hello.</p>"
                             + ('<img src="nope.png"/>' if broken else "") + "</section></main>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml",
                   '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                   '<rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>'
                   "</rootfiles></container>", compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/package.opf", opf, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/nav.xhtml", nav, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/c1.xhtml", c1, compress_type=zipfile.ZIP_DEFLATED)
    return path


@pytest.fixture
def pages(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name, text in {"good.html": GOOD_HTML, "noalt.html": IMG_NO_ALT_HTML, "invalid.html": INVALID_HTML}.items():
        out[name] = tmp_path / name
        out[name].write_text(text, encoding="utf-8")
    # EPUB content document using the EPUB namespace the way our EPUBs do.
    out["epub.xhtml"] = tmp_path / "epub.xhtml"
    out["epub.xhtml"].write_text(_xhtml(
        "Chapter", '<main><section epub:type="chapter"><h1>Chapter</h1><p>Text.</p></section></main>',
        html_attrs='epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/#"'), encoding="utf-8")
    return out


# --- axe ---------------------------------------------------------------------------------------

def test_axe_flags_img_without_alt_and_passes_good_page(pages):
    findings = _run_or_skip(axe.check_html, [pages["good.html"], pages["noalt.html"], pages["epub.xhtml"]])
    by_file = {str(p): [f for f in findings if f.file == str(p)] for p in pages.values()}
    assert by_file[str(pages["good.html"])] == []
    assert by_file[str(pages["epub.xhtml"])] == []
    bad = by_file[str(pages["noalt.html"])]
    assert [(f.referee, f.rule, f.location) for f in bad] == [("axe", "image-alt", "img")]
    assert "critical" in bad[0].message


def test_axe_unavailable_is_a_clear_error(pages, monkeypatch):
    monkeypatch.setattr(axe, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(RefereeUnavailable, match="install"):
        axe.check_html([pages["good.html"]])


# --- vnu ---------------------------------------------------------------------------------------

def test_vnu_flags_invalid_html_and_passes_good_page(pages):
    findings = _run_or_skip(vnu.check_html, [pages["good.html"], pages["invalid.html"]])
    assert all(f.file == str(pages["invalid.html"]) for f in findings), findings
    messages = " | ".join(f.message for f in findings)
    assert "Unclosed element “span”" in messages
    assert "blink" in messages
    assert all(f.referee == "vnu" and f.location for f in findings)


def test_vnu_epub_mode_drops_epub_namespace_false_positives(pages):
    plain = _run_or_skip(vnu.check_html, [pages["epub.xhtml"]])
    assert any("“prefix”" in f.message for f in plain), plain  # the known false positive exists…
    assert _run_or_skip(vnu.check_html, [pages["epub.xhtml"]], epub=True) == []  # …and is filtered


# --- EPUBCheck ---------------------------------------------------------------------------------

def test_epubcheck_flags_broken_epub(tmp_path):
    findings = _run_or_skip(epubcheck.check_epub, make_epub(tmp_path / "bad.epub", broken=True))
    rules = {f.rule for f in findings}
    assert "RSC-001" in rules, findings  # manifest item whose file is missing
    assert all(f.message.startswith(("ERROR", "FATAL", "WARNING")) for f in findings)


def test_epubcheck_passes_good_epub(tmp_path):
    assert _run_or_skip(epubcheck.check_epub, make_epub(tmp_path / "good.epub")) == []


# --- Ace ---------------------------------------------------------------------------------------

def test_ace_flags_img_without_alt_and_passes_good_epub(tmp_path):
    bad = _run_or_skip(ace.check_epub, make_epub(tmp_path / "bad.epub", broken=True))
    assert [f.rule for f in bad] == ["image-alt"], bad
    assert bad[0].location.startswith("c1.xhtml")
    assert _run_or_skip(ace.check_epub, make_epub(tmp_path / "good.epub"), outdir=tmp_path / "ace") == []
    assert (tmp_path / "ace" / "report.json").is_file()


# --- veraPDF -----------------------------------------------------------------------------------

@pytest.fixture
def pdfs(tmp_path: Path) -> dict[str, Path]:
    import weasyprint  # a dependency of the project itself
    html = ('<html lang="en"><head><title>Smoke PDF</title></head>'
            "<body><h1>Hello</h1><p>A tagged paragraph.</p></body></html>")
    out = {"ua": tmp_path / "ua.pdf", "plain": tmp_path / "plain.pdf", "junk": tmp_path / "junk.pdf"}
    weasyprint.HTML(string=html).write_pdf(out["ua"], pdf_variant="pdf/ua-1")
    weasyprint.HTML(string=html).write_pdf(out["plain"])
    out["junk"].write_bytes(b"this is not a PDF\n")
    return out


def test_verapdf_profiles_include_pdfua_and_pdfa():
    profiles = _run_or_skip(verapdf.available_profiles)
    assert {"ua1", "ua2", "2b", "4"} <= set(profiles), profiles


def test_verapdf_ua1_passes_tagged_and_fails_untagged_pdf(pdfs):
    findings = _run_or_skip(verapdf.check_pdf, [pdfs["ua"], pdfs["plain"], pdfs["junk"]], profile="ua1")
    assert isinstance(findings, list) and all(isinstance(f, Finding) for f in findings)
    by_file = {k: [f for f in findings if f.file == str(p)] for k, p in pdfs.items()}
    assert by_file["ua"] == [], by_file["ua"]
    plain_rules = {f.rule for f in by_file["plain"]}
    assert {"ua1:6.2-1", "ua1:7.1-11"} <= plain_rules, plain_rules  # not marked, no structure tree
    assert [f.rule for f in by_file["junk"]] == ["ua1:parse-error"]


def test_verapdf_several_profiles_in_one_run(pdfs):
    findings = _run_or_skip(verapdf.check_pdf, [pdfs["ua"]], profile=["PDF/UA-1", "pdfa-2b"])
    # The PDF/UA file is not PDF/A (no PDF/A identification, no output intent): only 2b rules fail.
    assert findings and all(f.rule.startswith("2b:") for f in findings), findings


def test_verapdf_flavour_names():
    assert verapdf.flavour_id("PDF/UA-1") == "ua1"
    assert verapdf.flavour_id("pdfa-2b") == "2b"
    assert verapdf.flavour_id("PDF/A-4f") == "4f"
    assert verapdf.flavour_id("ua2") == "ua2"


def test_verapdf_without_jaxb_is_unavailable(pdfs, monkeypatch):
    monkeypatch.setattr(verapdf, "JAXB_JARS", ("/nonexistent/jaxb-runtime.jar",))
    with pytest.raises(RefereeUnavailable, match="libjaxb-java"):
        verapdf.check_pdf([pdfs["ua"]])


# --- command line ------------------------------------------------------------------------------

def test_cli_prints_table_and_exits_1_on_findings(pages):
    proc = subprocess.run([sys.executable, "-m", "publish.referees", "--only", "vnu", str(pages["invalid.html"])],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    if proc.returncode == 2:
        _unavailable(proc.stderr.strip())
    assert proc.returncode == 1, proc.stderr
    header = proc.stdout.splitlines()[0].split()
    assert header == ["REFEREE", "FILE", "RULE", "LOCATION", "MESSAGE"]
    assert "Unclosed element" in proc.stdout
