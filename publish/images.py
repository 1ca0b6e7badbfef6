"""Turn an image file (SVG or raster) into diagnostics: safe and small enough to lay out, or why not."""
from __future__ import annotations

import io
import re
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import tinycss2
from lxml import etree
from PIL import Image

from . import confine
from .diagnostics import Diagnostic, error

MAX_ELEMENTS = 20_000  # elements in an SVG file
MAX_EXPANDED = 100_000  # elements an SVG draws once every <use> (and url(#id)) is expanded
MAX_REF_DEPTH = 16  # references followed within references
MAX_SVG_BYTES = 10_000_000
MAX_PIXELS = 50_000_000  # a 600 dpi full-page scan is about 35 megapixels
RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
SVG = "{http://www.w3.org/2000/svg}"
HREFS = ("href", "{http://www.w3.org/1999/xlink}href", "src")
# A DOCTYPE is tolerated only without an internal subset, naming nothing but the W3C's own DTD.
_LITERAL = r'("[^"]*"|\'[^\']*\')'
_PLAIN_DOCTYPE = re.compile(rb"<!DOCTYPE\s+svg(\s+PUBLIC\s+%s\s+%s|\s+SYSTEM\s+%s)?\s*>"
                            % ((_LITERAL.encode(),) * 3))
_W3C_DTD = re.compile(rb"[\"']http://www\.w3\.org/Graphics/SVG/[\w./-]*\.dtd[\"']\s*>$")


def check_raster(path: Path, shown: str, referrer: tuple[str, int]) -> list[Diagnostic]:
    """Problems with a raster image (`shown`: its name as the referrer wrote it). Reads only the header (and, for an image under the limit, the checksums Pillow can verify)."""
    where, line = referrer
    expected = RASTER.get(path.suffix.lower())
    if expected is None:
        return [error(where, line, f"image '{shown}' is not a PNG, JPEG, GIF, WebP or SVG file", "image-invalid")]
    limit = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = None  # our own limit applies, from the header, before any decoding
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path, formats=tuple(set(RASTER.values()))) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return [error(where, line, f"image '{shown}' is {width:,} × {height:,} pixels "
                                  f"({width * height / 1e6:,.0f} megapixels): the limit is {MAX_PIXELS // 1_000_000} megapixels",
                                  "image-too-large")]
                if image.format != expected:
                    return [error(where, line, f"image '{shown}' is a {image.format} image, not {expected} as its name says", "image-invalid")]
                image.verify()
    except Image.UnidentifiedImageError:
        return [error(where, line, f"image '{shown}' cannot be read: it is not a PNG, JPEG, GIF or WebP image, or its header is damaged", "image-invalid")]
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on damaged files
        return [error(where, line, f"image '{shown}' is damaged: {exc}", "image-invalid")]
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    return []


def check_svg(path: Path, shown: str, referrer: tuple[str, int] | None) -> list[Diagnostic]:
    """Well-formed, no DTD, self-contained, and small once every reference is expanded."""
    used = f" (used by {referrer[0]}:{referrer[1]})" if referrer else ""

    def err(line, message, code):
        return [error(shown, line or 1, message + used, code)]

    try:
        data = confine.read_bytes(path, [path.parent], MAX_SVG_BYTES)
    except confine.TooLarge:
        return err(1, f"SVG file over {MAX_SVG_BYTES // 1_000_000} MB", "image-too-complex")
    except confine.Refused as refused:  # a FIFO would block the read forever
        return err(1, f"cannot read the SVG file: {refused.reason}", refused.code)
    parsed = etree.iterparse(io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True,
                             load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        for count, (_event, element) in enumerate(parsed, 1):
            if count > MAX_ELEMENTS:
                return err(element.sourceline, f"SVG has more than {MAX_ELEMENTS:,} elements", "image-too-complex")
    except etree.XMLSyntaxError as exc:
        return err(exc.lineno, "SVG is not well-formed XML: " + re.sub(r",? line \d+(, column \d+)?$", "", exc.msg), "image-invalid")
    root = parsed.root
    if root.getroottree().docinfo.doctype:
        at = data.find(b"<!DOCTYPE")
        doctype = _PLAIN_DOCTYPE.match(data, at) if at >= 0 else None
        if not doctype or (doctype.group(1) and not _W3C_DTD.search(doctype.group(0))):
            dtd = root.getroottree().docinfo.internalDTD
            names = ", ".join(f"'{e.name}'" for e in (dtd.iterentities() if dtd else ()))
            what = (f"declares the entit{'ies' if ',' in names else 'y'} {names}" if names else "declares a DTD")
            return err(data.count(b"\n", 0, max(at, 0)) + 1, f"SVG {what}: an SVG image may have no DTD "
                       "(remove its <!DOCTYPE …>)", "image-invalid")
    if root.tag != SVG + "svg":
        return err(root.sourceline, f"not an SVG image: the root element is <{etree.QName(root).localname}>", "image-invalid")
    out: list[Diagnostic] = []
    for node in root.itersiblings(preceding=True):
        if isinstance(node, etree._ProcessingInstruction) and node.target == "xml-stylesheet":
            out += err(node.sourceline, "SVG links a stylesheet: an SVG image must be self-contained", "fetch-denied")
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    ids = {}
    for index, element in enumerate(elements):
        ids.setdefault(element.get("id"), index)
    refs: list[list[int]] = [[] for _ in elements]
    for index, element in enumerate(elements):
        for url, line, is_href in _references(element):
            if url.startswith("#"):
                if element.tag != SVG + "a" and url[1:] in ids:
                    refs[index].append(ids[url[1:]])
            elif is_href and element.tag == SVG + "a" and urlsplit(url).scheme.lower() in ("http", "https", "mailto"):
                continue  # a link is followed by the reader, never fetched by the build
            elif urlsplit(url).scheme or urlsplit(url).netloc:
                if urlsplit(url).scheme.lower() != "data":
                    out += err(line, f"'{url}' is outside the project: the build reads only the book's own files", "fetch-denied")
            else:
                out += err(line, f"SVG refers to the file '{url}': an SVG image must be self-contained "
                           "(only '#id' and 'data:' references)", "fetch-denied")
    return out + _expansion(elements, refs, err)


def _references(element):
    """(url, line, whether it is an href/src) of every reference an element makes: its href/src, url() in style and attributes."""
    line = element.sourceline
    for name in HREFS:
        value = element.get(name)
        if value is not None:
            yield value.strip(), line, True
    css = []
    if element.tag == SVG + "style" and element.text:
        css = tinycss2.parse_stylesheet(element.text)
    for name, value in element.attrib.items():
        if name not in HREFS and ("url" in value.lower() or "\\" in value):
            css += tinycss2.parse_component_value_list(value)
    for url, at, _import in css_urls(css):
        yield url, line + at - 1 if element.tag == SVG + "style" else line, False


def css_urls(nodes):
    """(url, line, is_import) of every url(), src(), image-set() string and @import in parsed CSS."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        kind = getattr(node, "type", "")
        if kind == "url":
            yield node.value, node.source_line, False
        elif kind == "function" and node.lower_name in ("url", "src"):
            strings = [t for t in node.arguments if t.type == "string"]
            if strings:
                yield strings[0].value, node.source_line, False
        elif kind == "function" and node.lower_name in ("image-set", "-webkit-image-set", "image", "cross-fade"):
            yield from ((t.value, t.source_line, False) for t in node.arguments if t.type == "string")
        if kind == "at-rule" and node.lower_at_keyword == "import":
            target = next((t for t in node.prelude if t.type in ("string", "url", "function")), None)
            if target is not None and target.type == "string":
                yield target.value, node.source_line, True
            elif target is not None:
                yield from ((url, line, True) for url, line, _ in css_urls([target]))
            continue
        if kind == "at-rule" and node.lower_at_keyword == "namespace":
            continue  # a namespace's URL names, it is never fetched
        for part in ("content", "arguments", "prelude"):
            stack.extend(reversed(getattr(node, part, None) or []))


def _expansion(elements, refs, err) -> list[Diagnostic]:
    """Count what each element draws once references are expanded (memoised, without recursion)."""
    children = [[] for _ in elements]
    index = {id(e): i for i, e in enumerate(elements)}
    for i, element in enumerate(elements):
        children[i] = [index[id(c)] for c in element if id(c) in index]
    count, depth, state = [0] * len(elements), [0] * len(elements), [0] * len(elements)  # state 1: on the path
    for start in range(len(elements)):
        stack = [(start, False)]
        while stack:
            i, finished = stack.pop()
            if finished:
                count[i] = min(MAX_EXPANDED + 1, 1 + sum(count[k] for k in children[i]) + sum(count[t] for t in refs[i]))
                depth[i] = max([depth[k] for k in children[i]] + [depth[t] + 1 for t in refs[i]] + [0])
                state[i] = 2
                continue
            if state[i] == 2:
                continue
            if state[i] == 1:
                return err(elements[i].sourceline, f"SVG element <{etree.QName(elements[i]).localname}> "
                           "contains a reference to itself", "image-too-complex")
            state[i] = 1
            stack.append((i, True))
            stack += [(k, False) for k in children[i] + refs[i]]
    over = [i for i in range(len(elements)) if refs[i] and count[i] > MAX_EXPANDED]
    if over or count[0] > MAX_EXPANDED:
        return err(elements[(over or [0])[0]].sourceline, f"SVG expands to more than {MAX_EXPANDED:,} elements "
                   "through nested <use>", "image-too-complex")
    deep = [i for i in range(len(elements)) if refs[i] and depth[i] > MAX_REF_DEPTH]
    if deep:
        return err(elements[deep[0]].sourceline, f"SVG nests <use> more than {MAX_REF_DEPTH} deep", "image-too-complex")
    return []
