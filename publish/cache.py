"""Turn a source's text into its converted blocks without pandoc when the same text was converted before.

The cache lives in build/.cache/convert/, keyed by the text, its place in the book, and the code
of `publish` itself, so a change to either makes a fresh conversion.
"""
from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path

from .write import write_file


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.suffix in (".py", ".lua"):
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ConvertCache:
    def __init__(self, root: Path | None):
        self.dir = Path(root) / "build" / ".cache" / "convert" if root else None
        self.hits = 0

    def key(self, source) -> str:
        parts = (code_version(), repr(source.key), source.path, str(source.first_line), source.text)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def get(self, source):
        if self.dir is None:
            return None
        try:
            value = pickle.loads((self.dir / self.key(source)).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        self.hits += 1
        return value

    def has(self, source) -> bool:
        return self.dir is not None and (self.dir / self.key(source)).is_file()

    def put(self, source, value) -> None:
        if self.dir is not None:
            write_file(self.dir / self.key(source), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
