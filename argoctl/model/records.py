"""``replace``: ``dataclasses.replace`` for the engine's hot records, without its per-call work.

``dataclasses.replace`` inspects the class's fields and runs ``__init__`` on every call; the engine
makes several copies per step (the workflow state, each template call), so this one keeps the field
names per class and copies the slots directly. Only for dataclasses without ``__post_init__``,
``InitVar`` or ``init=False`` fields (checked once per class).
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")
_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str]]] = {}
_NEW = object.__new__
_SET = object.__setattr__


def _fields_of(cls: type) -> tuple[tuple[str, ...], frozenset[str]]:
    known = _FIELDS.get(cls)
    if known is None:
        fields = dataclasses.fields(cls)
        if hasattr(cls, "__post_init__") or any(not f.init for f in fields):
            raise TypeError(f"{cls.__name__}: replace() needs a plain dataclass")
        names = tuple(f.name for f in fields)
        known = _FIELDS[cls] = (names, frozenset(names))
    return known


def replace(obj: T, **changes: Any) -> T:
    """A copy of the dataclass ``obj`` with ``changes`` (a TypeError names an unknown field)."""
    cls = type(obj)
    names, name_set = _fields_of(cls)
    if not changes.keys() <= name_set:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(changes.keys() - name_set)}")
    new = _NEW(cls)
    for name in names:
        _SET(new, name, changes[name] if name in changes else getattr(obj, name))
    return new
