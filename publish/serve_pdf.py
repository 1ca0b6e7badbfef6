"""Turn a saved manuscript into the preview's PDF: `publish build --format pdf --edition …` in its own
process, into build/preview/ (so the HTML preview never waits for its lock), killed when a newer save
comes; its state (laid out at what time, or why not) handed to the preview."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


class PdfJob:
    """`publish build --format pdf` of the edition in its own process (killed when a newer edit comes)."""

    def __init__(self, root: Path, edition: str, out: Path, preview):
        self.root, self.edition, self.out, self.preview = root, edition, out, preview
        self.lock, self.proc = threading.Lock(), None

    def start(self) -> None:
        self.stop()
        cmd = [sys.executable, "-c", "from publish.cli import main; main()", "build", str(self.root),
               "--format", "pdf", "--edition", self.edition, "--out", str(self.out), "-j", "1"]
        with self.lock:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, start_new_session=True)
        pdf = self.preview.state()["pdf"]
        self.preview.update(pdf={**pdf, "text": f"PDF being laid out again; the one built {pdf['built']}:"
                                 if pdf["url"] else "PDF: being laid out…"})
        threading.Thread(target=self._wait, args=(self.proc,), daemon=True).start()

    def _wait(self, proc) -> None:
        _, err = proc.communicate()
        with self.lock:
            if proc is not self.proc:
                return  # stopped: a newer job replaces it
            self.proc = None
        if proc.returncode == 0:
            url = f"/{self.out.name}/{self.edition}/book.pdf"
            built = time.strftime("%H:%M:%S")
            pdf = {"text": f"PDF built {built}:", "url": url, "link": "book.pdf", "built": built}
        else:
            lines = err.decode("utf-8", "replace").strip().splitlines() or [f"exit status {proc.returncode}"]
            pdf = {**self.preview.state()["pdf"], "text": f"PDF not laid out: {lines[-1]}"}
        self.preview.update(pdf=pdf)

    def stop(self) -> None:
        with self.lock:
            proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # a killed build leaves build/ as it was: Ctrl-C never waits on one
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
