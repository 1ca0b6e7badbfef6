"""ace: turns an EPUB file into Findings, one per accessibility violation Ace by DAISY reports."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from publish.referees import (CHROMIUM, NODE_MODULES, ROOT, Finding, RefereeUnavailable,
                              require_executable, require_file, run)

REFEREE = "ace"
ACE_PACKAGE = NODE_MODULES / "@daisy" / "ace-cli" / "package.json"


def _failures(assertion: dict, subject: str):
    """Walk Ace's EARL tree and yield (subject url, failed leaf assertion)."""
    subject = (assertion.get("earl:testSubject") or {}).get("url", subject)
    children = assertion.get("assertions") or []
    if "earl:test" in assertion and (assertion.get("earl:result") or {}).get("earl:outcome") == "fail":
        yield subject, assertion
    for child in children:
        yield from _failures(child, subject)


def parse_report(report: dict, epub: str) -> list[Finding]:
    """Findings from an Ace ``report.json``."""
    findings: list[Finding] = []
    for top in report.get("assertions", []):
        for subject, a in _failures(top, ""):
            test = a.get("earl:test") or {}
            result = a.get("earl:result") or {}
            impact = test.get("earl:impact") or ""
            text = (test.get("help") or {}).get("dct:description") or test.get("dct:description") or ""
            css = (result.get("earl:pointer") or {}).get("css") or []
            where = subject + (f" {', '.join(css)}" if css else "")
            findings.append(Finding(REFEREE, epub, f"[{impact}] {text}", test.get("dct:title", ""), where.strip()))
    return findings


def check_epub(path: str | os.PathLike[str], *, outdir: str | os.PathLike[str] | None = None,
               timeout: float = 600) -> list[Finding]:
    """Run ``npx --no-install ace-cli -f -o OUTDIR path`` (Debian Chromium) and read report.json.

    With ``outdir`` the HTML/JSON report stays there; otherwise a temporary directory is used.
    """
    path = os.fspath(path)
    npx = require_executable(REFEREE, "npx", "apt-get install nodejs npm")
    require_file(REFEREE, ACE_PACKAGE)
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        raise RefereeUnavailable(REFEREE, f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    epub = str(Path(path).resolve())
    env = {"PUPPETEER_EXECUTABLE_PATH": CHROMIUM, "PUPPETEER_SKIP_DOWNLOAD": "1"}

    def _run(out: str) -> list[Finding]:
        proc = run([npx, "--no-install", "ace-cli", "-f", "-o", out, epub], timeout=timeout, env=env, cwd=ROOT)
        report_file = Path(out) / "report.json"
        if not report_file.is_file():
            raise RuntimeError(f"ace wrote no report (exit {proc.returncode}): "
                               f"{(proc.stderr or proc.stdout).strip()[-800:]}")
        return parse_report(json.loads(report_file.read_text(encoding="utf-8")), path)

    if outdir is not None:
        return _run(os.fspath(outdir))
    with tempfile.TemporaryDirectory(prefix="ace-") as tmp:
        return _run(tmp)
