"""Hand-built Argo-shaped workflows for the renderer tests, and the golden-text helper."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from argoctl.model.ids import display_name, node_id

T0 = datetime(2024, 5, 1, 10, 0, 0, tzinfo=UTC)


def ts(seconds: float) -> str:
    """The RFC 3339 time ``seconds`` after ``T0``."""
    return (T0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def golden(text: str) -> str:
    """Expected output written as ``|line|`` rows (so trailing spaces are visible and kept)."""
    rows = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue  # layout only; an empty output line is written as ||
        assert line.startswith("|") and line.endswith("|"), f"golden row not fenced: {raw!r}"
        rows.append(line[1:-1])
    return "\n".join(rows) + "\n"


class Wf:
    """A Workflow dict under construction; nodes are added by name and linked by name."""

    def __init__(
        self, name: str, *, phase: str = "Succeeded", created: float = 0, started: float | None = 0,
        finished: float | None = None, namespace: str = "argo", message: str = "",
    ) -> None:
        self.name = name
        self.nodes: dict[str, dict[str, Any]] = {}
        status: dict[str, Any] = {"phase": phase}
        if started is not None:
            status["startedAt"] = ts(started)
        if finished is not None:
            status["finishedAt"] = ts(finished)
        if message:
            status["message"] = message
        self.wf: dict[str, Any] = {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {"name": name, "namespace": namespace, "creationTimestamp": ts(created)},
            "spec": {"entrypoint": "main"},
            "status": status,
        }

    def id(self, node_name: str) -> str:
        return node_id(self.name, node_name)

    def node(
        self, node_name: str, node_type: str, *, boundary: str | None = None, template: str = "",
        phase: str = "Succeeded", started: float | None = 0, finished: float | None = None,
        children: tuple[str, ...] = (), message: str = "", template_ref: tuple[str, str] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a node; ``boundary`` and ``children`` are node *names*."""
        nid = self.id(node_name)
        node: dict[str, Any] = {
            "id": nid,
            "name": node_name,
            "displayName": display_name(node_name, boundary),
            "type": node_type,
        }
        if template:
            node["templateName"] = template
        if template_ref:
            node["templateRef"] = {"name": template_ref[0], "template": template_ref[1]}
        node["templateScope"] = "local/"
        node["phase"] = phase
        if boundary:
            node["boundaryID"] = self.id(boundary)
        if message:
            node["message"] = message
        if started is not None:
            node["startedAt"] = ts(started)
        if finished is not None:
            node["finishedAt"] = ts(finished)
        if children:
            node["children"] = [self.id(child) for child in children]
        node.update(extra)
        self.nodes[nid] = node
        return node

    def build(self) -> dict[str, Any]:
        self.wf["status"]["nodes"] = dict(self.nodes)
        return self.wf
