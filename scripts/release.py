"""`make release`: every edition built from a clean tree into dist/, named for the book, with
SHA256SUMS and manifest.json (title, editions, formats, sizes, checksums, validator results).

Reproducible: SOURCE_DATE_EPOCH (default: the time of the last commit) dates everything, zips are
sorted with fixed timestamps, so two releases of the same commit are byte-identical.
Usage: python scripts/release.py [BOOK]
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

from publish.staging import CURRENT
from publish.zipfile_repro import write_zip

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
DIST = ROOT / "dist"
PUBLISH = Path(sys.executable).with_name("publish")
FORMATS = {"book.pdf": ("pdf", "PDF/UA"), "book-print.pdf": ("print.pdf", "press PDF"),
           "book-cover.pdf": ("cover.pdf", "cover spread"),
           "book.epub": ("epub", "EPUB 3"), "html": ("html.zip", "HTML")}


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "book"


def zip_tree(folder: Path, target: Path, epoch: int) -> None:
    """A reproducible zip of a directory (the same writer as the EPUB's)."""
    entries = {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    target.write_bytes(write_zip(entries, when=datetime.fromtimestamp(epoch, timezone.utc)))


def main() -> int:
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or subprocess.run(
        ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout.strip() or "0"
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    work = Path(tempfile.mkdtemp(prefix="publish-release-"))
    try:
        # a clean tree: the committed book only, no caches or earlier builds
        tree = work / "tree"
        if (ROOT / ".git").exists():  # the committed tree: nothing uncommitted slips into a release
            tree.mkdir()
            archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        else:
            shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns("build", "dist", ".venv", "node_modules", "__pycache__", "*.egg-info"))
        subprocess.run([PUBLISH, "build", tree], check=True, env=env)
        import yaml

        meta = yaml.safe_load((tree / "manuscript" / "book.yaml").read_text(encoding="utf-8"))
        name = slug(meta["title"])
        staging = work / "dist"
        staging.mkdir()
        artifacts = []
        # the editions: build/<edition> links into the published generation (build/current)
        for edition in sorted(p.name for p in (tree / "build").iterdir()
                              if p.is_dir() and not p.name.startswith(".") and p.name != CURRENT):
            for source, (suffix, label) in FORMATS.items():
                path = tree / "build" / edition / source
                if not path.exists():
                    continue
                target = staging / f"{name}-{edition}.{suffix}"
                if path.is_dir():
                    zip_tree(path, target, int(epoch))
                else:
                    shutil.copyfile(path, target)
                data = target.read_bytes()
                artifacts.append({"file": target.name, "edition": edition, "format": label,
                                  "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
        sums = "".join(f"{a['sha256']}  {a['file']}\n" for a in artifacts)
        (staging / "SHA256SUMS").write_text(sums)
        checked = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_all.py"), str(tree)], env=env)
        reports = tree / "build" / "reports" / "summary.json"
        manifest = {"title": meta["title"], "subtitle": meta.get("subtitle", ""), "publisher": meta.get("publisher"),
                    "date": str(meta.get("date")), "source_date_epoch": int(epoch),
                    "editions": sorted({a["edition"] for a in artifacts}), "artifacts": artifacts,
                    "validators": json.loads(reports.read_text()) if reports.exists() else "not run"}
        (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")
        old = DIST.with_name(".dist.old")
        shutil.rmtree(old, ignore_errors=True)
        if DIST.exists():
            os.replace(DIST, old)
        shutil.move(str(staging), DIST)
        shutil.rmtree(old, ignore_errors=True)
        print(sums, end="")
        if checked.returncode:
            print("release: some referee failed (see manifest.json)", file=sys.stderr)
        return checked.returncode
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
