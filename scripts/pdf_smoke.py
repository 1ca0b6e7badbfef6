"""Build the print PDF of a book directory and say how long each stage took.

    python scripts/pdf_smoke.py [BOOK_DIR] [--variant ua|print] [--out FILE] [--html FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from publish.build import load
from publish.diagnostics import has_errors
from publish.render.pdf import book_html, render_pdf
from publish.styles import Styles


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("book", nargs="?", default=".")
    ap.add_argument("--variant", default="ua")
    ap.add_argument("--out")
    ap.add_argument("--html", help="also write the single-document HTML here")
    ap.add_argument("--map", help="also write the page map (JSON) here")
    args = ap.parse_args(argv)
    root = Path(args.book)
    t0 = time.perf_counter()
    book, diagnostics = load(root)
    if has_errors(diagnostics):
        print("\n".join(map(str, diagnostics)), file=sys.stderr)
        return 1
    t_load = time.perf_counter() - t0
    styles = Styles.for_book(root)
    labels = styles.labels(book.language)
    if args.html:
        Path(args.html).write_text(book_html(book, styles, labels, variant=args.variant)[0], encoding="utf-8")
    timings: dict = {}
    pdf, page_map = render_pdf(book, styles, labels, variant=args.variant,
                               base_url=root.resolve() / "manuscript", timings=timings)
    out = Path(args.out or f"build/{book.language.split('-')[0]}/book-{args.variant}.pdf")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    if args.map:
        Path(args.map).write_text(json.dumps(page_map, indent=1, ensure_ascii=False), encoding="utf-8")
    print(f"{out}: {len(page_map['pages'])} pages, {len(pdf) / 1024:.0f} KiB")
    print(f"  load (read+check) {t_load:.2f}s  " + "  ".join(f"{k} {v:.2f}s" for k, v in timings.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
