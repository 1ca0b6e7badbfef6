"""Small helpers the test files share: a fixture book copied without its build output, and Chromium."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

BUILT = ("build", "dist")  # what a build or a release of a book writes inside it


def copy_book(source: Path, target: Path) -> Path:
    """Copy a book (or its manuscript/ folder) to `target`, leaving out the `build` and `dist` folders
    a build made in it: they would hold another place's generations, caches and locks."""
    source = Path(source)
    return Path(shutil.copytree(source, target, ignore=lambda folder, names: [
        n for n in names if n in BUILT and Path(folder) == source and (source / n).is_dir()
        and not (source / n).is_symlink()]))


@contextmanager
def chromium():
    """Headless Chromium (Playwright), launched as the referees launch it; a skip without it (a
    failure when PUBLISH_REFEREES_REQUIRED is set)."""
    from publish.referees import CHROMIUM

    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        if os.environ.get("PUBLISH_REFEREES_REQUIRED"):
            raise AssertionError(f"no Chromium at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    from publish.referees.axe import CHROMIUM_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
