"""``Run``: one workflow as the Python API sees it (a snapshot, refreshed by its methods)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from argoctl.model import phases as ph

if TYPE_CHECKING:
    from argoctl.api.client import Client
    from argoctl.model.node import Node
    from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]
_GROUPS = frozenset({"StepGroup", "TaskGroup"})


@dataclass(frozen=True)
class Outputs:
    """A node's (or the workflow's) outputs: parameters by name, artifacts by name (their recorded
    location, as in ``status.nodes[].outputs.artifacts``), the script ``result`` and ``exit_code``."""

    parameters: Mapping[str, str] = field(default_factory=dict)
    artifacts: Mapping[str, JSON] = field(default_factory=dict)
    result: str | None = None
    exit_code: str | None = None

    @classmethod
    def from_wire(cls, outputs: Mapping[str, Any] | None) -> Outputs:
        outputs = outputs or {}
        parameters = {str(p.get("name")): str(p.get("value", "")) for p in outputs.get("parameters") or ()}
        artifacts = {str(a.get("name")): dict(a) for a in outputs.get("artifacts") or ()}
        result, code = outputs.get("result"), outputs.get("exitCode")
        return cls(parameters, artifacts, None if result is None else str(result), None if code is None else str(code))


@dataclass(frozen=True)
class NodeResult:
    """One node of the run: its ``display_name`` (as in ``argoctl get``), ``phase``, ``outputs``."""

    id: str
    display_name: str
    type: str
    phase: str
    message: str
    outputs: Outputs

    @classmethod
    def from_node(cls, node: Node) -> NodeResult:
        return cls(node.id, node.display_name, node.type, node.phase, node.message, Outputs.from_wire(node.outputs))


class Run:
    """A submitted workflow. ``phase``, ``message``, ``nodes`` and ``outputs`` are as of the last
    read; ``refresh()``, ``wait()``, ``retry()`` and ``stop()`` read it again."""

    def __init__(self, client: Client, state: WorkflowState) -> None:
        self._client = client
        self._state = state

    def __repr__(self) -> str:
        return f"Run(name={self.name!r}, phase={self.phase!r})"

    @property
    def name(self) -> str:
        return self._state.name

    @property
    def namespace(self) -> str:
        return str(self._state.metadata.get("namespace") or self._client.namespace)

    @property
    def phase(self) -> str:
        """Pending, Running, Succeeded, Failed or Error (as Argo's ``status.phase``)."""
        return self._state.phase or "Pending"

    @property
    def message(self) -> str:
        return self._state.message

    @property
    def done(self) -> bool:
        return self._state.completed

    @property
    def succeeded(self) -> bool:
        return self._state.phase == ph.SUCCEEDED

    @property
    def nodes(self) -> dict[str, NodeResult]:
        """Display name -> node, steps and tasks only (no step/task groups), in start order; when
        several nodes share a display name, the one started last."""
        found = sorted((n for n in self._state.nodes.values() if n.type not in _GROUPS),
                       key=lambda n: (n.started_at or "", n.id))
        return {n.display_name: NodeResult.from_node(n) for n in found}

    @property
    def outputs(self) -> Outputs:
        """The workflow's outputs: those of its entrypoint node (``status.nodes[NAME].outputs``)."""
        root = self._state.nodes.get(self.name)
        return Outputs.from_wire(root.outputs if root is not None else self._state.outputs)

    @property
    def manifest(self) -> JSON:
        """The workflow object as Argo shows it (``argoctl get -o json``)."""
        return self._state.to_wire()

    def refresh(self) -> Run:
        """Read the workflow again; returns ``self``."""
        self._state = self._client._state(self.name)
        return self

    def wait(self, *, check: bool = True) -> Run:
        """Run (or follow) the workflow to its end; WorkflowFailed when it failed and ``check``."""
        self._state = self._client._finish(self.name, check=check)._state
        return self

    def logs(self, node: str = "", *, container: str = "main") -> str:
        """The pods' logs, one ``POD: LINE`` per line (``node``: only that node's, without prefix)."""
        return self._client.logs(self.name, node, container=container)

    def retry(self, *, wait: bool = True, parameters: Mapping[str, str] | None = None) -> Run:
        """Re-run the failed steps in place (Argo's retry, ``parameters`` as ``-p``); waits for the
        end unless ``wait=False``, raising WorkflowFailed if it fails again."""
        self._state = self._client.retry(self.name, wait=wait, parameters=parameters)._state
        return self

    def stop(self, *, wait: bool = True) -> Run:
        """Stop the workflow (Argo's stop: running pods killed, exit handlers still run); waits
        for it to end unless ``wait=False``. A stopped run ends Failed; this does not raise."""
        self._state = self._client.stop(self.name, wait=wait)._state
        return self
