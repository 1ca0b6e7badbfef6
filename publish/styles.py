"""Turn a book's `styles/` (and the default styles beneath it) into templates, labels and assets."""
from __future__ import annotations

import operator
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from . import confine, yamlmap
from .audit import audit
from .diagnostics import BookError, error
from .guard import Overtime, deadline, memory_cap, seconds_for

DEFAULT = Path(__file__).resolve().parent.parent / "styles"
MAX_TEMPLATE = 1_000_000  # bytes of one template, stylesheet or label file
MAX_PRODUCT = 1_000_000  # items a `*` in a template may make ("x" * n, [..] * n)
RENDER_MEMORY = 1 << 30  # bytes one template's rendering may allocate
MAX_PAGE = 50_000_000  # characters one rendered page may hold (the whole flagship's print document: ~1.5 million)
RENDER_SECONDS = 60  # one template's rendering (PUBLISH_TEMPLATE_TIMEOUT)


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no attribute starting with `_`, no unsafe calls, `range` capped), with the
    operators that make big objects from small ones capped too."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, op, left, right):
        if op == "**" and isinstance(right, (int, float)) and abs(right) > 100:
            raise self.security_error(f"exponent {right} is too large for a template")
        if op == "*":
            count = right if isinstance(left, (str, list, tuple)) else left if isinstance(right, (str, list, tuple)) else None
            seq = left if count is right else right
            if isinstance(count, int) and count * max(len(seq), 1) > MAX_PRODUCT:
                raise self.security_error(f"'*' would make {count * max(len(seq), 1):,} items (at most {MAX_PRODUCT:,})")
        return {"*": operator.mul, "**": operator.pow}[op](left, right)

    def security_error(self, message):
        from jinja2.exceptions import SecurityError

        return SecurityError(message)


class TemplateLimit(Exception):
    """A template went past one of its own limits (time, output size)."""


class Unreadable(jinja2.TemplateError):
    """A template that may not or cannot be read, with its diagnostic."""

    def __init__(self, diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from the styles folders (the book's first), each read only inside its own folder:
    a template that is a symlink leaving it, a pipe or a huge file is refused before it is read."""

    def __init__(self, searchpath: list[str]):
        self.searchpath = searchpath

    def get_source(self, environment, template):
        pieces = jinja2.loaders.split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if not os.path.lexists(path):  # a pipe or a folder named like a template is refused, not skipped
                continue
            shown = path.relative_to(Path(folder).parent.parent).as_posix()
            try:
                text = confine.read_bytes(path, [folder], MAX_TEMPLATE).decode("utf-8")
            except confine.Refused as exc:
                raise Unreadable(error(shown, 1, f"cannot read it: {exc.reason}", exc.code)) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise Unreadable(error(shown, 1, f"cannot read it: {exc}", "template-error")) from None
            mtime = path.stat().st_mtime
            return text, str(path), lambda: path.is_file() and path.stat().st_mtime == mtime
        raise jinja2.TemplateNotFound(template)


@dataclass(frozen=True)
class Styles:
    dirs: tuple[Path, ...]  # the book's own styles first, then the defaults

    @classmethod
    def for_book(cls, root: Path) -> "Styles":
        """The book's styles (if it has them, inside it) over the defaults; a styles/ that is a symlink
        leaving the book is refused."""
        root = Path(root).resolve()
        own = root / "styles"
        if own.is_symlink() or (own.exists() and not own.is_dir()):
            try:
                confine.inside(own, [root])
            except confine.Refused as exc:
                raise BookError([error("styles", 1, f"cannot use the book's styles: {exc.reason}", "file-outside")]) from None
        dirs = (own.resolve(), DEFAULT) if own.is_dir() and own.resolve() != DEFAULT else (DEFAULT,)
        return cls(dirs)

    def environment(self, **filters) -> jinja2.Environment:
        env = Sandbox(
            loader=ConfinedLoader([str(d / "templates") for d in self.dirs]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters.update(filters)
        return env

    def render(self, env: jinja2.Environment, name: str, files: tuple = (), **context) -> str:
        """Render a template; a designer's mistake becomes a diagnostic naming the template and line."""
        try:
            own = f"rendering the template '{name}'"
            try:
                with deadline(seconds_for("template", RENDER_SECONDS), own), memory_cap(RENDER_MEMORY):
                    out = env.get_template(name).render(**context)
            except Overtime as exc:
                if exc.what != own:
                    raise  # an outer limit (the layout's): reported there
                raise TemplateLimit(str(exc)).with_traceback(exc.__traceback__) from None
            if len(out) > MAX_PAGE:
                raise TemplateLimit(f"the template wrote {len(out) / 1e6:,.0f} million characters "
                                       f"(at most {MAX_PAGE // 1_000_000} million a page)")
            if found := audit(out, files):
                raise BookError([self._unsafe(name, what, snippet) for what, snippet in dict(found).items()])
            return out
        except Unreadable as exc:
            raise BookError([exc.diagnostic]) from None
        except jinja2.TemplateSyntaxError as exc:
            raise BookError([error(self._shown(exc.filename or name), exc.lineno or 1, f"template error: {exc.message}", "template-error")]) from None
        except (jinja2.TemplateError, TypeError, AttributeError, KeyError, ValueError, IndexError,
                ZeroDivisionError, OverflowError, MemoryError, RecursionError, TemplateLimit) as exc:
            where, line = next((str(d / "templates" / name) for d in self.dirs if (d / "templates" / name).is_file()), name), 1
            tb = exc.__traceback__
            while tb is not None:
                filename = tb.tb_frame.f_code.co_filename
                if filename.endswith((".html", ".xhtml", ".css", ".svg")):
                    where, line = filename, tb.tb_lineno
                tb = tb.tb_next
            message = (f"it needed more than {RENDER_MEMORY >> 30} GB of memory" if isinstance(exc, MemoryError)
                       else str(exc) or type(exc).__name__)
            raise BookError([error(self._shown(where), line, f"template error: {message}", "template-error")]) from None

    def _unsafe(self, name: str, what: str, snippet: str):
        """The diagnostic for something unsafe in a rendered page, at the template line that wrote it."""
        for d in self.dirs:
            folder = d / "templates"
            for path in sorted(Path(top, f) for top, _, files in os.walk(folder) for f in files):
                if path.is_symlink() or not path.is_file():
                    continue
                text = confine.read_bytes(path, [folder], MAX_TEMPLATE).decode("utf-8", errors="replace")
                if snippet and snippet in text:
                    line = text.count("\n", 0, text.index(snippet)) + 1
                    return error(self._shown(str(path)), line, f"template writes {what}: a page may not run scripts "
                                 "or load anything from outside the book", "template-unsafe")
        return error(f"styles/templates/{name}", 1, f"template writes {what}: a page may not run scripts or load "
                     "anything from outside the book", "template-unsafe")

    def _shown(self, filename: str) -> str:
        for d in self.dirs:
            try:
                return str(Path(os.path.abspath(filename)).relative_to(d.parent))
            except ValueError:
                continue
        return filename

    def find(self, relpath: str) -> Path:
        """The file `relpath` of the first styles folder that has it (confined to that folder)."""
        for d in self.dirs:
            if os.path.lexists(d / relpath):
                try:
                    return confine.inside(d / relpath, [d])
                except confine.Refused as exc:
                    raise BookError([error(f"styles/{relpath}", 1, f"cannot read it: {exc.reason}", exc.code)]) from None
        raise BookError([error(f"styles/{relpath}", 1, "file not found in the book's styles or the defaults", "file-missing")])

    def read(self, relpath: str) -> bytes:
        """The bytes of a styles file (a stylesheet, a font), read only inside its styles folder."""
        path = self.find(relpath)
        try:
            return confine.read_bytes(path, [d for d in self.dirs if path.is_relative_to(d)], MAX_TEMPLATE * 20)
        except confine.Refused as exc:
            raise BookError([error(f"styles/{relpath}", 1, f"cannot read it: {exc.reason}", exc.code)]) from None

    def locale_files(self, language: str) -> list[tuple[Path, str]]:
        """(root, path under it) of each locale file for a language: the defaults' first, then the book's."""
        name = f"locale/{language.split('-')[0].lower()}.yaml"
        return [(d.parent, f"{d.name}/{name}") for d in reversed(self.dirs) if os.path.lexists(d / name)]

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
