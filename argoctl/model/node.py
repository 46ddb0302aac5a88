"""``Node``: one entry of ``status.nodes`` (Argo's NodeStatus), immutable."""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from argoctl.model import INTERNAL_KEY as INTERNAL_KEY  # defined there: stores need it without Node
from argoctl.model.phases import COMPLETED_PHASES, FULFILLED_PHASES
from argoctl.model.wire import NODE_WIRE_NAMES

JSON = dict[str, Any]

_WIRE_NAMES = NODE_WIRE_NAMES  # snake_case attribute -> Argo's camelCase field, in Argo's order
_FROM_WIRE = {wire: attr for attr, wire in _WIRE_NAMES}


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    name: str
    display_name: str
    type: str
    template_name: str = ""
    template_ref: JSON | None = None
    template_scope: str = "local/"
    phase: str = "Pending"
    boundary_id: str = ""
    message: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    estimated_duration: int = 0
    progress: str = ""
    resources_duration: JSON | None = None
    pod_ip: str = ""
    daemoned: bool = False
    node_flag: JSON | None = None
    inputs: JSON | None = None
    outputs: JSON | None = None
    children: tuple[str, ...] = ()
    outbound_nodes: tuple[str, ...] = ()
    host_node_name: str = ""
    memoization_status: JSON | None = None
    synchronization_status: JSON | None = None
    failed_pod_restarts: int = 0
    # not part of Argo's NodeStatus: the pod name a Pod node runs as (engine bookkeeping)
    extra: JSON = field(default_factory=dict)

    def with_(self, **changes: Any) -> Node:
        """A copy with ``changes`` (``dataclasses.replace``, without its per-call field analysis:
        the engine makes one per node change)."""
        if not changes.keys() <= _FIELD_SET:
            raise TypeError(f"Node has no field(s) {sorted(changes.keys() - _FIELD_SET)}")
        new = _NEW(Node)
        for set_slot, value in zip(_SLOT_SETTERS, _GET_ALL(self), strict=True):
            set_slot(new, value)
        for name, value in changes.items():
            _SET(new, name, value)
        return new

    def with_child(self, child_id: str) -> Node:
        if child_id in self.children:
            return self
        return self.with_(children=(*self.children, child_id))

    @property
    def fulfilled(self) -> bool:
        if self.phase in FULFILLED_PHASES:
            return True
        return self.daemoned and self.phase != "Pending"

    @property
    def completed(self) -> bool:
        return self.phase in COMPLETED_PHASES

    @property
    def hooked(self) -> bool:
        return bool(self.node_flag and self.node_flag.get("hooked"))

    @property
    def retried(self) -> bool:
        return bool(self.node_flag and self.node_flag.get("retried"))

    def to_wire(self, *, internal: bool = False) -> JSON:
        """Argo's JSON shape; empty fields omitted as Go's ``omitempty`` does.

        ``internal`` adds argoctl's own bookkeeping (``x-argoctl``), which stores persist and
        output formats leave out.
        """
        out: JSON = {}
        for attr, wire in _WIRE_NAMES:
            value = getattr(self, attr)
            if value is None or value == "" or value == () or value == 0 or value is False:
                continue
            if attr == "template_scope" and value == "":
                continue
            out[wire] = list(value) if isinstance(value, tuple) else value
        if internal and self.extra:
            out[INTERNAL_KEY] = dict(self.extra)
        return out

    @staticmethod
    def from_wire(data: Mapping[str, Any]) -> Node:
        kwargs: dict[str, Any] = {}
        for wire, value in data.items():
            attr = _FROM_WIRE.get(wire)
            if attr is None:
                if wire == INTERNAL_KEY:
                    kwargs["extra"] = dict(value)
                continue
            if attr in ("children", "outbound_nodes"):
                value = tuple(value)
            kwargs[attr] = value
        kwargs.setdefault("display_name", kwargs.get("name", ""))
        kwargs.setdefault("type", "Pod")
        return Node(**kwargs)


_FIELDS = tuple(f.name for f in dataclasses.fields(Node))
_FIELD_SET = frozenset(_FIELDS)
_GET_ALL = operator.attrgetter(*_FIELDS)
_NEW = object.__new__
_SET = object.__setattr__
# each field's slot descriptor writes the slot directly (past the frozen ``__setattr__``)
_SLOT_SETTERS = tuple(getattr(Node, name).__set__ for name in _FIELDS)
