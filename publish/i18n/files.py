"""Turn a book's translation directory (manuscript/<lang>/) into records, and records back into files."""
from __future__ import annotations

from pathlib import Path

from .. import confine
from ..diagnostics import BookError, Diagnostic, error
from ..read import read_text
from ..write import write_file
from . import paralleltext
from .paralleltext import Record


def directory(root: Path, lang: str) -> Path:
    return Path(root) / "manuscript" / lang


def relpath(lang: str, stem: str) -> str:
    return f"manuscript/{lang}/{stem}.txt"


def load(root: Path, lang: str) -> tuple[dict[str, list[Record]], list[Diagnostic]]:
    """Records per file stem, and the problems found reading them."""
    records: dict[str, list[Record]] = {}
    problems: list[Diagnostic] = []
    folder = directory(root, lang)
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        rel = relpath(lang, path.stem)
        text, trouble = read_text(root, rel)
        problems += trouble
        if text is not None:
            found, trouble = paralleltext.parse(text, rel, lang)
            records[path.stem] = found
            problems += trouble
    return records, problems


def save(root: Path, lang: str, records: dict[str, list[Record]], titles: dict[str, str]) -> list[str]:
    """Write every file whose content changed; the relative paths written."""
    written = []
    for stem, recs in sorted(records.items()):
        text = paralleltext.render(recs, lang, titles.get(stem, stem))
        path = Path(root) / relpath(lang, stem)
        try:
            confine.inside(path, [root])  # never written through a symlink leading outside the book
            same = confine.read_bytes(path, [root]) == text.encode("utf-8")
        except FileNotFoundError:
            same = False
        except confine.Refused as exc:
            raise BookError([error(relpath(lang, stem), 1, f"cannot write it: {exc.reason}", exc.code)]) from None
        if not same:
            write_file(path, text.encode("utf-8"))
            written.append(relpath(lang, stem))
    return written
