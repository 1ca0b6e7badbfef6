"""Turn model objects into compact JSON bytes and back, accepting only the model's own classes, type-checked."""
from __future__ import annotations

import dataclasses
import json
import types
import typing

from . import model as m
from .convert import Converted
from .diagnostics import Diagnostic

# An object is {"ClassName": [field values in declaration order]}; a tuple is a JSON array.
# Only these classes are ever built; a name read from a file is only ever looked up in this dict.
CLASSES: dict[str, type] = {
    **{name: cls for name, cls in vars(m).items()
       if dataclasses.is_dataclass(cls) and isinstance(cls, type) and cls.__module__ == m.__name__},
    "Converted": Converted,
    "Diagnostic": Diagnostic,
}
_TYPES = frozenset(CLASSES.values())


class SerialError(ValueError):
    """The bytes are not a well-formed, well-typed encoding of a model object."""


def _allowed(hint) -> frozenset:
    """The exact types a field's annotation (resolved) allows: str, int, bool, tuple, model classes, None."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return frozenset().union(*map(_allowed, typing.get_args(hint)))
    if hint in (str, int, bool, tuple, type(None)) or hint in _TYPES:
        return frozenset({hint})  # exact: a bool is no int here, a subclass no model class
    raise TypeError(f"serial: cannot check a field of type {hint!r}")  # a new kind of field: teach it here


_FIELDS = {cls: tuple(f.name for f in dataclasses.fields(cls)) for cls in _TYPES}
_SPECS = {name: (cls, _FIELDS[cls], tuple(_allowed(typing.get_type_hints(cls)[f]) for f in _FIELDS[cls]))
          for name, cls in CLASSES.items()}
_NAMES = {cls: name for name, cls in CLASSES.items()}
_IN_TUPLE = frozenset({str, int, bool, type(None), tuple, *_TYPES})


def _default(obj):
    cls = type(obj)
    if cls not in _NAMES:
        raise TypeError(f"serial: {cls.__name__} is not a model class")
    return {_NAMES[cls]: [getattr(obj, name) for name in _FIELDS[cls]]}


def encode(value) -> bytes:
    """A model object (tuples, str, int, bool, None and model classes inside) as UTF-8 JSON."""
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def _tuple(items: list) -> tuple:
    for i, v in enumerate(items):
        if type(v) is list:
            items[i] = _tuple(v)
        elif type(v) not in _IN_TUPLE:
            raise SerialError(f"unexpected {type(v).__name__} in a tuple")
    return tuple(items)


def _object(pairs: list):
    """Called by the JSON parser for every object, innermost first: build the model object it names."""
    if len(pairs) != 1:
        raise SerialError("an object must have exactly one class name")
    name, values = pairs[0]
    spec = _SPECS.get(name)
    if spec is None:
        raise SerialError(f"unknown class {name[:40]!r}")
    cls, names, allowed = spec
    if type(values) is not list or len(values) != len(allowed):
        raise SerialError(f"{name}: wrong number of fields")
    for i, v in enumerate(values):
        if type(v) is list:
            values[i] = v = _tuple(v)
        if type(v) not in allowed[i]:
            raise SerialError(f"{name}: a field of the wrong type ({type(v).__name__})")
    instance = object.__new__(cls)  # as pickle does: the frozen class's __init__ sets each field slowly
    instance.__dict__.update(zip(names, values))
    return instance


def _no_constant(name):
    raise SerialError(f"{name} is not allowed")


def decode(data: bytes, expected: type):
    """The object of class `expected` that `data` encodes; SerialError for anything else."""
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=_object, parse_constant=_no_constant)
    except SerialError:
        raise
    except (ValueError, TypeError, RecursionError) as exc:  # bad UTF-8 or JSON, too deep
        raise SerialError(f"not a model encoding: {type(exc).__name__}") from None
    if type(value) is not expected:
        raise SerialError(f"expected {expected.__name__}, found {type(value).__name__}")
    return value
