"""Turn a build's new artifacts into the next generation of build/, published by one rename.

    build/.gen/<id>/<edition>/…     a generation: every artifact of every edition, never changed once made
    build/current -> .gen/<id>      the rename of this one symlink publishes a build: old or new, never half
    build/<edition> -> current/<edition>   what readers open (build/en/book.pdf)
    build/.lock                     held while a build runs: a second build waits for the first
    build/.shared.lock              held shared by every build of the book (whatever its output folder);
                                    sweeping what a killed build left needs it alone (BookLock)

A build writes only into a new generation; what it does not rebuild (another edition, another
format) is hard-linked from the current one. Until the rename, build/ is exactly as it was: a
failed or killed build changes nothing a reader sees, and the next build sweeps what it left.
Nothing found in build/ is trusted: a `current` that is not ours, a symlink leaving build/, a file
that is not a regular file is never followed or carried over.
"""
from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from pathlib import Path

from .diagnostics import BookError, error
from .write import write_file

GENERATIONS = ".gen"
CURRENT = "current"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # an edition's or a generation's name


class Generation:
    """The build/ being made: `file()` and `tree()` write into it, `commit()` publishes it."""

    def __init__(self, out: Path, root: Path | None = None):
        self.out = Path(out)
        self.written: set[str] = set()
        self._lock = None
        require_folders(self.out.parent, self.out / GENERATIONS)

    def __enter__(self) -> "Generation":
        (self.out / GENERATIONS).mkdir(parents=True, exist_ok=True)
        fd = open_lock(self.out / ".lock")
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._lock = fd
        sweep_generations(self.out)
        self.old = current_generation(self.out)
        self.dir = Path(tempfile.mkdtemp(dir=self.out / GENERATIONS, prefix="g"))
        os.chmod(self.dir, 0o755)
        return self

    def __exit__(self, kind, value, traceback) -> None:
        try:
            if kind is not None:
                shutil.rmtree(self.dir, ignore_errors=True)
        finally:
            os.close(self._lock)

    def file(self, rel: str, data: bytes) -> None:
        if not self._same(rel, data):
            write_file(self.dir / rel, data)
        self.written.add(rel)

    def tree(self, rel: str, files: dict[str, bytes]) -> None:
        for name, data in sorted(files.items()):
            if not self._same(f"{rel}/{name}", data):
                write_file(self.dir / rel / name, data)
        (self.dir / rel).mkdir(parents=True, exist_ok=True)
        self.written.add(rel)

    def _same(self, rel: str, data: bytes) -> bool:
        """Hard-link the published file when it holds exactly `data` (its mtime and inode stay)."""
        if self.old is None:
            return False
        source = self.old / rel
        try:
            if os.path.realpath(source) != os.path.join(os.path.realpath(self.old), rel):
                return False  # through a symlink: never followed
            if not (source.is_file() and not source.is_symlink() and source.stat().st_size == len(data)
                    and source.read_bytes() == data):
                return False
            (self.dir / rel).parent.mkdir(parents=True, exist_ok=True)
            os.link(source, self.dir / rel, follow_symlinks=False)
        except OSError:
            return False
        return True

    def commit(self, editions: list[str]) -> None:
        """Publish: carry over what this build did not make (of `editions` only), then one rename."""
        old = current_generation(self.out)
        if old is not None:
            for edition in editions:
                self._carry(old / edition, edition)
        for edition in editions:
            if _legacy(self.out / edition):
                self._carry(self.out / edition, edition)
        made = sorted(p.name for p in self.dir.iterdir() if p.is_dir())
        for edition in made:
            _link(self.out / edition, f"{CURRENT}/{edition}", legacy_to=self.out / GENERATIONS)
        _link(self.out / CURRENT, f"{GENERATIONS}/{self.dir.name}")  # the publishing rename
        for link in self.out.iterdir():
            if link.is_symlink() and os.readlink(link).startswith(f"{CURRENT}/") and link.name not in made:
                link.unlink()
        sweep_generations(self.out)

    def _carry(self, source: Path, edition: str) -> None:
        """Hard-link every regular file under `source` into the new generation, unless rebuilt."""
        if not NAME.match(edition) or not source.is_dir():
            return
        for folder, dirs, files in os.walk(source, followlinks=False):
            for name in files:
                path = Path(folder, name)
                rel = f"{edition}/{path.relative_to(source).as_posix()}"
                if path.is_symlink() or not path.is_file() or self._rebuilt(rel):
                    continue
                target = self.dir / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, target, follow_symlinks=False)
                except OSError:
                    shutil.copyfile(path, target, follow_symlinks=False)

    def _rebuilt(self, rel: str) -> bool:
        return any(rel == w or rel.startswith(w + "/") for w in self.written) or (self.dir / rel).exists()


class BookLock:
    """Every build of one book holds build/.shared.lock shared, so that none sweeps away the temporary
    files another is still writing (the caches are the book's, whichever folder a build writes to)."""

    def __init__(self, root: Path):
        self.path = Path(root) / "build" / ".shared.lock"
        self._fd = None

    def __enter__(self) -> "BookLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = open_lock(self.path)
        fcntl.flock(self._fd, fcntl.LOCK_SH)
        return self

    def sweep(self, sweep) -> bool:
        """Run `sweep()` if no other build of the book is running (else leave it to a later build)."""
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # drops the shared lock if it fails
        except BlockingIOError:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
            return False
        try:
            sweep()
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_SH)
        return True

    def __exit__(self, *exc) -> None:
        os.close(self._fd)


def open_lock(lock: Path) -> int:
    """A descriptor of the lock file `lock`; whatever stands there that is not a plain file (a symlink, a
    folder: not ours) is removed, never followed."""
    if lock.is_symlink() or (lock.exists() and not lock.is_file()):
        shutil.rmtree(lock) if lock.is_dir() and not lock.is_symlink() else lock.unlink()
    return os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)


def require_folders(root: Path, *paths: Path) -> None:
    """BookError unless each path is a real folder (or missing) below `root`, through no symlink."""
    for path in paths:
        current = Path(root)
        for part in Path(path).relative_to(root).parts:
            current = current / part
            if current.is_symlink() or (current.exists() and not current.is_dir()):
                shown = current.relative_to(root).as_posix()
                raise BookError([error(shown, 1, f"'{shown}' is a symlink or a file where the build needs a folder "
                                       "of its own (remove it)", "build-unsafe")])


def current_generation(out: Path) -> Path | None:
    """The published generation, if build/current is one of ours."""
    link = Path(out) / CURRENT
    if not link.is_symlink():
        return None
    target = os.readlink(link)
    parts = target.split("/")
    if len(parts) != 2 or parts[0] != GENERATIONS or not NAME.match(parts[1]):
        return None
    path = Path(out) / GENERATIONS / parts[1]
    return path if path.is_dir() and not path.is_symlink() else None


def sweep_generations(out: Path) -> None:
    """Remove every generation but the published one (a killed build's, a replaced one)."""
    keep = current_generation(out)
    folder = Path(out) / GENERATIONS
    for path in folder.iterdir() if folder.is_dir() else ():
        if keep is None or path.name != keep.name:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
    for leftover in Path(out).glob(".*.link.tmp"):
        leftover.unlink(missing_ok=True)


def _legacy(path: Path) -> bool:
    """An edition folder from before generations (a real folder where a link belongs)."""
    return path.is_dir() and not path.is_symlink()


def _link(path: Path, target: str, legacy_to: Path | None = None) -> None:
    """Make `path` a symlink to `target` by renaming a new symlink over it (atomic)."""
    if path.is_symlink() and os.readlink(path) == target:
        return
    if _legacy(path) and legacy_to is not None:  # once, on the first build with generations
        os.replace(path, Path(tempfile.mkdtemp(dir=legacy_to, prefix="legacy")) / path.name)
    tmp = path.with_name(f".{path.name}.link.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, path)
