"""What one template call carries through the engine: ``ExecOpts`` (where the node hangs and how
it runs) and ``Call``, the frozen record handed from ``execute_template`` to the code for a
template kind (pods, suspend, steps, DAG) instead of eight loose values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from argoctl.engine.node_table import NodeAt
from argoctl.engine.operation import Operation
from argoctl.engine.templates import TemplateContext
from argoctl.model.node import Node

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ExecOpts:
    boundary_id: str = ""
    on_exit: bool = False
    node_flag: JSON | None = None
    execution_deadline: datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Call:
    """One call of a template for the node ``name``: the workspace, the step/task (``holder``)
    that asked for it, the context it was resolved from (``ctx``) and the one its own references
    resolve in (``new_ctx``), the processed template and the node as it stands (None before it
    exists). ``dataclasses.replace`` makes the next record when one of them changes."""

    op: Operation
    name: str
    holder: Mapping[str, Any]
    ctx: TemplateContext
    opts: ExecOpts
    node: Node | None = None
    new_ctx: TemplateContext | None = None
    tmpl: JSON = field(default_factory=dict)

    @property
    def at(self) -> NodeAt:
        """Where this call's node hangs: its boundary, the template scope and its flags."""
        return NodeAt(self.opts.boundary_id, self.ctx.scope, self.opts.node_flag)

    @property
    def child_ctx(self) -> TemplateContext:
        """The context the template's own steps/tasks resolve their templates in."""
        return self.new_ctx if self.new_ctx is not None else self.ctx


@dataclass(frozen=True, slots=True)
class Site:
    """Where a steps or DAG template visits its children: the workspace, the boundary node the
    children belong to, the context their templates resolve in, how the scope names them
    (``prefix``: "steps" or "tasks") and whether the boundary runs as an exit handler."""

    op: Operation
    boundary_id: str
    ctx: TemplateContext
    prefix: str
    on_exit: bool = False
    attach_to: str = ""  # steps: the step group each child joins; DAG tasks are connected by their dependencies

    @property
    def kind(self) -> str:
        """What ``execute_template`` is told the holder is: a WorkflowStep or a DAGTask."""
        return "task" if self.prefix == "tasks" else "step"

    @property
    def at(self) -> NodeAt:
        return NodeAt(self.boundary_id, self.ctx.scope)
