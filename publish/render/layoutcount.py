"""Turn each layout pass of a PDF into one line of the opt-in layout log ($PUBLISH_LAYOUT_LOG).

Unset (the default), nothing is written. Set to a file path, publish.render.pdf appends one line a
pass: `TITLE<TAB>EDITION<TAB>VARIANT<TAB>PASS`, PASS 1 for a book's first layout and 2, 3… for the
layouts made again (hyphen ladders, loose lines, a bilingual pair moved); under pytest a fifth field,
the test that asked (PYTEST_CURRENT_TEST). Lines with PASS 1 count the books laid out, all lines the
passes (docs/tests.md)."""
from __future__ import annotations

import os

ENV = "PUBLISH_LAYOUT_LOG"


def note(book, context: dict | None, variant: str, attempt: int) -> None:
    path = os.environ.get(ENV, "")
    if not path:
        return
    translated = (context or {}).get("tr")  # the bilingual template's translation
    edition = f"{book.language}-{translated.language}" if translated is not None else book.language
    fields = [" ".join(str(book.title).split()), edition, variant, str(attempt + 1)]
    test = os.environ.get("PYTEST_CURRENT_TEST", "")
    line = "\t".join(fields + ([" ".join(test.split())] if test else [])) + "\n"
    try:  # one write in append mode: lines of processes laying out at once do not mix
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        pass  # a log that cannot be written counts nothing; the build goes on
