"""Turn a book into its 10× book for `make bench`: every chapter of the contents repeated ten times
(copies named <file>-r2.md … -r10.md, their explicit ids renamed the same way), the original
language only; and time a command with the peak resident memory of its processes."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ID = re.compile(r"(\{[^}\n]*?)#([A-Za-z][\w-]*)")
LINK = re.compile(r"\]\(#([A-Za-z][\w-]*)\)")
MEASURE = """import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}))
"""


class _Plain(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the book's YAML may not hold anchors and aliases
        return True


def ten_times(book: Path, into: Path, times: int = 10) -> tuple[Path, int, int]:
    """The book at `into` with each `file:` of the contents `times` times; (its folder, words of one
    copy, words in all)."""
    meta = yaml.safe_load((book / "manuscript" / "book.yaml").read_text(encoding="utf-8"))
    for key in ("translations", "translation_notes"):
        meta.pop(key, None)
    (into / "manuscript").mkdir(parents=True)
    if (book / "styles").is_dir():
        shutil.copytree(book / "styles", into / "styles")
    contents, words = [], 0
    stems = sorted((Path(e["file"]).stem for e in meta["contents"] if "file" in e), key=len, reverse=True)
    for entry in meta["contents"]:
        contents.append(entry)
        if "file" not in entry:
            continue
        name = entry["file"]
        text = (book / "manuscript" / name).read_text(encoding="utf-8")
        words += len(text.split())
        (into / "manuscript" / name).write_text(text, encoding="utf-8")
        stem = Path(name).stem
        ids = {m.group(2) for m in ID.finditer(text)}
        for n in range(2, times + 1):
            suffix = f"-r{n}"
            copy = ID.sub(lambda m: f"{m.group(1)}#{m.group(2)}{suffix}", text)
            copy = LINK.sub(lambda m: f"](#{_renamed(m.group(1), ids, stems, suffix)})", copy)
            (into / "manuscript" / f"{stem}{suffix}.md").write_text(copy, encoding="utf-8")
            contents.append({**entry, "file": f"{stem}{suffix}.md"})
    meta["contents"] = contents
    (into / "manuscript" / "book.yaml").write_text(yaml.dump(meta, Dumper=_Plain, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")
    return into, words, words * times


def _renamed(target: str, ids: set, stems: list, suffix: str) -> str:
    """A link's target in a copy: its explicit id, or the id made from a unit's name, renamed."""
    if target in ids:
        return target + suffix
    stem = next((s for s in stems if target == s or target.startswith(s + "-")), None)
    return stem + suffix + target[len(stem):] if stem else target


def measured(cmd) -> dict:
    """wall and processor seconds of a command, and the peak resident memory of any of its processes (MB)."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MEASURE, *map(str, cmd)], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"bench: {' '.join(map(str, cmd))} failed:\n{out.stderr[-3000:]}")
    return {**json.loads(out.stdout), "outer_wall": time.perf_counter() - start}
