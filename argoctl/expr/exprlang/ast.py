"""expr-lang syntax tree nodes (plain data; compiled to closures by ``compiler``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Node:
    pos: int = field(default=0, kw_only=True)


@dataclass(slots=True)
class Literal(Node):
    value: Any


@dataclass(slots=True)
class Ident(Node):
    name: str


@dataclass(slots=True)
class Pointer(Node):
    name: str  # "" for ``#``, else ``#index``/``#acc``


@dataclass(slots=True)
class Unary(Node):
    op: str
    node: Node


@dataclass(slots=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(slots=True)
class Member(Node):
    node: Node
    prop: Node
    optional: bool = False


@dataclass(slots=True)
class Chain(Node):
    node: Node


@dataclass(slots=True)
class Slice(Node):
    node: Node
    start: Node | None
    stop: Node | None


@dataclass(slots=True)
class Call(Node):
    callee: Node
    args: list[Node]


@dataclass(slots=True)
class Builtin(Node):
    name: str
    args: list[Node]


@dataclass(slots=True)
class Predicate(Node):
    node: Node


@dataclass(slots=True)
class Conditional(Node):
    cond: Node
    yes: Node
    no: Node


@dataclass(slots=True)
class Array(Node):
    items: list[Node]


@dataclass(slots=True)
class MapLit(Node):
    pairs: list[tuple[Node, Node]]


@dataclass(slots=True)
class Let(Node):
    name: str
    value: Node
    body: Node


@dataclass(slots=True)
class Sequence(Node):
    nodes: list[Node]
