"""Turn parallel-text files (English above Japanese, segment by segment) into records, and back.

    [fukuda.p3]
    en: The English source, as Markdown inline markup.
    ja: その日本語訳。

A record's header may carry a state: `stale` (the English changed since it was translated; a `was:`
line keeps the English the translation was made from) or `removed` (the segment is gone from the
English; its translation is kept aside, never deleted). A line starting with four spaces continues
the field above it. Lines starting with `#` outside a record are comments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..diagnostics import Diagnostic, error

HEADER = re.compile(r"^\[([^\]\s]+)\](?:\s+(stale|removed))?\s*$")
FIELD = re.compile(r"^([a-z]{2,3}(?:-[A-Za-z0-9]+)*):(?: (.*))?$")  # en:, was:, or the language's (ja:, fr:, zh-Hant:)
STATES = ("", "stale", "removed")


@dataclass(frozen=True)
class Record:
    id: str
    en: str
    target: str = ""
    state: str = ""  # "" | "stale" | "removed"
    was: str = ""  # for stale records: the English the translation was made from
    line: int = 0  # line of the header in its file
    target_line: int = 0

    def with_(self, **changes) -> "Record":
        return replace(self, **changes)


def parse(text: str, path: str, lang: str) -> tuple[list[Record], list[Diagnostic]]:
    records, problems = [], []
    current: dict | None = None
    last_field = None

    def close():
        if current is not None:
            if "en" not in current:
                problems.append(error(path, current["line"], f"segment [{current['id']}] has no 'en:' line", "i18n-syntax"))
            records.append(Record(current["id"], current.get("en", ""), current.get(lang, ""), current["state"],
                                  current.get("was", ""), current["line"], current.get("target_line", current["line"])))

    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            last_field = None
            continue
        if header := HEADER.match(line):
            close()
            current = {"id": header.group(1), "state": header.group(2) or "", "line": number}
            last_field = None
            continue
        if current is None and line.startswith("#"):
            continue
        if line.startswith("    ") and current is not None and last_field:
            current[last_field] += "\n" + line[4:]
            continue
        field = FIELD.match(line)
        if current is None or not field or field.group(1) not in ("en", "was", lang):
            problems.append(error(path, number, f"cannot read this line: expected '[segment-id]', 'en:', 'was:' or '{lang}:'", "i18n-syntax"))
            continue
        name = field.group(1)
        if name in current:
            problems.append(error(path, number, f"segment [{current['id']}] has two '{name}:' lines", "i18n-syntax"))
            continue
        current[name] = field.group(2) or ""
        if name == lang:
            current["target_line"] = number
        last_field = name
    close()
    seen: dict[str, int] = {}
    for record in records:
        if record.id in seen and record.state != "removed":
            problems.append(error(path, record.line, f"segment [{record.id}] appears twice (first on line {seen[record.id]})", "i18n-syntax"))
        elif record.state != "removed":
            seen[record.id] = record.line
    return records, problems


def unstorable(text: str, longest: int) -> str | None:
    """Why a translation cannot be one field of a parallel-text file (None if it can): a control
    character or a line separator other than a newline would end or corrupt the field, a blank line
    would end it, a line over `longest` characters would make the file unreadable."""
    for char in text:
        if (char < " " and char not in "\n\t") or char in "\x7f\x85\u2028\u2029":
            return f"contains the control character U+{ord(char):04X}"
    lines = text.split("\n")
    if any(not line.strip() for line in lines[1:]):
        return "contains a blank line: it must be one paragraph of text"
    if any(len(line) > longest for line in lines):
        return f"has a line longer than {longest:,} characters"
    return None


def _field(name: str, value: str) -> str:
    lines = value.split("\n")
    return "\n".join([f"{name}: {lines[0]}".rstrip()] + [f"    {more}" for more in lines[1:]])


def render(records: list[Record], lang: str, title: str) -> str:
    out = [f"# {title}",
           f"# Each segment: its English ('en:') above its translation ('{lang}:'). Edit the '{lang}:' lines.",
           "# After the English changes, run `publish i18n update`: changed segments are marked stale.", ""]
    for record in records:
        out.append(f"[{record.id}]" + (f" {record.state}" if record.state else ""))
        if record.state == "stale" and record.was:
            out.append(_field("was", record.was))
        out.append(_field("en", record.en))
        out.append(_field(lang, record.target))
        out.append("")
    return "\n".join(out)
