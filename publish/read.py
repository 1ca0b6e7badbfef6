"""Turn a book directory into raw material: book.yaml's data and every Markdown text as pandoc JSON.

Pandoc runs once per build, in one process, over every text at once (`read_all.lua`).
"""
from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pypandoc

from . import confine, metadata, yamlmap
from .diagnostics import BookError, Diagnostic, error
from .convert import CONTROL
from .nesting import MAX_LINE, nesting_problems
from .styles import Styles

BOOK_FILE = "manuscript/book.yaml"
MAX_BYTES = 2_000_000  # a chapter of a long book is ~200 kB
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


def read_text(root: Path, relpath: str, named_at: tuple[str, int] | None = None,
              markdown: bool = True) -> tuple[str | None, list[Diagnostic]]:
    """Read a UTF-8 text file, or say precisely why it cannot be read (or, if Markdown, is nested too deep).

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
    nul, bad = data.find(b"\0"), None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if nul >= 0 and (bad is None or nul < bad):
        return None, [error(relpath, _line_at(data, nul), "a NUL byte: binary data, not UTF-8 text", "file-encoding")]
    if bad is not None:
        message = "binary file, not UTF-8 text" if nul >= 0 else f"not valid UTF-8 (byte 0x{data[bad]:02x})"
        return None, [error(relpath, _line_at(data, bad), message, "file-encoding")]
    if not text.strip():
        return None, [error(relpath, 1, "file is empty", "file-empty")]
    if control := CONTROL.search(text):
        return None, [error(relpath, text.count("\n", 0, control.start()) + 1,
                            f"the control character U+{ord(control.group()):04X}: not text (XML, and so HTML and EPUB, "
                            "cannot hold it)", "file-encoding")]
    if markdown and (problems := nesting_problems(text, relpath)):
        return None, problems
    if not markdown and (long := next((n for n, x in enumerate(text.split("\n"), 1) if len(x) > MAX_LINE), 0)):
        return None, [error(relpath, long, f"line is longer than {MAX_LINE:,} characters", "file-too-large")]
    return text.removeprefix("\ufeff"), []


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_book(root: Path, known=lambda source: False) -> Reading:
    """Read everything; `known(source)` says a source needs no pandoc run (its conversion is cached)."""
    root = Path(root)
    diagnostics: list[Diagnostic] = []
    text, problems = read_text(root, BOOK_FILE, markdown=False)
    diagnostics += problems
    meta, lines = {}, {}
    if text is not None:
        try:
            meta, lines = yamlmap.load(text)
        except yamlmap.YamlError as exc:
            diagnostics += [error(BOOK_FILE, line, message, "yaml-invalid") for line, message in exc.problems]
        if not isinstance(meta, dict):
            if not diagnostics:
                diagnostics.append(error(BOOK_FILE, 1, "book.yaml must be a mapping of fields", "yaml-invalid"))
            meta = {}
    diagnostics += metadata.validate(meta, lines, BOOK_FILE)
    try:
        diagnostics += _labels_found(Styles.for_book(root), meta, lines)
    except BookError as exc:  # a styles/ leading outside the book
        diagnostics += exc.diagnostics
    meta = metadata.normalised(meta)

    sources: dict[tuple, Source] = {}
    for entry_line, name in metadata.content_files(meta, lines):
        rel = f"manuscript/{name}"
        body, problems = read_text(root, rel, (BOOK_FILE, entry_line))
        diagnostics += problems
        if body is not None:
            sources[("file", name)] = Source(("file", name), rel, 1, body)
    for keypath, value in metadata.markdown_fields(meta):
        if problems := nesting_problems(value, BOOK_FILE, lines.get(keypath, 1)):
            diagnostics += problems
        else:
            sources[("meta",) + keypath] = Source(("meta",) + keypath, BOOK_FILE, lines.get(keypath, 1), value)

    diagnostics += parse_sources({k: s for k, s in sources.items() if not known(s)}, sources)
    return Reading(root, meta, lines, sources, tuple(diagnostics))


def _labels_found(styles: Styles, meta: dict, lines: dict) -> list[Diagnostic]:
    """Every edition's language needs labels (styles/locale/<language>.yaml): say so at its line."""
    out = []
    for keypath, tag in metadata.languages(meta):
        if metadata.LANGUAGE_TAG.match(tag) and not styles.locale_files(tag):
            base = tag.split("-")[0].lower()
            out.append(error(BOOK_FILE, lines.get(keypath, 1),
                             f"no labels for language '{tag}': add styles/locale/{base}.yaml to the book", "meta-invalid"))
    return out


def parse_sources(todo: dict[tuple, Source], sources: dict[tuple, Source]) -> list[Diagnostic]:
    """Give every source in `todo` its pandoc AST, all in a single pandoc process."""
    items = list(todo.values())
    if not items:
        return []
    result = subprocess.run(
        [pandoc_path(), "lua", str(LUA)],
        # a text not ending in a newline gets one (no line moves): pandoc.read would make the last row
        # of a table at the end a paragraph, and a closing ':::' at the end an empty paragraph
        input=json.dumps([s.text if s.text.endswith("\n") else s.text + "\n" for s in items]).encode(),
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
