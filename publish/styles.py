"""Turn a book's `styles/` (and the default styles beneath it) into templates, labels and assets."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import yamlmap
from .diagnostics import BookError, error

DEFAULT = Path(__file__).resolve().parent.parent / "styles"


@dataclass(frozen=True)
class Styles:
    dirs: tuple[Path, ...]  # the book's own styles first, then the defaults

    @classmethod
    def for_book(cls, root: Path) -> "Styles":
        own = Path(root).resolve() / "styles"
        dirs = (own, DEFAULT) if own.is_dir() and own != DEFAULT else (DEFAULT,)
        return cls(dirs)

    def environment(self, **filters) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d / "templates") for d in self.dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(filters)
        return env

    def render(self, env: jinja2.Environment, name: str, **context) -> str:
        """Render a template; a designer's mistake becomes a diagnostic naming the template and line."""
        try:
            return env.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as exc:
            raise BookError([error(self._shown(exc.filename or name), exc.lineno or 1, f"template error: {exc.message}", "template-error")]) from None
        except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError) as exc:
            where, line = name, 1
            tb = exc.__traceback__
            while tb is not None:
                filename = tb.tb_frame.f_code.co_filename
                if filename.endswith((".html", ".xhtml", ".css", ".svg")):
                    where, line = filename, tb.tb_lineno
                tb = tb.tb_next
            raise BookError([error(self._shown(where), line, f"template error: {exc}", "template-error")]) from None

    def _shown(self, filename: str) -> str:
        for d in self.dirs:
            try:
                return str(Path(filename).resolve().relative_to(d.parent))
            except ValueError:
                continue
        return filename

    def find(self, relpath: str) -> Path:
        for d in self.dirs:
            if (d / relpath).is_file():
                return d / relpath
        raise BookError([error(f"styles/{relpath}", 1, "file not found in the book's styles or the defaults", "file-missing")])

    def locale_files(self, language: str) -> list[tuple[Path, str]]:
        """(root, path under it) of each locale file for a language: the defaults' first, then the book's."""
        name = f"locale/{language.split('-')[0].lower()}.yaml"
        return [(d.parent, f"{d.name}/{name}") for d in reversed(self.dirs) if (d / name).is_file()]

    def labels(self, language: str) -> dict:
        """Labels for a language: the defaults' locale file, overridden by the book's."""
        out: dict = {}
        for root, relpath in self.locale_files(language):
            data, _, problems = yamlmap.load_file(root, relpath)
            if data is not None and not isinstance(data, dict):
                problems = [error(relpath, 1, "a locale file must be a mapping of labels", "yaml-invalid")]
            if problems:
                raise BookError(problems)
            out.update(data or {})
        if not out:
            base = language.split("-")[0].lower()
            raise BookError([error("manuscript/book.yaml", 1, f"no labels for language '{language}': add styles/locale/{base}.yaml",
                                   "meta-invalid")])
        return out
