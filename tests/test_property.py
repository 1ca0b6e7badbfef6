"""Nothing silently changed: random documents of the manuscript grammar, read by the real pandoc reader
(one `pandoc lua` process per batch, as a build reads a book) and converted to the model, keep every
word of their source in order and become the blocks they are written as; every construct the format does not support gives an error naming the
file and the line, and a document without one gives no diagnostic at all."""
from __future__ import annotations

import string
from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from publish import model as m
from publish.convert import convert
from publish.read import Source, parse_sources
from publish.walk import blocks_of, plain

# A fixed seed (CI sees the same documents every run); no shrinking: an example is a batch of documents
# read by one pandoc process, and the assertion message already shows the one document that failed.
SETTINGS = settings(max_examples=10, derandomize=True, deadline=None, database=None,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

WORD = st.text(string.ascii_lowercase, min_size=1, max_size=7)


@dataclass(frozen=True)
class Piece:
    """Markdown text and the words a reader must find in the model, in order."""

    text: str
    words: tuple


@dataclass(frozen=True)
class Block:
    text: str
    words: tuple
    unsupported: str = ""  # what it holds that the format does not support ("" if nothing)
    kind: str = "Para"  # the model block it must become


def _join(pieces, sep=" ") -> Piece:
    return Piece(sep.join(p.text for p in pieces), tuple(w for p in pieces for w in p.words))


# Inlines -----------------------------------------------------------------------------------------
words = st.lists(WORD, min_size=1, max_size=4).map(lambda ws: Piece(" ".join(ws), tuple(ws)))
leaf = st.one_of(
    words,
    WORD.map(lambda w: Piece(f"`{w}`", (w,))),  # code
    words.map(lambda p: Piece(f"[{p.text}](https://example.org/{p.words[0]})", p.words)),  # link
    words.map(lambda p: Piece(f"<https://example.org/{p.words[0]}>", ())),  # autolink: its text is the URL
    st.tuples(WORD, st.integers(1, 3)).map(lambda t: Piece(f"{t[0]}^{t[1]}^", (t[0],))),  # note reference
)


def styled(inner):
    wrap = lambda open_, close: inner.map(lambda p: Piece(f"{open_}{p.text}{close}", p.words))
    return st.one_of(wrap("*", "*"), wrap("**", "**"), wrap("~~", "~~"),
                     st.sampled_from(["fr", "de", "la"]).flatmap(lambda lang: wrap("[", f"]{{lang={lang}}}")))


inline = st.one_of(leaf, styled(leaf), words.map(lambda p: Piece(f"*{p.text} **{p.text}** {p.text}*", p.words * 3)))
line = st.lists(inline, min_size=1, max_size=5).map(_join)
para_text = st.lists(st.tuples(line, st.sampled_from([" ", "\n", "  \n"])), min_size=1, max_size=3).map(
    lambda parts: Piece("".join(p.text + sep for p, sep in parts).rstrip(" \n"), tuple(w for p, _ in parts for w in p.words)))
cell = st.one_of(words, words.map(lambda p: Piece(f"*{p.text}*", p.words)),
                 words.map(lambda p: Piece(f"[{p.text}](https://example.org/x)", p.words)))


# Blocks of the supported grammar ---------------------------------------------------------------
def _list(items, ordered):
    out = []
    for i, paras in enumerate(items, 1):
        marker = f"{i}. " if ordered else "- "
        first, *rest = paras
        out.append(marker + first.text.replace("\n", "\n" + " " * len(marker))
                   + "".join("\n\n" + " " * len(marker) + p.text.replace("\n", "\n" + " " * len(marker)) for p in rest))
    return Block("\n".join(out) if all(len(p) == 1 for p in items) else "\n\n".join(out),
                 tuple(w for paras in items for p in paras for w in p.words), kind=f"ListBlock{'1.' if ordered else '-'}")


def _table(rows, aligns):
    width = len(aligns)
    rows = [r[:width] + [Piece("x", ("x",))] * (width - len(r)) for r in rows]
    text = [f"| {' | '.join(c.text for c in rows[0])} |", f"|{'|'.join(aligns)}|"]
    text += [f"| {' | '.join(c.text for c in row)} |" for row in rows[1:]]
    return Block("\n".join(text), tuple(w for row in rows for c in row for w in c.words), kind="Table")


figure_ids = iter(range(10**9))
supported = st.one_of(
    para_text.map(lambda p: Block(p.text, p.words)),
    st.tuples(st.sampled_from(["##", "###"]), line).map(lambda t: Block(f"{t[0]} {t[1].text}", t[1].words, kind="Heading")),
    st.tuples(st.lists(st.lists(para_text, min_size=1, max_size=2), min_size=1, max_size=3), st.booleans()).map(
        lambda t: _list(*t)),
    st.lists(para_text, min_size=1, max_size=2).map(
        lambda ps: Block("\n>\n".join("> " + p.text.replace("\n", "\n> ") for p in ps), tuple(w for p in ps for w in p.words),
                         kind="Quote")),
    st.tuples(st.lists(st.lists(cell, min_size=3, max_size=3), min_size=2, max_size=4),
              st.lists(st.sampled_from(["---", ":--", "--:", ":-:"]), min_size=1, max_size=3)).map(lambda t: _table(*t)),
    st.tuples(line, st.lists(para_text, min_size=1, max_size=3)).map(lambda t: Block(
        "::: takeaways\n## " + t[0].text + "\n\n" + "\n".join("- " + p.text.replace("\n", "\n  ") for p in t[1]) + "\n:::",
        t[0].words + tuple(w for p in t[1] for w in p.words), kind="Takeaways")),
    st.tuples(line, line, line).map(lambda t: Block(
        f"::: {{.figure #fig-{next(figure_ids)}}}\n::: caption\n{t[0].text}\n:::\n::: panel\n{t[1].text}\n:::\n"
        f"::: source\n{t[2].text}\n:::\n:::", t[0].words + t[1].words + t[2].words, kind="Figure")),
    st.tuples(words, words).map(lambda t: Block(f"{t[0].text}\n: {t[1].text}", t[0].words + t[1].words, kind="DefList")),
    st.sampled_from(["* * *", "***", "---", "___", "- - -"]).map(lambda rule: Block(rule, (), kind="SectionBreak")),
    st.lists(words, min_size=1, max_size=4).map(lambda ls: Block(
        "::: verse\n" + "\n".join(("  " * (i % 2)) + p.text for i, p in enumerate(ls)) + "\n:::",
        tuple(w for p in ls for w in p.words), kind="Verse")),
)

# What the format does not support: each must give an error at a line of its block ------------------
unsupported = st.one_of(
    words.map(lambda p: Block(f"<div>\n{p.text}\n</div>", (), "raw HTML block")),
    words.map(lambda p: Block(f"{p.text} <b>{p.text}</b> {p.text}", (), "raw HTML inline")),
    words.map(lambda p: Block(f"{p.text}[^1]\n\n[^1]: {p.text}", (), "footnote")),
    st.tuples(st.sampled_from(["aside", "note", "box"]), words).map(
        lambda t: Block(f"::: {t[0]}\n{t[1].text}\n:::", (), "unknown div")),
    words.map(lambda p: Block(f"## {p.text} {{.unnumbered}}", (), "heading class")),
    words.map(lambda p: Block(f"{p.text} [{p.text}]{{onclick=x}} {p.text}", (), "span attribute")),
    words.map(lambda p: Block(f"{p.text} ![{p.text}](x.png) {p.text}", (), "inline image")),
    words.map(lambda p: Block(f"```python\n{p.text}\n```", (), "code class")),
    words.map(lambda p: Block(f"[{p.text}](https://example.org/ \"title\")", (), "link title")),
    words.map(lambda p: Block(f"[{p.text}](javascript:alert)", (), "link scheme")),
)


@st.composite
def document(draw, with_unsupported: bool):
    """(Markdown text, its words in order, [(first line, last line, what)] of each unsupported block,
    (the model block kinds it must become, its number of endnotes))."""
    title = draw(line)
    blocks = draw(st.lists(supported, min_size=1, max_size=6))
    if with_unsupported:
        for bad in draw(st.lists(unsupported, min_size=1, max_size=3)):
            at = draw(st.integers(0, len(blocks)))  # a paragraph after it: two alike would be one pandoc node
            blocks[at:at] = [bad, Block("then more", ("then", "more"))]
    notes = draw(st.lists(para_text, min_size=0, max_size=3))
    if notes:
        blocks.append(Block("::: endnotes\n" + "\n".join(f"{i}. " + p.text.replace("\n", "\n   ")
                                                        for i, p in enumerate(notes, 1)) + "\n:::",
                            tuple(w for p in notes for w in p.words), kind=""))
    text, spans, expected = f"# {title.text}\n", [], list(title.words)
    for block in blocks:
        text += "\n"
        first = text.count("\n") + 1
        text += block.text + "\n"
        if block.unsupported:
            spans.append((first, text.count("\n"), block.unsupported))
        expected += block.words
    if draw(st.booleans()):
        text = text[:-1]  # a file need not end with a newline
    kinds = ["Heading"]
    for kind in (b.kind for b in blocks if b.kind and not b.unsupported):
        if not ((kind.startswith("ListBlock") or kind == "DefList") and kinds[-1] == kind):  # two lists alike in a row are one list
            kinds.append(kind)
    shape = kinds, len(notes)
    return text, expected, spans, shape


def _convert(texts: list[str]):
    """Every text through one pandoc process, then the converter: (source, Converted) each."""
    todo = {("file", f"d{i}.md"): Source(("file", f"d{i}.md"), f"manuscript/d{i}.md", 1, t) for i, t in enumerate(texts)}
    sources = dict(todo)
    assert parse_sources(todo, sources) == []
    return [(source, convert(source, f"d{i}")) for i, source in enumerate(sources.values())]


def model_words(converted) -> list[str]:
    """The text of the model, back out: every heading, paragraph, cell, caption and endnote, in reading order."""
    blocks = list(converted.blocks) + [b for note in converted.endnotes for b in note.blocks]
    return [w for block in blocks_of(blocks) for w in plain(getattr(block, "content", ())).split()]


def _kind(block) -> str:
    return type(block).__name__ + (("1." if block.ordered else "-") if isinstance(block, m.ListBlock) else "")


def _in_order(needles: list[str], haystack: list[str]) -> bool:
    """Every needle is a word of the haystack, in order (the haystack may hold more: generated headings)."""
    rest = iter(haystack)
    return all(any(word == other for other in rest) for word in needles)


@SETTINGS
@given(st.lists(document(with_unsupported=False), min_size=5, max_size=15))
def test_the_supported_grammar_keeps_every_word_and_block_and_gives_no_diagnostic(docs):
    for (text, expected, _, (kinds, notes)), (source, converted) in zip(docs, _convert([d[0] for d in docs])):
        assert [str(d) for d in converted.diagnostics] == [], text
        got = model_words(converted)
        assert _in_order(expected, got), (text, expected, got)
        assert ([_kind(b) for b in converted.blocks], len(converted.endnotes)) == (kinds, notes), text


@SETTINGS
@given(st.lists(document(with_unsupported=True), min_size=5, max_size=15))
def test_every_unsupported_construct_is_reported_at_its_file_and_line(docs):
    for (text, expected, spans, _), (source, converted) in zip(docs, _convert([d[0] for d in docs])):
        errors = [d for d in converted.diagnostics if d.severity == "error"]
        assert all(d.path == source.path for d in errors)
        for first, last, what in spans:
            assert any(first <= d.line <= last for d in errors), (what, first, last, text, [str(d) for d in errors])
        got = model_words(converted)  # the supported text around them is still all there
        assert _in_order(expected, got), (text, expected, got)
