"""``step``: one reconcile of a workflow, Argo's ``operate`` as a pure function."""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from argoctl import expr
from argoctl.engine import commands, hooks, sync
from argoctl.engine.errors import EngineSignal, NodeFailure
from argoctl.engine.execute import ExecOpts, execute_template
from argoctl.engine.globals import GlobalParameterError, global_variables
from argoctl.engine.operation import Operation, one_line
from argoctl.engine.pods import DEADLINE_MESSAGE, apply_pod_update
from argoctl.engine.templates import merge_workflow_spec
from argoctl.engine.types import Action, EngineEnv, Event, Resume, SetNode, Shutdown, Suspend
from argoctl.errors import ArgoctlError, ExpressionError
from argoctl.expr import sources
from argoctl.model import phases as ph
from argoctl.model.node import Node
from argoctl.model.pods import PodUpdate
from argoctl.model.timefmt import parse_time, rfc3339
from argoctl.model.workflow import LABEL_COMPLETED, LABEL_PHASE, WorkflowState

JSON = dict[str, Any]
_ROOT_TO_WORKFLOW = {
    ph.PENDING: ph.PENDING, ph.RUNNING: ph.RUNNING, ph.SUCCEEDED: ph.SUCCEEDED, ph.SKIPPED: ph.SUCCEEDED,
    ph.OMITTED: ph.SUCCEEDED, ph.FAILED: ph.FAILED, ph.ERROR: ph.ERROR,
}


def apply_command(state: WorkflowState, event: Event, now_str: str) -> WorkflowState:
    if isinstance(event, Shutdown):
        return commands.shutdown(state, event.strategy, now_str, event.node_field_selector, event.message)
    if isinstance(event, Suspend):
        return commands.suspend(state)
    if isinstance(event, Resume):
        return commands.resume(state, now_str, event.node_field_selector, event.message)
    if isinstance(event, SetNode):
        return commands.set_node(state, event.node_field_selector, now_str, event.output_parameters,
                                 event.phase, event.message)
    return state


def _store_workflow_template(state: WorkflowState, env: EngineEnv) -> WorkflowState:
    """``status.storedWorkflowTemplateSpec``: the referenced template's spec, taken once."""
    ref = state.spec.get("workflowTemplateRef")
    if not ref or state.stored_workflow_template_spec is not None:
        return state
    key = f"{'cluster' if ref.get('clusterScope') else 'namespaced'}/{ref.get('name', '')}"
    spec = env.workflow_templates.get(key)
    return state.with_(stored_workflow_template_spec=dict(spec)) if spec is not None else state


def step(state: WorkflowState, events: Sequence[Event], *, now: datetime,
         env: EngineEnv | None = None) -> tuple[WorkflowState, list[Action]]:
    """Fold ``events`` into ``state`` and run one reconcile; return the new state and actions.

    Expression functions see ``now`` as the time and ``env.random`` as their random source (when
    it is None, one seeded from the workflow's name and ``now``: the same step, the same values).
    """
    env = env or EngineEnv()
    random = env.random or sources.LazySeededRandom(lambda: f"{state.name}@{now.isoformat()}")
    # the cyclic collector is paused for the step: a step builds no reference cycles (tested), so
    # its garbage is freed by reference counts all the same, while the collector's passes over a
    # wide step's new objects (and the full collections they trigger) grew faster than the step
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        with sources.using(sources.Sources(now=lambda: now, random=random)):
            return _step(state, events, now, env)
    finally:
        if paused:
            gc.enable()


def _step(state: WorkflowState, events: Sequence[Event], now: datetime,
          env: EngineEnv) -> tuple[WorkflowState, list[Action]]:
    if state.completed:
        return state, []
    now_str = rfc3339(now)
    for event in events:
        if not isinstance(event, PodUpdate):
            try:
                state = apply_command(state, event, now_str)
            except ArgoctlError:
                continue  # the CLI checked it when it was queued; the state has moved on since

    state = _store_workflow_template(state, env)
    op = Operation(state, env, now)
    op.spec = merge_workflow_spec(state.stored_workflow_template_spec, state.spec)
    op.local_context = op.local_context.of(f"local/{op.wf_name}", op.spec)
    for event in events:
        if isinstance(event, PodUpdate):
            apply_pod_update(op, event, daemon=True)
            node = op.by_id(event.node_id)
            if node is not None and node.phase == ph.SUCCEEDED:
                op.add_outputs_to_globals(node.outputs)
    try:
        _operate(op)
    except Exception as exc:
        _mark_workflow(op, ph.ERROR, f"Workflow operation error: {type(exc).__name__}: {exc}")
    return _result(op), op.finish_actions()


def _mark_workflow(op: Operation, phase: str, message: str = "") -> None:
    if op.phase != phase:
        op.phase = phase
        labels = dict(op.metadata.get("labels") or {})
        labels[LABEL_PHASE] = phase
        labels.setdefault(LABEL_COMPLETED, "false")
        op.metadata["labels"] = labels
    if not op.started_at and phase != ph.PENDING:
        op.started_at = op.now_str
    op.message = one_line(message)
    if phase == ph.ERROR:
        root = op.get(op.wf_name)
        if root is not None and root.phase == ph.RUNNING:
            op.put(root.with_(phase=ph.ERROR, message="Workflow operation error"))
    if phase in ph.COMPLETED_PHASES:
        sync.release_all(op)
        op.finished_at = op.now_str
        labels = dict(op.metadata.get("labels") or {})
        labels[LABEL_COMPLETED] = "true"
        op.metadata["labels"] = labels
        op.conditions = ({"type": "PodRunning", "status": "False"}, {"type": "Completed", "status": "True"})


def _operate(op: Operation) -> None:
    op.phase, op.message = op.state.phase, op.state.message
    op.started_at, op.finished_at = op.state.started_at, op.state.finished_at
    op.conditions = op.state.conditions
    # a workflow still Pending has only waited for its workflow-level lock so far
    first = op.phase in ("", "Unknown", ph.PENDING)
    try:
        op.globals = global_variables(op.metadata, op.spec, op.outputs, op.env.config_maps, op.env.memos.globals)
    except GlobalParameterError as exc:
        _mark_workflow(op, ph.FAILED, f"failed to set global parameters: {exc}")
        return
    if first:
        if op.env.artifact_repository_error:
            _mark_workflow(op, ph.ERROR, f"failed to resolve artifact repository: {op.env.artifact_repository_error}")
            return
        if op.env.artifact_repository_ref and "artifactRepositoryRef" not in op.status_extra:
            op.status_extra["artifactRepositoryRef"] = dict(op.env.artifact_repository_ref)
    if op.spec.get("synchronization") and not _workflow_lock(op):
        return
    if first:
        _apply_workflow_metadata(op)
        _mark_workflow(op, ph.RUNNING)
    else:
        _apply_shutdown_and_deadline(op)
    _set_runtime_globals(op)
    if op.spec.get("suspend"):
        return
    sync.release_fulfilled(op)
    root = _execute_root(op)
    if root is not None:
        _finish(op, root)
    if op.phase not in ph.COMPLETED_PHASES and sync.release_fulfilled(op) and sync.has_waiting_nodes(op):
        op.requeue()  # a lock freed after the walk passed its waiters


def _workflow_lock(op: Operation) -> bool:
    """The workflow-level lock (Argo checks it on every reconcile): False while waiting for it."""
    try:
        refs = sync.lock_refs(op.spec["synchronization"], op.namespace)
        attempt = sync.try_acquire(op, sync.workflow_holder(op), refs)
    except sync.SyncError as exc:
        _mark_workflow(op, ph.FAILED, f"Failed to acquire the synchronization lock. {exc}")
        return False
    if attempt.acquired:
        return True
    strategy = op.shutdown_strategy()
    if strategy == "Terminate" and op.phase == ph.PENDING:
        _mark_workflow(op, ph.FAILED, f"Stopped with strategy '{strategy}'")
        return False
    _mark_workflow(op, op.phase if op.phase not in ("", "Unknown") else ph.PENDING, attempt.message)
    return False


def _apply_workflow_metadata(op: Operation) -> None:
    md = op.spec.get("workflowMetadata") or {}
    if not md:
        return
    labels = dict(op.metadata.get("labels") or {})
    labels.update({k: str(v) for k, v in (md.get("labels") or {}).items()})
    for key, source in (md.get("labelsFrom") or {}).items():
        value = expr.evaluate(str(source.get("expression", "")), op.globals)
        labels[key] = value if isinstance(value, str) else json.dumps(value)
        op.globals[f"workflow.labels.{key}"] = labels[key]
    op.metadata["labels"] = labels
    annotations = dict(op.metadata.get("annotations") or {})
    annotations.update({k: str(v) for k, v in (md.get("annotations") or {}).items()})
    if annotations:
        op.metadata["annotations"] = annotations


def _set_runtime_globals(op: Operation) -> None:
    op.globals["workflow.status"] = op.phase
    started = op.started_at
    seconds = (op.now - parse_time(started)).total_seconds() if started else 0.0
    op.globals["workflow.duration"] = f"{seconds:f}"


def _is_part_of_exit_handler(op: Operation, node: Node) -> bool:
    current: Node | None = node
    while current is not None and not current.display_name.endswith(".onExit"):
        if not current.boundary_id:
            return False
        current = op.by_id(current.boundary_id)
    return current is not None


def _apply_shutdown_and_deadline(op: Operation) -> None:
    """Kill pods and fail nodes on Stop/Terminate or past the workflow deadline (exec_control)."""
    strategy = op.shutdown_strategy()
    deadline_passed = op.workflow_deadline_passed()
    if not strategy and not deadline_passed:
        return
    for node in list(op.all_nodes().values()):
        node = op.by_id(node.id) or node
        if node.fulfilled:
            continue
        exit_part = _is_part_of_exit_handler(op, node)
        if node.type == ph.POD and node.extra.get("pod"):
            if strategy and not (strategy == "Stop" and exit_part):
                _fail_pod(op, node, f"workflow shutdown with strategy:  {strategy}")
                continue
            if deadline_passed and not exit_part:
                _fail_pod(op, node, DEADLINE_MESSAGE)
                continue
        if strategy and not (strategy == "Stop" and exit_part):
            waiting = node.synchronization_status and node.synchronization_status.get("waiting")
            if (node.type == ph.SUSPEND and node.phase in (ph.PENDING, ph.RUNNING)) or (
                waiting and node.phase == ph.PENDING
            ):
                op.mark_node(node, ph.FAILED, f"Stopped with strategy '{strategy}'")
                continue
            if node.type == ph.RETRY and op.children_fulfilled(node):
                op.mark_node(node, ph.FAILED, f"Stopped with strategy '{strategy}'")
                continue
        if deadline_passed and not exit_part and (
            node.phase == ph.PENDING or (node.type == ph.SUSPEND and node.phase == ph.RUNNING)
        ):
            op.mark_node(node, ph.FAILED, DEADLINE_MESSAGE)


def _fail_pod(op: Operation, node: Node, message: str) -> None:
    op.kill_pod(node, op.pod_name_of(node), message)
    op.mark_node(node, ph.FAILED, message)
    for child in op.children_of(node):
        if child.type == ph.CONTAINER and not child.fulfilled:
            op.mark_node(child, ph.FAILED, message)


def _execute_root(op: Operation) -> Node | None:
    entry = {"template": op.spec.get("entrypoint", "")}
    try:
        return execute_template(op, op.wf_name, entry, op.local_context, op.spec.get("arguments"), ExecOpts())
    except NodeFailure as exc:
        if op.phase not in ph.COMPLETED_PHASES:
            _mark_workflow(op, ph.ERROR, f"error in entry template execution: {exc.message}")
        return None
    except EngineSignal:
        return None


def _failures(op: Operation) -> str:
    if not op.index.unsuccessful:
        return '"null"'  # expr_go_quote(json.dumps(None)), the common case, without the marshalling
    failures = []
    for node in op.unsuccessful_nodes():
        failures.append({
            "displayName": node.display_name,
            "message": node.message,
            "templateName": node.template_ref.get("template", "") if node.template_ref else node.template_name,
            "phase": node.phase,
            "podName": op.pod_name_of(node),
            "finishedAt": node.finished_at,
        })
    text = json.dumps(failures if failures else None, separators=(",", ":"), ensure_ascii=False)
    return expr_go_quote(text)


def expr_go_quote(text: str) -> str:
    """Go's ``strconv.Quote``."""
    out = ['"']
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char == "\r":
            out.append("\\r")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\x{ord(char):02x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _finish(op: Operation, root: Node) -> None:
    status = _ROOT_TO_WORKFLOW.get(root.phase, ph.RUNNING)
    op.globals["workflow.status"] = status
    op.globals["workflow.failures"] = _failures(op)
    try:
        hooks_done = hooks.run_workflow_hooks(op, op.local_context)
    except ExpressionError as exc:
        op.mark_error(root.name, exc.render())
        hooks_done = True
    if not hooks_done or not root.fulfilled:
        return
    exit_node = _run_workflow_exit_handler(op)
    if exit_node is False:
        return
    root = op.get(op.wf_name) or root
    strategy = op.shutdown_strategy()
    message = f"Stopped with strategy '{strategy}'" if root.phase in ph.UNSUCCESSFUL_PHASES and strategy else root.message
    if op.has_daemoned_nodes():
        op.kill_daemoned_children("")
        return
    if status == ph.SUCCEEDED:
        if isinstance(exit_node, Node) and exit_node.phase == ph.FAILED:
            _mark_workflow(op, ph.FAILED, exit_node.message)
        elif isinstance(exit_node, Node) and exit_node.phase == ph.ERROR:
            _mark_workflow(op, ph.ERROR, exit_node.message)
        else:
            _mark_workflow(op, ph.SUCCEEDED)
    elif status in (ph.FAILED, ph.ERROR):
        _mark_workflow(op, status, message)


def _run_workflow_exit_handler(op: Operation) -> Node | bool | None:
    """The ``<wf>.onExit`` node; False while it is still running."""
    hook = hooks.exit_hook(op.spec, op.spec.get("arguments"))
    if hook is None:
        return None
    name = f"{op.wf_name}.onExit"
    existing = op.get(name)
    if existing is None and not op.should_run_exit_handlers():
        return None
    holder = {k: hook[k] for k in ("template", "templateRef") if hook.get(k)}
    try:
        node = execute_template(op, name, holder, op.local_context, hook.get("arguments"),
                                ExecOpts(on_exit=True, node_flag={"hooked": True}))
    except NodeFailure as exc:
        if op.phase not in ph.COMPLETED_PHASES:
            _mark_workflow(op, ph.ERROR, f"error in exit template execution : {exc.message}")
        return False
    except EngineSignal:
        return False
    if not node.fulfilled:
        return False
    return node


def _result(op: Operation) -> WorkflowState:
    metadata = dict(op.metadata)
    return op.state.with_(
        metadata=metadata,
        spec=op.state_spec(),
        phase=op.phase,
        message=op.message,
        started_at=op.started_at,
        finished_at=op.finished_at,
        nodes=op.hand_over_nodes(),
        outputs=op.outputs,
        stored_templates=op.stored_templates,
        conditions=tuple(op.conditions),
        status_extra=op.status_extra,
        outbox=tuple(op.state.outbox) + tuple(op.outbox),
    )
