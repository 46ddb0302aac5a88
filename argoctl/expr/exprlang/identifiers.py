"""The variable paths an expression reads, as Argo's substitution checks them against the environment.

Post-order walk: plain identifiers and dotted member paths (``inputs.parameters.x``) whose access is
not guarded by ``??`` (anything left of it) or ``?.`` (the node before it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from functools import lru_cache

from argoctl.expr.exprlang import ast
from argoctl.expr.exprlang.parser import parse_tree

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type[ast.Node]) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(kind)
    if names is None:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(kind) if f.name != "pos")
    return names


def _children(node: ast.Node) -> Iterator[ast.Node]:
    for name in _field_names(type(node)):
        value = getattr(node, name)
        if isinstance(value, ast.Node):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.Node):
                    yield item
                elif isinstance(item, tuple):
                    yield from (part for part in item if isinstance(part, ast.Node))


def _mark_guarded(node: ast.Node, guarded: set[int]) -> None:
    if isinstance(node, ast.Binary) and node.op == "??":
        stack = [node.left]
        while stack:
            current = stack.pop()
            if isinstance(current, ast.Member):
                guarded.add(id(current))
            stack.extend(_children(current))
    if isinstance(node, ast.Member) and node.optional and isinstance(node.node, ast.Member):
        guarded.add(id(node.node))
    for child in _children(node):
        _mark_guarded(child, guarded)


def member_path(node: ast.Member) -> str | None:
    parts: list[str] = []
    current: ast.Node = node
    while isinstance(current, ast.Member):
        if current.optional or not isinstance(current.prop, ast.Literal) or not isinstance(current.prop.value, str):
            return None
        parts.append(current.prop.value)
        current = current.node
    if not isinstance(current, ast.Ident):
        return None
    parts.append(current.name)
    return ".".join(reversed(parts))


def _collect(node: ast.Node, guarded: set[int], out: list[str]) -> None:
    for child in _children(node):
        _collect(child, guarded, out)
    if id(node) in guarded:
        return
    name: str | None = None
    if isinstance(node, ast.Ident):
        name = node.name
    elif isinstance(node, ast.Member):
        name = member_path(node)
    if name is not None and name not in out:
        out.append(name)


@lru_cache(maxsize=4096)
def referenced_names(source: str) -> tuple[str, ...]:
    """Identifiers and member paths of ``source`` in Argo's order; raises ``ExprSyntaxError``."""
    tree = parse_tree(source)
    guarded: set[int] = set()
    _mark_guarded(tree, guarded)
    out: list[str] = []
    _collect(tree, guarded, out)
    return tuple(out)
