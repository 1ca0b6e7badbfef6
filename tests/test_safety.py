"""A build that bad input cannot break: nothing fetched from outside the project, no artifact
half-written even when the build is killed."""
from __future__ import annotations

import random
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from publish.cli import main

from .conftest import BOOKS
from .helpers import copy_book


@pytest.mark.parametrize("name", ["broken-fetch", "broken-fetch-svg"])
def test_urls_outside_the_project_are_refused(tmp_path, name):
    book = tmp_path / "book"
    copy_book(BOOKS / name, book)
    result = CliRunner().invoke(main, ["build", str(book), "--format", "pdf"])
    assert result.exit_code == 1
    assert result.stderr == (BOOKS / name / "expected-build.txt").read_text()
    assert not (book / "build" / "en" / "book.pdf").exists()


def _complete(build: Path) -> list[str]:
    """Problems with any artifact present: each must be whole."""
    problems = []
    for pdf in build.glob("*/book*.pdf"):
        try:
            with pikepdf.open(pdf) as doc:
                assert len(doc.pages) > 0
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{pdf}: {exc}")
    for epub in build.glob("*/book.epub"):
        with zipfile.ZipFile(epub) as z:
            if z.testzip() is not None:
                problems.append(f"{epub}: corrupt")
    for site in build.glob("*/html"):
        pages = sorted(p.name for p in site.glob("*.html"))
        if pages and len(pages) != 5:  # index, preface, abbreviations, chapter, contributors
            problems.append(f"{site}: {len(pages)} pages")
    return problems


def test_killing_a_build_never_leaves_a_broken_artifact(tmp_path):
    book = tmp_path / "book"
    copy_book(BOOKS / "minimal", book)
    publish = Path(sys.executable).with_name("publish")
    rng = random.Random(7)
    subprocess.run([publish, "build", str(book)], check=True, capture_output=True)
    for attempt in range(6):
        # edit the book so that every artifact is rewritten, then kill the build part-way
        chapter = book / "manuscript" / "chapter.md"
        chapter.write_text(re.sub(r"Machines compute[^\n]*", f"Machines compute ({attempt}).", chapter.read_text(), count=1))
        process = subprocess.Popen([publish, "build", str(book)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 4.0))
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert _complete(book / "build") == []
    subprocess.run([publish, "build", str(book)], check=True, capture_output=True)
    assert _complete(book / "build") == []
    assert "Machines compute (5)." in (book / "build/en/html/chapter.html").read_text()
    assert list((book / "build").glob("**/.*.tmp")) == []  # the next build swept what the killed ones left
