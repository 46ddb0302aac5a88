"""The ``argo get`` node tree: which nodes are drawn, in what order, with which connectors.

Nodes are grouped the way Argo's CLI groups them (argo-semantics §5.5):

* *boundary* nodes (Steps, DAG) contain every node whose ``boundaryID`` points at them;
* *group* nodes (StepGroup, Retry) contain their ``children`` (a node that is a group's child
  hangs under the group, not under its boundary);
* *leaf* nodes (Pod, Skipped, Suspend, HTTP, Plugin) contain nothing;
* every other type (TaskGroup, Container) is not part of the tree at all.

Members are ordered by ``startedAt`` (unset first), ties by loop index ``(N:…)`` when both have
one, else by display name. StepGroups are not printed (their members are
joined with ``┬─``/``├─``/``└─``), a Retry node with a single child is not printed, Omitted nodes
are not printed, and a node field selector hides the nodes it does not match (their members are
still drawn). ``tree_rows`` yields ``(prefix, node)`` pairs; the callers format the columns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any, Final, Literal

from argoctl.model import ids, phases
from argoctl.render import humanize, style

JSON = Mapping[str, Any]
Kind = Literal["boundary", "group", "leaf"]
Selector = Callable[[JSON], bool]

_BOUNDARY_TYPES: Final = frozenset({phases.STEPS, phases.DAG})
_GROUP_TYPES: Final = frozenset({phases.STEP_GROUP, phases.RETRY})
_LEAF_TYPES: Final = frozenset({phases.POD, phases.SKIPPED_TYPE, phases.SUSPEND, phases.HTTP, phases.PLUGIN})
_INTEGER: Final = re.compile(r"[+-]?[0-9]+")

# (first of several, middle, last, only) connectors and what continues below each, per charset
_UTF8_JOINED: Final = (("┬─", "│ "), ("├─", "│ "), ("└─", "  "), ("──", "  "))
_UTF8_NESTED: Final = (("├─", "│ "), ("└─", "  "))
_ASCII_JOINED: Final = (("+-", "| "), ("|-", "| "), ("`-", "  "), ("--", "  "))
_ASCII_NESTED: Final = (("|-", "| "), ("`-", "  "))


# plain classes, not dataclasses: ``argoctl get`` draws the tree, and importing ``dataclasses``
# (``inspect`` with it) costs a short command more than drawing it
class RenderNode:
    """One drawable node and the nodes drawn beneath it."""

    __slots__ = ("id", "kind", "members")

    def __init__(self, id: str, kind: Kind, members: list[RenderNode] | None = None) -> None:
        self.id, self.kind = id, kind
        self.members: list[RenderNode] = [] if members is None else members


class TreeRow:
    """One printed line of the tree: the connector prefix and the node drawn after it."""

    __slots__ = ("node", "prefix")

    def __init__(self, prefix: str, node: JSON) -> None:
        self.prefix, self.node = prefix, node


def build_forest(all_nodes: Mapping[str, JSON]) -> dict[str, RenderNode]:
    """Group the nodes into render trees; returns the roots (nodes with no container) by ID."""
    groups: dict[str, RenderNode] = {}
    group_of_child: dict[str, RenderNode] = {}
    for node_id in sorted(all_nodes):
        if _type(all_nodes[node_id]) in _GROUP_TYPES:
            group = groups[node_id] = RenderNode(node_id, "group")
            for child_id in all_nodes[node_id].get("children") or ():
                group_of_child[child_id] = group
    roots: dict[str, RenderNode] = {}
    boundaries: dict[str, RenderNode] = {}
    by_boundary: dict[str, list[RenderNode]] = {}
    for node_id in sorted(all_nodes):
        node = all_nodes[node_id]
        render = _render_node(node_id, _type(node), groups)
        if render is None:
            continue
        if render.kind == "boundary":
            boundaries[node_id] = render
        boundary_id = str(node.get("boundaryID") or "")
        if node_id in group_of_child:
            group_of_child[node_id].members.append(render)
        elif boundary_id:
            by_boundary.setdefault(boundary_id, []).append(render)
        else:
            roots[node_id] = render
    for boundary_id, members in by_boundary.items():
        if boundary_id in boundaries:  # members of a boundary that does not exist are dropped
            boundaries[boundary_id].members = members
    order = _SiblingOrder(all_nodes)
    for render in (*groups.values(), *boundaries.values()):
        render.members.sort(key=order.key)
    return roots


def _type(node: JSON) -> str:
    return str(node.get("type") or phases.POD)


def _render_node(node_id: str, node_type: str, groups: dict[str, RenderNode]) -> RenderNode | None:
    if node_type in _BOUNDARY_TYPES:
        return RenderNode(node_id, "boundary")
    if node_type in _GROUP_TYPES:
        return groups[node_id]
    if node_type in _LEAF_TYPES:
        return RenderNode(node_id, "leaf")
    return None


class _SiblingOrder:
    """Argo's sibling comparison: start time, then loop index when both have one, else display name.

    Argo inserts siblings one by one (in Go's random map order) with this comparison; sorting the
    siblings (given in ID order) with it yields the same order whenever the comparison is
    consistent, and does so in O(n log n) instead of O(n²).
    """

    def __init__(self, all_nodes: Mapping[str, JSON]) -> None:
        self._nodes = all_nodes
        self._facts: dict[str, tuple[datetime, str, int]] = {}
        self.key = functools.cmp_to_key(self._compare)

    def _fact(self, node_id: str) -> tuple[datetime, str, int]:
        fact = self._facts.get(node_id)
        if fact is None:
            node = self._nodes[node_id]
            started = humanize.parse_time(node.get("startedAt")) or humanize.ZERO_TIME
            name = style.display_name(node)
            fact = self._facts[node_id] = (started, name, loop_index(name))
        return fact

    def _compare(self, left: RenderNode, right: RenderNode) -> int:
        left_time, left_name, left_index = self._fact(left.id)
        right_time, right_name, right_index = self._fact(right.id)
        if left_time != right_time:
            return -1 if left_time < right_time else 1
        if left_index >= 0 and right_index >= 0:
            return (left_index > right_index) - (left_index < right_index)
        return (left_name > right_name) - (left_name < right_name)


def loop_index(display: str) -> int:
    """The ``N`` of a loop child's ``name(N:desc)``, else -1."""
    open_at = display.find("(")
    colon_at = display.find(":")
    if open_at < 0 or colon_at < 0 or colon_at <= open_at:
        return -1
    digits = display[open_at + 1:colon_at]
    return int(digits) if _INTEGER.fullmatch(digits) else -1


def _hidden(node: JSON, selector: Selector | None) -> tuple[bool, bool]:
    """(node not printed, its members joined by the special connectors)."""
    node_type = _type(node)
    if node_type == phases.RETRY and len(node.get("children") or ()) == 1:
        return True, False
    if node_type == phases.STEP_GROUP:
        return True, True
    if node_type == phases.SKIPPED_TYPE and node.get("phase") == phases.OMITTED:
        return True, False
    if selector is not None and not selector(node):
        return True, False
    return False, False


class _Walker:
    def __init__(self, all_nodes: Mapping[str, JSON], selector: Selector | None, utf8: bool) -> None:
        self.nodes = all_nodes
        self.selector = selector
        self.joined = _UTF8_JOINED if utf8 else _ASCII_JOINED
        self.nested = _UTF8_NESTED if utf8 else _ASCII_NESTED

    def walk(self, render: RenderNode, prefix: str, below: str) -> Iterator[TreeRow]:
        node = self.nodes[render.id]
        hidden, joined = _hidden(node, self.selector)
        if not hidden:
            yield TreeRow(prefix, node)
        last = len(render.members) - 1
        for index, member in enumerate(render.members):
            part, rest = self._connector(hidden, joined, index, last)
            if not hidden:
                yield from self.walk(member, below + part, below + rest)
            else:
                head = prefix if index == 0 else below
                yield from self.walk(member, head + part, below + rest)

    def _connector(self, hidden: bool, joined: bool, index: int, last: int) -> tuple[str, str]:
        if hidden and joined:
            first, middle, final, only = self.joined
            if last == 0:
                return only
            if index == 0:
                return first
            return final if index == last else middle
        if not hidden:
            return self.nested[1] if index == last else self.nested[0]
        return "", ""


def tree_rows(
    wf: JSON, *, selector: Selector | None = None, utf8: bool = True
) -> tuple[list[TreeRow], list[TreeRow] | None] | None:
    """Rows of the main tree and of the ``<wf>.onExit`` tree.

    ``None`` when the workflow has no root node yet; the exit rows are ``None`` when there is no
    workflow exit handler node (and ``[]`` when there is one but the selector hides all of it).
    """
    all_nodes = style.nodes(wf)
    wf_name = style.name(wf)
    if not all_nodes or wf_name not in all_nodes:
        return None
    roots = build_forest(all_nodes)
    main = roots.get(wf_name)
    if main is None:
        return None
    walker = _Walker(all_nodes, selector, utf8)
    main_rows = list(walker.walk(main, " ", " "))
    exit_root = roots.get(ids.node_id(wf_name, f"{wf_name}.onExit"))
    exit_rows = list(walker.walk(exit_root, " ", " ")) if exit_root is not None else None
    return main_rows, exit_rows


def visible_nodes(wf: JSON) -> list[JSON]:
    """The nodes ``argo get`` would draw, in drawing order (main tree, then the exit handler)."""
    trees = tree_rows(wf)
    if trees is None:
        return []
    main_rows, exit_rows = trees
    return [row.node for row in (*main_rows, *(exit_rows or ()))]
