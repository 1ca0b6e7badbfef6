"""`make bench`: each edition format timed against the reference tool on the same input, as ratios.

html  `publish build --format html --edition en`  vs  `pandoc -s` (standalone HTML, same Markdown)
pdf   `publish build --format pdf --edition en`   vs  raw WeasyPrint (its CLI) on the same final HTML+CSS
epub  `publish build --format epub --edition en`  vs  `pandoc -o book.epub` (same Markdown)

Each publish run is timed cold (no caches) and warm (caches filled by the run before); the EPUB's
page map comes from the PDF layout cache when the manuscript and styles are unchanged, and the
bench says whether it was cached. Stage times of the PDF come from publish.render.pdf.

build rows (on a copy of the book, so its own build/ and caches are untouched): the cold build of
everything with -j 1 and with -j N (the cores), wall and processor time (this process's children);
a no-op build of everything and of one edition; a one-paragraph edit, then the English HTML, then
the English PDF. Every row is also written to build/reports/bench.json.
Usage: python scripts/bench.py [BOOK]     BENCH_ONLY=build: only the build rows
"""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from publish import build as pipeline
from publish.read import pandoc_path
from publish.render.pdf import book_html, render_pdf
from publish.styles import Styles

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
BIN = Path(sys.executable).parent
CACHE = ROOT / "build" / ".cache"


def timed(cmd) -> float:
    start = time.perf_counter()
    subprocess.run([str(c) for c in cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def publish(fmt: str, out: Path) -> float:
    return timed([BIN / "publish", "build", ROOT, "--format", fmt, "--edition", "en", "--out", out])


def measured(cmd) -> tuple[float, float]:
    """(wall, processor) seconds of a command, its workers included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def build_rows(tmp: Path) -> list[dict]:
    """The issue's build rows, measured on a copy of the book."""
    book = tmp / "book"
    shutil.copytree(ROOT / "manuscript", book / "manuscript")
    if (ROOT / "styles").is_dir():
        shutil.copytree(ROOT / "styles", book / "styles")
    jobs = len(os.sched_getaffinity(0))

    def run(*args):
        return measured([BIN / "publish", "build", book, *args])

    rows = []
    cold1 = run("-j", "1")
    shutil.rmtree(book / "build")
    coldn = run("-j", str(jobs))
    rows.append({"what": "cold build, everything, -j 1", "wall": cold1[0], "cpu": cold1[1]})
    rows.append({"what": f"cold build, everything, -j {jobs}", "wall": coldn[0], "cpu": coldn[1],
                 "ratio": coldn[0] / cold1[0], "reference": "-j 1 wall", "target": "<= 0.6"})
    noop = run()
    rows.append({"what": "no-op build, everything", "wall": noop[0], "cpu": noop[1], "target": "<= 1 s"})
    one = run("--edition", "en")
    rows.append({"what": "no-op build, --edition en", "wall": one[0], "cpu": one[1], "target": "<= 0.5 s"})
    chapter = max((p for p in (book / "manuscript").glob("*.md")), key=lambda p: p.stat().st_size)
    text = chapter.read_text(encoding="utf-8")
    para = next(m for m in re.finditer(r"^[A-Z][^\n]{20,}$", text, re.M))
    chapter.write_text(text[:para.end()] + " An edit." + text[para.end():], encoding="utf-8")
    html = run("--format", "html", "--edition", "en")
    rows.append({"what": "one-paragraph edit -> --format html --edition en", "wall": html[0], "cpu": html[1],
                 "target": "<= 1 s"})
    pdf = run("--format", "pdf", "--edition", "en")
    rows.append({"what": "one-paragraph edit -> --format pdf --edition en", "wall": pdf[0], "cpu": pdf[1],
                 "target": "as low as the layout allows"})
    return rows


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    report = {"build": build_rows(tmp)}
    print(f"{'build':52} {'wall':>8} {'cpu':>8}  ratio / target")
    for row in report["build"]:
        ratio = f"{row['ratio']:.2f}× {row['reference']}" if "ratio" in row else ""
        print(f"{row['what']:52} {row['wall']:7.2f}s {row['cpu']:7.2f}s  {ratio} {row.get('target', '')}")
    _save(report)
    if os.environ.get("BENCH_ONLY") == "build":
        shutil.rmtree(tmp, ignore_errors=True)
        return
    meta = yaml.safe_load((ROOT / "manuscript" / "book.yaml").read_text(encoding="utf-8"))
    files = [str(ROOT / "manuscript" / e["file"]) for e in meta["contents"] if "file" in e]
    language = meta.get("language", "en")
    rows = []

    shutil.rmtree(CACHE, ignore_errors=True)
    cold, warm = publish("html", tmp / "o"), publish("html", tmp / "o")
    ref = timed([pandoc_path(), "-s", "-f", "commonmark_x", "--metadata", "title=bench", *files, "-o", tmp / "p.html"])
    rows.append(("html", cold, warm, "pandoc -s", ref, ""))

    # the final HTML and CSS the PDF is made from, for raw WeasyPrint
    loaded = pipeline.load_all(ROOT)
    styles = Styles.for_book(ROOT)
    labels = styles.labels(language)
    html, _css = book_html(loaded.book, styles, labels)
    (tmp / "final.html").write_text(html, encoding="utf-8")
    stages: dict = {}
    render_pdf(loaded.book, styles, labels, base_url=ROOT / "manuscript", timings=stages)
    shutil.rmtree(CACHE, ignore_errors=True)
    cold, warm = publish("pdf", tmp / "o"), publish("pdf", tmp / "o")
    shutil.rmtree(CACHE / "layout", ignore_errors=True)
    layout_only = publish("pdf", tmp / "o")  # the manuscript read from its cache, the layout done again
    ref = timed([BIN / "weasyprint", "--pdf-variant", "pdf/ua-1", "--base-url", f"{ROOT / 'manuscript'}/", tmp / "final.html", tmp / "w.pdf"])
    rows.append(("pdf", cold, warm, "weasyprint (final HTML+CSS)", ref,
                 f"layout again, manuscript cached: {layout_only:.2f}s = {layout_only / ref:.2f}×"))

    epub_cached = publish("epub", tmp / "o")  # the PDF layout above is cached: no second layout
    shutil.rmtree(CACHE, ignore_errors=True)
    epub_cold = publish("epub", tmp / "o")
    ref = timed([pandoc_path(), "-f", "commonmark_x", "--metadata", "title=bench", *files, "-o", tmp / "p.epub"])
    rows.append(("epub", epub_cold, epub_cached, "pandoc -o book.epub", ref, "warm = page map from the PDF layout cache"))

    print(f"{'format':6} {'publish cold':>13} {'publish warm':>13}  {'reference':<28} {'time':>7} {'cold ×':>7} {'warm ×':>7}")
    for fmt, c, w, name, r, note in rows:
        print(f"{fmt:6} {c:12.2f}s {w:12.2f}s  {name:<28} {r:6.2f}s {c / r:7.2f} {w / r:7.2f}  {note}")
    print("pdf stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    report["formats"] = [{"format": f, "cold": c, "warm": w, "reference": n, "reference_time": r,
                          "cold_ratio": c / r, "warm_ratio": w / r, "note": note} for f, c, w, n, r, note in rows]
    report["pdf_stages"] = stages
    _save(report)
    shutil.rmtree(tmp, ignore_errors=True)


def _save(report: dict) -> None:
    path = ROOT / "build" / "reports" / "bench.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
