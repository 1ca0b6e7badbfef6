"""Turn a source's text into its converted blocks without pandoc when the same text was converted before.

The cache lives in build/.cache/convert/, keyed by the text, its place in the book, and the code
of `publish` itself, so a change to either makes a fresh conversion.

Every cache entry (here and in layout.py) is data only: a header line `publish-cache FORMAT CODE MAC`
then the payload (JSON, see serial.py). MAC is an HMAC-SHA256 over the kind, the entry's name, FORMAT,
CODE and the payload, keyed by a per-user secret kept outside every book ($XDG_CACHE_HOME/publish/
cache-key), so a book shipped with its own build/.cache cannot plant entries. An entry that is corrupt,
truncated, foreign, forged or of another version is a miss: rebuilt and overwritten, never trusted.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from .write import write_file

if TYPE_CHECKING:  # imported when used: a no-op build reads records without the model's modules
    from .convert import Converted

FORMAT = b"1"
MAGIC = b"publish-cache"
KEY_BYTES = 32


@lru_cache(maxsize=1)
def code_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*")):
        if path.suffix in (".py", ".lua"):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "publish" / "cache-key"


def secret() -> bytes | None:
    """This user's cache key, made (0600, atomically) on first use; None if it can't be had: no cache then."""
    try:
        path = key_path()
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cache-key.", suffix=".tmp")  # mode 0600
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(secrets.token_bytes(KEY_BYTES))
                    handle.flush()
                    os.fsync(handle.fileno())
                try:
                    os.link(tmp, path)  # never replaces a key another build made meanwhile
                except FileExistsError:
                    pass
                except OSError:
                    os.replace(tmp, path)
            finally:
                Path(tmp).unlink(missing_ok=True)
        key = read_regular(path, 4096)
    except (OSError, RuntimeError):  # RuntimeError: no home directory
        return None
    return key if key is not None and len(key) >= KEY_BYTES else None


def read_regular(path: Path, limit: int) -> bytes | None:
    """A regular file's bytes (never through a symlink, never a device or pipe), None if over `limit`."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = handle.read(limit + 1)
    return data if len(data) <= limit else None


def cache_dir(root: Path | None, kind: str) -> Path | None:
    """root/build/.cache/KIND, or None (no cache) when a part of it is a symlink or not a directory."""
    if root is None:
        return None
    path = Path(root)
    for part in ("build", ".cache", kind):
        path = path / part
        if path.is_symlink() or (path.exists() and not path.is_dir()):
            return None
    return path


def _mac(key: bytes, kind: str, name: str, payload: bytes) -> bytes:
    head = b"\0".join((kind.encode(), name.encode(), FORMAT, code_version().encode(), b""))
    return hmac.new(key, head + payload, hashlib.sha256).hexdigest().encode()


def seal(key: bytes, kind: str, name: str, payload: bytes) -> bytes:
    """The bytes of an entry: its header line, then the payload."""
    return b" ".join((MAGIC, FORMAT, code_version().encode(), _mac(key, kind, name, payload))) + b"\n" + payload


def unseal(key: bytes, kind: str, name: str, data: bytes) -> bytes | None:
    """The payload of an entry this user's publish, at this version, wrote under this name; else None."""
    line, newline, payload = data.partition(b"\n")
    parts = line.split(b" ")
    if not newline or len(parts) != 4 or parts[:3] != [MAGIC, FORMAT, code_version().encode()]:
        return None
    return payload if hmac.compare_digest(parts[3], _mac(key, kind, name, payload)) else None


class Store:
    """Authenticated entries in one cache directory; every failure to read or write is a miss."""

    def __init__(self, directory: Path | None, kind: str, limit: int):
        self.key = secret() if directory is not None else None
        self.dir = directory if self.key is not None else None
        self.kind, self.limit = kind, limit

    def read(self, name: str) -> bytes | None:
        if self.dir is None:
            return None
        try:
            data = read_regular(self.dir / name, self.limit)
        except OSError:
            return None
        return None if data is None else unseal(self.key, self.kind, name, data)

    def write(self, name: str, payload: bytes) -> None:
        if self.dir is not None:
            try:
                write_file(self.dir / name, seal(self.key, self.kind, name, payload))
            except OSError:
                pass  # a cache that cannot be written is only slower


class ConvertCache:
    """`root`: the book directory (the cache in its build/.cache/convert); or `directory`: the cache itself."""

    def __init__(self, root: Path | None, directory: Path | None = None):
        self.store = Store(Path(directory) if directory else cache_dir(root, "convert"), "convert", 64_000_000)
        self.dir = self.store.dir
        self.hits = 0
        self._found: dict[str, Converted] = {}

    def key(self, source) -> str:
        parts = (code_version(), repr(source.key), source.path, str(source.first_line), source.text)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def _load(self, source) -> Converted | None:
        from . import serial
        from .convert import Converted

        name = self.key(source)
        if name not in self._found:
            payload = self.store.read(name)
            if payload is None:
                return None
            try:
                self._found[name] = serial.decode(payload, Converted)
            except serial.SerialError:
                return None
        return self._found[name]

    def get(self, source) -> Converted | None:
        value = self._load(source)
        if value is not None:
            self.hits += 1
        return value

    def has(self, source) -> bool:
        """Whether a valid entry exists (checked and decoded now: a bad one must not skip pandoc)."""
        return self._load(source) is not None

    def put(self, source, value: Converted) -> None:
        from . import serial

        self.store.write(self.key(source), serial.encode(value))
