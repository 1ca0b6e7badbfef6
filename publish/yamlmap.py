"""Turn YAML text into plain Python data plus the source line of every value (for diagnostics).

Every YAML file a book supplies (book.yaml, styles/locale/*.yaml, a translation's glossary) is read
here. The event stream is checked before anything is composed: anchors and aliases (a few lines of
them expand to gigabytes), tags other than plain text, lists and mappings, and nesting deeper than
MAX_DEPTH are refused at their line. A key defined twice is refused too (YAML would keep the last).
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .diagnostics import Diagnostic, error

MAX_DEPTH = 64  # nested lists and mappings; book.yaml needs 4
CORE = "tag:yaml.org,2002:"
PLAIN_TAGS = {CORE + "str", CORE + "seq", CORE + "map"}


class YamlError(Exception):
    """Every problem found, as (line, message); `line` and `message` are the first's."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__(problems[0][1])
        self.problems = problems
        self.line, self.message = problems[0]


def load(text: str) -> tuple[object, dict[tuple, int]]:
    """Return (data, lines) where lines maps a key path like ("contributors", 0, "bio") to a line."""
    try:
        _screen(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlError([(mark.line + 1 if mark else 1, f"invalid YAML: {exc.problem or exc.context}")]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks its errors
        raise YamlError([(1, f"invalid YAML: {exc}")]) from None
    lines: dict[tuple, int] = {}
    if node is None:
        return None, lines
    problems: list[tuple[int, str]] = []
    data = _build(node, (), lines, problems)
    if problems:
        raise YamlError(problems)
    return data, lines


def load_file(root: Path, relpath: str) -> tuple[object, dict[tuple, int], list[Diagnostic]]:
    """Read and load root/relpath: (data, lines, diagnostics); data is None when it cannot be read."""
    from .read import read_text

    text, problems = read_text(root, relpath, markdown=False)
    if text is None:
        return None, {}, problems
    try:
        data, lines = load(text)
    except YamlError as exc:
        return None, {}, [error(relpath, line, message, "yaml-invalid") for line, message in exc.problems]
    return data, lines, []


def _screen(text: str) -> None:
    """Refuse anchors, aliases, unknown tags and deep nesting from the event stream, expanding nothing."""
    problems, depth = [], 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1
        if problems and problems[-1][0] == line:
            continue  # one problem a line: an alias bomb's line holds dozens
        if isinstance(event, yaml.AliasEvent):
            problems.append((line, f"YAML anchors and aliases are not allowed ('*{event.anchor}')"))
        elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            problems.append((line, f"YAML anchors and aliases are not allowed ('&{event.anchor}')"))
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in PLAIN_TAGS:
            shown = "!!" + tag[len(CORE):] if tag.startswith(CORE) else tag
            problems.append((line, f"YAML tag '{shown}' is not allowed: only plain text, lists and mappings"))
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problems.append((line, f"lists and mappings nested more than {MAX_DEPTH} deep"))
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    if problems:
        raise YamlError(problems)


def _build(node, path: tuple, lines: dict, problems: list) -> object:
    lines[path] = node.start_mark.line + 1 + _block_scalar_shift(node)
    if isinstance(node, yaml.MappingNode):
        out, first = {}, {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append((line, "a key must be plain text, not a list or mapping"))
                continue
            key = key_node.value
            if key in first:
                problems.append((line, f"key '{key}' is defined twice (first on line {first[key]})"))
                continue
            first[key] = line
            out[key] = _build(value_node, path + (key,), lines, problems)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines, problems) for i, item in enumerate(node.value)]
    return _scalar(node)


def _block_scalar_shift(node) -> int:
    """A `|` or `>` scalar's text starts on the line after its indicator."""
    return 1 if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") else 0


def _scalar(node):
    """A scalar's value: null, a boolean or a number as YAML reads it; anything else (a date, `=`,
    `<<`, a number too long to convert) stays the text it was written as (the metadata checks it)."""
    if node.tag not in (CORE + "null", CORE + "bool", CORE + "int", CORE + "float"):
        return node.value
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return node.value
    finally:
        loader.dispose()
