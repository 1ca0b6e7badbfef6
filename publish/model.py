"""The book as typed, immutable objects: what every renderer reads, and nothing else.

Book          the whole book: metadata, contributors, abbreviations, units in reading order
Unit          one entry of the contents: a chapter, the preface, a generated page (abbreviations…)
Contributor   a person: id, name, bio, roles (author, editor, translator, illustrator, foreword)
Abbreviation  an abbreviation and its expansion
Endnote       a numbered note of a unit
Blocks        Heading, Para, ListBlock, Takeaways, Signature, Figure, Table, Quote, Rule, CodeBlock,
              SectionBreak, Verse (of VerseLine), Epigraph, DefList
Inlines       Text, Emph, Strong, Sup, Sub, SmallCaps, Strike, Code, Link, Lang, NoteRef, Break, Abbr, Ruby

Every translatable block (Heading, Para, table cell, endnote paragraph, caption, bio) carries
`seg`: a stable id such as "fukuda.p12", "fukuda.n7.1" or "bio.fukuda".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Pos:
    path: str
    line: int


# Inlines ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Styled:
    """Emphasis and friends: `style` is emph, strong, sup, sub, smallcaps or strike."""

    style: str
    children: tuple


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple


@dataclass(frozen=True)
class Lang:
    """Text in another language than the book's (`fallback`: shown untranslated, in the original)."""

    lang: str
    children: tuple
    fallback: bool = False


@dataclass(frozen=True)
class Ruby:
    """Ruby (furigana): base text with its reading set above it. `pairs`: ((base, reading), …), one pair
    for group ruby (`[漢字]{ruby=かんじ}`), one per base character for per-character ruby
    (`[漢字]{ruby="かん じ"}`). Plain text only: a reading belongs to its characters."""

    pairs: tuple

    @property
    def base(self) -> str:
        return "".join(base for base, _reading in self.pairs)


@dataclass(frozen=True)
class NoteRef:
    number: int
    unit: str  # the unit whose endnote this is
    occurrence: int = 1  # 2 for a second reference to the same note


@dataclass(frozen=True)
class Break:
    pass


@dataclass(frozen=True)
class Abbr:
    """An abbreviation of book.yaml's list, marked in the text (`[NATO]{.abbr}`); its expansion is the book's."""

    abbr: str
    children: tuple


Inline = Union[Text, Styled, Code, Link, Lang, Ruby, NoteRef, Break, Abbr]


# Blocks -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Heading:
    level: int  # 2.. within a unit (1 is the unit title)
    id: str
    content: tuple
    seg: str
    pos: Pos


@dataclass(frozen=True)
class Para:
    content: tuple
    seg: str
    pos: Pos


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple  # of tuples of blocks
    pos: Pos
    style: str = "Decimal"  # pandoc's: Decimal, LowerAlpha, UpperAlpha, LowerRoman, UpperRoman
    delim: str = "Period"  # pandoc's: Period "1.", OneParen "1)", TwoParens "(1)"


@dataclass(frozen=True)
class Takeaways:
    heading: Heading
    blocks: tuple
    pos: Pos


@dataclass(frozen=True)
class Signature:
    lines: tuple  # of Para
    pos: Pos


@dataclass(frozen=True)
class Image:
    src: str  # relative to manuscript/
    alt: str


@dataclass(frozen=True)
class Figure:
    id: str
    caption: Para | None
    panels: tuple  # of Para
    note: Para | None
    source: Para | None
    image: Image | None  # None: the source has no image; renderers say it is not reproduced
    pos: Pos
    number: int = 0  # "Figure 1": numbered through the book when it has a caption; 0: not numbered


@dataclass(frozen=True)
class Cell:
    """A table cell: its blocks, how many columns and rows it covers, and how it is read."""

    blocks: tuple
    colspan: int = 1
    rowspan: int = 1
    header: bool = False  # a header cell (a head row's, or a row header's when the table has row-headers)
    align: str = ""  # left | center | right | decimal | "" (the column's)
    pad: str = ""  # decimal alignment: figure spaces that make up the decimals this number lacks
    id: str = ""  # a header cell that others name in `headers`
    headers: tuple = ()  # ids of the header cells this cell is read with (when spans make `scope` ambiguous)


@dataclass(frozen=True)
class Table:
    head: tuple  # rows of Cells (a row: a tuple of the cells that start in it)
    body: tuple
    pos: Pos
    foot: tuple = ()
    id: str = ""
    caption: "Para | None" = None
    number: int = 0  # "Table 3": numbered through the book when it has a caption; 0: not numbered
    align: tuple = ()  # per column: left | center | right | decimal | ""
    row_headers: int = 0  # the first N columns of body and foot rows are row headers

    @property
    def spans_rows(self) -> bool:
        """A cell spans rows: print keeps the table on one page (a page break would cut the span in two)."""
        return any(cell.rowspan > 1 for row in self.head + self.body + self.foot for cell in row)


@dataclass(frozen=True)
class Quote:
    blocks: tuple
    pos: Pos


@dataclass(frozen=True)
class Rule:
    pos: Pos


@dataclass(frozen=True)
class CodeBlock:
    text: str
    pos: Pos


@dataclass(frozen=True)
class SectionBreak:
    """A thematic break (`* * *`, `***`, `---`, `___`): an ornament between sections, never a list."""

    pos: Pos


@dataclass(frozen=True)
class VerseLine(Para):
    """One line of verse: a paragraph of one line (its own segment), indented as in the source."""

    indent: int = 0  # leading spaces in the source


@dataclass(frozen=True)
class Verse:
    stanzas: tuple  # of tuples of VerseLine
    pos: Pos


@dataclass(frozen=True)
class Epigraph:
    blocks: tuple  # the quotation
    attribution: tuple  # of Para (may be empty)
    pos: Pos


@dataclass(frozen=True)
class DefList:
    items: tuple  # of (term: Para, definitions: tuple of tuples of blocks)
    pos: Pos


Block = Union[Heading, Para, ListBlock, Takeaways, Signature, Figure, Table, Quote, Rule, CodeBlock,
              SectionBreak, Verse, Epigraph, DefList]


# Book -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Contributor:
    id: str
    name: str
    bio: tuple  # of blocks; () when book.yaml gives none (then nothing links to it)
    roles: tuple = ()  # roles book.yaml gives beyond authors/editors/translators: ("illustrator",)


@dataclass(frozen=True)
class Abbreviation:
    abbr: str
    expansion: Para


@dataclass(frozen=True)
class Endnote:
    number: int
    blocks: tuple
    pos: Pos


@dataclass(frozen=True)
class Unit:
    slug: str  # file stem or generated kind: "fukuda", "abbreviations"
    kind: str  # "text" | "abbreviations" | "contributors" | "notes"
    part: str  # "front" | "body" | "back"
    title: tuple  # inlines
    title_seg: str
    authors: tuple  # of Contributor
    blocks: tuple
    notes: tuple  # of Endnote
    pos: Pos
    role: str = ""  # a file unit's role in the book: "dedication", "epigraph", "foreword", "bibliography"…

    @property
    def id(self) -> str:
        return self.slug


@dataclass(frozen=True)
class PrintSpec:
    """book.yaml's `print:` settings (publish/printspec.py reads them): the trim as written, paper, spine text."""
    trim: str = "letter"
    paper_ppi: int = 444  # pages per inch
    spine_text_min_pages: int = 80
    marks: bool = True  # crop marks outside the bleed (POD printers such as IngramSpark want none)


@dataclass(frozen=True)
class Book:
    title: str
    subtitle: str
    series: str
    language: str
    publisher: str
    date: str
    rights: str
    imprint: tuple  # of Para
    cover_credit: Para | None
    editors: tuple  # of Contributor
    contributors: tuple
    abbreviations: tuple
    back_cover: tuple  # of blocks
    units: tuple
    translations: tuple = ()  # languages the book is translated into: ("ja",)
    translation_notes: tuple = ()  # (lang, Para): who made each translation, for its copyright page
    translation_note: "Para | None" = None  # in a translated edition: the note on its translation
    original: "Book | None" = None  # for a translated edition: the book in its original language
    notes: str = "chapter"  # where endnotes go: "chapter" (each unit's end) | "book" (a Notes unit) | "footnotes"
    authors: tuple = ()  # of Contributor: the book's authors ("By …")
    translators: tuple = ()  # (lang, tuple of Contributor): who translated each translation
    matter: tuple = ()  # (kind, index of the unit it precedes): half-title, title-page, copyright, contents
    rights_para: "Para | None" = None  # `rights` as written (Markdown, one paragraph); `rights` is its text
    hyphenation: str = ""  # the language and region whose patterns hyphenate the print edition: "en-US"
    typography: str = "as-written"  # "smart": typographic quotes and dashes in the text (publish/setting.py)
    layouts: tuple = ()  # (lang, "vertical") for each edition set vertically in HTML and EPUB (publish/vertical.py)
    pdf_standard: str = "ua-2"  # the tagged PDF's accessibility standard: "ua-2" (PDF/UA-2) | "ua-1" (PDF/UA-1)
    takeaways: str = ""  # the one heading every takeaways box has (book.yaml `takeaways`), or "" (any)
    printing: PrintSpec = PrintSpec()  # trim, paper and spine of the print edition (publish/printspec.py)

    @property
    def vertical(self) -> bool:
        """This edition's HTML and EPUB are set vertically (縦書き); its PDF stays horizontal."""
        return dict(self.layouts).get(self.language.casefold()) == "vertical"

    def unit(self, slug: str) -> Unit:
        return next(u for u in self.units if u.slug == slug)

    def matter_before(self, index: int) -> tuple:
        """The generated pages placed before unit `index` (len(units): after the last), in order."""
        placed = self.matter or (("title-page", 0), ("copyright", 0), ("contents", 0))
        return tuple(kind for kind, at in placed if at == index)
