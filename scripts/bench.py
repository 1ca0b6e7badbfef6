"""Time `publish build` per format against the reference tools on the same manuscript, as ratios.

html: `publish build --format html` vs `pandoc -s` making standalone HTML from the same Markdown.
Each is timed cold (no conversion cache) and warm (cache filled by the previous run).
Usage: python scripts/bench.py [BOOK]
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from publish.read import pandoc_path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
PUBLISH = Path(sys.executable).with_name("publish")


def timed(cmd) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def manuscript_files() -> list[str]:
    meta = yaml.safe_load((ROOT / "manuscript" / "book.yaml").read_text(encoding="utf-8"))
    return [str(ROOT / "manuscript" / e["file"]) for e in meta["contents"] if "file" in e]


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    files = manuscript_files()
    rows = []
    shutil.rmtree(ROOT / "build" / ".cache", ignore_errors=True)
    cold = timed([PUBLISH, "build", ROOT, "--format", "html", "--out", tmp / "out"])
    warm = timed([PUBLISH, "build", ROOT, "--format", "html", "--out", tmp / "out"])
    pandoc = timed([pandoc_path(), "-s", "-f", "commonmark_x", "--metadata", "title=bench", *files, "-o", tmp / "p.html"])
    rows.append(("html", cold, warm, "pandoc -s", pandoc))
    print(f"{'format':8} {'publish cold':>13} {'publish warm':>13}  {'reference':<24} {'time':>7} {'cold ×':>7} {'warm ×':>7}")
    for fmt, c, w, ref, r in rows:
        print(f"{fmt:8} {c:12.2f}s {w:12.2f}s  {ref:<24} {r:6.2f}s {c / r:7.2f} {w / r:7.2f}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
