"""Turn rendered bytes into files on disk atomically: a temporary file or directory, then a rename."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_file(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_tree(path: Path, files: dict[str, bytes]) -> None:
    """Replace the directory `path` by one holding exactly `files`, never leaving it half-written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        for rel, data in sorted(files.items()):
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(tmp, 0o755)
        old = None
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
        os.replace(tmp, path)
        if old:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def sweep(out: Path) -> None:
    """Remove what a killed build left behind: its temporary files and directories (never artifacts)."""
    out = Path(out)
    caches = [] if (out / ".cache").is_symlink() else out.glob(".cache/**/.*.tmp")  # ** follows no symlink
    for leftover in [*out.glob(".*.tmp"), *out.glob("*/.*.tmp"), *out.glob("*/.*.old"), *caches]:
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
