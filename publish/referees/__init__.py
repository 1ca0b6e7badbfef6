"""Referees: turn built HTML, EPUB and PDF files into lists of Findings from external validators.

Each referee lives in its own module and returns ``list[Finding]``; an empty list means the
file passed.  A referee whose tool is not installed raises :class:`RefereeUnavailable` with the
command that installs it (``bash scripts/install-referees.sh``).

    axe.check_html(paths)        axe-core in one headless Chromium (WCAG 2.x A/AA rules)
    vnu.check_html(paths)        Nu Html Checker, one JVM
    epubcheck.check_epub(path)   EPUBCheck 5 (errors and warnings)
    ace.check_epub(path)         Ace by DAISY (EPUB accessibility)
    verapdf.check_pdf(paths)     veraPDF (PDF/UA-1 by default; PDF/UA-2, PDF/A-*, WTPDF)
    verapdf.check_declared(paths) veraPDF against the PDF/UA part each PDF declares (UA-1 or UA-2)

``python -m publish.referees FILE...`` runs the referees that fit each file and prints a table.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Finding",
    "RefereeUnavailable",
    "ROOT",
    "NODE_MODULES",
    "BUILD_DIR",
    "INSTALL_HINT",
    "CHROMIUM",
]

#: The project checkout (the directory holding package.json and node_modules/).
ROOT = Path(os.environ.get("PUBLISH_REFEREES_ROOT") or Path(__file__).resolve().parents[2])
NODE_MODULES = ROOT / "node_modules"
#: Where compiled helpers (VeraCheck.class) go; git-ignored.
BUILD_DIR = ROOT / "build" / ".referees"
INSTALL_HINT = "run `bash scripts/install-referees.sh` from the project root"
#: Debian's Chromium; Playwright's and Puppeteer's own browser downloads cannot be fetched here.
CHROMIUM = os.environ.get("PUBLISH_CHROMIUM", "/usr/bin/chromium")


@dataclass(frozen=True)
class Finding:
    """One problem a referee reported about one file."""

    referee: str  #: "axe", "vnu", "epubcheck", "ace", "verapdf"
    file: str  #: the file as it was given to the referee
    message: str  #: the referee's own words
    rule: str = ""  #: rule / message id (axe rule, EPUBCheck ID, veraPDF clause-test…)
    location: str = ""  #: where in the file: line:col, CSS selector, PDF object path…

    def __str__(self) -> str:
        where = f"{self.file}" + (f" [{self.location}]" if self.location else "")
        rule = f" {self.rule}:" if self.rule else ":"
        return f"{self.referee}: {where}{rule} {self.message}"


class RefereeUnavailable(RuntimeError):
    """A referee's tool (browser, JVM, jar, npm package…) is not installed on this machine."""

    def __init__(self, referee: str, what: str, hint: str = INSTALL_HINT):
        self.referee = referee
        self.what = what
        self.hint = hint
        super().__init__(f"{referee} unavailable: {what}; {hint}")


# --- helpers shared by the referee modules ------------------------------------------------


def require_executable(referee: str, name: str, hint: str = INSTALL_HINT) -> str:
    """The full path of executable ``name`` (or an absolute path), or RefereeUnavailable."""
    if os.path.isabs(name):
        if os.access(name, os.X_OK):
            return name
        raise RefereeUnavailable(referee, f"{name} not found", hint)
    found = shutil.which(name)
    if not found:
        raise RefereeUnavailable(referee, f"`{name}` not on PATH", hint)
    return found


def require_file(referee: str, path: Path, hint: str = INSTALL_HINT) -> Path:
    if not path.is_file():
        raise RefereeUnavailable(referee, f"{path} is missing", hint)
    return path


def python_package_dir(referee: str, package: str) -> Path:
    """The directory of an installed Python package: this interpreter's, else the project venv's."""
    spec = importlib.util.find_spec(package)
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    for candidate in sorted(glob.glob(str(ROOT / ".venv" / "lib" / "python3*" / "site-packages" / package))):
        return Path(candidate)
    raise RefereeUnavailable(referee, f"Python package `{package}` is not installed")


def run(cmd: list[str], *, timeout: float, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool, capturing text output; never raises on a non-zero exit (referees exit 1 on findings)."""
    full_env = None
    if env:
        full_env = dict(os.environ)
        full_env.update(env)
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout, env=full_env, cwd=cwd, stdin=subprocess.DEVNULL)
