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
the English PDF. The 10× book (scripts/bench_big.py: the book's chapters repeated ten times, ids
renamed, in a temporary folder): its English HTML and PDF built cold, as multiples of the 1× cold
times, and the peak resident memory of any process of those builds.

Every row of issue 15's table is printed in one table: the time measured (wall; processor time of
the command and its workers beside it), the reference's time, the ratio (wall, and processor),
the target, whether it is met, and the issue's figure. Every row is also written to
build/reports/bench.json. On a loaded machine, read the processor-time ratios.
Where a cold HTML build's time goes is printed under the table (html stages, processor seconds), as
is the PDF's (pdf stages: the final HTML, every layout pass together, writing, post-processing).
Usage: python scripts/bench.py [BOOK]     BENCH_ONLY=build: only the build rows; BENCH_ONLY=big: only the
10× rows; BENCH_ONLY=stages: only the HTML stages
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_big import measured as measured_big, ten_times  # noqa: E402

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
BIN = Path(sys.executable).parent


def timed(cmd) -> float:
    start = time.perf_counter()
    subprocess.run([str(c) for c in cmd], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def publish(fmt: str, out: Path) -> float:
    return timed([BIN / "publish", "build", ROOT, "--format", fmt, "--edition", "en", "--out", out])


def copy_of_book(target: Path) -> Path:
    """The book's manuscript and styles (no build/) copied to `target`: the bench's runs leave the book's own
    build/ and caches untouched."""
    shutil.copytree(ROOT / "manuscript", target / "manuscript")
    if (ROOT / "styles").is_dir():
        shutil.copytree(ROOT / "styles", target / "styles")
    return target


def measured(cmd) -> tuple[float, float]:
    """(wall, processor) seconds of a command, its workers included."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def build_rows(tmp: Path) -> list[dict]:
    """The issue's build rows, measured on a copy of the book."""
    book = copy_of_book(tmp / "book")
    jobs = len(os.sched_getaffinity(0))

    def run(*args):
        return measured([BIN / "publish", "build", book, *args])

    rows = []
    cold1 = run("-j", "1")
    shutil.rmtree(book / "build")
    coldn = run("-j", str(jobs))
    rows.append(row("cold build, everything, -j 1", cold1[0], cpu=cold1[1], now="54.7s wall, 53.5s cpu"))
    rows.append(row(f"cold build, everything, -j {jobs} vs -j 1", coldn[0], cpu=coldn[1], reference="-j 1 wall",
                    ref_time=cold1[0], limit=0.6, target="<= 0.6x", now="one core"))
    noop = run()
    rows.append(row("no-op build, everything", noop[0], cpu=noop[1], limit=1.0, target="<= 1 s", now="28.5s"))
    one = run("--edition", "en")
    rows.append(row("no-op build, --edition en", one[0], cpu=one[1], limit=0.5, target="<= 0.5 s"))
    chapter = max((p for p in (book / "manuscript").glob("*.md")), key=lambda p: p.stat().st_size)
    text = chapter.read_text(encoding="utf-8")
    para = next(m for m in re.finditer(r"^[A-Z][^\n]{20,}$", text, re.M))
    chapter.write_text(text[:para.end()] + " An edit." + text[para.end():], encoding="utf-8")
    html = run("--format", "html", "--edition", "en")
    rows.append(row("one-paragraph edit -> --format html --edition en", html[0], cpu=html[1], limit=1.0,
                    target="<= 1 s", now="0.52s"))
    pdf = run("--format", "pdf", "--edition", "en")
    rows.append(row("one-paragraph edit -> --format pdf --edition en", pdf[0], cpu=pdf[1],
                    target="layout-bound", now="6.6s"))
    return rows


def row(what, wall, *, cpu=None, reference=None, ref_time=None, limit=None, target="", now="", ref_cpu=None,
        **extra) -> dict:
    """One row of the table: the measured time, its ratio to the reference (if any), the target met?
    `wall` and `ref_time` may be (wall, processor) pairs: the processor-time ratio is kept too."""
    if isinstance(wall, tuple):
        wall, cpu = wall
    if isinstance(ref_time, tuple):
        ref_time, ref_cpu = ref_time
    ratio = wall / ref_time if ref_time else None
    extra["cpu_ratio"] = cpu / ref_cpu if cpu and ref_cpu else None
    value = ratio if ratio is not None else wall
    return {"what": what, "wall": wall, "cpu": cpu, "reference": reference, "reference_time": ref_time,
            "ratio": ratio, "target": target, "met": None if limit is None else value <= limit, "issue": now, **extra}


def formats_rows(book: Path, tmp: Path) -> tuple[list[dict], dict, dict]:
    """html, pdf, epub of the English edition, cold and warm, against pandoc and raw WeasyPrint."""
    cache = book / "build" / ".cache"
    meta = yaml.safe_load((book / "manuscript" / "book.yaml").read_text(encoding="utf-8"))
    files = [str(book / "manuscript" / e["file"]) for e in meta["contents"] if "file" in e]
    language = meta.get("language", "en")
    rows = []

    def publish(fmt: str) -> tuple[float, float]:
        return measured([BIN / "publish", "build", book, "--format", fmt, "--edition", "en", "--out", tmp / "o"])

    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(tmp / "o", ignore_errors=True)
    cold, warm = publish("html"), publish("html")
    pandoc_html = measured([pandoc_path(), "-s", "-f", "commonmark_x", "--metadata", "title=bench", *files, "-o", tmp / "p.html"])
    rows.append(row("html cold (--edition en) vs pandoc -s", cold, reference="pandoc -s", ref_time=pandoc_html,
                    limit=1.5, target="<= 1.5x", now="3.96x"))
    rows.append(row("html warm vs pandoc -s", warm, reference="pandoc -s", ref_time=pandoc_html,
                    limit=1.0, target="<= 1.0x", now="0.82x"))

    # the final HTML and CSS the PDF is made from, for raw WeasyPrint
    loaded = pipeline.load_all(book)
    styles = Styles.for_book(book)
    labels = styles.labels(language)
    html, _css = book_html(loaded.book, styles, labels)
    (tmp / "final.html").write_text(html, encoding="utf-8")
    stages: dict = {}
    render_pdf(loaded.book, styles, labels, base_url=book / "manuscript", timings=stages)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(tmp / "o", ignore_errors=True)
    cold, warm = publish("pdf"), publish("pdf")
    shutil.rmtree(cache / "layout", ignore_errors=True)
    shutil.rmtree(tmp / "o", ignore_errors=True)
    layout_only = publish("pdf")  # the manuscript read from its cache, the layout done again
    weasy = measured([BIN / "weasyprint", "--pdf-variant", "pdf/ua-1", "--base-url", f"{book / 'manuscript'}/",
                   tmp / "final.html", tmp / "w.pdf"])
    rows.append(row("pdf cold vs raw WeasyPrint (final HTML+CSS)", cold, reference="weasyprint", ref_time=weasy,
                    limit=1.10, target="<= 1.10x", now="1.42x"))
    rows.append(row("pdf, manuscript cached, laid out again vs WeasyPrint", layout_only, reference="weasyprint",
                    ref_time=weasy, limit=1.10, target="<= 1.10x", now="1.21x"))
    rows.append(row("pdf warm (nothing changed)", warm, target="", now=""))

    epub_cached = publish("epub")  # the PDF layout above is cached: no second layout
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(tmp / "o", ignore_errors=True)
    epub_cold = publish("epub")
    pandoc_epub = measured([pandoc_path(), "-f", "commonmark_x", "--metadata", "title=bench", *files, "-o", tmp / "p.epub"])
    rows.append(row("epub cold vs raw WeasyPrint layout + pandoc EPUB", epub_cold, reference="weasyprint + pandoc epub",
                    ref_time=(weasy[0] + pandoc_epub[0], weasy[1] + pandoc_epub[1]), limit=1.10, target="<= 1.10x", now="12.7x pandoc"))
    rows.append(row("epub, layout cached, vs pandoc EPUB", epub_cached, reference="pandoc epub", ref_time=pandoc_epub,
                    limit=1.0, target="<= 1.0x", now=""))
    return rows, stages, {"html": (rows[0]["wall"], rows[0]["cpu"]), "pdf": cold}


def html_stages(book: Path) -> dict:
    """Where a cold HTML build's time goes, each stage timed in this process (processor seconds):
    starting Python and importing publish, pandoc reading every source, the conversion of its AST
    into the model, the checks, the typographic pass, and the templates."""
    from publish.assemble import assemble
    from publish.check import check
    from publish.read import read_book
    from publish.render.html import render_site

    stages = {"python + imports": measured([sys.executable, "-c", "import publish.cli, publish.build"])[1]}
    start = time.process_time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with pipeline.collector_paused():
        reading = read_book(book)  # no cache: every source through pandoc
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        stages["pandoc (its process)"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        clock = time.process_time()
        stages["read (book.yaml, JSON)"] = clock - start
        model, _ = assemble(reading, None)
        stages["convert (AST -> model)"] = time.process_time() - clock
        clock = time.process_time()
        check(model, book)
    stages["check"] = time.process_time() - clock
    clock = time.process_time()
    smart = pipeline.typeset(pipeline.Loaded(model)).book
    stages["typography"] = time.process_time() - clock
    clock = time.process_time()
    styles = Styles.for_book(book)
    render_site(smart, styles, styles.labels(smart.language))
    stages["templates (site)"] = time.process_time() - clock
    return stages


def big_rows(tmp: Path, one: dict) -> list[dict]:
    """The 10× book (generated from this one): cold HTML and PDF of its English edition, as multiples of
    the 1× times, and the peak memory of any process of the build."""
    big, words, total = ten_times(ROOT, tmp / "big")
    rows, peak = [], 0.0
    _save({"one": one}, "bench-10x-partial.json")
    for fmt, now in (("html", "8.9x"), ("pdf", "6.9x")):
        shutil.rmtree(big / "build", ignore_errors=True)
        run = measured_big([BIN / "publish", "build", big, "--format", fmt, "--edition", "en"])
        peak = max(peak, run["rss_mb"])
        rows.append(row(f"10x book ({total} words) {fmt} cold, vs 1x", (run["wall"], run["cpu"]),
                        reference=f"1x {fmt} cold", ref_time=one[fmt], limit=10.0, target="<= 10x (linear)",
                        now=now, rss_mb=run["rss_mb"]))
        _save({"one": one, "rows": rows}, "bench-10x-partial.json")  # a long run stopped early keeps what it measured
    rows.append({"what": "10x book, peak RSS of a build process", "wall": None, "rss_mb": peak, "met": peak <= 2048,
                 "target": "<= 2048 MB", "issue": "0.78 GB", "ratio": None, "reference": None})
    return rows


def why(r: dict, report: dict) -> str:
    """Why a row misses its target, from what this run measured (the stages), or ""."""
    html, pdf = report.get("html_stages") or {}, report.get("pdf_stages") or {}
    what = r["what"]
    if r["met"] is not False:
        return ""
    if r.get("cpu_ratio") is not None and r.get("ratio") and r["cpu_ratio"] <= r["ratio"] * 0.8:
        return f"the machine was loaded: processor-time ratio {r['cpu_ratio']:.2f}x"
    if what.startswith(("html cold", "one-paragraph edit -> --format html")) and html:
        parts = ", ".join(f"{k} {v:.2f}s" for k, v in html.items())
        return f"a new process that reads the whole book and checks it before rendering: {parts}"
    if what.startswith(("pdf", "epub cold")) and pdf:
        passes = int(pdf.get("layout passes", 1))
        return (f"{passes} layout passes ({pdf.get('layout', 0):.1f}s: the second lays out again lines too loose or "
                f"hyphen ladders the first found; justification and kinsoku run inside each) where WeasyPrint makes one"
                + ("; the EPUB's page list needs that layout" if what.startswith("epub") else ""))
    return ""


def show(rows: list[dict], report: dict | None = None) -> None:
    print(f"{'what':56} {'measured':>9} {'cpu':>8} {'reference':>10} {'ratio':>7} {'cpu x':>6}  {'target':<16} {'met':<4} issue")
    for r in rows:
        measured_text = f"{r['rss_mb']:.0f} MB" if r["wall"] is None else f"{r['wall']:.2f}s"
        cpu = f"{r['cpu']:.2f}s" if r.get("cpu") is not None else ""
        ref = f"{r['reference_time']:.2f}s" if r.get("reference_time") else ""
        ratio = f"{r['ratio']:.2f}x" if r.get("ratio") is not None else ""
        cpu_ratio = f"{r['cpu_ratio']:.2f}x" if r.get("cpu_ratio") is not None else ""
        met = "" if r["met"] is None else ("yes" if r["met"] else "NO")
        print(f"{r['what']:56} {measured_text:>9} {cpu:>8} {ref:>10} {ratio:>7} {cpu_ratio:>6}  {r['target']:<16} {met:<4} {r.get('issue', '')}")
        if reason := why(r, report or {}):
            print(f"{'':4}why: {reason}")
            r["why"] = reason


def one_times(tmp: Path) -> dict:
    """The 1× cold times the 10× rows are measured against (BENCH_ONLY=big: without the other rows)."""
    copy_of_book(tmp / "one")
    out = {}
    for fmt in ("html", "pdf"):
        shutil.rmtree(tmp / "one" / "build", ignore_errors=True)
        out[fmt] = measured([BIN / "publish", "build", tmp / "one", "--format", fmt, "--edition", "en"])
    return out


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    if os.environ.get("BENCH_ONLY") == "stages":
        stages = html_stages(copy_of_book(tmp / "book"))
        print("html stages (s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
        return
    if os.environ.get("BENCH_ONLY") == "big":
        report = {"big": big_rows(tmp, one_times(tmp))}
        show(report["big"])
        _save(report)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    report = {"build": build_rows(tmp)}
    _save(report)
    if os.environ.get("BENCH_ONLY") != "build":
        rows, stages, one = formats_rows(tmp / "book", tmp)
        report["formats"], report["pdf_stages"] = rows, stages
        report["html_stages"] = html_stages(tmp / "book")
        _save(report)
        report["big"] = big_rows(tmp, one)
    show(report["build"] + report.get("formats", []) + report.get("big", []), report)
    for name in ("html_stages", "pdf_stages"):
        if name in report:
            print(f"{name.replace('_', ' ')} (s): " + ", ".join(f"{k} {v:.2f}" for k, v in report[name].items()))
    _save(report)
    shutil.rmtree(tmp, ignore_errors=True)


def _save(report: dict, name: str = "bench.json") -> None:
    path = ROOT / "build" / "reports" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
