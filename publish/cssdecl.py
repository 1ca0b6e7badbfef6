"""Turn a stylesheet's bytes (tinycss2) into its rules and its declarations, each with its selectors.

    rules(data)            -> tinycss2's top-level rules (comments and white space skipped)
    declarations(rules)    -> Declaration(selectors, name, value, line) of every rule, in order: those of
                              a style rule under its selectors ("html", "h1"), those inside @media,
                              @supports or @layer under their own rule's, those of @page, @font-face and
                              other at-rules under the at-rule ("@page :left", "@page :left @top-left")
    family_names(value)    -> the names a font-family value lists ("Noto Serif", serif -> [Noto Serif, serif])

The one reader of CSS declarations: publish/fonts.py (the families a book's stylesheets name),
publish/docx/design.py (the Word proof's fonts and sizes); publish/assets.py reads its rules.
"""
from __future__ import annotations

from dataclasses import dataclass

import tinycss2

GROUPING = {"media", "supports", "layer", "document", "container", "scope"}  # at-rules holding rules
MAX_DEPTH = 32  # at-rules inside at-rules: deeper ones are not read


@dataclass(frozen=True)
class Declaration:
    selectors: tuple  # the rule's selectors, each as written ("html", ".toc a"), or ("@page :left",)
    name: str  # lower case
    value: list  # tinycss2 component values
    line: int


def rules(data: bytes) -> list:
    """The stylesheet's top-level rules (its encoding from @charset or the BOM, else UTF-8)."""
    found, _encoding = tinycss2.parse_stylesheet_bytes(data, skip_comments=True, skip_whitespace=True)
    return found


def declarations(found: list, depth: int = 0):
    for rule in found:
        if rule.type == "qualified-rule":
            yield from _block(rule.content, tuple(s.strip() for s in tinycss2.serialize(rule.prelude).split(",")), depth)
        elif rule.type == "at-rule" and rule.content is not None and depth < MAX_DEPTH:
            if rule.lower_at_keyword in GROUPING:
                yield from declarations(tinycss2.parse_rule_list(rule.content, skip_comments=True,
                                                                 skip_whitespace=True), depth + 1)
            else:
                at = f"@{rule.lower_at_keyword} {tinycss2.serialize(rule.prelude).strip()}".strip()
                yield from _block(rule.content, (at,), depth + 1)


def _block(content, selectors: tuple, depth: int):
    for item in tinycss2.parse_declaration_list(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            yield Declaration(selectors, item.lower_name, item.value, item.source_line)
        elif item.type == "at-rule" and item.content is not None and depth < MAX_DEPTH:  # @page's margin boxes
            at = f"@{item.lower_at_keyword}"
            yield from _block(item.content, tuple(f"{s} {at}" for s in selectors), depth + 1)


def family_names(value: list) -> list[str]:
    """The family names of a font-family value, as written (quotes removed, words joined by one space)."""
    names, words = [], []
    for token in value + [None]:
        if token is None or (token.type == "literal" and token.value == ","):
            if words:
                names.append(" ".join(words))
            words = []
        elif token.type == "string":
            words.append(token.value.strip())
        elif token.type == "ident":
            words.append(token.value)
    return [n for n in names if n]
