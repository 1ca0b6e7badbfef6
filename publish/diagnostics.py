"""Turn problems found in a book into located, coded diagnostics: `path:line: error: message [code]`.

Codes (one line each; tests pin the exact text of every message):
  file-missing       a file named in book.yaml, or book.yaml itself, does not exist
  file-unreadable    a file exists but cannot be read
  file-encoding      a file is not valid UTF-8 (or is binary)
  file-empty         a file holds nothing but whitespace
  file-too-large     a file over 2 MB, or a line over 20,000 characters
  block-nesting      blocks, or inline spans and emphasis, nested deeper than 32 levels
  yaml-invalid       a YAML file is not valid YAML, uses anchors, aliases or tags, defines a key twice
  meta-missing       a required metadata field is absent or empty
  meta-invalid       a metadata field has the wrong shape
  contributor-unknown  an id in editors/authors/translators names no contributor
  role-unknown       a contributor's role, or a contents entry's role, that the format does not know
  contents-duplicate a file or generated unit appears twice in `contents`, or its page would overwrite another
  abbr-duplicate     an abbreviation is defined twice
  abbr-unknown       an abbreviation marked in the text ([NATO]{.abbr}) that book.yaml's abbreviations do not define
  list-single        a one-item list numbered other than 1 after a paragraph: a paragraph starting '(2)'? (warning)
  takeaways-name     a takeaways box headed otherwise than book.yaml's `takeaways` names every box (warning)
  block-unknown      a block or inline the format does not know (never dropped silently)
  block-unclosed     a fenced div that is never closed
  attr-unknown       an attribute, class, id or link title the format does not define for that element
  heading-skip       a heading level skips (## then ####), or a unit lacks its one `#` title
  heading-empty      a heading with no text
  id-duplicate       two elements share an id
  link-broken        an internal link `#id` points nowhere, in the manuscript or in any edition as rendered (a byline, a template)
  link-scheme        a link that is neither `#id` nor http:, https:, mailto: (javascript:, data:, file:…)
  link-empty         a link with no text
  note-undefined     an endnote reference with no endnote of that number
  note-unreferenced  an endnote that nothing in the text refers to
  note-numbering     endnotes numbered with a gap, a duplicate, or out of order
  notes-mode         `notes:` is not chapter, book or footnotes; `notes: book` without a `generate: notes` entry, or one without it
  image-alt          an image without alternative text
  image-outside      an image outside the project, or remote
  image-invalid      an image that cannot be read, is not what its name says, or an SVG with a DTD
  image-too-large    a raster image over 50 megapixels (read from its header)
  image-too-complex  an SVG over 20,000 elements, or that expands through <use> past 100,000 or 16 deep
  css-ignored        a declaration the PDF layout ignores in the book's own print stylesheet (warning)
  layout-lost        the PDF layout could not load an image or stylesheet (it would be missing)
  layout-vertical-pdf  a vertical edition (`layout: {ja: vertical}`): its PDF stays horizontal, WeasyPrint cannot set vertical text (warning)
  lang-missing       Chinese or Japanese text without a language span (warning)
  table-invalid      a '::: table' div that is not a caption and one pipe table, or whose attribute values are wrong
  table-span         a table cell merged with '<' or '^' that makes no rectangle, or has no cell to merge into
  table-header       a pipe table whose header row is empty (warning: write it with header-rows=0)
  ruby-invalid       ruby '[漢字]{ruby=かんじ}' with an empty reading, no base, markup in its base, or per-character readings that do not match its characters
  contents-empty     `generate: tables` or `generate: figures` in a book with no captioned tables or figures
  pandoc-failed      pandoc could not read a file
  fetch-denied       a stylesheet, template, SVG or manuscript refers to a file outside the project or the network
  template-error     a template in styles/ cannot be read or rendered, or breaks the sandbox (names the template and line)
  template-unsafe    a rendered page would run a script or load something from outside the book (names the template line)
  file-outside       a file the book names leads outside the book (a symlink): refused before it is read
  build-unsafe       build/ or build/.cache is a symlink or a file: the build writes only inside the book
  print-invalid      book.yaml's `print:` settings: an unknown key, a trim size, paper_ppi or spine_text_min_pages out of range
  cover-credit       `cover_credit` credits cover art, but the covers are typographic and no edition has art
  layout-timeout     laying out a PDF took longer than its limit (PUBLISH_LAYOUT_TIMEOUT)
  i18n-syntax        a parallel-text file has a line it cannot read, or a segment twice
  i18n-markup        a translation is not one paragraph of inline text
  i18n-unknown       a translated segment no longer exists in the English (warning)
  i18n-notes         a translation's endnote references differ from the English
  i18n-links         a translation's link targets differ from the English
  i18n-lang          a translation lost a language span of the English
  i18n-glossary      a glossary term of the English is not translated as the glossary says
  i18n-untranslated  segments not translated (warning; an error with --release)
  i18n-stale         segments whose English changed since translation (warning; error with --release)
  xliff-invalid      an XLIFF file that is malformed, not XLIFF 1.2, or declares a DTD or entities
  po-invalid         a PO file that cannot be read
  import-skipped     an imported translation not applied: newer work would be overwritten (warning)
  import-foreign     an imported XLIFF/PO file is another book's, or its segments mostly are not this book's
  docx-invalid       `publish import`: the file is not a Word .docx that can be read (line: 1)
  docx-comment       `publish import`: a Word comment (line: the Word paragraph); refused unless --accept-changes
  docx-changes       `publish import`: a tracked change (line: the Word paragraph); refused unless --accept-changes
  docx-loss          `publish import`: text or structure that could not be mapped (exit 1 unless --allow-loss)
  docx-style         `publish import`: a paragraph style the format gives no meaning (exit 1 unless --allow-loss)
  docx-form          `publish import`: formatting the format cannot hold; the text is kept (warning)
  docx-exists        `publish import`: the chapter or an image of that name is already in the book
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int
    severity: str  # "error" | "warning"
    message: str
    code: str

    def __str__(self) -> str:
        """One line, whatever the book put in it: line breaks and control characters are escaped."""
        text = f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"
        return text if text.isprintable() else "".join(
            c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def error(path: str, line: int, message: str, code: str) -> Diagnostic:
    return Diagnostic(path, line, "error", message, code)


def warning(path: str, line: int, message: str, code: str) -> Diagnostic:
    return Diagnostic(path, line, "warning", message, code)


class BookError(Exception):
    """Raised when a book cannot be built; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(map(str, diagnostics)))
        self.diagnostics = sorted(set(diagnostics), key=_order)


def _order(d: Diagnostic):
    return (d.path, d.line, d.code, d.message)


def has_errors(diagnostics) -> bool:
    return any(d.severity == "error" for d in diagnostics)
