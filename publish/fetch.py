"""Turn every URL the layout engine asks for into a file inside the project, or a refusal.

The build reads nothing outside the book's directory and its styles (plus the colour profile the
press PDF embeds) and fetches nothing from the network: `http:`, `https:`, `ftp:`, `file:///etc/…`
are all refused. A refusal does not pass silently: it becomes a `fetch-denied` diagnostic naming
the stylesheet, template or manuscript file (and line) that asked for it.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher

from .diagnostics import BookError, error


class ConfinedFetcher(URLFetcher):
    def __init__(self, allowed: list[Path], root: Path):
        super().__init__(timeout=1, allowed_protocols={"file", "data"})
        self.root = Path(root).resolve()
        # a directory of the book that is a link to elsewhere (styles -> /etc) allows nothing
        self.allowed = [Path(p).resolve() for p in allowed
                        if Path(p).resolve().is_relative_to(self.root) or not _in(Path(p), Path(root))]
        self.denied: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlparse(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(urlparse(url).path)).resolve()
            inside = any(path == p or path.is_relative_to(p) for p in self.allowed)
            if inside and (path.is_file() or not path.exists()):  # never a pipe or device: it would never end
                return super().fetch(url, headers)
        self.denied.append(url)
        raise ValueError(f"refused: {url} is outside the project")

    def raise_if_denied(self, search_dirs: list[Path]) -> None:
        if not self.denied:
            return
        problems = []
        for url in dict.fromkeys(self.denied):
            path, line = self.where(url, search_dirs)
            problems.append(error(path, line, f"'{url}' is outside the project: the build reads only the book's own files", "fetch-denied"))
        raise BookError(problems)

    def where(self, url: str, search_dirs: list[Path]) -> tuple[str, int]:
        """The file and line that mention the URL (or its file name), for the diagnostic: only files
        inside a search directory (and the project), never through a symbolic link, none over 2 MB."""
        parsed = urlparse(url)
        needles = [url, parsed.path, Path(parsed.path).name] if parsed.path else [url]
        for folder in search_dirs:
            if _in(Path(folder), self.root) and not Path(folder).resolve().is_relative_to(self.root):
                continue  # a directory of the book that is a link to elsewhere
            folder = Path(folder).resolve()
            for path in sorted(_files(folder)):
                if path.suffix not in (".css", ".html", ".xhtml", ".md", ".yaml", ".svg"):
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


def _files(folder: Path):
    """Regular files under `folder` that are really there: no symbolic link is followed or read."""
    for parent, dirs, names in os.walk(folder):  # os.walk does not descend into linked directories
        for name in names:
            path = Path(parent) / name
            try:
                if not path.is_symlink() and path.is_file() and path.stat().st_size <= 2_000_000 \
                        and path.resolve().is_relative_to(folder):
                    yield path
            except OSError:
                continue


def _in(path: Path, root: Path) -> bool:
    """Whether `path` is, as written (links not followed), `root` or inside it."""
    path, root = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    return path == root or path.is_relative_to(root) or path.is_relative_to(root.resolve())
