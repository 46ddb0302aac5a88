"""``WorkflowState``: the whole Workflow object (metadata, spec, status), immutable.

``to_wire()`` is Argo's Workflow JSON (what ``argoctl get -o json`` prints and what the stores
persist); ``from_wire()`` reads it back. ``status.progress`` is derived, never cached.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from argoctl.model import phases
from argoctl.model.node import INTERNAL_KEY, Node
from argoctl.model.pods import PodRequest
from argoctl.model.progress import node_progress, workflow_progress
from argoctl.model.records import replace

JSON = dict[str, Any]

LABEL_PHASE, LABEL_COMPLETED = phases.LABEL_PHASE, phases.LABEL_COMPLETED
API_VERSION = "argoproj.io/v1alpha1"


@dataclass(frozen=True, slots=True)
class WorkflowState:
    metadata: JSON
    spec: JSON
    phase: str = ""
    message: str = ""
    started_at: str | None = None
    finished_at: str | None = None
    nodes: Mapping[str, Node] = field(default_factory=dict)
    outputs: JSON | None = None
    stored_templates: Mapping[str, JSON] = field(default_factory=dict)
    stored_workflow_template_spec: JSON | None = None
    conditions: tuple[JSON, ...] = ()
    # pods the engine asked for that a driver has not yet confirmed started (a transactional
    # outbox: persisted with the state, replayed by whichever driver picks the workflow up)
    outbox: tuple[PodRequest, ...] = ()
    # status fields argoctl does not interpret, kept for round-trips
    status_extra: JSON = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.metadata.get("name", ""))

    @property
    def namespace(self) -> str:
        return str(self.metadata.get("namespace", "default"))

    @property
    def labels(self) -> Mapping[str, str]:
        labels: Mapping[str, str] = self.metadata.get("labels") or {}
        return labels

    @property
    def completed(self) -> bool:
        return self.phase in phases.COMPLETED_PHASES

    def with_(self, **changes: Any) -> WorkflowState:
        return replace(self, **changes)

    def with_nodes(self, changed: Mapping[str, Node]) -> WorkflowState:
        if not changed:
            return self
        nodes = dict(self.nodes)
        nodes.update(changed)
        return replace(self, nodes=nodes)

    def progress(self) -> str:
        return workflow_progress(self.nodes)

    def to_wire(self, *, internal: bool = False, node_cache: NodeWireCache | None = None) -> JSON:
        """Argo's Workflow object; ``internal`` adds argoctl's bookkeeping for the stores.
        ``node_cache`` (kept by a caller that saves the same workflow again and again, always
        with the same ``internal``) holds each node's wire form by node id while the node is the
        same object: nodes are immutable, so only the nodes a step changed are encoded again."""
        status: JSON = {}
        if self.phase:
            status["phase"] = self.phase
        if self.started_at:
            status["startedAt"] = self.started_at
        status["finishedAt"] = self.finished_at
        if self.nodes:
            status["progress"] = self.progress()
        if self.message:
            status["message"] = self.message
        if self.nodes:
            progress = node_progress(self.nodes)
            status["nodes"] = _wire_nodes(self.nodes, progress, internal, node_cache)
        if self.stored_templates:
            status["storedTemplates"] = dict(self.stored_templates)
        if self.conditions:
            status["conditions"] = [dict(c) for c in self.conditions]
        if self.outputs:
            status["outputs"] = self.outputs
        if self.stored_workflow_template_spec:
            status["storedWorkflowTemplateSpec"] = self.stored_workflow_template_spec
        status.update(self.status_extra)
        if internal and self.outbox:
            # shallow: PodRequest holds only JSON values (no nested dataclasses), and the
            # deep copies ``asdict`` makes of every template cost a 10k fan-out tens of MB
            status[INTERNAL_KEY] = {"outbox": [{name: getattr(r, name) for name in _POD_REQUEST_FIELDS}
                                               for r in self.outbox]}
        return {
            "apiVersion": API_VERSION,
            "kind": "Workflow",
            "metadata": self.metadata,
            "spec": self.spec,
            "status": status,
        }

    @staticmethod
    def from_wire(obj: Mapping[str, Any]) -> WorkflowState:
        status = dict(obj.get("status") or {})
        internal = status.get(INTERNAL_KEY) or {}
        known = {
            INTERNAL_KEY, "phase", "message", "startedAt", "finishedAt", "nodes", "outputs", "storedTemplates",
            "storedWorkflowTemplateSpec", "conditions", "progress",
        }
        return WorkflowState(
            metadata=dict(obj.get("metadata") or {}),
            spec=dict(obj.get("spec") or {}),
            phase=status.get("phase", "") or "",
            message=status.get("message", "") or "",
            started_at=status.get("startedAt"),
            finished_at=status.get("finishedAt"),
            nodes={nid: Node.from_wire(n) for nid, n in (status.get("nodes") or {}).items()},
            outputs=status.get("outputs"),
            stored_templates=dict(status.get("storedTemplates") or {}),
            stored_workflow_template_spec=status.get("storedWorkflowTemplateSpec"),
            conditions=tuple(status.get("conditions") or ()),
            status_extra={k: v for k, v in status.items() if k not in known},
            outbox=tuple(_pod_request(r) for r in internal.get("outbox") or ()),
        )


_POD_REQUEST_FIELDS = tuple(f.name for f in dataclasses.fields(PodRequest))


def _pod_request(data: Mapping[str, Any]) -> PodRequest:
    fields = dict(data)
    fields["env"] = tuple(tuple(pair) for pair in fields.get("env") or ())
    return PodRequest(**fields)


NodeWireCache = dict[str, tuple[Node, JSON]]


def _wire_nodes(nodes: Mapping[str, Node], progress: Mapping[str, str], internal: bool,
                cache: NodeWireCache | None) -> JSON:
    wire_nodes: JSON = {}
    kept: NodeWireCache = {}
    for nid, node in nodes.items():
        if cache is None:
            wire = node.to_wire(internal=internal)
        else:
            known = cache.get(nid)
            if known is None or known[0] is not node:
                known = (node, node.to_wire(internal=internal))
            kept[nid] = known
            wire = dict(known[1])  # a copy: the progress below, and whatever the caller does with it
        if nid in progress:
            wire["progress"] = progress[nid]
        wire_nodes[nid] = wire
    if cache is not None:  # only this state's nodes are kept (a retry may have removed some)
        cache.clear()
        cache.update(kept)
    return wire_nodes
