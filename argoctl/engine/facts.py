"""``WorkflowFacts``: what one engine step knows about the workflow as a whole: its spec and
status fields, deadlines, template lookup, globals and workflow outputs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from argoctl.engine.templates import TemplateContext, TemplateError, resolve
from argoctl.engine.types import EngineEnv
from argoctl.model.timefmt import parse_time, rfc3339
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]


class WorkflowFacts:
    """The workflow-level state of one engine step (spec, status, globals, template lookup)."""

    def __init__(self, state: WorkflowState, env: EngineEnv, now: datetime) -> None:
        self.state = state
        self.env = env
        self.now = now
        self.now_str = rfc3339(now)
        self.wf_name = state.name
        self.namespace = state.namespace
        self.spec: JSON = dict(state.spec)
        self.metadata: JSON = dict(state.metadata)
        self.stored_templates: dict[str, JSON] = dict(state.stored_templates)
        self.outputs: JSON | None = state.outputs
        self.phase = state.phase
        self.message = state.message
        self.started_at = state.started_at
        self.finished_at = state.finished_at
        self.conditions: tuple[JSON, ...] = state.conditions
        self.status_extra: JSON = dict(state.status_extra)
        self.globals: dict[str, Any] = {}
        self.stack_depth = 0
        self.boundary_templates: dict[str, JSON] = {}
        self.result_references: dict[str, tuple[str, frozenset[str]]] = {}
        self.local_context: TemplateContext = TemplateContext.of(f"local/{self.wf_name}", self.spec)
        self._deadline: datetime | None = None

    # ---- workflow-level facts --------------------------------------------------------------

    def shutdown_strategy(self) -> str:
        return str(self.spec.get("shutdown") or "")

    def should_run_exit_handlers(self) -> bool:
        """Argo's ``ShouldExecute(isExitHandler=true)``: exit handlers run unless Terminate."""
        return self.shutdown_strategy() != "Terminate"

    def workflow_deadline(self) -> datetime | None:
        if self._deadline is None:
            seconds = self.spec.get("activeDeadlineSeconds")
            started = self.started_at
            if seconds is None or not started:
                return None
            from datetime import timedelta

            self._deadline = parse_time(started) + timedelta(seconds=int(seconds))
        return self._deadline

    def workflow_deadline_passed(self) -> bool:
        deadline = self.workflow_deadline()
        return deadline is not None and self.now >= deadline

    def workflow_deadline_text(self) -> str:
        deadline = self.workflow_deadline()
        return deadline.strftime("%Y-%m-%d %H:%M:%S +0000 UTC") if deadline else ""

    def state_spec(self) -> JSON:
        """The workflow's own spec (commands already applied); never the merged exec spec."""
        return dict(self.state.spec)

    # ---- templates -------------------------------------------------------------------------

    def remember_boundary_template(self, boundary_id: str, tmpl: JSON) -> None:
        self.boundary_templates[boundary_id] = tmpl

    def template_for(self, ctx: TemplateContext, holder: Mapping[str, Any]) -> JSON | None:
        """The template a step/task refers to, or None when it cannot be resolved."""
        try:
            found: JSON = resolve(ctx, holder, self.env.workflow_templates, self.stored_templates)[1]
        except TemplateError:
            return None
        return found

    def context_for_scope(self, scope: str) -> TemplateContext:
        if not scope or scope.startswith("local"):
            return self.local_context
        spec = self.env.workflow_templates.get(scope)
        return TemplateContext.of(scope, spec or {})

    # ---- outputs ---------------------------------------------------------------------------

    def add_workflow_outputs(self, scope: Any) -> None:
        for param in (self.outputs or {}).get("parameters") or ():
            if param.get("value") is not None:
                scope.set(f"workflow.outputs.parameters.{param.get('name')}", str(param["value"]))
        for art in (self.outputs or {}).get("artifacts") or ():
            scope.set(f"workflow.outputs.artifacts.{art.get('name')}", art)

    def add_outputs_to_globals(self, outputs: Mapping[str, Any] | None) -> None:
        """``globalName`` parameters and artifacts become workflow outputs."""
        if not outputs:
            return
        current: JSON = dict(self.outputs or {})
        for param in outputs.get("parameters") or ():
            gname = param.get("globalName")
            if not gname or param.get("value") is None:
                continue
            value = str(param["value"])
            self.globals[f"workflow.outputs.parameters.{gname}"] = value
            params = [p for p in current.get("parameters") or [] if p.get("name") != gname]
            params.append({"name": gname, "value": value})
            current["parameters"] = params
        for art in outputs.get("artifacts") or ():
            gname = art.get("globalName")
            if not gname:
                continue
            entry = {k: v for k, v in art.items() if k not in ("globalName", "path")}
            entry["name"] = gname
            arts = [a for a in current.get("artifacts") or [] if a.get("name") != gname]
            arts.append(entry)
            current["artifacts"] = arts
        if current:
            self.outputs = current
