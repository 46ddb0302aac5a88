"""YAML text → plain Python values plus the line of every field, from SafeLoader node events.

The node tree comes from ``yaml.SafeLoader`` or its libyaml twin ``CSafeLoader`` (compose only: no object construction, no Python
tags); scalars are resolved with ``SafeConstructor``. Timestamps and other non-JSON scalars stay
the text the user wrote, as Kubernetes' YAML→JSON conversion would give them.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from argoctl.errors import ManifestError
from argoctl.parse import limits
from argoctl.parse.document import FieldPath

# Scalars constructed by SafeConstructor; any other tag keeps its text.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
_NULL_TAG = "tag:yaml.org,2002:null"


# libyaml's SafeLoader when PyYAML was built with it (same rules, ~10x faster), else Python's.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose_nodes(text: str, file: str) -> list[Node]:
    """The root node of every document in ``text`` (empty documents included), refused when
    it holds more values than ``limits.max_nodes()`` (aliases counted expanded)."""
    try:
        limits.check_events(text, file, SAFE_LOADER)
        nodes = list(yaml.compose_all(text, Loader=SAFE_LOADER))
        limits.check_expanded(nodes, file)
        return nodes
    except yaml.MarkedYAMLError as exc:
        raise yaml_error(exc, file, text) from None
    except yaml.YAMLError as exc:  # reader errors (bad characters) carry no mark
        raise ManifestError(f"invalid YAML: {exc}", file=file) from None


def is_empty(node: Node | None) -> bool:
    """A document with no content (``---`` alone, or only comments)."""
    return node is None or (
        isinstance(node, ScalarNode) and node.tag == _NULL_TAG and node.value in ("", "~", "null")
    )


def yaml_error(exc: yaml.MarkedYAMLError, file: str, text: str) -> ManifestError:
    """A ``ManifestError`` naming the line and column of a YAML syntax error."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    problem = exc.problem or "syntax error"
    message = f"invalid YAML: {problem}"
    source_lines = text.splitlines()
    if mark is not None and source_lines and mark.line >= len(source_lines):
        line = len(source_lines)  # the problem is the end of the file: point at its last line
        message += " (at the end of the file)"
    elif mark is not None:
        message += f" (column {mark.column + 1})"
    if exc.context and exc.context_mark is not None:
        context_line = min(exc.context_mark.line + 1, max(len(source_lines), 1))
        if context_line != line:
            message += f", {exc.context} at line {context_line}"
    offending = source_lines[mark.line] if mark is not None and mark.line < len(source_lines) else ""
    if "\t" in offending or "found character '\\t'" in problem:
        hint = "YAML indentation must use spaces, not tabs"
    else:
        hint = "check the indentation and quoting on this line and the one before it"
    return ManifestError(message, file=file, line=line, hint=hint)


class NodeConverter:
    """Turns one document's node tree into plain values, recording ``path → line``."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[FieldPath, int] = {}
        self._scalars = SafeConstructor()
        self._active: set[int] = set()
        self._visited = 0
        self._max_nodes = limits.max_nodes()  # compose_nodes has checked; this is a second guard

    def convert(self, node: Node, path: FieldPath = ()) -> Any:
        if not path:
            self.lines[()] = node.start_mark.line + 1
        self._visited += 1
        if self._visited > self._max_nodes:
            raise limits.too_large(self.file, "values after expanding YAML aliases", self._max_nodes,
                                   limits.NODES_ENV, line=node.start_mark.line + 1)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if id(node) in self._active:
            raise ManifestError("recursive YAML alias", file=self.file, line=node.start_mark.line + 1)
        self._active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if isinstance(node, SequenceNode):
                return self._sequence(node, path)
        finally:
            self._active.discard(id(node))
        raise ManifestError("unsupported YAML node", file=self.file, line=node.start_mark.line + 1)

    def _mapping(self, node: MappingNode, path: FieldPath) -> dict[str, Any]:
        try:
            self._scalars.flatten_mapping(node)  # resolves ``<<`` merge keys
        except yaml.MarkedYAMLError as exc:
            raise yaml_error(exc, self.file, "") from None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            child = (*path, key)
            self.lines[child] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, child)
        return result

    def _sequence(self, node: SequenceNode, path: FieldPath) -> list[Any]:
        items: list[Any] = []
        for index, item_node in enumerate(node.value):
            child = (*path, index)
            self.lines[child] = item_node.start_mark.line + 1
            items.append(self.convert(item_node, child))
        return items

    def _key(self, node: Node) -> str:
        if not isinstance(node, ScalarNode):
            raise ManifestError(
                "mapping keys must be plain strings", file=self.file, line=node.start_mark.line + 1,
                hint="quote the key, or move the structure into the value",
            )
        return str(node.value)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _PLAIN_TAGS:
            return str(node.value)
        try:
            return self._scalars.construct_object(node, deep=True)
        except yaml.MarkedYAMLError as exc:
            raise yaml_error(exc, self.file, "") from None
