"""``retryStrategy``: Argo's ``processNodeRetries`` (limit, policy, expression, backoff)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from argoctl import expr
from argoctl.engine.operation import Operation
from argoctl.errors import ExpressionError
from argoctl.model import phases as ph
from argoctl.model.node import Node
from argoctl.model.timefmt import humanize_duration, parse_duration, parse_time

JSON = dict[str, Any]

_TRANSIENT = re.compile(
    r"exceeded quota|too many requests|connection reset|connection refused|i/o timeout|"
    r"TLS handshake timeout|unexpected EOF|\bEOF\b|no such host|leader changed|transport is closing|"
    r"the server is currently unable|ServerTimeout|Timeout: request did not complete",
    re.IGNORECASE,
)


class RetryError(Exception):
    pass


def policy(strategy: Mapping[str, Any]) -> str:
    if strategy.get("retryPolicy"):
        return str(strategy["retryPolicy"])
    return "OnFailure" if not strategy.get("expression") else "Always"


def releases_on_error(strategy: Mapping[str, Any]) -> bool:
    """Whether an execution error ends the retry node (policies that ignore Error do)."""
    return policy(strategy) not in ("Always", "OnError", "OnTransientError")


def attempts(op: Operation, retry_node: Node) -> tuple[list[str], Node | None]:
    """The attempt children (hook nodes excluded) and the last attempt."""
    ids: list[str] = []
    last: Node | None = None
    for child_id in retry_node.children:
        child = op.by_id(child_id)
        if child is None or child.hooked:
            continue
        ids.append(child_id)
        last = child
    return ids, last


def _duration_of(node: Node, now: datetime) -> float:
    if not node.started_at:
        return 0.0
    end = parse_time(node.finished_at) if node.finished_at else now
    return (end - parse_time(node.started_at)).total_seconds()


def last_retry_variables(last: Node | None, now: datetime) -> dict[str, str]:
    exit_code, duration, status, message = "0", "0", "", ""
    if last is not None:
        if last.outputs and last.outputs.get("exitCode") is not None:
            exit_code = str(last.outputs["exitCode"])
        status = last.phase
        duration = _go_float(_duration_of(last, now))
        message = last.message
    return {
        "lastRetry.exitCode": exit_code,
        "lastRetry.duration": duration,
        "lastRetry.status": status,
        "lastRetry.message": message,
    }


def _go_float(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return repr(value)


def _expression_scope(op: Operation, retry_node: Node) -> dict[str, str]:
    ids, last = attempts(op, retry_node)
    if last is None or not ids:
        return {}
    scope = last_retry_variables(last, op.now)
    if not (last.outputs and last.outputs.get("exitCode") is not None):
        scope["lastRetry.exitCode"] = "-1"
    scope["retries"] = str(len(ids) - 1)
    return scope


def _int(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise RetryError(f'strconv.Atoi: parsing "{value}": invalid syntax') from exc


def process(op: Operation, node: Node, strategy: Mapping[str, Any]) -> tuple[Node, bool, datetime | None]:
    """Decide a Retry node's fate: (node, continue execution, execution deadline)."""
    if node.fulfilled:
        return node, True, None
    ids, last = attempts(op, node)
    if not ids or last is None:
        return node, True, None
    if last.daemoned:
        node = op.put(node.with_(daemoned=True))
    if not last.fulfilled:
        if last.daemoned:
            node = op.put(op.mark_node(node, last.phase).with_(daemoned=True))
        return node, True, None
    if last.phase not in ph.UNSUCCESSFUL_PHASES:
        node = op.put(node.with_(outputs=last.outputs))
        return op.mark_node(node, ph.SUCCEEDED), True, None
    shutdown = op.shutdown_strategy()
    if shutdown or op.workflow_deadline_passed():
        message = (f"Stopped with strategy '{shutdown}'" if shutdown
                   else f"retry exceeded workflow deadline {op.workflow_deadline_text()}")
        return op.mark_node(node, last.phase, message), True, None
    deadline: datetime | None = None
    backoff = strategy.get("backoff")
    if backoff is not None:
        result = _backoff(op, node, last, ids, strategy, backoff)
        if isinstance(result, Node):
            return result, result.fulfilled, None
        deadline = result
        node = op.get(node.name) or node
    retry_policy = policy(strategy)
    on_failed = retry_policy in ("Always", "OnFailure")
    on_error = retry_policy in ("Always", "OnError")
    if retry_policy == "OnTransientError":
        on_failed = on_error = bool(_TRANSIENT.search(last.message or ""))
    elif retry_policy not in ("Always", "OnFailure", "OnError"):
        raise RetryError(f"{retry_policy} is not a valid RetryPolicy")
    if (last.phase == ph.FAILED and not on_failed) or (last.phase == ph.ERROR and not on_error):
        return op.mark_node(node, last.phase, last.message), True, None
    limit = _int(strategy.get("limit"))
    if limit is not None and len(ids) > limit:
        return op.mark_node(node, last.phase, "No more retries left"), True, None
    expression = strategy.get("expression")
    if expression:
        try:
            keep_going = expr.evaluate_bool(str(expression), _expression_scope(op, node))
        except ExpressionError as exc:
            raise RetryError(exc.render()) from exc
        if not keep_going:
            return op.mark_node(node, last.phase, "retryStrategy.expression evaluated to false"), True, None
    return node, True, deadline


def _backoff(op: Operation, node: Node, last: Node, ids: list[str], strategy: Mapping[str, Any],
             backoff: Mapping[str, Any]) -> Node | datetime | None:
    """A Node when the retry is decided (ended or waiting), else the max-duration deadline."""
    max_deadline: datetime | None = None
    if backoff.get("maxDuration"):
        first = op.by_id(ids[0])
        if first is not None and first.started_at:
            max_deadline = parse_time(first.started_at) + timedelta(seconds=parse_duration(backoff["maxDuration"]))
            if op.now > max_deadline:
                return op.mark_node(node, last.phase, "Max duration limit exceeded")
    if not backoff.get("duration"):
        raise RetryError("no base duration specified for retryStrategy")
    wait = parse_duration(backoff["duration"])
    factor = _int(backoff.get("factor"))
    if factor is not None and factor > 0:
        wait = wait * math.pow(factor, len(ids) - 1)
    if backoff.get("cap"):
        wait = min(wait, parse_duration(backoff["cap"]))
    finished = parse_time(last.finished_at) if last.finished_at else op.now
    waiting_until = finished + timedelta(seconds=wait)
    if max_deadline is not None and waiting_until > max_deadline:
        return op.mark_node(node, last.phase, "Backoff would exceed max duration limit")
    limit = _int(strategy.get("limit"))
    if op.now < waiting_until and limit is not None and len(ids) <= limit:
        op.wake_at(waiting_until)
        return op.mark_node(node, node.phase, f"Backoff for {humanize_duration(wait)}")
    op.mark_node(node, node.phase, "")
    return max_deadline
