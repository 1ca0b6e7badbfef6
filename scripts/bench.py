"""`make bench`: each edition format timed against the reference tool on the same input, as ratios.

html  `publish build --format html --edition en`  vs  `pandoc -s` (standalone HTML, same Markdown)
pdf   `publish build --format pdf --edition en`   vs  raw WeasyPrint (its CLI) on the same final HTML+CSS
epub  `publish build --format epub --edition en`  vs  `pandoc -o book.epub` (same Markdown)

Each publish run is timed cold (no caches) and warm (caches filled by the run before); the EPUB's
page map comes from the PDF layout cache when the manuscript and styles are unchanged, and the
bench says whether it was cached. Stage times of the PDF come from publish.render.pdf.
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


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
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
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
