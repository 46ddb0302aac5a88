"""``execute_template``: resolve, process arguments, check limits, memoize, retry, dispatch.

This mirrors the order of Argo's ``executeTemplate`` (argo-semantics §5.6a step 6) so that node
names, phases and messages come out the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from argoctl.engine import retries
from argoctl.engine.args import ArgumentError, process_args, substitute_params
from argoctl.engine.call import Call, ExecOpts
from argoctl.engine.errors import (
    NodeFailure,
    ParallelismReached,
    TimeoutExceeded,
)
from argoctl.engine.operation import Operation
from argoctl.engine.templates import (
    POD_TYPES,
    TemplateContext,
    TemplateError,
    inputs_of,
    is_pod_type,
    merge_template_defaults,
    resolve,
    template_type,
)
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node
from argoctl.model.records import replace
from argoctl.model.timefmt import parse_duration, parse_time

JSON = dict[str, Any]
__all__ = ["Call", "ExecOpts", "execute_template", "run_boundary"]
_DISPLAY_NAME_ANNOTATION = "workflows.argoproj.io/display-name"
_FAILFAST_MESSAGE = "template has failed or errored children and failFast enabled"


def _error_node(call: Call, message: str) -> Node:
    if call.node is not None:
        return call.op.mark_error(call.name, message)
    return call.op.init_skipped(call.name, call.holder, ph.ERROR, call.at, message)


def retry_strategy(op: Operation, tmpl: Mapping[str, Any]) -> JSON | None:
    strategy = tmpl.get("retryStrategy")
    if strategy is not None:
        return dict(strategy)
    default = op.spec.get("retryStrategy")
    return dict(default) if default is not None else None


def execute_template(
    op: Operation,
    name: str,
    holder: Mapping[str, Any],
    ctx: TemplateContext,
    args: Mapping[str, Any] | None,
    opts: ExecOpts,
) -> Node:
    """Run (or continue) the node ``name`` for ``holder``; raise an EngineSignal when blocked."""
    node = op.get(name)
    if node is not None and node.fulfilled:
        return node
    op.stack_depth += 1
    try:
        return _execute(Call(op, name, holder, ctx, opts, node), args)
    finally:
        op.stack_depth -= 1


def _execute(call: Call, args: Mapping[str, Any] | None) -> Node:
    op, name, node, opts = call.op, call.name, call.node, call.opts
    if op.stack_depth >= op.env.max_stack_depth:
        message = "Maximum recursion depth exceeded. See https://argo-workflows.readthedocs.io/en/latest/scaling/#maximum-recursion-depth"
        _error_node(call, message)
        raise ParallelismReached(message)
    new_ctx, processed = _resolve(call, args)
    if node is not None:
        node = _apply_display_name(op, node, processed)
        if node.fulfilled:
            return node
    node = _check_timeouts(op, node, name, processed)
    _check_parallelism(op, processed, node, opts.boundary_id)
    unlocked = False
    if processed.get("synchronization"):
        waiting = node is not None and bool(node.synchronization_status)
        node = _acquire_locks(replace(call, node=node, tmpl=processed))
        if node is not None and node.synchronization_status:
            return node
        unlocked = waiting
    if processed.get("memoize") and (node is None or unlocked):
        node = _memoized_node(replace(call, tmpl=processed))
        if node is not None and node.fulfilled:
            _release_locks(op, name, processed)
            return node
    if node is not None and node.fulfilled:
        return node
    strategy = retry_strategy(op, processed)
    call = replace(call, node=node, new_ctx=new_ctx, tmpl=processed)
    try:
        result = _dispatch(call) if strategy is None else _execute_with_retries(call, args, strategy)
    except NodeFailure:
        _release_locks(op, name, processed)
        raise
    _release_locks(op, name, processed)
    return _apply_display_name(op, op.get(name) or result, processed)


def _resolve(call: Call, args: Mapping[str, Any] | None) -> tuple[TemplateContext, JSON]:
    """The template ``call.holder`` names, with the template defaults and its arguments applied,
    and the context its own references resolve in (an errored node when that fails)."""
    op = call.op
    try:
        new_ctx, tmpl = resolve(call.ctx, call.holder, op.env.workflow_templates, op.stored_templates)
        tmpl = merge_template_defaults(tmpl, op.spec.get("templateDefaults"))
        local = _local_params(op, call.name, call.holder, tmpl)
        return new_ctx, process_args(tmpl, args, op.globals, local, op.env.config_maps, op.env.memos.args)
    except (TemplateError, ArgumentError) as exc:
        err = _error_node(call, str(exc))
        raise NodeFailure(err, str(exc)) from exc


_NODE_TYPES = {"steps": ph.STEPS, "dag": ph.DAG, "suspend": ph.SUSPEND}


def _acquire_locks(call: Call) -> Node | None:
    """Template-level ``synchronization``: take every lock for this node or leave it Pending,
    waiting, with Argo's message (the node is created if it does not exist yet)."""
    from argoctl.engine import sync

    op, name, node, tmpl = call.op, call.name, call.node, call.tmpl
    try:
        refs = sync.lock_refs(tmpl["synchronization"], op.namespace)
        attempt = sync.try_acquire(op, sync.node_holder(op, op.node_id(name)), refs)
    except sync.SyncError as exc:
        err = _error_node(call, str(exc))
        raise NodeFailure(err, str(exc)) from exc
    if attempt.acquired:
        return sync.mark_acquired(op, node) if node is not None else None
    if node is None:
        # a retried template waits as its Retry node (Argo makes it the template's node type)
        kind = ph.RETRY if retry_strategy(op, tmpl) is not None else _NODE_TYPES.get(template_type(tmpl), ph.POD)
        node = op.init_node(name, kind, call.holder, ph.PENDING, call.at, inputs=inputs_of(tmpl))
    return sync.mark_waiting(op, node, attempt)


def _release_locks(op: Operation, name: str, tmpl: Mapping[str, Any]) -> None:
    """A node that holds template-level locks gives them back once it is fulfilled."""
    if not tmpl.get("synchronization"):
        return
    node = op.get(name)
    if node is not None and node.fulfilled:
        from argoctl.engine import sync

        if sync.release(op, sync.node_holder(op, node.id)) and sync.has_waiting_nodes(op):
            op.requeue()


def _local_params(op: Operation, name: str, holder: Mapping[str, Any], tmpl: Mapping[str, Any]) -> JSON:
    local: JSON = {"node.name": name}
    if is_pod_type(tmpl) and retry_strategy(op, tmpl) is None:
        local["pod.name"] = op.pod_name(name, str(tmpl.get("name", "")))
    # Argo's executeTemplate: a DAG task sets tasks.name; every other holder is a WorkflowStep
    # (the entrypoint, onExit and hooks are ``WorkflowStep{Template: ...}`` with no name), so
    # steps.name is set, to "" outside a steps template
    if holder.get("_kind") == "task":
        local["tasks.name"] = holder.get("name", "")
    else:
        local["steps.name"] = holder.get("name", "")
    return local


def _apply_display_name(op: Operation, node: Node, tmpl: Mapping[str, Any]) -> Node:
    annotations = tmpl.get("annotations") or {}
    wanted = annotations.get(_DISPLAY_NAME_ANNOTATION) if isinstance(annotations, Mapping) else None
    if wanted and wanted != node.display_name:
        return op.put(node.with_(display_name=str(wanted)))
    return node


def _check_timeouts(op: Operation, node: Node | None, name: str, tmpl: Mapping[str, Any]) -> Node | None:
    if node is None or not node.started_at:
        return node
    started = parse_time(node.started_at)
    deadlines = []
    for key, pending_only in (("timeout", False), ("pendingTimeout", True)):
        value = tmpl.get(key)
        if not value or (pending_only and node.phase != ph.PENDING):
            continue
        deadline = started + timedelta(seconds=parse_duration(value))
        if node.phase == ph.PENDING and op.now > deadline:
            if node.type == ph.POD:
                op.kill_pod(node, op.pod_name(node.name, node_template_name(node)), "timeout")
            op.mark_phase(name, ph.FAILED, "timeout")
            raise TimeoutExceeded("timeout")
        deadlines.append(deadline)
    for deadline in deadlines:
        op.wake_at(deadline)
    return node


def node_template_name(node: Node) -> str:
    if node.template_ref:
        return str(node.template_ref.get("template", ""))
    return node.template_name


def _check_parallelism(op: Operation, tmpl: Mapping[str, Any], node: Node | None, boundary_id: str) -> None:
    limit = op.spec.get("parallelism")
    if limit is not None and op.active_pods() >= int(limit):
        raise ParallelismReached()
    kind = template_type(tmpl)
    if node is not None and kind in ("dag", "steps"):
        _fail_fast_or_limit(op, tmpl, node, node.id, active_pods=True)
    if boundary_id and (node is None or node.phase not in (ph.PENDING, ph.RUNNING)):
        boundary = op.peek(boundary_id)  # its name and phase only
        btmpl = op.boundary_template(boundary_id)
        if boundary is not None and btmpl is not None:
            _fail_fast_or_limit(op, btmpl, boundary, boundary_id, active_pods=False)


def _fail_fast_or_limit(op: Operation, tmpl: Mapping[str, Any], node: Node, boundary_id: str,
                        *, active_pods: bool) -> None:
    if tmpl.get("failFast") and op.unsuccessful_children(boundary_id) > 0:
        if op.active_pods(boundary_id) == 0:
            if template_type(tmpl) == "steps":
                leaf = op.last_node_of_type(boundary_id, ph.STEP_GROUP)
                if leaf is not None:
                    op.mark_node(leaf, ph.FAILED, _FAILFAST_MESSAGE)
            op.mark_phase(node.name, ph.FAILED, _FAILFAST_MESSAGE)
            op.requeue()
        raise ParallelismReached()
    limit = tmpl.get("parallelism")
    if limit is None:
        return
    used = op.active_pods(boundary_id) if active_pods else op.active_children(boundary_id)
    if used >= int(limit):
        raise ParallelismReached()


def _memoized_node(call: Call) -> Node | None:
    from argoctl.engine import memo

    return memo.lookup(call)


def _execute_with_retries(call: Call, args: Mapping[str, Any] | None, strategy: JSON) -> Node:
    op, name, holder, ctx, tmpl, opts = call.op, call.name, call.holder, call.ctx, call.tmpl, call.opts
    retry_node = call.node
    if retry_node is None:
        retry_node = op.init_node(name, ph.RETRY, holder, ph.RUNNING, call.at, inputs=inputs_of(tmpl))
    flag = dict(opts.node_flag or {})
    flag["retried"] = True
    opts = replace(opts, node_flag=flag)
    try:
        retry_node, proceed, deadline = retries.process(op, retry_node, strategy)
    except retries.RetryError as exc:
        err = op.mark_error(name, str(exc))
        raise NodeFailure(err, str(exc)) from exc
    if not proceed:
        return retry_node
    if deadline is not None:
        opts = replace(opts, execution_deadline=deadline)
    attempts, last = retries.attempts(op, retry_node)
    if retry_node.fulfilled and (op.children_fulfilled(retry_node) or (retry_node.daemoned and retry_node.phase in ph.UNSUCCESSFUL_PHASES)):
        if last is not None:
            retry_node = op.put(retry_node.with_(outputs=last.outputs))
        return retry_node
    if last is not None and not last.fulfilled:
        child_name, child, retry_num = last.name, last, len(attempts) - 1
    else:
        retry_num = len(attempts)
        child_name, child = f"{name}({retry_num})", None
        op.add_child(name, child_name)
    local = {"node.name": child_name, "retries": str(retry_num), **retries.last_retry_variables(last, op.now)}
    if is_pod_type(tmpl):
        local["pod.name"] = op.pod_name(child_name, str(tmpl.get("name", "")))
    try:
        attempt_tmpl = substitute_params(tmpl, op.globals, local)
    except ArgumentError as exc:
        err = _error_node(replace(call, name=child_name, node=child, opts=opts), str(exc))
        raise NodeFailure(err, str(exc)) from exc
    try:
        child = _dispatch(replace(call, name=child_name, node=child, tmpl=attempt_tmpl, opts=opts))
    except NodeFailure:
        if retries.releases_on_error(strategy):
            raise
        child = op.get(child_name)
    retry_node = op.get(name) or retry_node
    if child is not None and not retry_node.fulfilled and child.fulfilled:
        return execute_template(op, name, holder, ctx, args, replace(opts, node_flag=opts.node_flag))
    if child is not None and not child.fulfilled and child.daemoned:
        retry_node = op.put(op.mark_node(retry_node, child.phase).with_(daemoned=True))
    return retry_node



def run_boundary(call: Call, node_type: str, body: Callable[[Node], Node]) -> Node:
    """A steps or DAG node: created Running, its template remembered for its children, the
    ``body`` run, and its daemoned children killed once it is fulfilled."""
    op, name, node, tmpl = call.op, call.name, call.node, call.tmpl
    if node is None:
        node = op.init_node(name, node_type, call.holder, ph.RUNNING, call.at, inputs=inputs_of(tmpl))
    op.remember_boundary_template(node.id, tmpl)
    try:
        return body(node)
    finally:
        current = op.get(name)
        if current is not None and current.fulfilled:
            op.kill_daemoned_children(current.id)


_RUNNERS: dict[str, Callable[[Call], Node]] = {}


def _runners() -> dict[str, Callable[[Call], Node]]:
    """Each runnable template kind's executor (imported on first use: they import this module;
    a function-level import on every dispatch costs more than the rest of it)."""
    if not _RUNNERS:
        from argoctl.engine import dag, pods, steps, suspend

        _RUNNERS.update(dict.fromkeys(POD_TYPES, pods.execute_pod))
        _RUNNERS.update(steps=steps.execute_steps, dag=dag.execute_dag, suspend=suspend.execute_suspend)
    return _RUNNERS


def _dispatch(call: Call) -> Node:
    tmpl = call.tmpl
    kind = template_type(tmpl)
    try:
        runner = _runners().get(kind)
        if runner is not None:
            return runner(call)
        if kind in ("http", "plugin"):
            message = f"{kind} templates are not supported by argoctl yet (template '{tmpl.get('name', '')}')"
        else:
            message = f"Template '{tmpl.get('name', '')}' missing specification"
    except (ArgumentError, TemplateError) as exc:
        message = str(exc)
    except ExpressionError as exc:
        message = exc.render()
    err = _error_node(replace(call, node=call.op.get(call.name)), message)
    raise NodeFailure(err, message)
