"""`make check`: every artifact of every edition before the field's referees, in one summary table.

HTML pages: axe-core (one Chromium for all) and the Nu checker (one JVM for all); EPUBs: EPUBCheck
and Ace; PDFs: veraPDF against the PDF/UA part each declares (UA-2 by default, UA-1 with book.yaml
`pdf_standard: ua-1`; one JVM for all); the print PDF: PDF/X-4 if veraPDF has a PDF/X
profile (it has none here: reported as not available); plus `publish check --release` and
`publish i18n status --fail-under 100`. Full reports go to build/reports/. Exit 1 if anything fails.
Usage: python scripts/check_all.py [BOOK]
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from publish.build import load
from publish.referees import Finding, RefereeUnavailable, ace, axe, epubcheck, verapdf, vnu

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
BUILD = ROOT / "build"
REPORTS = BUILD / "reports"
PUBLISH = Path(sys.executable).with_name("publish")


def run_referee(name, fn):
    start = time.perf_counter()
    try:
        findings = fn()
        status = None
    except RefereeUnavailable as exc:
        findings, status = [], f"unavailable: {exc}"
    return findings, status, time.perf_counter() - start


def main() -> int:
    REPORTS.mkdir(parents=True, exist_ok=True)
    editions = sorted(p.name for p in BUILD.iterdir() if p.is_dir() and (p / "html").is_dir())
    rows: list[tuple[str, str, str]] = []
    failed = False
    timings = {}

    def record(artifact: str, referee: str, findings, status, files):
        nonlocal failed
        mine = [f for f in findings if any(f.file == str(x) or f.file.endswith(str(x)) for x in files)]
        if status:
            rows.append((artifact, referee, status.split(":")[0]))
            failed = True
        else:
            rows.append((artifact, referee, "pass" if not mine else f"FAIL ({len(mine)})"))
            failed |= bool(mine)
        report = REPORTS / re.sub(r"[^\w.-]+", "_", f"{artifact}.{referee}.json")
        report.write_text(json.dumps([f.__dict__ for f in mine], ensure_ascii=False, indent=1))

    html = {ed: sorted((BUILD / ed / "html").glob("*.html")) for ed in editions}
    all_html = [p for pages in html.values() for p in pages]
    for name, fn in (("axe", lambda: axe.check_html(all_html)), ("vnu", lambda: vnu.check_html(all_html))):
        findings, status, timings[name] = run_referee(name, fn)
        for ed in editions:
            record(f"{ed}/html ({len(html[ed])} pages)", name, findings, status, html[ed])

    pdfs = sorted(BUILD.glob("*/book.pdf"))
    declared = {pdf: verapdf.declared_profile(pdf) for pdf in pdfs}
    findings, status, timings["verapdf"] = run_referee("verapdf", lambda: verapdf.check_declared(pdfs))
    for pdf in pdfs:
        record(str(pdf.relative_to(BUILD)), f"veraPDF PDF/UA-{declared[pdf][-1]}", findings, status, [pdf])
    profiles = {}
    try:
        profiles = verapdf.available_profiles()
    except RefereeUnavailable:
        pass
    for pdf in sorted(BUILD.glob("*/book-print.pdf")):
        x4 = [fid for fid, label in profiles.items() if "PDF/X" in label.upper()]
        rows.append((str(pdf.relative_to(BUILD)), "veraPDF PDF/X-4", "no PDF/X profile in veraPDF here" if not x4 else "?"))

    for epub in sorted(BUILD.glob("*/book.epub")):
        for name, fn in (("EPUBCheck", lambda e=epub: epubcheck.check_epub(e)), ("Ace", lambda e=epub: ace.check_epub(e))):
            findings, status, seconds = run_referee(name, fn)
            timings[f"{name} {epub.parent.name}"] = seconds
            record(str(epub.relative_to(BUILD)), name, findings, status, [epub])

    book, _ = load(ROOT)
    checks = [("publish check --release", [PUBLISH, "check", ROOT, "--release"])]
    checks += [(f"i18n status {lang} --fail-under 100", [PUBLISH, "i18n", "status", ROOT, "--lang", lang, "--fail-under", "100"])
               for lang in (book.translations if book else ())]  # a book without translations has none to check
    for label, cmd in checks:
        result = subprocess.run(cmd, capture_output=True, text=True)
        (REPORTS / f"{'-'.join(label.split()[:3 if label.startswith('i18n') else 2])}.txt").write_text(result.stdout + result.stderr)
        problems = [line for line in result.stderr.splitlines() if ": error:" in line or "under" in line]
        rows.append(("manuscript", label, "pass" if result.returncode == 0 else f"FAIL ({len(problems) or 1})"))
        failed |= result.returncode != 0

    width = max(len(r[0]) for r in rows)
    refw = max(len(r[1]) for r in rows)
    print(f"{'artifact':<{width}}  {'referee':<{refw}}  result")
    for artifact, referee, result in rows:
        print(f"{artifact:<{width}}  {referee:<{refw}}  {result}")
    print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    print(f"full reports: {REPORTS.relative_to(ROOT)}/")
    summary = [{"artifact": a, "referee": r, "result": res} for a, r, res in rows]
    (REPORTS / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
