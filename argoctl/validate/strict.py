"""Strict manifests: unknown fields are problems, as with ``argo lint``/``submit --strict``.

The field table is generated from Argo's JSON schema (``schema_table``, by ``schema_gen``).
Field names match the way Go's JSON decoder matches them (ignoring case). Maps (labels,
annotations, nodeSelector, resource quantities) and free-form values (``withItems`` items,
parameter values, plugins) are never looked into. The walk is iterative, so deep nesting
cannot exhaust the stack.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from argoctl.parse import Document, FieldPath, format_path
from argoctl.validate.context import Problem
from argoctl.validate.schema_table import ROOTS, TYPES


@dataclass(frozen=True)
class ObjectType:
    """One object type of the table: its field names (as written) and their shapes."""

    names: tuple[str, ...]
    shapes: dict[str, str]  # folded field name → shape code

    def shape_of(self, key: str) -> str | None:
        """The shape of field ``key``, or ``None`` when the type has no such field."""
        return self.shapes.get(key.casefold())

    def suggestion(self, key: str) -> str | None:
        import difflib  # only for an unknown field: a valid manifest never loads it

        close = difflib.get_close_matches(key, self.names, n=1, cutoff=0.6)
        if not close:
            folded = {name.casefold(): name for name in self.names}
            close = difflib.get_close_matches(key.casefold(), list(folded), n=1, cutoff=0.6)
            close = [folded[c] for c in close]
        return close[0] if close else None


@functools.cache
def object_type(name: str) -> ObjectType:
    names: list[str] = []
    shapes: dict[str, str] = {}
    for token in TYPES[name].split():
        field_name, _, shape = token.partition(":")
        names.append(field_name)
        shapes[field_name.casefold()] = shape
    return ObjectType(tuple(names), shapes)


def unknown_field_problems(doc: Document) -> list[Problem]:
    """A problem for every field of ``doc`` that Argo's schema does not know."""
    root = ROOTS.get(doc.kind)
    if root is None:
        return []
    problems: list[Problem] = []
    stack: list[tuple[Any, str, FieldPath]] = [(doc.obj, root, ())]
    while stack:
        value, shape, path = stack.pop()
        if shape.startswith("[") and isinstance(value, list):
            stack.extend((item, shape[1:], (*path, index)) for index, item in enumerate(value))
        elif shape.startswith("{") and isinstance(value, dict):
            stack.extend((item, shape[1:], (*path, key)) for key, item in value.items())
        elif shape and shape[0] not in "[{" and isinstance(value, dict):
            stack.extend(_fields(doc, object_type(shape), value, path, problems))
    return sorted(problems, key=lambda problem: problem.line)


def _fields(
    doc: Document, kind: ObjectType, value: dict[str, Any], path: FieldPath, problems: list[Problem]
) -> list[tuple[Any, str, FieldPath]]:
    children: list[tuple[Any, str, FieldPath]] = []
    for key, item in value.items():
        shape = kind.shape_of(key)
        if shape is None:
            problems.append(_unknown(doc, path, key, kind.suggestion(key)))
        elif shape:
            children.append((item, shape, (*path, key)))
    return children


def _unknown(doc: Document, path: FieldPath, key: str, suggestion: str | None) -> Problem:
    message = f'unknown field "{key}"'
    if suggestion:
        message += f', did you mean "{suggestion}"?'
    line = doc.line_of((*path, key)) or doc.line
    return Problem(doc.file, line, format_path(path), message)
