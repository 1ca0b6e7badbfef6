"""vnu: turns HTML/XHTML files into Findings, one per error the Nu Html Checker reports."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote

from publish.referees import NODE_MODULES, Finding, require_executable, require_file, run

REFEREE = "vnu"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
_CHUNK = 400  # files per JVM: keeps the command line short; one JVM for any normal book

# In EPUB content documents, attributes in the EPUB namespace (epub:type, epub:prefix) are legal,
# but vnu reports them by local name: 'Attribute “prefix” not allowed on element “html” …'.
_ATTR_NOT_ALLOWED = re.compile(r"^Attribute “([^”]+)” not allowed on element “[^”]+” at this point\.$")


def _is_epub_false_positive(msg: dict) -> bool:
    m = _ATTR_NOT_ALLOWED.match(msg.get("message", ""))
    if not m:
        return False
    return f"epub:{m.group(1)}=" in (msg.get("extract") or "")


def check_html(paths: Iterable[str | os.PathLike[str]], *, xml: bool = False, epub: bool = False,
               timeout: float = 600) -> list[Finding]:
    """Validate files in one JVM; one Finding per error.

    ``*.xhtml`` files are parsed as XML anyway; ``xml=True`` forces it for ``*.html`` too.
    ``epub=True`` drops vnu's false positives on EPUB-namespace attributes (``epub:prefix``,
    ``epub:type``), for EPUB content documents.
    """
    paths = [os.fspath(p) for p in paths]
    if not paths:
        return []
    java = require_executable(REFEREE, "java", "apt-get install default-jre-headless")
    require_file(REFEREE, VNU_JAR)
    by_abs = {str(Path(p).resolve()): p for p in paths}
    findings: list[Finding] = []
    for i in range(0, len(paths), _CHUNK):
        chunk = paths[i:i + _CHUNK]
        cmd = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        if xml:
            cmd.append("--xml")
        proc = run(cmd + chunk, timeout=timeout)
        try:
            report = json.loads(proc.stdout)
        except json.JSONDecodeError as exc:
            raise RuntimeError(f"vnu gave no JSON (exit {proc.returncode}): {proc.stderr.strip()[:500]}") from exc
        for msg in report.get("messages", []):
            if msg.get("type") == "info":  # warnings; --errors-only already drops them
                continue
            if epub and _is_epub_false_positive(msg):
                continue
            url = msg.get("url", "")
            local = unquote(url[5:]) if url.startswith("file:") else url
            file = by_abs.get(str(Path(local).resolve()) if local.startswith("/") else local, local)
            line = msg.get("lastLine") or msg.get("firstLine")
            col = msg.get("firstColumn")
            location = f"{line}:{col}" if line and col else (str(line) if line else "")
            rule = msg.get("type", "error") + (f"/{msg['subType']}" if msg.get("subType") else "")
            findings.append(Finding(REFEREE, file, msg.get("message", ""), rule, location))
    return findings
