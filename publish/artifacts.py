"""Turn a book's input files into artifact keys, and a build's artifacts into signed records of them:
an artifact whose inputs did not change is neither built nor rewritten.

    key(artifact) = SHA-256 of the code version, the libraries' versions, the options that reach the
                    output (SOURCE_DATE_EPOCH, the CMYK profile), the book's place, the artifact's
                    name, and the content of every input file of its edition: manuscript/ (less the
                    other languages' translation folders), the styles folders, images the book
                    names outside manuscript/; for a PDF or EPUB, the (path, size, mtime) of
                    the font files its stylesheets can reach (publish/fonts.py).
    record  a-KEY -> the SHA-256 of the artifact (a file's bytes; a tree's files and their bytes)
    state   s-FINGERPRINT -> the edition names, the load's diagnostics and every artifact's digest,
            for a build whose inputs have exactly these sizes and mtimes: a no-op build reads it,
            hashes the published artifacts, and stops without reading the manuscript.

Records are entries of the authenticated cache (cache.py, build/.cache/artifacts/): a record planted
in a shipped build/ is a miss. An artifact is kept only when its published bytes hash to the record,
so what readers see is always what this build would have written.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

from . import fonts
from .cache import Store, cache_dir, code_version
from .diagnostics import Diagnostic
from .staging import current_generation

FILES = {"html": "html", "pdf": "book.pdf", "print": "book-print.pdf", "epub": "book.epub"}  # format -> path
MORE_FILES = {"print": ("cover", "book-cover.pdf")}  # a format's second artifact: the press PDF's cover spread


def files_of(fmt: str) -> tuple:
    """(artifact kind, path in an edition's folder) of every file a format makes."""
    return ((fmt, FILES[fmt]),) + ((MORE_FILES[fmt],) if fmt in MORE_FILES else ())
MAX_INPUT = 200_000_000  # a file bigger than this is keyed by its size and mtime only


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tree_digest(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for rel in sorted(files):
        digest.update(f"{rel}\0{file_digest(files[rel])}\n".encode())
    return digest.hexdigest()


def published_digest(path: Path, tree: bool) -> str | None:
    """The digest of a published artifact (a regular file, or a folder of them), None if not one."""
    try:
        if not tree:
            return file_digest(_read(path)) if _regular(path) else None
        if path.is_symlink() or not path.is_dir():
            return None
        files = {}
        for folder, dirs, names in os.walk(path, followlinks=False):
            for name in names + [d for d in dirs if Path(folder, d).is_symlink()]:
                full = Path(folder, name)
                if not _regular(full):
                    return None
                files[full.relative_to(path).as_posix()] = _read(full)
        return tree_digest(files)
    except OSError:
        return None


def _regular(path: Path) -> bool:
    info = os.lstat(path)
    return stat.S_ISREG(info.st_mode)


def _read(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


CMYK_PROFILES = ("/usr/share/color/icc/ghostscript/default_cmyk.icc",)
DEFAULT_STYLES = Path(__file__).resolve().parent.parent / "styles"


def cmyk_profile() -> Path | None:
    """The CMYK ICC profile of the press PDF's output intent, if this machine has one."""
    for candidate in (os.environ.get("PUBLISH_CMYK_PROFILE"), *CMYK_PROFILES):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def style_dirs(root: Path) -> tuple[Path, ...] | None:
    """The styles folders as Styles.for_book finds them; None when the book's own is not a plain folder."""
    own = Path(root).resolve() / "styles"
    if own.is_symlink() or (own.exists() and not own.is_dir()):
        return None
    return (own.resolve(), DEFAULT_STYLES) if own.is_dir() and own.resolve() != DEFAULT_STYLES else (DEFAULT_STYLES,)


def environment_key(root: Path) -> str:
    """What reaches every artifact besides the book's files."""
    parts = [code_version(), str(Path(root).resolve()), os.environ.get("SOURCE_DATE_EPOCH", "").strip()]
    for folder in sys.path:  # every installed library's name and version (WeasyPrint, pikepdf, pandoc's…)
        if folder.endswith("site-packages") and os.path.isdir(folder):
            parts += sorted(n for n in os.listdir(folder) if n.endswith(".dist-info"))
    profile = cmyk_profile()
    parts.append(f"{profile}:{file_digest(profile.read_bytes())}" if profile else "no-profile")
    return file_digest("\0".join(parts).encode())


class Inputs:
    """The book's input files (manuscript/ and the styles folders): their stats, and their digests on demand."""

    def __init__(self, root: Path, style_dirs):
        self.root = Path(root).resolve()
        self.dirs = [self.root / "manuscript", *(Path(d) for d in style_dirs)]
        self.stats: dict[str, tuple] = {}  # shown path -> (size, mtime_ns, inode) or a symlink's target
        for base in self.dirs:
            for folder, dirs, names in os.walk(base, followlinks=False):
                dirs.sort()
                for name in sorted(names) + [d for d in dirs if Path(folder, d).is_symlink()]:
                    self._stat(Path(folder, name))
        self._digests: dict[str, str] = {}

    def _shown(self, path: Path) -> str:
        for i, base in enumerate(self.dirs):
            if path.is_relative_to(base):
                return f"{i}/{path.relative_to(base).as_posix()}"
        return f"extra/{path.relative_to(self.root).as_posix()}"

    def _stat(self, path: Path) -> None:
        try:
            info = os.lstat(path)
            value = (("link", os.readlink(path)) if stat.S_ISLNK(info.st_mode)
                     else (info.st_size, info.st_mtime_ns, info.st_ino, info.st_mode))
        except OSError:
            value = ("missing",)
        self.stats[self._shown(path)] = (str(path), value)

    def add(self, paths) -> list[str]:
        """Files the book names outside the folders above (inside the book); their shown names."""
        out = []
        for path in paths:
            path = Path(os.path.normpath(path))
            if path.is_relative_to(self.root) and not any(path.is_relative_to(d) for d in self.dirs):
                self._stat(path)
                out.append(path.relative_to(self.root).as_posix())
        return out

    def fingerprint(self, *extra: str) -> str:
        return file_digest(json.dumps([sorted((k, v[1]) for k, v in self.stats.items()), extra]).encode())

    def digest(self, exclude=(), only=None) -> str:
        """The digest of the contents of the inputs (less folders `exclude` of manuscript/, or only folder `only`)."""
        digest = hashlib.sha256()
        for shown in sorted(self.stats):
            sub = shown[2:].split("/", 1)[0] if shown.startswith("0/") else None
            if (only is not None and sub != only) or (only is None and sub in exclude):
                continue
            digest.update(f"{shown}\0{self._content(shown)}\n".encode())
        return digest.hexdigest()

    def _content(self, shown: str) -> str:
        if shown not in self._digests:
            path, value = self.stats[shown]
            if value[0] in ("link", "missing") or not stat.S_ISREG(value[3]) or value[0] > MAX_INPUT:
                self._digests[shown] = repr(value)
            else:
                try:
                    self._digests[shown] = file_digest(_read(Path(path)))
                except OSError:
                    self._digests[shown] = "unreadable"
        return self._digests[shown]


def is_tree(rel: str) -> bool:
    return rel.endswith("/html")


def state_name(env: str, inputs: Inputs, only) -> str:
    return file_digest(f"{env}\0{inputs.fingerprint()}\0{sorted(set(only))}".encode())


def noop(root: Path, formats, out: Path | None, only) -> list[Diagnostic] | None:
    """A build's diagnostics when it has nothing to do (every artifact asked for published from
    exactly these inputs); else None. Reads no manuscript, imports no renderer."""
    root = Path(root)
    dirs = style_dirs(root)
    if dirs is None:
        return None
    inputs = Inputs(root, dirs)
    return unchanged(recorded(Records(root), environment_key(root), inputs, only), inputs,
                     Path(out) if out else root / "build", formats, only)


def recorded(records: "Records", env: str, inputs: Inputs, only) -> dict | None:
    """The state of the last build of these inputs for these editions. For some editions that were never
    built alone, the whole book's, if it reported nothing (else its diagnostics would be the whole book's)."""
    state = records.state(state_name(env, inputs, only))
    if state is None and only:
        whole = records.state(state_name(env, inputs, ()))
        if whole is not None and not whole.get("diagnostics"):
            return whole
    return state


def unchanged(state: dict | None, inputs: Inputs, out: Path, formats, only) -> list[Diagnostic] | None:
    """The recorded diagnostics if the build recorded in `state` published every artifact asked
    for and each is still exactly as published; else None."""
    if state is None:
        return None
    try:
        extras = inputs.add(inputs.root / extra for extra in state["extras"])
        if extras != state["extras"]:
            return None  # an image the book names moved out of reach: read the book again
        if fonts.stats(state.get("fonts") or {}) != (state.get("fonts") or {}):
            return None  # a font the PDF can use was replaced or touched
        names = [n for n in state["names"] if not only or n in only]
        if out.is_symlink() or (out / ".gen").is_symlink():
            return None  # the build says why it refuses such a build/
        published = current_generation(out) if out.is_dir() else None
        if published is None or not names or any(n not in state["names"] for n in only):
            return None
        for name in names:
            for fmt in formats:
                for _kind, file in files_of(fmt):
                    rel = f"{name}/{file}"
                    wanted = state["artifacts"].get(rel)  # None: that build was not asked for this format
                    if wanted is None or published_digest(published / rel, is_tree(rel)) != wanted:
                        return None
        return [Diagnostic(*d) for d in state["diagnostics"]]
    except (KeyError, TypeError, ValueError, AttributeError, OSError):
        return None


class Records:
    """The signed records of artifact digests and of whole no-op builds."""

    def __init__(self, root: Path):
        self.store = Store(cache_dir(root, "artifacts"), "artifacts", 10_000_000)

    def digest(self, key: str) -> str | None:
        value = self.store.read(f"a-{key}")
        return value.decode("ascii", "replace") if value else None

    def record(self, key: str, digest: str) -> None:
        if self.digest(key) != digest:
            self.store.write(f"a-{key}", digest.encode("ascii"))

    def state(self, name: str) -> dict | None:
        value = self.store.read(f"s-{name}")
        try:
            state = json.loads(value) if value else None
        except ValueError:
            return None
        return state if isinstance(state, dict) else None

    def save_state(self, name: str, state: dict) -> None:
        self.store.write(f"s-{name}", json.dumps(state, ensure_ascii=False, sort_keys=True).encode("utf-8"))
