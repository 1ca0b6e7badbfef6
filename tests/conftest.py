"""Shared fixtures: the repository's own book built once, and golden-file comparison."""
from __future__ import annotations

from pathlib import Path

import pytest

from publish import build as pipeline

REPO = Path(__file__).resolve().parent.parent
BOOKS = Path(__file__).resolve().parent / "books"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from the current output")


@pytest.fixture
def golden(request):
    """Compare text with a golden file; with --update-golden, rewrite the file instead."""

    def compare(path: Path, actual: str):
        if request.config.getoption("--update-golden") or not path.exists():
            path.write_text(actual, encoding="utf-8")
        assert actual == path.read_text(encoding="utf-8")

    return compare


@pytest.fixture(scope="session")
def flagship():
    """The repository's own manuscript as a model (checked: no errors)."""
    book, diagnostics = pipeline.load(REPO)
    assert [str(d) for d in diagnostics if d.severity == "error"] == []
    return book


@pytest.fixture(scope="session")
def flagship_build(tmp_path_factory):
    """Every HTML edition of the repository's own manuscript (en, ja, en-ja), built once for the whole
    run (tests/flagship.py: the workers share it)."""
    from .flagship import built

    return built(tmp_path_factory, ("html",))


@pytest.fixture(scope="session")
def flagship_html(flagship_build):
    """The English HTML edition of the repository's own manuscript."""
    return flagship_build / "en" / "html"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for a test module (tests/helpers.chromium: a skip without it, a failure in CI)."""
    from .helpers import chromium

    with chromium() as launched:
        yield launched
