"""Turn "lay this out unless another process is doing it now" into a lock per cache entry.

Two builds of one book that miss the same layout cache entry at once (`publish serve` beside `make
pdf`, two test workers) would both lay the book out. The first to miss takes the entry's lock,
`.KEY.lock` beside the entry, and holds it until the entry is written; the others wait for it, then
read the entry instead of laying the book out again.

The lock file is removed by whoever releases it (a waiter that then holds a removed file notices and
opens the new one), so a cache folder keeps no lock files. A worker process (a parallel build: its
parent writes the entries) keeps the lock until the parent has written the entry and removed the file
(`written`); its waiters see the file go. A waiter gives up after WAIT seconds and lays the book out
itself: a lock is never a hang.
"""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from .staging import open_lock

WAIT = 900.0  # seconds: longer than any layout's own time limit on a busy machine
POLL = 0.1
_kept: list[int] = []  # a worker's locks, held until its parent removes their files (or it exits)


def _path(directory: Path, name: str) -> Path:
    return Path(directory) / f".{name}.lock"


def _same_file(fd: int, path: Path) -> bool:
    try:
        now = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    held = os.fstat(fd)
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


class EntryLock:
    """`with EntryLock(directory, name) as lock:` holds the entry's lock (lock.fd None: not had: no
    cache folder, or waited WAIT seconds); `keep` set True: left held on leaving without an exception
    (see `written`)."""

    def __init__(self, directory: Path | None, name: str, keep: bool = False, wait: float = WAIT):
        self.path = _path(directory, name) if directory is not None else None
        self.keep, self.wait, self.fd = keep, wait, None

    def __enter__(self) -> "EntryLock":
        if self.path is None:
            return self
        until = time.monotonic() + self.wait
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            while self.fd is None and time.monotonic() < until:
                fd = open_lock(self.path)
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        if _same_file(fd, self.path) and time.monotonic() < until:
                            time.sleep(POLL)
                            continue
                        os.close(fd)  # its file was removed (the entry is written) or the wait is over
                        break
                    if _same_file(fd, self.path):
                        self.fd = fd
                    else:  # had, but removed meanwhile by its holder: take the new one
                        os.close(fd)
                    break
        except OSError:
            self.fd = None  # a lock that cannot be had only costs a second layout
        return self

    def __exit__(self, kind, *exc) -> None:
        if self.fd is None:
            return
        if self.keep and kind is None:
            _kept.append(self.fd)
            return
        Path(self.path).unlink(missing_ok=True)
        os.close(self.fd)
        self.fd = None


def written(directory: Path | None, name: str) -> None:
    """The entry `name` is written: remove its lock file (a worker that holds it lets go on exit)."""
    if directory is not None:
        try:
            _path(directory, name).unlink(missing_ok=True)
        except OSError:
            pass
