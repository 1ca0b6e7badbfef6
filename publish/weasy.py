"""Turn the import of WeasyPrint into one that runs no other program (its C libraries found by file name).

WeasyPrint opens pango, harfbuzz and fontconfig through cffi, trying names like 'libgobject-2.0-0'
first; cffi hands a name it cannot open to `ctypes.util.find_library`, which runs `ldconfig -p`,
`gcc` and `ld` to search for it. With that search switched off for the import, cffi moves on to the
names dlopen finds itself ('libgobject-2.0.so.0', 'libgobject-2.0.0.dylib'): same libraries, no process.
"""
from __future__ import annotations

import ctypes.util
import sys


def import_weasyprint():
    """`import weasyprint`, without a subprocess; the module."""
    if "weasyprint" not in sys.modules:
        search = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint  # noqa: F401
        finally:
            ctypes.util.find_library = search
    return sys.modules["weasyprint"]
