"""Turn parallel-text records into XLIFF 1.2 or PO for CAT tools, and their files back into units.

Inline markup travels as protected placeholders (XLIFF <ph>/<bpt>/<ept>; PO `<1>…</1>`, `<2/>`
with a table of what each stands for). Both name the book they come from (XLIFF `publish:book` on
each <file>, PO header `X-Publish-Book`) so an import can tell a file from another book. A translated
segment is approved (XLIFF state="final", approved="yes"), a stale one needs review (PO: fuzzy);
on import, a unit still new, fuzzy or needing translation or review (state="needs-…") applies nothing.
XML is parsed without DTDs or entities (no XXE, no entity bombs).
"""
from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass

import polib
from lxml import etree

from ..diagnostics import error
from .tokens import to_markup_from_tokens

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
PUBLISH_NS = "https://publish.invalid/xliff"
PH = re.compile(r"<(/?)(\d+)(/?)>")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Unit:
    """One segment as exchanged: id, file stem, English tokens, target tokens, state."""

    id: str
    file: str
    source: list
    target: list
    state: str  # "", "stale"
    base: str  # digest of the repository's translation at export


@dataclass(frozen=True)
class Incoming:
    """One unit of an imported file: its target is "" when it has nothing to apply (untranslated,
    fuzzy or needing review); `line` is the trans-unit's or PO entry's line in the file."""

    stem: str
    id: str
    source: str
    target: str
    base: str
    line: int


@dataclass(frozen=True)
class Imported:
    units: list
    book: str | None  # the title of the book the file was exported from, when it says
    line: int  # where it says so (or the file's first unit)


# --- XLIFF 1.2 ----------------------------------------------------------------------------------
def _inline(parent, tokens):
    last = None
    for token in tokens:
        if token[0] == "text":
            if last is None:
                parent.text = (parent.text or "") + token[1]
            else:
                last.tail = (last.tail or "") + token[1]
            continue
        tag = {"open": "bpt", "close": "ept", "ph": "ph"}[token[0]]
        el = etree.SubElement(parent, f"{{{XLIFF_NS}}}{tag}", id=token[1])
        if token[0] != "close":
            el.set("ctype", token[3])
        el.text = token[2]
        last = el


def write_xliff(units: list[Unit], source_lang: str, target_lang: str, originals: dict[str, str], book: str) -> bytes:
    root = etree.Element(f"{{{XLIFF_NS}}}xliff", nsmap={None: XLIFF_NS, "publish": PUBLISH_NS}, version="1.2")
    files: dict[str, etree._Element] = {}
    for unit in units:
        if unit.file not in files:
            f = etree.SubElement(root, f"{{{XLIFF_NS}}}file", original=originals.get(unit.file, unit.file),
                                 datatype="plaintext")
            f.set("source-language", source_lang)
            f.set("target-language", target_lang)
            f.set(f"{{{PUBLISH_NS}}}stem", unit.file)
            f.set(f"{{{PUBLISH_NS}}}book", book)
            files[unit.file] = etree.SubElement(f, f"{{{XLIFF_NS}}}body")
        tu = etree.SubElement(files[unit.file], f"{{{XLIFF_NS}}}trans-unit", id=unit.id)
        tu.set(f"{{{PUBLISH_NS}}}base", unit.base)
        _inline(etree.SubElement(tu, f"{{{XLIFF_NS}}}source"), unit.source)
        target = etree.SubElement(tu, f"{{{XLIFF_NS}}}target")
        state = "new" if not unit.target else "needs-review-translation" if unit.state == "stale" else "final"
        target.set("state", state)
        if state == "final":
            tu.set("approved", "yes")
        _inline(target, unit.target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tokens_of(el) -> list:
    tokens = [("text", el.text)] if el.text else []
    for child in el:
        name = etree.QName(child).localname
        if name in ("ph", "bpt", "ept", "it", "x"):
            tokens.append(("ph", child.get("id", ""), child.text or "", ""))
        elif name in ("g", "mrk"):
            tokens.extend(_tokens_of(child))
        if child.tail:
            tokens.append(("text", child.tail))
    return tokens


def safe_xml(data: bytes, path: str):
    """Parse XML refusing DTDs and entities; raise ValueError(line, message)."""
    found = re.search(rb"<!(DOCTYPE|ENTITY)", data)
    if found:
        line = data[: found.start()].count(b"\n") + 1
        raise ValueError(line, "DOCTYPE and ENTITY declarations are not allowed")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = re.sub(r", line \d+, column \d+$", "", exc.msg)
        raise ValueError(exc.lineno or 1, f"malformed XML: {message}") from None


def read_xliff(data: bytes, path: str):
    """The file's units and the book it names (Imported), and its problems."""
    try:
        root = safe_xml(data, path)
    except ValueError as exc:
        line, message = exc.args
        return None, [error(path, line, message, "xliff-invalid")]
    if etree.QName(root).localname != "xliff" or root.get("version") != "1.2":
        return None, [error(path, root.sourceline or 1, "not an XLIFF 1.2 document", "xliff-invalid")]
    out, problems = [], []
    first = root.find(f"{{{XLIFF_NS}}}file")
    book, book_line = (None, root.sourceline or 1) if first is None else (first.get(f"{{{PUBLISH_NS}}}book"), first.sourceline)
    for f in root.iter(f"{{{XLIFF_NS}}}file"):
        stem = f.get(f"{{{PUBLISH_NS}}}stem")
        if f.get(f"{{{PUBLISH_NS}}}book", book) != book:
            problems.append(error(path, f.sourceline, f"this <file> names another book than the <file> on line {book_line}", "xliff-invalid"))
        for tu in f.iter(f"{{{XLIFF_NS}}}trans-unit"):
            source, target = tu.find(f"{{{XLIFF_NS}}}source"), tu.find(f"{{{XLIFF_NS}}}target")
            line = tu.sourceline or 1
            if stem is None or not tu.get("id") or source is None:
                problems.append(error(path, line, "trans-unit without id, source or publish:stem", "xliff-invalid"))
                continue
            state = "new" if target is None else target.get("state", "")
            pending = state == "new" or state.startswith("needs-") or not "".join(target.itertext()).strip()
            out.append(Incoming(stem, tu.get("id"), to_markup_from_tokens(_tokens_of(source)),
                                "" if pending else to_markup_from_tokens(_tokens_of(target)),
                                tu.get(f"{{{PUBLISH_NS}}}base", ""), line))
    return Imported(out, book, book_line), problems


# --- PO -------------------------------------------------------------------------------------------
def _po_text(tokens, table: dict) -> str:
    out = []
    for token in tokens:
        if token[0] == "text":
            out.append(token[1])
        else:
            key = token[1]
            table[key if token[0] != "close" else f"/{key}"] = token[2]
            out.append({"open": f"<{key}>", "close": f"</{key}>", "ph": f"<{key}/>"}[token[0]])
    return "".join(out)


def write_po(units: list[Unit], source_lang: str, target_lang: str, originals: dict[str, str], book: str) -> bytes:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": book, "Content-Type": "text/plain; charset=UTF-8", "Language": target_lang,
                   "X-Source-Language": source_lang, "X-Generator": "publish", "X-Publish-Book": book}
    for unit in units:
        table: dict = {}
        msgid = _po_text(unit.source, table)
        msgstr = _po_text(unit.target, table)
        placeholders = " ".join(f"{k}={v!r}" for k, v in table.items())
        entry = polib.POEntry(msgctxt=f"{unit.file}:{unit.id}", msgid=msgid, msgstr=msgstr,
                              occurrences=[(originals.get(unit.file, unit.file), "")],
                              comment=f"publish-base: {unit.base}" + (f"\npublish-placeholders: {placeholders}" if table else ""))
        if unit.state == "stale":
            entry.flags.append("fuzzy")
        po.append(entry)
    return str(po).encode("utf-8")


def _from_po(text: str, table: dict) -> str:
    tokens, pos = [], 0
    for found in PH.finditer(text):
        tokens.append(("text", text[pos:found.start()]))
        key = ("/" if found.group(1) else "") + found.group(2)
        tokens.append(("ph", key, table.get(key, found.group(0)), ""))
        pos = found.end()
    tokens.append(("text", text[pos:]))
    return to_markup_from_tokens([t for t in tokens if t[0] != "text" or t[1]])


def read_po(data: bytes, path: str):
    """The file's entries and the book it names (Imported), and its problems."""
    try:
        text = data.decode("utf-8")
        po = polib.pofile(text, wrapwidth=0)
    except (UnicodeDecodeError, OSError, ValueError) as exc:
        return None, [error(path, 1, f"malformed PO file: {exc}", "po-invalid")]
    out, problems = [], []
    for entry in po:
        if entry.obsolete:
            continue
        if not entry.msgctxt or ":" not in entry.msgctxt:
            problems.append(error(path, entry.linenum, "entry without a 'file:segment' msgctxt", "po-invalid"))
            continue
        stem, seg = entry.msgctxt.split(":", 1)
        meta = dict(line.split(": ", 1) for line in (entry.comment or "").splitlines() if ": " in line)
        table = dict(re.findall(r"(/?\d+)=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")", meta.get("publish-placeholders", "")))
        table = {k: _unquote(v) for k, v in table.items()}
        pending = not entry.msgstr.strip() or "fuzzy" in entry.flags
        out.append(Incoming(stem, seg, _from_po(entry.msgid, table), "" if pending else _from_po(entry.msgstr, table),
                            meta.get("publish-base", ""), entry.linenum))
    book = po.metadata.get("X-Publish-Book")
    line = next((i for i, row in enumerate(text.splitlines(), 1) if row.startswith('"X-Publish-Book:')), 1)
    return Imported(out, book, line), problems


def _unquote(literal: str) -> str:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal
    return value if isinstance(value, str) else literal
