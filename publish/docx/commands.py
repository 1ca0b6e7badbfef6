"""Turn `publish import` / `publish export` options into files written and an exit status."""
from __future__ import annotations

from pathlib import Path

import click

from .. import build as pipeline
from ..diagnostics import has_errors
from ..write import write_file
from .importer import read_docx


def import_docx(file: Path, book: Path, name, part, dry_run, allow_loss, accept_changes, report) -> int:
    result = read_docx(file, str(file), book, name, part, accept_changes)
    report(result.problems)
    if not result.markdown or not result.yaml or (result.losses and not allow_loss):
        if result.markdown:  # (without book.yaml's new text, --allow-loss cannot write the chapter either)
            click.echo("publish: nothing written: the report above lists what could not be imported" +
                       (" (--allow-loss writes the chapter anyway)" if result.yaml else ""), err=True)
        return 1
    target = f"manuscript/{result.name}"
    if dry_run:
        click.echo(f"would write {target} ({len(result.markdown.splitlines())} lines)")
        for image in result.images:
            click.echo(f"would write manuscript/{image}")
        click.echo(f"would add {result.name} to book.yaml's contents" +
                   (f" (authors: {', '.join(result.authors)})" if result.authors else ""))
        return 0
    if (book / target).exists():
        click.echo(f"publish: {target} exists already: import with --as NAME", err=True)
        return 1
    for image, data in result.images.items():
        write_file(book / "manuscript" / image, data)
    write_file(book / target, result.markdown.encode())
    write_file(book / "manuscript/book.yaml", result.yaml.encode())
    click.echo(f"wrote {target}; added it to book.yaml's contents")
    _model, diagnostics = pipeline.load(book)
    report(diagnostics)
    return 1 if has_errors(diagnostics) else 0


def export_docx(book: Path, edition, split: bool, out, report) -> int:
    from .writing import edition_docx

    loaded = pipeline.load_all(book)
    if has_errors(loaded.diagnostics):
        report(loaded.diagnostics)
        return 1
    books = pipeline.editions(loaded)
    edition = edition or loaded.book.language
    if edition not in books:
        raise click.UsageError(f"no edition '{edition}': this book has {', '.join(books)}")
    written = edition_docx(book, books[edition], split, out)
    for path in written:
        click.echo(f"wrote {path}")
    return 0
