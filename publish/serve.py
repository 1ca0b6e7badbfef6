"""Turn a book directory into a live preview: one edition's HTML site served on localhost from build/,
built again when a manuscript, translation or style file changes (the open page reloads itself), its
PDF laid out again behind it by a separate process into build/preview/, a failed build's errors shown
on the last good page."""
from __future__ import annotations

import json
import mimetypes
import os
import signal
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import build as pipeline
from .diagnostics import BookError
from .serve_page import error_page, inject
from .serve_pdf import PdfJob

PREVIEW = "preview"  # build/preview/<edition>/book.pdf: the PDF laid out behind the HTML (publish/serve_pdf.py)


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


def handler(build_dir: Path, edition: str, preview: Preview):
    """build/ served at /: `/` goes to the edition's site (its links to the other editions and the
    downloads work as in build/); HTML is sent with the preview bar added. Nothing is sent that is
    not a regular file resolving inside build/, nor anything under a name starting with a dot."""
    confined = build_dir.resolve()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            if path == "/__publish/version":
                since = parse_qs(parts.query).get("since", [""])[0]
                state = preview.state(int(since) if since.isdigit() else None)
                return self.send(200, "application/json", json.dumps(state).encode())
            if path == "/":
                return self.redirect(f"/{edition}/html/")
            names = [n for n in path.split("/") if n]
            file, ok = build_dir.joinpath(*names), not any(n.startswith(".") or "\\" in n for n in names)
            try:
                file = file.resolve()
                if ok and file.is_dir():
                    if not path.endswith("/"):
                        return self.redirect(path + "/")
                    file = file / "index.html"
                ok = ok and file.is_relative_to(confined) and file.is_file()
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

        def redirect(self, where: str) -> None:
            self.send_response(302)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
            self.end_headers()

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
        server = ThreadingHTTPServer((host, port), handler(out, edition, preview))
    except OSError as exc:
        raise CannotListen(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pdf = PdfJob(root, edition, out / PREVIEW, preview)
    # Ctrl-C and SIGTERM end the loop, even when started with SIGINT ignored (a Python started from a
    # process that ignores SIGINT installs no handler for it, and Ctrl-C did nothing)
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        say(f"serving the {edition} edition at http://{host}:{server.server_address[1]}/{edition}/html/ (Ctrl-C stops)")
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
        signal.signal(signal.SIGINT, previous_int)
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
