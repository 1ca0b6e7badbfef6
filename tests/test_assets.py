"""Stylesheets and images from an untrusted book: checked before anything is laid out or written."""
from __future__ import annotations

import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import build as pipeline
from publish.assets import USED_CSS, check_assets
from publish.cli import main
from publish.diagnostics import BookError
from publish.fetch import ConfinedFetcher
from publish.images import check_raster, check_svg
from publish.render.pdf import render_pdf
from publish.styles import Styles

from .conftest import BOOKS, REPO
from .helpers import copy_book

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'


def book_with(tmp_path, files: dict) -> Path:
    book = tmp_path / "book"
    copy_book(BOOKS / "minimal", book)
    for name, text in files.items():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        (book / name).write_text(text)
    return book


def problems(book: Path) -> list[str]:
    model, _ = pipeline.load(book)
    return sorted(str(d) for d in check_assets(book, model))


def test_the_list_of_stylesheets_is_every_one_the_editions_use():
    from publish.render import bilingual, bilingual_epub, bilingual_pdf, epub, html, pdf

    used = {*html.CSS, *bilingual.CSS, epub.CSS, bilingual_epub.CSS_EXTRA, *pdf.CSS, *bilingual_pdf.CSS}
    assert set(USED_CSS) == used


def test_the_default_styles_and_the_flagship_pass(flagship):
    assert check_assets(REPO, flagship) == []


def test_the_svg_bomb_is_refused_in_seconds():
    """10^8 shapes through nested <use> took WeasyPrint over 180 s; `publish check` must end."""
    publish = Path(sys.executable).with_name("publish")
    done = subprocess.run([publish, "check", BOOKS / "broken-svg-bomb"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr == (BOOKS / "broken-svg-bomb" / "expected.txt").read_text()


@pytest.mark.parametrize("name", ["broken-css-import", "broken-svg-entity", "broken-image-huge"])
def test_build_refuses_what_check_finds_and_writes_nothing(tmp_path, name):
    book = tmp_path / "book"
    copy_book(BOOKS / name, book)
    result = CliRunner().invoke(main, ["build", str(book), "--format", "html"])
    assert (result.exit_code, result.stderr) == (1, (BOOKS / name / "expected.txt").read_text())
    assert not (book / "build" / "en").exists()


@pytest.mark.parametrize("name, lost", [("broken-image-huge", "images/scan.png"),
                                        ("broken-image-corrupt", "images/photo.png"),
                                        ("broken-svg-entity", "images/entity.svg")])
def test_the_layout_fails_on_an_image_it_would_drop(name, lost):
    """Past the check (called directly), WeasyPrint's logged failure still fails the PDF."""
    root = BOOKS / name
    book, _ = pipeline.load(root)
    styles = Styles.for_book(root)
    with pytest.raises(BookError) as caught:
        render_pdf(book, styles, styles.labels("en"), base_url=root / "manuscript")
    assert [str(d) for d in caught.value.diagnostics] == [
        f"manuscript/chapter.md:10: error: the PDF would lack the image 'manuscript/{lost}' [layout-lost]"]


def test_a_stylesheet_the_layout_cannot_load_fails_the_build(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "broken-layout-lost", book)
    result = CliRunner().invoke(main, ["build", str(book), "--format", "pdf"])
    assert (result.exit_code, result.stderr) == (1, (BOOKS / "broken-layout-lost" / "expected-build.txt").read_text())
    assert not (book / "build" / "en" / "book.pdf").exists()


def test_stylesheet_urls(tmp_path):
    book = book_with(tmp_path, {
        "styles/css/screen.css": '@namespace url(http://www.w3.org/1999/xhtml);\n@import "parts/more.css";\n'
                                 'a { background: url(data:image/png;base64,AAAA); }\n'
                                 'b { background: url(//example.org/x.png); }\nc { background: url("/\\\\example.org/x"); }\n'
                                 'd { background: u\\72l(http://example.org/e); }\n@import "../../manuscript/chapter.md";\n'
                                 'e { background: url(missing.png); }\nf { filter: url(#blur); }\n',
        "styles/css/parts/more.css": "@font-face { font-family: X; src: url(https://example.org/x.woff2); }\n",
        "styles/css/epub.css": '@import url("data:text/css,a{}");\ng { background: image-set("../../../x.png" 1x); }\n'})
    assert problems(book) == sorted([
        "styles/css/screen.css:4: error: '//example.org/x.png' is outside the project: the build reads only the book's own files [fetch-denied]",
        "styles/css/screen.css:5: error: '/\\example.org/x' is outside the project: the build reads only the book's own files [fetch-denied]",
        "styles/css/screen.css:6: error: 'http://example.org/e' is outside the project: the build reads only the book's own files [fetch-denied]",
        "styles/css/screen.css:7: error: @import of '../../manuscript/chapter.md': a stylesheet imports only files in the book's styles/ [fetch-denied]",
        "styles/css/screen.css:8: error: 'missing.png' not found [file-missing]",
        "styles/css/parts/more.css:1: error: 'https://example.org/x.woff2' is outside the project: the build reads only the book's own files [fetch-denied]",
        "styles/css/epub.css:1: error: @import of a data: URL: a stylesheet imports only files in styles/ [fetch-denied]",
        "styles/css/epub.css:2: error: '../../../x.png' is outside the project: the build reads only the book's own files [fetch-denied]",
    ])


def test_images_a_stylesheet_uses_are_checked(tmp_path):
    book = book_with(tmp_path, {"styles/css/print.css": "body {}\nh1 { background: url(../img/logo.svg); }\n",
                                "styles/img/logo.svg": SVG_OPEN + '<image href="logo.png"/>\n</svg>\n',
                                "styles/img/unused.svg": "<svg"})
    assert problems(book) == [
        "styles/img/logo.svg:2: error: SVG refers to the file 'logo.png': an SVG image must be self-contained "
        "(only '#id' and 'data:' references) (used by styles/css/print.css:2) [fetch-denied]",
        "styles/img/unused.svg:1: error: SVG is not well-formed XML: Couldn't find end of Start Tag svg [image-invalid]",
    ]


def test_a_styles_directory_linked_to_elsewhere_is_refused(tmp_path):
    outside = tmp_path / "outside"
    (outside / "css").mkdir(parents=True)
    (outside / "css" / "print.css").write_text("body {}\n")
    book = book_with(tmp_path, {})
    (book / "styles").symlink_to(outside)
    assert problems(book) == ["styles:1: error: cannot use the book's styles: it leads outside the book (a symlink) "
                              "[file-outside]"]
    fetcher = ConfinedFetcher([book / "styles", book], book)
    with pytest.raises(ValueError):
        fetcher.fetch((outside / "css" / "print.css").as_uri())


def test_the_fetcher_names_no_file_through_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.md").write_text("see http://example.org/x.css\n")
    book = book_with(tmp_path, {})
    (book / "manuscript" / "notes.md").symlink_to(outside / "notes.md")
    (book / "manuscript" / "more").symlink_to(outside, target_is_directory=True)
    fetcher = ConfinedFetcher([book], book)
    assert fetcher.where("http://example.org/x.css", [book / "manuscript"]) == ("http://example.org/x.css", 1)
    (book / "manuscript" / "real.md").write_text("\nsee http://example.org/x.css\n")
    assert fetcher.where("http://example.org/x.css", [book / "manuscript"]) == ("manuscript/real.md", 2)


@pytest.mark.parametrize("body, expected", [
    ('<g id="a"><use href="#a"/></g>', "2: error: SVG element <g> contains a reference to itself"),
    ("".join(f'<g id="g{i}"><use href="#g{i + 1}"/></g>' for i in range(20)) + '<rect id="g20"/>',
     "2: error: SVG nests <use> more than 16 deep"),
    ("<g>" + "<rect/>" * 20_001 + "</g>", "2: error: SVG has more than 20,000 elements"),
    ('<style>@import url(http://example.org/a.css);\n</style>', "2: error: 'http://example.org/a.css' is outside the project"),
    ('<rect fill="url(https://example.org/p.svg#p)"/>', "2: error: 'https://example.org/p.svg#p' is outside the project"),
    ('<foreignObject><img xmlns="http://www.w3.org/1999/xhtml" src="file:///etc/passwd"/></foreignObject>',
     "2: error: 'file:///etc/passwd' is outside the project"),
])
def test_svg_rules(tmp_path, body, expected):
    svg = tmp_path / "x.svg"
    svg.write_text(SVG_OPEN + body + "\n</svg>\n")
    found = [str(d) for d in check_svg(svg, "x.svg", ("manuscript/chapter.md", 3))]
    assert len(found) == 1 and found[0].startswith("x.svg:" + expected), found
    assert "(used by manuscript/chapter.md:3)" in found[0]


def test_a_plain_svg_with_the_w3c_doctype_passes(tmp_path):
    svg = tmp_path / "x.svg"
    svg.write_text('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                   '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n' + SVG_OPEN
                   + '<defs><path id="p" d="M0 0h1"/></defs><use xlink:href="#p"/><use href="#p"/>'
                   + '<image href="data:image/png;base64,AAAA"/><rect style="fill: url(#p)"/>'
                   + '<a href="https://example.org/source"><text>source</text></a>\n</svg>\n')
    assert check_svg(svg, "x.svg", None) == []


def _png(width: int, height: int, crc_ok: bool = True, declared: tuple | None = None) -> bytes:
    """A PNG; `declared`: the size its header claims instead (the pixels stay width × height)."""
    def chunk(kind, data, ok=True):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) ^ (0 if ok else 1))
    raw = b"".join(b"\0" + b"\0\0\0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", *(declared or (width, height)), 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw), crc_ok) + chunk(b"IEND", b""))


@pytest.mark.parametrize("name, data, expected", [
    ("ok.png", _png(4, 4), None),
    ("bad.png", _png(4, 4, crc_ok=False), "image 'bad.png' is damaged"),
    ("wrong.jpg", _png(4, 4), "image 'wrong.jpg' is a PNG image, not JPEG as its name says"),
    ("scan.tiff", _png(4, 4), "image 'scan.tiff' is not a PNG, JPEG, GIF, WebP or SVG file"),
    ("wide.png", _png(1, 1, declared=(10_000, 5_001)),
     "image 'wide.png' is 10,000 × 5,001 pixels (50 megapixels): the limit is 50 megapixels"),
])
def test_raster_rules(tmp_path, name, data, expected):
    (tmp_path / name).write_bytes(data)
    found = [d.message for d in check_raster(tmp_path / name, name, ("manuscript/chapter.md", 3))]
    assert found == [] if expected is None else (len(found) == 1 and found[0].startswith(expected)), found


def test_imports_nested_without_end_are_cut_off(tmp_path):
    chain = {f"styles/css/{i}.css": f'@import "{i + 1}.css";\n' for i in range(40)}
    book = book_with(tmp_path, {"styles/css/print.css": '@import "0.css";\n', **chain, "styles/css/40.css": ""})
    assert problems(book) == ["styles/css/15.css:1: error: @import nested more than 16 deep [fetch-denied]"]
