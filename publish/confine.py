"""Turn a path a book names into the bytes of a file that may be read, or a refusal saying why.

A book directory is untrusted: a file it names must resolve (symlinks followed) inside one of the
allowed folders — the book itself, or the toolchain's own styles — and be a regular file. A symlink
that leaves them, a FIFO that would block, a device, or a file over the size limit is refused
before a byte is read.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path


class Refused(OSError):
    """The file may not be read; `reason` says why in words a user understands."""

    def __init__(self, path: Path, reason: str, code: str = "file-outside"):
        super().__init__(reason)
        self.path, self.reason, self.code = Path(path), reason, code

    def __reduce__(self):  # crosses from a build worker process to the parent whole
        return Refused, (self.path, self.reason, self.code)


class TooLarge(Refused):
    """The file is over the size limit."""

    def __init__(self, path: Path, reason: str):
        super().__init__(path, reason, "file-too-large")

    def __reduce__(self):
        return TooLarge, (self.path, self.reason)


def inside(path: Path, roots) -> Path:
    """`path` resolved, if it lies in one of `roots` (themselves resolved); else Refused."""
    resolved = Path(os.path.realpath(path))
    for root in roots:
        base = Path(os.path.realpath(root))
        if resolved == base or resolved.is_relative_to(base):
            return resolved
    raise Refused(path, "it leads outside the book (a symlink)" if os.path.islink(path) or resolved != Path(os.path.abspath(path))
                  else "it is outside the book")


def read_bytes(path: Path, roots, limit: int | None = None) -> bytes:
    """The bytes of a regular file inside `roots`, at most `limit` of them (Refused beyond)."""
    resolved = inside(path, roots)
    try:
        fd = os.open(resolved, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == 40:  # ELOOP: the last component became a symlink after it was resolved
            raise Refused(path, "it changed into a symlink while being read") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            raise Refused(path, "it is not a regular file (a pipe, socket or device)", "file-unreadable")
        if limit is not None and info.st_size > limit:
            raise TooLarge(path, f"it is larger than {limit:,} bytes")
        data = handle.read(limit + 1 if limit is not None else -1)
    if limit is not None and len(data) > limit:
        raise TooLarge(path, f"it is larger than {limit:,} bytes")
    return data
