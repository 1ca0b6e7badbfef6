"""`publish check` follows every internal link of every edition as rendered (HTML site, PDF document,
press PDF, EPUB with its navigation, bilingual HTML/PDF/EPUB) and reports a broken one where it comes from."""
from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from publish import build as pipeline
from publish.links import LinkCheck, dangling, parse_xhtml
from publish.styles import Styles

from .conftest import BOOKS, REPO
from .helpers import copy_book


def _check(book: Path) -> list[str]:
    loaded = pipeline.load_all(book)
    assert [str(d) for d in loaded.diagnostics if d.severity == "error"] == []
    return [str(d) for d in pipeline.check_templates(book, loaded)]


def _without_contributors_page(tmp_path: Path, name: str) -> Path:
    book = tmp_path / name
    copy_book(BOOKS / name, book)
    yaml = book / "manuscript" / "book.yaml"
    text = yaml.read_text(encoding="utf-8")
    cut = "  - generate: contributors\n    title: About the Authors\n    part: back\n"
    assert cut in text
    yaml.write_text(text.replace(cut, ""), encoding="utf-8")
    return book


def test_dangling_finds_a_missing_id_and_a_missing_page_and_nothing_else():
    pages = {
        "a.html": lxml.html.fromstring('<div><p id="x"><a href="#x">ok</a> <a href="b.html#y">ok</a> '
                                       '<a href="#gone">id</a> <a href="c.html">page</a> <a href="b.html#nope">id2</a> '
                                       '<a href="https://example.org/#q">web</a> <a href="mailto:a@b.c">mail</a> '
                                       '<a href="css/screen.css">file</a> <a href="b.html">ok</a></p></div>'),
        "b.html": lxml.html.fromstring('<div><p id="y">text</p></div>'),
    }
    assert sorted(href for _, _, href in dangling(pages)) == ["#gone", "b.html#nope", "c.html"]


def test_dangling_resolves_hrefs_relative_to_the_page_in_an_epub_folder():
    ns = 'xmlns="http://www.w3.org/1999/xhtml"'
    pages = {"EPUB/nav.xhtml": parse_xhtml(f'<html {ns}><body><a href="ch.xhtml#s">s</a><a href="../ch.xhtml">x</a></body></html>'.encode()),
             "EPUB/ch.xhtml": parse_xhtml(f'<html {ns}><body><h2 id="s">S</h2></body></html>'.encode())}
    assert [href for _, _, href in dangling(pages)] == ["../ch.xhtml"]


def test_every_fixture_edition_and_the_translated_one_have_no_broken_link():
    assert _check(BOOKS / "minimal") == []
    assert _check(BOOKS / "translated") == []


def test_a_byline_to_a_contributor_without_an_about_page_is_not_a_link_in_any_edition(tmp_path):
    """The EPUBCheck RSC-012 of issue 11, fixed at its cause: a byline links to a bio only where the edition
    shows it, so `check` (which follows every link of every edition) finds nothing broken."""
    book = _without_contributors_page(tmp_path, "translated")
    assert _check(book) == []
    pipeline.build(book, ("html",))
    pages = "".join(p.read_text() for p in (book / "build").glob("*/html/*.html"))
    assert "Alan Turing" in pages and "#bio-alan" not in pages


def test_a_broken_link_inside_a_paragraph_is_reported_at_the_paragraph(tmp_path):
    book, _ = pipeline.load(BOOKS / "minimal")
    unit = book.unit("chapter")
    para = [b for b in unit.blocks if getattr(b, "seg", "").startswith("chapter.p")][-1]
    links = LinkCheck(book, BOOKS / "minimal", Styles.for_book(BOOKS / "minimal"))
    page = lxml.html.document_fromstring(f'<html><body><article id="chapter"><p data-seg="{para.seg}">See '
                                         f'<em><a href="#elsewhere">there</a></em>.</p>'
                                         '<div class="pair"><p data-seg="chapter.title">T</p><p lang="ja">'
                                         '<a href="#gone">ja</a></p></div>'
                                         '<p><a href="#also-gone">loose</a></p></article></body></html>')
    links.pages("en", "html", {"chapter.html": page})
    assert sorted(str(d) for d in links.diagnostics()) == sorted([
        f"{para.pos.path}:{para.pos.line}: error: the link 'there' leads to '#elsewhere', an id no page of the "
        "edition has (en: HTML) [link-broken]",
        f"{unit.pos.path}:{unit.pos.line}: error: the link 'ja' leads to '#gone', an id no page of the edition has "
        "(en: HTML) [link-broken]",
        "manuscript/book.yaml:24: error: the link 'loose' leads to '#also-gone', an id no page of the edition has "
        "(en: HTML) [link-broken]",
    ])
    assert para.pos.path == "manuscript/chapter.md" and para.pos.line > 1


def test_the_link_fixture_fails_only_on_the_link():
    assert [d.split(" error: ")[1].split(" leads")[0] for d in _check(BOOKS / "broken-link-template")] == \
        ["the link 'Back to top'"]


# Every format × edition the CLI accepts writes its file; an edition the book lacks is a usage error ----------
EXPECTED = {"html": ["html/index.html"], "pdf": ["book.pdf"], "print": ["book-cover.pdf", "book-print.pdf"],
            "epub": ["book.epub"]}


@pytest.fixture
def stub_renderers(monkeypatch):
    """The renderers replaced by stubs (the layouts are tested elsewhere): what is tested is which
    artifacts a build asked for one format and one edition writes."""
    site = lambda *a, **k: {"index.html": b"<!DOCTYPE html><title>t</title>"}
    monkeypatch.setattr(pipeline, "render_site", site)
    monkeypatch.setattr(pipeline, "render_bilingual_site", site)
    monkeypatch.setattr(pipeline.Layout, "pdf", lambda self, book, labels, variant="ua": (b"%PDF-" + variant.encode(), {}))
    monkeypatch.setattr(pipeline.Layout, "bilingual", lambda self, original, book, labels, labels_tr, variant="ua":
                        (b"%PDF-" + variant.encode(), {}))
    # the build imports the EPUB and cover renderers when it needs them: they are replaced where they live
    from publish.render import bilingual_epub, epub, spread

    monkeypatch.setattr(epub, "render_epub", lambda *a, **k: b"PK-epub")
    monkeypatch.setattr(bilingual_epub, "render_bilingual_epub", lambda *a, **k: b"PK-epub")
    monkeypatch.setattr(spread, "page_count", lambda pdf: 100)
    monkeypatch.setattr(spread, "render_spread", lambda *a, **k: b"%PDF-spread")


@pytest.mark.parametrize("fmt", sorted(EXPECTED))
def test_every_format_of_every_edition_is_written(stub_renderers, tmp_path, fmt):
    from click.testing import CliRunner
    from publish.cli import main

    book = tmp_path / "book"
    copy_book(BOOKS / "translated", book)
    for edition in ("en", "ja", "en-ja"):
        out = tmp_path / f"out-{edition}"
        result = CliRunner().invoke(main, ["build", str(book), "--format", fmt, "--edition", edition, "--out", str(out)])
        assert result.exit_code == 0, result.output
        built = sorted(p.relative_to(out / edition).as_posix() for p in (out / edition).rglob("*") if p.is_file())
        assert built == EXPECTED[fmt], edition
        if fmt in ("pdf", "print"):
            assert (out / edition / EXPECTED[fmt][-1]).read_bytes() == b"%PDF-" + (b"print" if fmt == "print" else b"ua")


@pytest.mark.parametrize("edition", ["xx", "en-fr", "ja-en"])
def test_an_edition_the_book_does_not_have_is_a_usage_error(tmp_path, edition):
    from click.testing import CliRunner
    from publish.cli import main

    book, out = tmp_path / "book", tmp_path / "out"
    copy_book(BOOKS / "translated", book)
    result = CliRunner().invoke(main, ["build", str(book), "--format", "html", "--edition", edition, "--out", str(out)])
    assert result.exit_code == 2
    assert f"no edition '{edition}' of this book; its editions: en, ja, en-ja" in result.output
    assert not out.exists()


# `make check` and `make release` on a book without translations, with two, and with its own styles/ ----------
RELEASED = {"pdf": "PDF/UA", "print.pdf": "press PDF", "cover.pdf": "cover spread", "epub": "EPUB 3", "html.zip": "HTML"}


def _script(name: str, *argv: str) -> dict:
    """scripts/NAME's globals, loaded as it would be run with these arguments (its main() not yet called)."""
    import runpy
    import sys

    saved = sys.argv
    sys.argv = [name, *argv]
    try:
        return runpy.run_path(str(REPO / "scripts" / name), run_name="script")
    finally:
        sys.argv = saved


@pytest.fixture
def no_referees(monkeypatch):
    """The external validators replaced by ones that find nothing (the lead's referee test runs the real
    ones on these books): what is tested is the scripts' own logic for a book's editions and languages."""
    from publish.referees import ace, axe, epubcheck, verapdf, vnu

    for module, name in ((axe, "check_html"), (vnu, "check_html"), (verapdf, "check_pdf"),
                         (epubcheck, "check_epub"), (ace, "check_epub")):
        monkeypatch.setattr(module, name, lambda *a, **k: [])
    monkeypatch.setattr(verapdf, "available_profiles", lambda: {})


@pytest.mark.parametrize("name, editions, languages", [
    ("minimal", ["en"], []),
    ("multilingual", ["en", "en-fr", "en-ja", "fr", "ja"], ["ja", "fr"]),
])
def test_make_release_and_make_check_work_for_the_book(tmp_path, monkeypatch, no_referees, name, editions, languages):
    """scripts/release.py builds every edition from a clean copy, runs scripts/check_all.py on it (here
    in-process) and writes dist/: every edition in every format, SHA256SUMS and a manifest whose
    validators include `publish check --release` and one `i18n status` per translation, all passing."""
    import subprocess
    import json

    book = tmp_path / name
    copy_book(BOOKS / name, book)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1714521600")
    release = _script("release.py", str(book))
    real_run = subprocess.run

    def run(cmd, *args, **kwargs):
        if len(cmd) > 1 and str(cmd[1]).endswith("check_all.py"):
            code = _script("check_all.py", str(cmd[2]))["main"]()
            return subprocess.CompletedProcess(cmd, code)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", run)
    assert release["main"]() == 0
    dist = book / "dist"
    manifest = json.loads((dist / "manifest.json").read_text())
    assert manifest["editions"] == editions
    assert sorted((a["file"], a["format"]) for a in manifest["artifacts"]) == sorted(
        (f"a-small-book-{edition}.{suffix}", label) for edition in editions for suffix, label in RELEASED.items())
    assert sorted(p.name for p in dist.iterdir()) == sorted([a["file"] for a in manifest["artifacts"]]
                                                          + ["SHA256SUMS", "manifest.json"])
    checks = {row["referee"]: row["result"] for row in manifest["validators"] if row["artifact"] == "manuscript"}
    assert checks == {"publish check --release": "pass",
                      **{f"i18n status {lang} --fail-under 100": "pass" for lang in languages}}
    assert {row["result"] for row in manifest["validators"] if row["artifact"] != "manuscript"} <= {
        "pass", "no PDF/X profile in veraPDF here"}
    assert {row["artifact"].split("/")[0] for row in manifest["validators"] if row["artifact"] != "manuscript"} == set(editions)


def test_the_bilingual_press_pdf_is_a_press_pdf():
    """`--format print --edition en-ja` now writes book-print.pdf: bleed, crop marks, no RGB, no links, both texts."""
    from collections import Counter
    import io

    import pikepdf

    from publish.render.bilingual_pdf import render_bilingual_pdf

    root = BOOKS / "translated"
    loaded = pipeline.load_all(root)
    styles = Styles.for_book(root)
    data, _ = render_bilingual_pdf(loaded.book, loaded.translated["ja"], styles, styles.labels("en"),
                                   styles.labels("ja"), base_url=root / "manuscript", variant="print")
    bleed = 0.125 * 72
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            trim, bleed_box = [float(v) for v in page.TrimBox], [float(v) for v in page.BleedBox]
            assert [b - a for a, b in zip(trim, bleed_box)] == pytest.approx([-bleed, -bleed, bleed, bleed])
            media = [float(v) for v in page.MediaBox]  # the crop marks: outside the bleed
            assert media[0] < bleed_box[0] and media[3] > bleed_box[3]
            assert "/Annots" not in page.obj
            operators = Counter(str(op) for _, op in pikepdf.parse_content_stream(page))
            assert not operators["rg"] and not operators["RG"], "DeviceRGB colour in the press PDF"
        assert str(pdf.Root.OutputIntents[0].S) == "/GTS_PDFX"
    import pypdf

    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "On Machines" in text and "機械について" in text
