"""python -m publish.referees: turns the files named on the command line into a table of Findings."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from publish.referees import Finding, RefereeUnavailable

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".xht"}
ALL = ("axe", "vnu", "epubcheck", "ace", "verapdf")


def _jobs(files: list[str], only: set[str], pdf_profiles: list[str], epub_content: bool
          ) -> list[tuple[str, Callable[[], list[Finding]]]]:
    from publish.referees import ace, axe, epubcheck, verapdf, vnu

    html = [f for f in files if Path(f).suffix.lower() in HTML_SUFFIXES]
    epubs = [f for f in files if Path(f).suffix.lower() == ".epub"]
    pdfs = [f for f in files if Path(f).suffix.lower() == ".pdf"]
    jobs: list[tuple[str, Callable[[], list[Finding]]]] = []
    if html and "vnu" in only:
        jobs.append(("vnu", lambda: vnu.check_html(html, epub=epub_content)))
    if html and "axe" in only:
        jobs.append(("axe", lambda: axe.check_html(html)))
    for e in epubs:
        if "epubcheck" in only:
            jobs.append(("epubcheck", lambda e=e: epubcheck.check_epub(e)))
        if "ace" in only:
            jobs.append(("ace", lambda e=e: ace.check_epub(e)))
    if pdfs and "verapdf" in only:
        jobs.append(("verapdf", lambda: verapdf.check_pdf(pdfs, pdf_profiles) if pdf_profiles
                     else verapdf.check_declared(pdfs)))
    return jobs


def print_table(findings: list[Finding], out=sys.stdout) -> None:
    headers = ("REFEREE", "FILE", "RULE", "LOCATION", "MESSAGE")
    rows = [(f.referee, f.file, f.rule, f.location, f.message) for f in findings]
    caps = (10, 50, 28, 40)  # the message column is never cut
    widths = [min(cap, max([len(headers[i])] + [len(r[i]) for r in rows])) for i, cap in enumerate(caps)]

    def fmt(row):
        cells = []
        for i, w in enumerate(widths):
            cell = row[i].replace("\n", " ")
            cell = cell if len(cell) <= w else cell[: w - 1] + "…"
            cells.append(cell.ljust(w))
        return "  ".join(cells + [row[-1].replace("\n", " ")])

    print(fmt(headers), file=out)
    for r in rows:
        print(fmt(r), file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m publish.referees",
        description="Run the validators that fit each file (HTML: vnu+axe, EPUB: epubcheck+ace, "
                    "PDF: veraPDF) and print the findings. Exit 0: none; 1: findings; 2: a referee "
                    "is unavailable.")
    parser.add_argument("files", nargs="*")
    parser.add_argument("--only", default=",".join(ALL), help=f"comma-separated subset of {','.join(ALL)}")
    parser.add_argument("--pdf-profile", action="append", dest="pdf_profiles",
                        help="veraPDF profile (repeatable): ua1, ua2, 2b, 4, wt1a… (default: the PDF/UA part each PDF declares)")
    parser.add_argument("--epub-content", action="store_true",
                        help="HTML files are EPUB content documents: drop vnu's epub:* attribute errors")
    parser.add_argument("--list-pdf-profiles", action="store_true", help="print the bundled veraPDF profiles")
    args = parser.parse_args(argv)

    if args.list_pdf_profiles:
        from publish.referees import verapdf
        try:
            for fid, name in verapdf.available_profiles().items():
                print(f"{fid:6}  {name}")
        except RefereeUnavailable as exc:
            print(exc, file=sys.stderr)
            return 2
        return 0
    if not args.files:
        parser.error("no files given")
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(ALL)
    if unknown:
        parser.error(f"unknown referee(s): {', '.join(sorted(unknown))}")

    findings: list[Finding] = []
    unavailable = False
    for name, job in _jobs(args.files, only, args.pdf_profiles, args.epub_content):
        t0 = time.monotonic()
        try:
            got = job()
        except RefereeUnavailable as exc:
            print(f"!! {exc}", file=sys.stderr)
            unavailable = True
            continue
        except ValueError as exc:  # e.g. a PDF profile this veraPDF does not bundle
            print(f"!! {name}: {exc}", file=sys.stderr)
            return 2
        print(f"-- {name}: {len(got)} finding(s) in {time.monotonic() - t0:.1f} s", file=sys.stderr)
        findings += got
    if findings:
        print_table(findings)
    print(f"{len(findings)} finding(s) in {len(args.files)} file(s)")
    if unavailable:
        return 2
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
