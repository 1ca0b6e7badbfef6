"""Turn a book directory into a live preview: one edition's HTML site served on localhost from build/,
built again when a manuscript, translation or style file changes (the open page reloads itself), its
PDF laid out again behind it by a separate process into build/preview/, a failed build's errors shown
on the last good page."""
from __future__ import annotations

import json
import mimetypes
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import build as pipeline
from .diagnostics import BookError
from .serve_page import error_page, inject

PDF_URL = "/__publish/book.pdf"


class CannotListen(Exception):
    """The address is taken or not this machine's."""


class Preview:
    """What the pages are told: the last good build's number, the last build's errors, the PDF's state."""

    def __init__(self):
        self.changed = threading.Condition()
        self.serial = self.version = 0
        self.built, self.errors = False, []
        self.pdf = {"text": "PDF: laid out once the HTML is built.", "url": "", "link": ""}

    def update(self, **values) -> None:
        with self.changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.serial += 1
            self.changed.notify_all()

    def state(self, since: int | None = None, timeout: float = 20.0) -> dict:
        """The state, once it differs from serial `since` (or `timeout` seconds have passed)."""
        with self.changed:
            if since is not None:
                self.changed.wait_for(lambda: self.serial != since, timeout)
            return {"serial": self.serial, "version": self.version, "errors": list(self.errors), "pdf": dict(self.pdf)}


def handler(build_dir: Path, site: Path, pdf: Path, preview: Preview):
    """Requests for `site`'s files (HTML with the preview bar added), the PDF, the state; nothing
    that does not resolve to a regular file under `build_dir`."""
    confined = build_dir.resolve()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            if path == "/__publish/version":
                since = parse_qs(parts.query).get("since", [""])[0]
                state = preview.state(int(since) if since.isdigit() else None)
                return self.send(200, "application/json", json.dumps(state).encode())
            file = pdf if path == PDF_URL else site / (path.lstrip("/") or "index.html")
            try:
                file = file.resolve()
                if file.is_dir():
                    file = file / "index.html"
                ok = file.is_relative_to(confined) and file.is_file()
            except (OSError, ValueError):
                ok = False
            if not ok:
                if not preview.built and file.suffix in (".html", ""):
                    return self.send(200, "text/html; charset=utf-8", error_page(preview.state()))
                return self.send(404, "text/plain; charset=utf-8", b"not found\n")
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            data = file.read_bytes()
            if kind == "text/html":
                data, kind = inject(data, preview.state()), "text/html; charset=utf-8"
            self.send(200, kind, data)

        def send(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    return Handler


class PdfJob:
    """`publish build --format pdf` of the edition in its own process (killed when a newer edit comes)."""

    def __init__(self, root: Path, edition: str, out: Path, preview: Preview):
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
        self.preview.update(pdf={**pdf, "text": "PDF: being laid out again; the last one:" if pdf["url"]
                                 else "PDF: being laid out…"})
        threading.Thread(target=self._wait, args=(self.proc,), daemon=True).start()

    def _wait(self, proc) -> None:
        _, err = proc.communicate()
        with self.lock:
            if proc is not self.proc:
                return  # stopped: a newer job replaces it
            self.proc = None
        if proc.returncode == 0:
            pdf = {"text": f"PDF built {time.strftime('%H:%M:%S')}:", "url": PDF_URL, "link": "book.pdf"}
        else:
            lines = err.decode("utf-8", "replace").strip().splitlines() or [f"exit status {proc.returncode}"]
            pdf = {**self.preview.state()["pdf"], "text": f"PDF not laid out: {lines[-1]}"}
        self.preview.update(pdf=pdf)

    def stop(self) -> None:
        with self.lock:
            proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()


def rebuild(root: Path, edition: str, out: Path, preview: Preview, report, first: bool = False) -> bool:
    """Build the edition's HTML (only what changed); the errors into the preview if it fails."""
    try:
        report(pipeline.build(root, ("html",), out, only=(edition,), jobs=1))
    except BookError as exc:
        found = sorted(set(exc.diagnostics), key=lambda d: (d.path, d.line, d.code, d.message))
        report(found)
        preview.update(errors=[str(d) for d in found])
        return False
    except pipeline.UnknownEdition as exc:
        if first:
            raise
        preview.update(errors=[f"publish: {exc}"])
        return False
    except Exception as exc:  # noqa: BLE001 - a preview outlives a bug; `publish build` reports it as exit 70
        if first or os.environ.get("PUBLISH_DEBUG"):
            raise
        preview.update(errors=[f"publish: internal error: {type(exc).__name__}: {exc}"])
        return False
    preview.update(version=preview.version + 1, errors=[], built=True)
    return True


def watched(root: Path) -> list[Path]:
    """The manuscript (translations included) and the styles folders the book uses."""
    from .styles import Styles

    try:
        dirs = Styles.for_book(root).dirs
    except BookError:
        dirs = (root / "styles",)
    return [d for d in (root / "manuscript", *dirs) if d.is_dir()]


def serve(root: Path, edition: str, host: str, port: int, report, say) -> int:
    """Serve until Ctrl-C (or SIGTERM): exit status 0."""
    import watchfiles

    root = Path(root).resolve()
    out = root / "build"
    preview = Preview()
    try:
        server = ThreadingHTTPServer((host, port), handler(out, out / edition / "html",
                                                           out / "preview" / edition / "book.pdf", preview))
    except OSError as exc:
        raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pdf = PdfJob(root, edition, out / "preview", preview)
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        say(f"serving the {edition} edition at http://{host}:{server.server_address[1]}/ (Ctrl-C stops)")
        if rebuild(root, edition, out, preview, report, first=True):
            pdf.start()
        for _changes in watchfiles.watch(*watched(root), debounce=400, step=30):
            pdf.stop()
            if rebuild(root, edition, out, preview, report):
                pdf.start()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        pdf.stop()
        server.shutdown()
        server.server_close()
    return 0


def book_language(root: Path) -> str:
    """book.yaml's `language` (the default edition), "en" if it cannot be read (the build says why)."""
    from . import yamlmap
    from .read import BOOK_FILE, read_text

    text, _ = read_text(Path(root), BOOK_FILE, markdown=False)
    try:
        meta = yamlmap.load(text)[0] if text is not None else {}
    except yamlmap.YamlError:
        meta = {}
    language = meta.get("language") if isinstance(meta, dict) else None
    return language if isinstance(language, str) and language else "en"
