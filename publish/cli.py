"""Turn command lines into calls of the core: `publish build`, `publish check`; errors into exit codes."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .artifacts import FILES, noop
from .diagnostics import BookError, has_errors
from .parallel import default_jobs


class _Pipeline:
    """publish.build, imported on first use: a no-op build never imports the readers and renderers."""

    def __getattr__(self, name):
        from . import build

        return getattr(build, name)


pipeline = _Pipeline()

book_dir = click.argument("book", default=".", type=click.Path(file_okay=False, path_type=Path))


def _report(diagnostics) -> None:
    for d in sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.code, d.message)):
        click.echo(str(d), err=True)


def _progress(step: str) -> None:
    if sys.stderr.isatty():
        click.echo(f"publish: {step}…", err=True)


class Guarded(click.Group):
    """Turns an unexpected failure into one line and exit status 70 (PUBLISH_DEBUG=1: the traceback)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except BookError as exc:  # a command that did not catch its own: still every problem, exit 1
            _report(exc.diagnostics)
            sys.exit(1)
        except RecursionError as exc:
            click.echo(f"{_nested_where(exc)}: error: the input is nested too deeply to process [block-nesting]", err=True)
            sys.exit(1)
        except Exception as exc:  # noqa: BLE001 - the last line of defence for the user's terminal
            if os.environ.get("PUBLISH_DEBUG"):
                raise
            click.echo(f"publish: internal error: {type(exc).__name__}: {exc} (PUBLISH_DEBUG=1 shows where)", err=True)
            sys.exit(70)


def _nested_where(exc: RecursionError) -> str:
    """`path:line` of the text being read or converted when the recursion ran out, else `publish`."""
    tb, where = exc.__traceback__, "publish"
    while tb is not None:
        for value in tb.tb_frame.f_locals.values():
            path, line = getattr(value, "path", None), getattr(value, "first_line", None)
            if isinstance(path, str) and isinstance(line, int):
                where = f"{path}:{line}"
        if where != "publish":
            break
        tb = tb.tb_next
    return where


@click.group(cls=Guarded)
@click.version_option(package_name="publish")
def main() -> None:
    """Build every edition of a book from one semantic manuscript."""


@main.command("check")
@book_dir
@click.option("--release", is_flag=True, help="Treat untranslated or stale segments as errors.")
def check_command(book: Path, release: bool) -> None:
    """Validate BOOK's manuscript and its translations; report every problem found."""
    if not (book / "manuscript").is_dir():
        raise click.UsageError(f"{book}: no manuscript/ directory here")
    loaded = pipeline.load_all(book, release=release)
    diagnostics = loaded.diagnostics
    if not has_errors(diagnostics):
        diagnostics = diagnostics + pipeline.check_templates(book, loaded)
    _report(diagnostics)
    sys.exit(1 if has_errors(diagnostics) else 0)


@main.command("build")
@book_dir
@click.option("--format", "formats", multiple=True, type=click.Choice(tuple(FILES)),
              help="Edition format to build (repeatable; default: all).")
@click.option("--edition", "only", multiple=True, metavar="NAME",
              help="Edition to build: the book's language, a translation's, or both as en-ja (repeatable; default: all).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Output directory (default: BOOK/build).")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None,
              help="Worker processes for the editions and formats (default: the processor cores).")
def build_command(book: Path, formats, only, out, jobs) -> None:
    """Build BOOK's editions into build/; writes nothing if the manuscript has errors."""
    if not (book / "manuscript").is_dir():
        raise click.UsageError(f"{book}: no manuscript/ directory here")
    done = noop(book, formats or tuple(FILES), out, only)
    if done is not None:
        _report(done)
        return
    try:
        diagnostics = pipeline.build(book, formats or pipeline.FORMATS, out, progress=_progress, only=only,
                                     jobs=jobs or default_jobs())
    except BookError as exc:
        _report(exc.diagnostics)
        sys.exit(1)
    except pipeline.UnknownEdition as exc:
        raise click.UsageError(str(exc)) from None
    _report(diagnostics)


@main.command("serve")
@book_dir
@click.option("--edition", metavar="NAME", help="The edition to preview (default: the book's language).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
def serve_command(book: Path, edition, port: int, host: str) -> None:
    """Preview BOOK's HTML edition live: rebuilt on every save, the open page reloaded (Ctrl-C stops)."""
    from .serve import CannotListen, book_language, serve

    if not (book / "manuscript").is_dir():
        raise click.UsageError(f"{book}: no manuscript/ directory here")
    try:
        status = serve(book, edition or book_language(book), host, port, _report, lambda line: click.echo(f"publish: {line}", err=True))
    except pipeline.UnknownEdition as exc:
        raise click.UsageError(str(exc)) from None
    except CannotListen as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(status)


@main.group("i18n")
def i18n() -> None:
    """Translation: parallel-text files beside the English manuscript."""


def _book_and_lang(book: Path, lang: str | None):
    if not (book / "manuscript").is_dir():
        raise click.UsageError(f"{book}: no manuscript/ directory here")
    model, diagnostics = pipeline.load(book)
    if has_errors(diagnostics):
        _report(diagnostics)
        sys.exit(1)
    langs = model.translations
    lang = lang or (langs[0] if langs else None)
    if not lang:
        raise click.UsageError("no --lang given and book.yaml lists no 'translations'")
    return model, lang


lang_option = click.option("--lang", help="Target language (default: the first of book.yaml's 'translations').")


@i18n.command("update")
@book_dir
@lang_option
def i18n_update(book: Path, lang: str | None) -> None:
    """Bring the parallel-text files in line with the English."""
    from .i18n import workflow

    model, lang = _book_and_lang(book, lang)
    try:
        written = workflow.update(book, model, lang)
    except BookError as exc:
        _report(exc.diagnostics)
        sys.exit(1)
    for path in written:
        click.echo(f"updated {path}")


@i18n.command("status")
@book_dir
@lang_option
@click.option("--fail-under", type=click.FloatRange(0, 100), help="Exit 1 if less than PERCENT is translated.")
def i18n_status(book: Path, lang: str | None, fail_under: float | None) -> None:
    """Segments translated / stale / untranslated, per file and in total."""
    from .i18n import workflow

    model, lang = _book_and_lang(book, lang)
    try:
        text, total, missing = workflow.status(book, model, lang)
    except BookError as exc:
        _report(exc.diagnostics)
        sys.exit(1)
    click.echo(text)
    if fail_under is not None and (total.percent < fail_under or missing):
        click.echo(f"publish: {total.percent:.1f}% translated, under {fail_under:g}%", err=True)
        sys.exit(1)


@i18n.command("export")
@book_dir
@lang_option
@click.option("--format", "fmt", type=click.Choice(["xliff", "po"]), default="xliff", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def i18n_export(book: Path, lang: str | None, fmt: str, output: Path) -> None:
    """Write every segment and its translation for a CAT tool (XLIFF 1.2 or PO)."""
    from .i18n import workflow
    from .write import write_file

    model, lang = _book_and_lang(book, lang)
    try:
        write_file(output, workflow.export(book, model, lang, fmt))
    except BookError as exc:
        _report(exc.diagnostics)
        sys.exit(1)
    click.echo(f"wrote {output}")


@i18n.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@book_dir
@lang_option
def i18n_import(file: Path, book: Path, lang: str | None) -> None:
    """Apply translations from a CAT tool's XLIFF or PO FILE, never overwriting newer work."""
    from .i18n import workflow

    model, lang = _book_and_lang(book, lang)
    try:
        written, applied, problems = workflow.import_file(book, model, lang, file, str(file))
    except BookError as exc:
        _report(exc.diagnostics)
        sys.exit(1)
    _report(problems)
    click.echo(f"applied {applied} translations; updated {len(written)} files")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@book_dir
@click.option("--as", "name", metavar="NAME", help="The chapter's file name, manuscript/NAME.md (default: the .docx's name).")
@click.option("--part", type=click.Choice(["front", "body", "back"]), default="body", show_default=True)
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing.")
@click.option("--allow-loss", is_flag=True, help="Write the chapter even if something could not be imported.")
@click.option("--accept-changes", is_flag=True, help="Accept every tracked change and leave the comments out.")
def import_command(file: Path, book: Path, name, part, dry_run, allow_loss, accept_changes) -> None:
    """Bring a Word .docx FILE into BOOK as a chapter; report everything that could not be mapped."""
    from .docx.commands import import_docx

    if not (book / "manuscript").is_dir():
        raise click.UsageError(f"{book}: no manuscript/ directory here")
    sys.exit(import_docx(file, book, name, part, dry_run, allow_loss, accept_changes, _report))


@main.command("export")
@book_dir
@click.option("--format", "fmt", type=click.Choice(["docx"]), default="docx", show_default=True)
@click.option("--edition", metavar="LANG", help="The book's language (default) or one of its translations.")
@click.option("--split", is_flag=True, help="One .docx per unit of the contents instead of one for the edition.")
@click.option("-o", "--out", type=click.Path(path_type=Path), help="Output file (or directory with --split).")
def export_command(book: Path, fmt: str, edition, split: bool, out) -> None:
    """Write an edition as a Word proof for authors and reviewers (headings, endnotes, tables, languages)."""
    from .docx.commands import export_docx

    if not (book / "manuscript").is_dir():
        raise click.UsageError(f"{book}: no manuscript/ directory here")
    sys.exit(export_docx(book, edition, split, out, _report))


@main.command("template-docx")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("publish-template.docx"),
              show_default=True)
def template_command(out: Path) -> None:
    """Write the Word template authors write in: every style the import knows, each shown in use."""
    from .docx.template import write_template

    write_template(out)
    click.echo(f"wrote {out}")
