"""axe: turns HTML/XHTML files into Findings, one per element axe-core flags in headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from publish.referees import CHROMIUM, NODE_MODULES, Finding, RefereeUnavailable, require_file

REFEREE = "axe"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
#: WCAG 2.0/2.1/2.2 level A and AA rules (axe-core has no rule tagged wcag22a).
DEFAULT_TAGS: tuple[str, ...] = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {engine: r.testEngine.version, violations: r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target, impact: n.impact}))}))};
}"""


def _url(path: str | os.PathLike[str]) -> str:
    s = os.fspath(path)
    if s.startswith(("http://", "https://", "file://")):
        return s
    return Path(s).resolve().as_uri()


def _target(target: list) -> str:
    # axe targets are lists of selectors (nested lists for shadow DOM / iframes).
    return " >> ".join(" ".join(t) if isinstance(t, list) else str(t) for t in target)


def check_html(paths: Iterable[str | os.PathLike[str]], *, tags: Sequence[str] = DEFAULT_TAGS,
               timeout_ms: int = 60_000) -> list[Finding]:
    """Run axe-core on each file (or http(s) URL) in ONE headless Chromium; one Finding per failing node."""
    paths = [os.fspath(p) for p in paths]
    if not paths:
        return []
    require_file(REFEREE, AXE_JS)
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        raise RefereeUnavailable(REFEREE, f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise RefereeUnavailable(REFEREE, f"Python package `playwright` missing ({exc})") from exc

    axe_source = AXE_JS.read_text(encoding="utf-8")
    findings: list[Finding] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for path in paths:
                page = browser.new_page()
                try:
                    page.goto(_url(path), wait_until="load", timeout=timeout_ms)
                    page.add_script_tag(content=axe_source)
                    result = page.evaluate(_RUN_AXE, list(tags))
                except Exception as exc:  # a page that does not load is a finding, not a crash
                    findings.append(Finding(REFEREE, path, f"could not check page: {exc}".splitlines()[0],
                                            "page-error", ""))
                    continue
                finally:
                    page.close()
                for v in result["violations"]:
                    for node in v["nodes"]:
                        impact = node.get("impact") or v.get("impact") or ""
                        findings.append(Finding(REFEREE, path, f"[{impact}] {v['help']}", v["id"],
                                                _target(node["target"])))
        finally:
            browser.close()
    return findings
