"""Turn the font families a book's stylesheets name into the font files fontconfig gives them, and
those files' (path, size, mtime) into a key: a font replaced, updated or touched is laid out again."""
from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from . import confine, cssdecl

GENERIC = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji"}
MAX_CSS = 4_000_000


def families(css_paths) -> set[str]:
    """Every family name (lower case) the stylesheets name in a font-family, generic ones included."""
    names = set()
    for path in css_paths:
        try:
            data = confine.read_bytes(path, [Path(path).parent], MAX_CSS)
        except Exception:  # noqa: BLE001 - a stylesheet that cannot be read is reported by the build itself
            continue
        for found in cssdecl.declarations(cssdecl.rules(data)):
            if found.name == "font-family":
                names.update(n.lower() for n in cssdecl.family_names(found.value))
    return names - {""}


@lru_cache(maxsize=1)
def _config():
    """fontconfig's configuration with every installed font: the library WeasyPrint itself loads (no
    program is run: a build runs none but pandoc)."""
    from .weasy import import_weasyprint

    import_weasyprint()  # its C libraries opened without running a program (publish/weasy.py)
    from weasyprint.text.ffi import fontconfig

    return fontconfig.FcInitLoadConfigAndFonts()


def _string(pattern, name: bytes, n: int = 0) -> str | None:
    from weasyprint.text.ffi import ffi, fontconfig

    value = ffi.new("FcChar8 **")
    if fontconfig.FcPatternGetString(pattern, name, n, value) != 0:  # FcResultMatch
        return None
    return ffi.string(value[0]).decode("utf-8", "replace")


@lru_cache(maxsize=1)
def _installed() -> tuple[tuple[str, str], ...]:
    """(family in lower case, file) of every font fontconfig knows (what `fc-list` lists)."""
    config = _config()  # first: it imports WeasyPrint without running a program
    from weasyprint.text.ffi import fontconfig

    fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
    pairs = []
    for i in range(fonts.nfont if fonts else 0):
        file = _string(fonts.fonts[i], b"file")
        n = 0
        while file and (family := _string(fonts.fonts[i], b"family", n)) is not None:
            pairs.append((family.strip().lower(), file))
            n += 1
    return tuple(pairs)


@lru_cache(maxsize=32)
def _generic(name: str) -> tuple[str, ...]:
    """The file fontconfig gives a generic family (serif, sans-serif…), as `fc-match` does."""
    _config()  # first: it imports WeasyPrint without running a program
    from weasyprint.text.ffi import ffi, fontconfig

    pattern = fontconfig.FcPatternCreate()
    try:
        fontconfig.FcPatternAddString(pattern, b"family", name.encode())
        fontconfig.FcConfigSubstitute(_config(), pattern, fontconfig.FcMatchPattern)
        fontconfig.FcDefaultSubstitute(pattern)
        result = ffi.new("FcResult *")
        match = fontconfig.FcFontMatch(_config(), pattern, result)
        if match == ffi.NULL:
            return ()
        try:
            file = _string(match, b"file")
        finally:
            fontconfig.FcPatternDestroy(match)
    finally:
        fontconfig.FcPatternDestroy(pattern)
    return (file,) if file else ()


def files(css_paths) -> list[str]:
    """The font files the stylesheets can reach: every file of each family they name."""
    names = families(css_paths)
    found = {file for family, file in _installed() if family in names}
    for generic in sorted(names & GENERIC):
        found.update(_generic(generic))
    return sorted(found)


def stats(paths) -> dict[str, list | None]:
    """path -> [size, mtime in ns] (None: gone)."""
    out = {}
    for path in paths:
        try:
            info = os.stat(path)
            out[path] = [info.st_size, info.st_mtime_ns]
        except OSError:
            out[path] = None
    return out


def key(css_paths) -> str:
    """The digest of the (path, size, mtime) of every font file the stylesheets can reach."""
    return digest(stats(files(css_paths)))


def digest(found: dict) -> str:
    return hashlib.sha256(json.dumps(found, sort_keys=True).encode()).hexdigest()


def stylesheets(dirs) -> list[Path]:
    """Every stylesheet of the styles folders (what any edition may be laid out with)."""
    return [p for d in dirs for p in sorted((Path(d) / "css").glob("*.css")) if p.is_file()]
