"""`publish serve` in Chromium: an edit shows in the open page by itself, a manuscript error is shown
on the last good page and goes when fixed, the PDF is offered, nothing is added to build/, Ctrl-C exits 0."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import BOOKS
from .helpers import chromium, copy_book

REPO = Path(__file__).resolve().parent.parent
UNDEFINED = "manuscript/chapter.md:12: error: endnote 3 is referenced but not defined [note-undefined]"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def state(url: str) -> dict:
    with urllib.request.urlopen(url + "__publish/version", timeout=5) as response:
        return json.load(response)


def ended(proc, log, seconds: float = 30) -> int:
    """The server's exit status after Ctrl-C; if it has not ended within `seconds`, every thread's stack
    (faulthandler, on SIGABRT) in the failure, so that a slow shutdown says where it waits."""
    try:
        return proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        proc.wait()
        raise AssertionError(f"serve did not end within {seconds} s of Ctrl-C:\n{log.read_text(errors='replace')[-6000:]}") from None


@pytest.fixture
def server(tmp_path):
    """(the book's copy, the site's URL, the server process); the process is always ended."""
    book = tmp_path / "book"
    copy_book(BOOKS / "minimal", book)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / "xdg"), "PYTHONFAULTHANDLER": "1"}
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-c", "from publish.cli import main; main()", "serve", str(book),
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True,  # and SIGINT ignored, as a CI worker may start it:
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))  # Ctrl-C must still stop it
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if state(url)["version"] >= 1:
                    break
            except OSError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            time.sleep(0.2)
        yield book, url, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        log.close()


@pytest.fixture
def browser():
    with chromium() as browser:
        yield browser


def test_an_edit_an_error_and_its_fix_show_in_the_open_page(server, browser):
    from playwright.sync_api import expect

    book, url, proc = server
    chapter = book / "manuscript" / "chapter.md"
    text = chapter.read_text(encoding="utf-8")
    page = browser.new_page()
    page.goto(url)  # redirected to the edition's site
    page.goto(page.url + "chapter.html")
    main, errors = page.locator("main"), page.locator("#publish-preview pre")
    expect(main).to_contain_text("Machines can compute")
    page.evaluate("window.notReloaded = true")

    chapter.write_text(text.replace("Machines can compute", "Machines may compute"), encoding="utf-8")
    expect(main).to_contain_text("Machines may compute", timeout=10_000)
    assert page.evaluate("window.notReloaded === undefined")  # the page reloaded itself

    broken = text.replace("Machines can compute", "Machines may compute").replace(
        "the second note.^2^", "the second note.^2^ And a third.^3^")
    chapter.write_text(broken, encoding="utf-8")
    expect(errors).to_have_text(UNDEFINED, timeout=10_000)
    expect(main).to_contain_text("Machines may compute")  # the last good page stays

    chapter.write_text(text.replace("Machines can compute", "Machines have computed"), encoding="utf-8")
    expect(main).to_contain_text("Machines have computed", timeout=10_000)
    expect(errors).to_be_empty()

    # the PDF, laid out behind the HTML, offered with its build time
    expect(page.locator("#publish-preview")).to_contain_text(re.compile(r"PDF built \d\d:\d\d:\d\d"), timeout=240_000)
    link = page.locator("#publish-preview a", has_text="book.pdf")
    with urllib.request.urlopen(url.rstrip("/") + link.get_attribute("href"), timeout=10) as response:
        assert response.read(5) == b"%PDF-"

    built = (book / "build" / "en" / "html" / "chapter.html").read_bytes()
    assert b"Machines have computed" in built and b"<script" not in built and b"publish-preview" not in built

    proc.send_signal(signal.SIGINT)  # Ctrl-C
    assert ended(proc, book.parent / "serve.log") == 0


def test_only_files_under_build_are_served(server):
    book, url, _ = server
    (book / "build" / "en" / "html" / "leak.html").symlink_to(book / "manuscript" / "book.yaml")
    with urllib.request.urlopen(url + "en/html/chapter.html", timeout=5) as response:
        assert b"publish-preview" in response.read()
    for path in ("../manuscript/book.yaml", "%2e%2e/%2e%2e/manuscript/book.yaml", "..%2f..%2fmanuscript/book.yaml",
                 "en/html/leak.html", ".cache/", ".gen/", "en/html/..%2f..%2f..%2f..%2fmanuscript/book.yaml"):
        request = urllib.request.Request(url + path)
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=5)
        assert caught.value.code == 404, path
