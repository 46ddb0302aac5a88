"""``replace``: ``dataclasses.replace`` for the engine's hot records, without its per-call work.

``dataclasses.replace`` inspects the class's fields and runs ``__init__`` on every call; the engine
makes several copies per step (the workflow state, each template call), so this one keeps the field
names per class and copies the slots directly. Only for dataclasses without ``__post_init__``,
``InitVar`` or ``init=False`` fields (checked once per class).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")
# class -> its field names, as a set, a getter of all their values at once (a tuple), and a
# writer of each field (a slot's own descriptor when the class has slots: past the frozen __setattr__)
_FIELDS: dict[type, tuple[tuple[str, ...], frozenset[str], Callable[[Any], tuple[Any, ...]],
                          tuple[Callable[[Any, Any], None], ...]]] = {}
_NEW = object.__new__
_SET = object.__setattr__


def _writer(cls: type, name: str) -> Callable[[Any, Any], None]:
    slot = cls.__dict__.get(name)
    if slot is not None and type(slot).__name__ == "member_descriptor":
        setter: Callable[[Any, Any], None] = slot.__set__
        return setter
    return lambda obj, value: _SET(obj, name, value)


def _fields_of(cls: type) -> tuple[tuple[str, ...], frozenset[str], Callable[[Any], tuple[Any, ...]],
                                   tuple[Callable[[Any, Any], None], ...]]:
    known = _FIELDS.get(cls)
    if known is None:
        fields = dataclasses.fields(cls)
        if hasattr(cls, "__post_init__") or any(not f.init for f in fields):
            raise TypeError(f"{cls.__name__}: replace() needs a plain dataclass")
        names = tuple(f.name for f in fields)
        getter = attrgetter(*names)
        get_all = getter if len(names) > 1 else (lambda obj: (getter(obj),))
        known = _FIELDS[cls] = (names, frozenset(names), get_all, tuple(_writer(cls, n) for n in names))
    return known


def replace(obj: T, **changes: Any) -> T:
    """A copy of the dataclass ``obj`` with ``changes`` (a TypeError names an unknown field)."""
    cls = type(obj)
    _, name_set, get_all, writers = _FIELDS.get(cls) or _fields_of(cls)
    if not changes.keys() <= name_set:
        raise TypeError(f"{cls.__name__} has no field(s) {sorted(changes.keys() - name_set)}")
    new = _NEW(cls)
    for write, value in zip(writers, get_all(obj), strict=True):
        write(new, value)
    for name, value in changes.items():
        _SET(new, name, value)
    return new
