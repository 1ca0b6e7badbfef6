"""Turn a .docx file into `manuscript/NAME.md`, its images, and an entry in book.yaml's contents (one pandoc run)."""
from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import yamlmap
from ..diagnostics import Diagnostic, error, warning
from ..read import BOOK_FILE, pandoc_path
from .package import NotDocx, open_package
from .reading import Mapper

PARTS = ("front", "body", "back")
MAX_DOCX = 50_000_000


@dataclass
class Imported:
    name: str  # file name under manuscript/
    markdown: str = ""
    authors: list = field(default_factory=list)  # contributor ids
    images: dict = field(default_factory=dict)  # name under manuscript/ -> bytes
    yaml: str = ""  # book.yaml's new text
    problems: list = field(default_factory=list)  # Diagnostics about the .docx
    losses: bool = False  # something was dropped


def slug_of(stem: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "chapter"


def read_docx(path: Path, shown: str, book: Path, name: str | None, part: str, accept_changes: bool) -> Imported:
    """Everything the import would write; nothing is written here."""
    slug = slug_of(name or path.stem)
    result = Imported(f"{slug}.md")
    say = lambda line, message, code, loss=True: result.problems.append(
        (error if loss else warning)(shown, line, message, code))
    try:
        data = path.read_bytes()
        if len(data) > MAX_DOCX:
            raise NotDocx(f"the file is larger than {MAX_DOCX // 1_000_000} MB")
        package = open_package(data)
    except (NotDocx, OSError) as exc:
        say(1, f"cannot import: {exc}", "docx-invalid")
        return result
    if accept_changes and (package.comments or package.changes):
        say(1, f"--accept-changes: {len(package.changes)} tracked changes accepted, {len(package.comments)} comments "
               "left out", "docx-changes", loss=False)
    for number, author, text in package.comments if not accept_changes else ():
        say(number, f"a comment by {author} ('{_short(text)}'): resolve the comments, delete them "
                    "(Review › Delete All Comments) and import again, or import with --accept-changes", "docx-comment")
    for number, what, author, text in package.changes if not accept_changes else ():
        say(number, f"a tracked change, {what} by {author}" + (f" ('{_short(text)}')" if text else "") +
            ": accept or reject the changes in Word (Review › Accept All Changes) and import again, "
            "or import with --accept-changes", "docx-changes")
    if result.problems and not accept_changes:
        return result
    ast = _pandoc(package.docx())
    if "error" in ast:
        say(1, f"pandoc could not read it: {ast['error']}", "docx-invalid")
        return result
    try:  # the entry goes into book.yaml: a book.yaml that does not read is reported, not written over
        text = (book / BOOK_FILE).read_text(encoding="utf-8")
        meta, lines = yamlmap.load(text)
    except yamlmap.YamlError as exc:
        result.problems += [error(BOOK_FILE, line, message, "yaml-invalid") for line, message in exc.problems]
        return result
    except (OSError, UnicodeDecodeError) as exc:
        result.problems.append(error(BOOK_FILE, 1, f"cannot read it: {exc}", "file-unreadable"))
        return result
    if not isinstance(meta, dict):
        result.problems.append(error(BOOK_FILE, 1, "book.yaml holds no fields (title, contents…)", "meta-invalid"))
        return result
    mapper = Mapper(slug, "Title" in package.pstyles.values())
    mapper.note_start = first_note(book, result.name, part)
    chapter = mapper.document(ast, path.stem.replace("_", " "))
    for problem in chapter.problems:
        say(max(problem.paragraph, 1), problem.message, problem.code, problem.loss)
    result.markdown = chapter.markdown
    result.images = _images(package.parts, chapter.images, book, say)
    people = {str(c.get("name", "")).casefold(): c.get("id") for c in meta.get("contributors") or [] if isinstance(c, dict)}
    for byline in chapter.authors:
        for person in _names(byline):
            if person.casefold() in people:
                result.authors.append(people[person.casefold()])
            else:
                say(1, f"the byline names {person}, who is not among book.yaml's contributors: add them there, "
                       f"then to this chapter's authors", "docx-loss")
    if any(isinstance(e, dict) and e.get("file") == result.name for e in meta.get("contents") or []):
        say(1, f"book.yaml's contents already hold {result.name}: import with --as NAME", "docx-exists")
    result.yaml = add_entry(text, meta, lines, result.name, part, result.authors)
    if not result.yaml:
        say(1, f"book.yaml's contents are not a list written one entry a line (`contents:`, then `  - file: …` "
               f"lines): add `- file: {result.name}` to them by hand", "docx-contents")
    result.losses = any(p.severity == "error" for p in result.problems)
    return result


def first_note(book: Path, name: str, part: str) -> int:
    """1, or with notes numbered through the book the number after the last note of the files before this one
    (the file it replaces, or where add_entry puts it: after the last file of the same or an earlier part)."""
    from .. import build as pipeline

    model, _ = pipeline.load(book)
    if model is None or model.notes == "chapter":
        return 1
    texts = [u for u in model.units if u.kind == "text"]
    stem = name.removesuffix(".md")
    at = next((i for i, u in enumerate(texts) if u.slug == stem), None)
    if at is None:
        at = max((i + 1 for i, u in enumerate(texts) if PARTS.index(u.part) <= PARTS.index(part)), default=0)
    before = [u for u in texts[:at] if u.notes]
    if model.notes == "footnotes" and all(u.notes[0].number == 1 for u in texts if u.notes):
        return 1
    return before[-1].notes[-1].number + 1 if before else 1


def _short(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _names(byline: str) -> list[str]:
    byline = re.sub(r"^\s*by\s+", "", byline, flags=re.I)
    return [n.strip() for n in re.split(r",|;|\band\b|&", byline) if n.strip()]


def _pandoc(docx: bytes) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.docx"
        source.write_bytes(docx)
        run = subprocess.run([pandoc_path(), "-f", "docx+styles", "-t", "json", "--track-changes=accept",
                              str(source)], capture_output=True, check=False, timeout=300)
    if run.returncode != 0:
        return {"error": (run.stderr.decode(errors="replace").strip().splitlines() or ["unknown"])[-1]}
    return json.loads(run.stdout)


def _images(parts: dict, wanted: list, book: Path, say) -> dict:
    out = {}
    for src, name in wanted:
        data = parts.get("word/" + src) or parts.get(src)
        if data is None:
            say(1, f"the image {src} is not in the .docx (a linked picture?): not imported", "docx-loss")
            continue
        target = book / "manuscript" / name
        if target.exists() and target.read_bytes() != data:
            say(1, f"manuscript/{name} exists already and holds another image: not overwritten", "docx-exists")
            continue
        out[name] = data
    return out


def add_entry(text: str, meta: dict, lines: dict, name: str, part: str, authors: list) -> str:
    """book.yaml's text with `- file: NAME` in its contents, after the last entry of the same or an earlier part
    (an empty `contents: []`, or none, becomes a block list); "" when the contents cannot take it so (written
    inline, `contents: [{file: a.md}]`): the new text must read as the old one plus the entry."""
    rows = text.split("\n")
    entries = meta.get("contents") or []
    if not entries:  # `contents: []`, `contents:` or no contents: the key, then the entry under it
        key = lines.get(("contents",))
        if key is None:
            rows = [*(rows[:-1] if rows and rows[-1] == "" else rows), "contents:", ""]
            lines = {**lines, ("contents",): len(rows) - 1}
        else:
            rows[key - 1] = re.sub(r"^(\s*contents:)\s*(\[\s*\])?", r"\1", rows[key - 1])
    at = _after(entries, part)
    new = _add_entry(rows, entries, lines, at, name, part, authors)
    try:
        read, _ = yamlmap.load(new)
    except yamlmap.YamlError:
        return ""
    wanted = [*entries[:at + 1], {"file": name, **({"part": part} if part != "body" else {}),
              **({"authors": list(authors)} if authors else {})}, *entries[at + 1:]]
    same = isinstance(read, dict) and {k: v for k, v in read.items() if k != "contents"} == {
        k: v for k, v in meta.items() if k != "contents"}
    return new if same and read.get("contents") == wanted else ""


def _after(entries: list, part: str) -> int:
    """The index of the last entry of the same or an earlier part (-1: none)."""
    rank = lambda e: PARTS.index(e.get("part", "body")) if isinstance(e, dict) and e.get("part", "body") in PARTS else 1
    return max((i for i, e in enumerate(entries) if rank(e) <= PARTS.index(part)), default=-1)


def _add_entry(rows: list, entries: list, lines: dict, after: int, name: str, part: str, authors: list) -> str:
    """The rows with the entry's lines after entry `after` (-1: before the first, or under `contents:`)."""
    first = lines.get(("contents", 0, next(iter(entries[0]), "file"))) if entries and isinstance(entries[0], dict) else None
    dash = re.match(r"\s*", rows[first - 1]).group() if first else "  "
    if after >= 0:
        at = max(line for key, line in lines.items() if key[:2] == ("contents", after))
    elif first:
        at = first - 1
    else:
        at = lines.get(("contents",), len(rows))
    entry = [f"{dash}- file: {name}"] + ([f"{dash}  part: {part}"] if part != "body" else []) + (
        [f"{dash}  authors: [{', '.join(authors)}]"] if authors else [])
    return "\n".join(rows[:at] + entry + rows[at:])
