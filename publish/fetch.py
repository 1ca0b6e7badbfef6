"""Turn every URL the layout engine asks for into a file inside the project, or a refusal.

The build reads nothing outside the book's directory and its styles (plus the colour profile the
press PDF embeds) and fetches nothing from the network: `http:`, `https:`, `ftp:`, `file:///etc/…`
are all refused. A refusal does not pass silently: it becomes a `fetch-denied` diagnostic naming
the stylesheet, template or manuscript file (and line) that asked for it.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher

from .diagnostics import BookError, error


class ConfinedFetcher(URLFetcher):
    def __init__(self, allowed: list[Path], root: Path):
        super().__init__(timeout=1, allowed_protocols={"file", "data"})
        self.allowed = [Path(p).resolve() for p in allowed]
        self.root = Path(root).resolve()
        self.denied: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlparse(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlparse(url).path)).resolve()
            if any(path == p or path.is_relative_to(p) for p in self.allowed):
                return super().fetch(url, headers)
        self.denied.append(url)
        raise ValueError(f"refused: {url} is outside the project")

    def raise_if_denied(self, search_dirs: list[Path]) -> None:
        if not self.denied:
            return
        problems = []
        for url in dict.fromkeys(self.denied):
            path, line = self._where(url, search_dirs)
            problems.append(error(path, line, f"'{url}' is outside the project: the build reads only the book's own files", "fetch-denied"))
        raise BookError(problems)

    def _where(self, url: str, search_dirs: list[Path]) -> tuple[str, int]:
        """The file and line that mention the URL (or its file name), for the diagnostic."""
        parsed = urlparse(url)
        needles = [url, parsed.path, Path(parsed.path).name] if parsed.path else [url]
        for folder in search_dirs:
            for path in sorted(Path(folder).rglob("*")):
                if path.suffix not in (".css", ".html", ".xhtml", ".md", ".yaml", ".svg") or not path.is_file():
                    continue
                text = path.read_text(encoding="utf-8", errors="replace")
                for needle in needles:
                    if needle and needle in text:
                        line = text[: text.index(needle)].count("\n") + 1
                        return self._shown(path), line
        return url, 1

    def _shown(self, path: Path) -> str:
        try:
            return str(path.resolve().relative_to(self.root))
        except ValueError:
            return str(path)
