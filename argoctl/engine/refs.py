"""Resolving a step's or task's references against its scope (Argo's ``resolveReferences``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl import expr
from argoctl.engine.loops import should_expand
from argoctl.engine.scope import Scope, resolve_artifact
from argoctl.errors import ExpressionError, UnresolvedVariableError

JSON = dict[str, Any]
STRICT = ("steps", "tasks")


class ReferenceError_(Exception):
    """A reference that can never resolve; the step group / task errors with this message."""


def _is_missing(exc: ExpressionError) -> bool:
    return isinstance(exc, UnresolvedVariableError) or exc.reason.startswith("failed to resolve")


def evaluate_when(when: str) -> bool:
    return expr.evaluate_when(when)


def loop_when(step: Mapping[str, Any]) -> bool | None:
    """A looped step's ``when`` as known before expansion: None when absent or not yet decidable."""
    when = step.get("when")
    if not when:
        return None
    try:
        return evaluate_when(str(when))
    except ExpressionError:
        return None


def resolve_step(step: Mapping[str, Any], scope: Scope, globals_: Mapping[str, Any]) -> JSON:
    """Substitute ``when`` first (stop there if false), then the whole step and its artifacts."""
    hooks = step.get("hooks")
    body = {k: v for k, v in step.items() if k != "hooks"}
    merged = scope.merged(globals_)
    when = body.get("when")
    if when:
        try:
            resolved_when = expr.substitute(str(when), merged, strict_prefixes=STRICT)
        except ExpressionError as exc:
            if _is_missing(exc):
                raise ReferenceError_(exc.render()) from exc
            raise
        try:
            proceed = expr.evaluate_when(resolved_when)
        except ExpressionError:
            if not should_expand(body):
                raise
        else:
            if not proceed:
                body["when"] = resolved_when
                if hooks is not None:
                    body["hooks"] = hooks
                return body
    body["arguments"] = scope.mark_absent_args(body.get("arguments"))
    try:
        new: JSON = expr.substitute_object(body, merged, strict_prefixes=STRICT)
    except ExpressionError as exc:
        if _is_missing(exc):
            raise ReferenceError_(exc.render()) from exc
        raise
    if hooks is not None:
        new["hooks"] = hooks
    args = new.get("arguments") or {}
    if args.get("artifacts"):
        artifacts = []
        for art in args["artifacts"]:
            if not art.get("from") and not art.get("fromExpression"):
                artifacts.append(art)
                continue
            try:
                resolved = resolve_artifact(art, scope)
            except ExpressionError as exc:
                if art.get("optional"):
                    continue
                raise ReferenceError_(f"unable to resolve references: {exc.reason}") from exc
            if resolved is None:
                continue
            resolved["name"] = art.get("name")
            artifacts.append(resolved)
        new["arguments"] = {**args, "artifacts": artifacts}
    return new
