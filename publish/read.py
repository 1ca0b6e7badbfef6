"""Turn a book directory into raw material: book.yaml's data and every Markdown text as pandoc JSON.

Pandoc runs once per build, in one process, over every text at once (`read_all.lua`).
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pypandoc

from . import confine, metadata, yamlmap
from .convert import FENCE, OPENER
from .diagnostics import Diagnostic, error

BOOK_FILE = "manuscript/book.yaml"
MAX_BYTES = 2_000_000  # a chapter of a long book is ~200 kB
MAX_LINE = 20_000  # characters; a long paragraph is ~3,000
MAX_DEPTH = 32  # nested quotes, lists or fenced divs
LUA = Path(__file__).with_name("read_all.lua")


@dataclass(frozen=True)
class Source:
    """One Markdown text: a manuscript file, or a Markdown field of book.yaml."""

    key: tuple  # ("file", "fukuda.md") or ("meta", "contributors", 0, "bio")
    path: str  # shown in diagnostics, relative to the book directory
    first_line: int  # line of `path` where the text starts
    text: str
    ast: dict = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Reading:
    root: Path
    meta: dict
    meta_lines: dict
    sources: dict  # key -> Source
    diagnostics: tuple[Diagnostic, ...]


def pandoc_path() -> str:
    """The pandoc binary pypandoc-binary ships (found without running pandoc), else pypandoc's choice."""
    bundled = Path(pypandoc.__file__).parent / "files" / "pandoc"
    return str(bundled) if bundled.is_file() else pypandoc.get_pandoc_path()


def read_text(root: Path, relpath: str, named_at: tuple[str, int] | None = None) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file, or say precisely why it cannot be read.

    `named_at` is where the file is named (book.yaml and a line): a missing file is reported there.
    """
    path = root / relpath
    where, line = named_at or (relpath, 1)
    try:
        data = confine.read_bytes(path, [root], MAX_BYTES)
    except confine.TooLarge:
        return None, [error(relpath, 1, f"file is larger than {MAX_BYTES // 1_000_000} MB", "file-too-large")]
    except confine.Refused as exc:
        return None, [error(where, line, f"cannot read '{relpath}': {exc.reason}", exc.code)]
    except FileNotFoundError:
        return None, [error(where, line, f"file '{relpath}' not found", "file-missing")]
    except IsADirectoryError:
        return None, [error(where, line, f"'{relpath}' is a directory, not a file", "file-unreadable")]
    except OSError as exc:
        return None, [error(where, line, f"cannot read '{relpath}': {exc.strerror}", "file-unreadable")]
    if b"\0" in data:
        return None, [error(relpath, 1, "binary file, not UTF-8 text", "file-encoding")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        return None, [error(relpath, bad_line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})", "file-encoding")]
    if not text.strip():
        return None, [error(relpath, 1, "file is empty", "file-empty")]
    fences = 0
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > MAX_LINE:
            return None, [error(relpath, number, f"line is longer than {MAX_LINE:,} characters", "file-too-large")]
        fences += 1 if OPENER.match(line) else -1 if FENCE.match(line) and fences else 0
        depth = _nesting(line) + fences
        if depth > MAX_DEPTH:
            return None, [error(relpath, number, f"blocks nested {depth} deep (at most {MAX_DEPTH})", "block-nesting")]
    return text.removeprefix("\ufeff"), []


def _nesting(line: str) -> int:
    """How deep a line's blocks are nested: quote markers and list indentation (4 spaces a level)."""
    stripped = line.lstrip(" >\t")
    prefix = line[: len(line) - len(stripped)].expandtabs(4)
    quotes = prefix.count(">")
    return quotes + max(prefix.count(" ") - quotes, 0) // 4


def read_book(root: Path, known=lambda source: False) -> Reading:
    """Read everything; `known(source)` says a source needs no pandoc run (its conversion is cached)."""
    root = Path(root)
    diagnostics: list[Diagnostic] = []
    text, problems = read_text(root, BOOK_FILE)
    diagnostics += problems
    meta, lines = {}, {}
    if text is not None:
        try:
            meta, lines = yamlmap.load(text)
        except yamlmap.YamlError as exc:
            diagnostics.append(error(BOOK_FILE, exc.line, exc.message, "yaml-invalid"))
        if not isinstance(meta, dict):
            if not diagnostics:
                diagnostics.append(error(BOOK_FILE, 1, "book.yaml must be a mapping of fields", "yaml-invalid"))
            meta = {}
    diagnostics += metadata.validate(meta, lines, BOOK_FILE)

    sources: dict[tuple, Source] = {}
    for entry_line, name in metadata.content_files(meta, lines):
        rel = f"manuscript/{name}"
        body, problems = read_text(root, rel, (BOOK_FILE, entry_line))
        diagnostics += problems
        if body is not None:
            sources[("file", name)] = Source(("file", name), rel, 1, body)
    for keypath, value in metadata.markdown_fields(meta):
        sources[("meta",) + keypath] = Source(("meta",) + keypath, BOOK_FILE, lines.get(keypath, 1), value)

    diagnostics += parse_sources({k: s for k, s in sources.items() if not known(s)}, sources)
    return Reading(root, meta, lines, sources, tuple(diagnostics))


def parse_sources(todo: dict[tuple, Source], sources: dict[tuple, Source]) -> list[Diagnostic]:
    """Give every source in `todo` its pandoc AST, all in a single pandoc process."""
    items = list(todo.values())
    if not items:
        return []
    result = subprocess.run(
        [pandoc_path(), "lua", str(LUA)],
        input=json.dumps([s.text for s in items]).encode(),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["unknown"]
        return [error(items[0].path, 1, f"pandoc failed: {message[0]}", "pandoc-failed")]
    diagnostics = []
    for source, doc in zip(items, json.loads(result.stdout)):
        if "error" in doc:
            diagnostics.append(error(source.path, source.first_line, f"pandoc could not read this: {doc['error']}", "pandoc-failed"))
            del sources[source.key]
        else:
            source.ast.update(doc)
    return diagnostics
