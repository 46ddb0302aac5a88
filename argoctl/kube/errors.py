"""Kubernetes API answers mapped onto argoctl's error tree, with messages a user can act on.

404 -> NotFoundError, 409 -> ConflictError, 403 -> ClusterError naming the verb and resource
to add to the Role, 410 -> Gone (a watch must re-list), 400/422 -> Invalid (exit 2),
429/5xx/connection errors -> transient ClusterError (exit 3 once retries are spent).
"""

from __future__ import annotations

import json
from typing import Any

from argoctl.errors import ArgoctlError, ClusterError, ConflictError, ExitCode, NotFoundError
from argoctl.kube.paths import ResourcePath, parse, verb_of

TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})


class Gone(ClusterError):
    """410: the watch's resourceVersion is older than the server's history; list again."""


class Invalid(ClusterError):
    """400/422: the API server rejected the object (bad input, exit 2)."""

    exit_code = ExitCode.USAGE


def status_message(body: bytes) -> tuple[str, dict[str, Any]]:
    """The ``message`` and ``details`` of a ``Status`` body (the raw text when it is not one)."""
    try:
        status = json.loads(body)
    except ValueError:
        return body.decode(errors="replace").strip(), {}
    if not isinstance(status, dict):
        return str(status), {}
    details = status.get("details")
    return str(status.get("message") or status.get("reason") or ""), details if isinstance(details, dict) else {}


def forbidden(method: str, path: str, server_message: str, *, watch: bool = False) -> ClusterError:
    target = parse(path)
    verb = verb_of(method, target, watch=watch)
    return ClusterError(forbidden_text(verb, target), status=403,
                        hint=server_message or "ask your cluster admin for the permission")


def forbidden_text(verb: str, target: ResourcePath) -> str:
    where = f'in namespace "{target.namespace}"' if target.namespace else "at the cluster scope"
    group = f' (apiGroup "{target.group}")' if target.group else ""
    role = "Role" if target.namespace else "ClusterRole"
    return (f"forbidden: cannot {verb} {target.qualified} {where}; "
            f'add verb "{verb}" on "{target.rbac_resource}"{group} to your {role}')


def from_response(status: int, body: bytes, method: str, path: str, *, watch: bool = False,
                  server: str = "") -> ArgoctlError:
    """The error for a non-2xx answer."""
    message, details = status_message(body)
    if status == 404:
        return NotFoundError(message or f"{parse(path).qualified} not found")
    if status == 409:
        return ConflictError(message)
    if status == 403:
        return forbidden(method, path, message, watch=watch)
    if status == 401:
        return ClusterError(f"unauthorized: the API server at {server} rejected the credentials",
                            status=401, hint="check the user of your kubeconfig context, or log in again")
    if status == 410:
        return Gone(message or "the resourceVersion is too old", status=410)
    if status in (400, 422):
        causes = details.get("causes") or []
        fields = "; ".join(f"{c.get('field', '')}: {c.get('message', '')}" for c in causes if isinstance(c, dict))
        return Invalid(message, status=status, hint=fields)
    transient = status in TRANSIENT_STATUSES
    return ClusterError(f"the API server answered {status} to {method} {path}: {message}",
                        status=status, transient=transient,
                        hint="the cluster may be overloaded; try again" if transient else "")


def unreachable(server: str, reason: object) -> ClusterError:
    return ClusterError(f"cannot reach the Kubernetes API server at {server}: {reason}",
                        transient=True,
                        hint="check that the cluster is running and that --kubeconfig/--context point at it")
