"""Turn model inlines into text and protected placeholders (for CAT tools), and placeholders back into markup.

A token is ("text", s), ("open", id, native, kind), ("close", id, native) or ("ph", id, native, kind);
`native` is the Markdown the placeholder stands for, so a translation's markup can be rebuilt.
"""
from __future__ import annotations

from .. import model as m
from .markup import SPECIAL, escape, ruby_attr, to_markup

STYLE_MARKS = {"emph": ("*", "*"), "strong": ("**", "**"), "sup": ("^", "^"), "sub": ("~", "~"),
               "strike": ("~~", "~~"), "smallcaps": ("[", "]{.smallcaps}")}
KINDS = {"emph": "italic", "strong": "bold", "sup": "superscript", "sub": "subscript",
         "strike": "x-strike", "smallcaps": "x-smallcaps"}


def tokenize(items) -> list[tuple]:
    tokens: list[tuple] = []
    counter = [0]

    def next_id() -> str:
        counter[0] += 1
        return str(counter[0])

    def walk(seq):
        for item in seq:
            if isinstance(item, m.Text):
                tokens.append(("text", item.text))
            elif isinstance(item, m.NoteRef):
                tokens.append(("ph", next_id(), f"^{item.number}^", "x-noteref"))
            elif isinstance(item, m.Code):
                tokens.append(("ph", next_id(), to_markup((item,)), "x-code"))
            elif isinstance(item, m.Ruby):  # the base is text to translate; its reading goes with the closing tag
                ident = next_id()
                tokens.extend([("open", ident, "[", "x-ruby"), ("text", item.base), ("close", ident, "]" + ruby_attr(item))])
            elif isinstance(item, m.Break):
                tokens.append(("ph", next_id(), "\\\n", "lb"))
            elif isinstance(item, m.Link) and to_markup((item,)).startswith("<"):
                tokens.append(("ph", next_id(), to_markup((item,)), "x-autolink"))
            else:
                ident = next_id()
                if isinstance(item, m.Styled):
                    opening, closing = STYLE_MARKS[item.style]
                    kind = KINDS[item.style]
                elif isinstance(item, m.Link):
                    opening, closing, kind = "[", f"]({item.url})", "link"
                elif isinstance(item, m.Abbr):
                    opening, closing, kind = "[", "]{.abbr}", "x-abbr"
                else:  # Lang
                    opening, closing, kind = "[", f"]{{lang={item.lang}}}", "x-lang"
                tokens.append(("open", ident, opening, kind))
                walk(item.children)
                tokens.append(("close", ident, closing))

    walk(items)
    return tokens


def to_markup_from_tokens(tokens) -> str:
    """Rebuild the Markdown of a segment from text and the natives of its placeholders."""
    out = []
    for token in tokens:
        if token[0] == "text":
            out.append(escape(token[1]) if not out else SPECIAL.sub(r"\\\1", token[1]))
        else:
            out.append(token[2])
    return "".join(out)


def align(source: list[tuple], target: list[tuple]) -> list[tuple]:
    """Renumber the target's placeholders to the ids of the source's same placeholders, so a CAT
    tool sees the same tags on both sides; a placeholder only the target has gets a new id."""
    free = [t for t in source if t[0] in ("open", "ph")]
    next_id = len([t for t in source if t[0] != "text"]) + 1
    mapping: dict[str, str] = {}
    out = []
    for token in target:
        if token[0] in ("open", "ph"):
            match = next((s for s in free if s[0] == token[0] and s[2] == token[2] and s[3] == token[3]), None)
            if match:
                free.remove(match)
                mapping[token[1]] = match[1]
            else:
                mapping[token[1]] = str(next_id)
                next_id += 1
            out.append((token[0], mapping[token[1]]) + tuple(token[2:]))
        elif token[0] == "close":
            out.append(("close", mapping.get(token[1], token[1]), token[2]))
        else:
            out.append(token)
    return out
