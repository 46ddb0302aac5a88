"""Bounds on what a manifest may cost to read, checked before the value tree is built.

* bytes: ``ARGOCTL_MAX_MANIFEST_BYTES`` (default 16 MiB; Kubernetes stores objects of at most
  about 1.5 MB, and 20,000 templates take about 6 MB);
* values (YAML nodes, every alias counted as many times as it expands):
  ``ARGOCTL_MAX_MANIFEST_NODES`` (default 1,000,000; 20,000 templates are about 400,000);
* loop items (one ``withItems``/``withParam``/``withSequence``): ``ARGOCTL_MAX_LOOP_ITEMS``
  (default 100,000), checked by lint where the count is written and by the engine otherwise.

The value count is checked on the composed node tree, where an alias is a shared node, so a
"billion laughs" file is refused at once; a file whose text may hold more nodes than the limit is
first counted from parser events, so a huge flat file is refused before its tree is built.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import yaml
from yaml.nodes import CollectionNode, Node

from argoctl.errors import ManifestError

BYTES_ENV = "ARGOCTL_MAX_MANIFEST_BYTES"
NODES_ENV = "ARGOCTL_MAX_MANIFEST_NODES"
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_NODES = 1_000_000
LOOP_ITEMS_ENV = "ARGOCTL_MAX_LOOP_ITEMS"
DEFAULT_MAX_LOOP_ITEMS = 100_000
_NODE_EVENTS = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)


def _setting(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise ManifestError(f"{name}={raw!r} is not a whole number", hint=f"unset it for {default}") from None
    return value if value > 0 else default


def max_bytes() -> int:
    return _setting(BYTES_ENV, DEFAULT_MAX_BYTES)


def max_nodes() -> int:
    return _setting(NODES_ENV, DEFAULT_MAX_NODES)


def max_loop_items() -> int:
    """The most items one loop (withItems, withParam, withSequence) may expand to."""
    return _setting(LOOP_ITEMS_ENV, DEFAULT_MAX_LOOP_ITEMS)


def too_large(file: str, what: str, limit: int, env: str, line: int | None = None) -> ManifestError:
    return ManifestError(
        f"manifest too large: more than {limit:,} {what}", file=file, line=line,
        hint=f"split it into several files, or raise the limit with {env}",
    )


def check_size(file: str, size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise too_large(file, "bytes", limit, BYTES_ENV)


def _upper_bound(text: str) -> int:
    """At least the number of nodes ``text`` can hold (each needs one of these characters)."""
    return sum(text.count(mark) for mark in "\n:-,[{*") + 1


def check_events(text: str, file: str, loader: type[yaml.SafeLoader]) -> None:
    """Count nodes from parser events, stopping at the limit (only when the text may exceed it).

    JSON is YAML once tabs go, so JSON text is counted the same way."""
    limit = max_nodes()
    if _upper_bound(text) <= limit:
        return
    count = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _NODE_EVENTS):
            count += 1
            if count > limit:
                mark = event.start_mark
                raise too_large(file, "values", limit, NODES_ENV, line=mark.line + 1 if mark else None)


def check_expanded(roots: Iterable[Node | None], file: str) -> None:
    """Refuse documents whose nodes, aliases expanded, exceed the limit (no expansion done)."""
    limit = max_nodes()
    sizes: dict[int, int] = {}
    total = 0
    for root in roots:
        if root is not None:
            total += _expanded_size(root, sizes, limit, file)
        if total > limit:
            line = root.start_mark.line + 1 if root is not None else None
            raise too_large(file, "values after expanding YAML aliases", limit, NODES_ENV, line=line)


def _expanded_size(root: Node, sizes: dict[int, int], limit: int, file: str) -> int:
    """Nodes under ``root`` with aliases expanded, memoised per shared node, without recursion."""
    stack: list[tuple[Node, bool]] = [(root, False)]
    active: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in sizes and not done:
            continue
        children = _children(node)
        if not done:
            active.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            for child in children:
                if id(child) in active:  # an alias of a node that contains it
                    raise ManifestError("recursive YAML alias", file=file, line=child.start_mark.line + 1)
            continue
        active.discard(key)
        sizes[key] = min(1 + sum(sizes[id(child)] for child in children), limit + 1)
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if not isinstance(node, CollectionNode):
        return []
    if isinstance(node.value, list) and node.value and isinstance(node.value[0], tuple):
        return [part for pair in node.value for part in pair]
    return list(node.value)
