"""Turn YAML text into plain Python data plus the source line of every value (for diagnostics)."""
from __future__ import annotations

import yaml


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def load(text: str) -> tuple[object, dict[tuple, int]]:
    """Return (data, lines) where lines maps a key path like ("contributors", 0, "bio") to a line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlError(line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML always marks its errors
        raise YamlError(1, f"invalid YAML: {exc}") from None
    lines: dict[tuple, int] = {}
    if node is None:
        return None, lines
    return _build(node, (), lines), lines


def _build(node, path: tuple, lines: dict) -> object:
    lines[path] = node.start_mark.line + 1 + _block_scalar_shift(node)
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = key_node.value
            out[key] = _build(value_node, path + (key,), lines)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


def _block_scalar_shift(node) -> int:
    """A `|` or `>` scalar's text starts on the line after its indicator."""
    return 1 if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">") else 0


def _scalar(node):
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
