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


def sweep(out: Path) -> None:
    """Remove what a killed build left behind anywhere under `out` (build/.cache included): its
    temporary files and folders (`.NAME.XXXX.tmp`, `.NAME.old`), never artifacts; symlinks are not followed."""
    for folder, dirs, files in os.walk(out, followlinks=False):
        for name in [*dirs, *files]:
            if name.startswith(".") and name.endswith((".tmp", ".old")):
                leftover = Path(folder, name)
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink(missing_ok=True)
        dirs[:] = [d for d in dirs if not (d.startswith(".") and d.endswith((".tmp", ".old")))]
