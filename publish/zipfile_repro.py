"""Turn a set of named entries (or another zip) into the bytes of a reproducible zip archive.

The same entries give the same bytes: entries sorted by name (some names first, e.g. an EPUB's
`mimetype`), every timestamp the same, fixed permissions and creator system, no extra fields,
no archive comment. Compression is deflate at a fixed level; names listed in `stored` are not
compressed (an EPUB's `mimetype` must be stored).
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

#: The earliest moment a zip header can hold.
ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)


def zip_date_time(when: datetime | None) -> tuple[int, int, int, int, int, int]:
    """A zip header's (year, month, day, hour, minute, second) for `when`, clamped to 1980-2107."""
    if when is None:
        when = ZIP_EPOCH
    when = max(when.astimezone(timezone.utc), ZIP_EPOCH)
    when = min(when, datetime(2107, 12, 31, 23, 59, 58, tzinfo=timezone.utc))
    return (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)


def write_zip(entries: dict[str, bytes], *, when: datetime | None = None, first: tuple[str, ...] = (),
              stored: tuple[str, ...] = (), compresslevel: int = 9) -> bytes:
    """The bytes of a zip holding `entries`: names in `first` lead in that order, the rest sorted."""
    date_time = zip_date_time(when)
    order = [name for name in first if name in entries] + sorted(n for n in entries if n not in first)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3  # Unix, whatever the building machine is
            info.external_attr = 0o100644 << 16
            if name in stored:
                info.compress_type = zipfile.ZIP_STORED
                archive.writestr(info, entries[name])
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, entries[name], compresslevel=compresslevel)
    return buf.getvalue()


def read_zip(data: bytes) -> dict[str, bytes]:
    """Name -> content of every file entry of a zip archive."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}


def repack(data: bytes, **options) -> bytes:
    """Another zip's entries, rewritten reproducibly (same options as `write_zip`)."""
    return write_zip(read_zip(data), **options)
