"""``Operation``: the working copy of one engine step.

An Operation starts from an immutable ``WorkflowState``, changes a private dict of nodes while the
step runs and hands back a new state. It is composed of three parts, each with one job:
``NodeTable`` (engine/node_table.py: the nodes, their counters, writes and graph walks),
``Outbox`` (engine/outbox.py: actions, wake-ups, queued pod requests and memo entries) and
``WorkflowFacts`` (engine/facts.py: spec and status, deadlines, template lookup, globals and
workflow outputs). What needs two parts at once lives here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from argoctl.engine import nodeindex
from argoctl.engine.facts import WorkflowFacts
from argoctl.engine.node_table import NodeAt, NodeTable, one_line
from argoctl.engine.outbox import Outbox
from argoctl.engine.types import EngineEnv
from argoctl.model import phases as ph
from argoctl.model.node import Node
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]

__all__ = ["NodeAt", "Operation", "one_line"]


class Operation(NodeTable, Outbox, WorkflowFacts):
    """One engine step's mutable workspace (never visible outside ``engine.step``)."""

    def __init__(self, state: WorkflowState, env: EngineEnv, now: datetime) -> None:
        WorkflowFacts.__init__(self, state, env, now)
        Outbox.__init__(self, now)
        index = nodeindex.take(env.memos.carried, (state.namespace, state.name), state.nodes)
        NodeTable.__init__(self, state.name, state.nodes, env.node_ids.setdefault(state.name, {}), self.now_str,
                           index)

    def boundary_template(self, boundary_id: str) -> JSON | None:
        tmpl = self.boundary_templates.get(boundary_id)
        if tmpl is not None:
            return tmpl
        node = self.by_id(boundary_id)
        if node is None or (not node.template_name and not node.template_ref):
            return None
        holder = {"template": node.template_name, "templateRef": node.template_ref}
        return self.template_for(self.context_for_scope(node.template_scope), holder)

    def hand_over_nodes(self) -> dict[str, Node]:
        """The step's final node table, its index kept for the next step (nothing changes it after)."""
        nodes = self.all_nodes()
        nodeindex.leave(self.env.memos.carried, (self.namespace, self.wf_name), nodes, self.index)
        return nodes

    def kill_daemoned_children(self, boundary_id: str) -> None:
        for node in list(self.all_nodes().values()):
            if not node.daemoned or (boundary_id and node.boundary_id != boundary_id):
                continue
            self.kill_pod(node, self.pod_name_of(node), "daemon step finished")
            self.put(node.with_(phase=ph.SUCCEEDED, daemoned=False,
                                finished_at=node.finished_at or self.now_str))
