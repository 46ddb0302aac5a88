"""API errors with the Status bodies a real API server sends."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


class ApiError(Exception):
    """An error answered as a ``Status`` object with an HTTP code."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        details: JSON | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = headers or {}

    def status_body(self) -> JSON:
        body: JSON = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details is not None:
            body["details"] = self.details
        return body


def qualified(plural: str, group: str) -> str:
    """``pods`` for the core group, ``leases.coordination.k8s.io`` otherwise."""
    return f"{plural}.{group}" if group else plural


def _details(plural: str, group: str, name: str) -> JSON:
    details: JSON = {"name": name, "kind": plural}
    if group:
        details["group"] = group
    return details


def not_found(plural: str, group: str, name: str) -> ApiError:
    return ApiError(404, "NotFound", f'{qualified(plural, group)} "{name}" not found', _details(plural, group, name))


def already_exists(plural: str, group: str, name: str) -> ApiError:
    message = f'{qualified(plural, group)} "{name}" already exists'
    return ApiError(409, "AlreadyExists", message, _details(plural, group, name))


def conflict(plural: str, group: str, name: str, why: str = "") -> ApiError:
    why = why or "the object has been modified; please apply your changes to the latest version and try again"
    message = f'Operation cannot be fulfilled on {qualified(plural, group)} "{name}": {why}'
    return ApiError(409, "Conflict", message, _details(plural, group, name))


def invalid(kind: str, group: str, name: str, causes: list[JSON]) -> ApiError:
    """422 Invalid; each cause has ``field``, ``message`` and ``reason`` (e.g. FieldValueRequired)."""
    summary = ", ".join(f"{c['field']}: {c['message']}" if c.get("field") else c["message"] for c in causes)
    if len(causes) > 1:
        summary = f"[{summary}]"
    details: JSON = {"name": name, "kind": kind, "causes": causes}
    if group:
        details["group"] = group
    return ApiError(422, "Invalid", f'{kind} "{name}" is invalid: {summary}', details)


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def method_not_allowed(message: str = "the server does not allow this method on the requested resource") -> ApiError:
    return ApiError(405, "MethodNotAllowed", message)


def unsupported_media_type(content_type: str) -> ApiError:
    return ApiError(415, "UnsupportedMediaType", f'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got "{content_type}")')


def gone(message: str) -> ApiError:
    return ApiError(410, "Expired", message)


def forbidden(verb: str, plural: str, group: str, namespace: str | None, name: str | None) -> ApiError:
    target = qualified(plural, group) + (f' "{name}"' if name else "")
    resource = plural.split("/")[0]
    sub = plural.split("/")[1] if "/" in plural else ""
    where = f' in the namespace "{namespace}"' if namespace else " at the cluster scope"
    message = (
        f'{target} is forbidden: User "fake-user" cannot {verb} resource "{resource}"'
        + (f' in subresource "{sub}"' if sub else "")
        + f' in API group "{group}"{where}'
    )
    details: JSON = {"kind": resource}
    if name:
        details["name"] = name
    if group:
        details["group"] = group
    return ApiError(403, "Forbidden", message, details)


def server_error(code: int, message: str = "", retry_after: int | None = None) -> ApiError:
    """A 5xx or 429 answer as injected by a fault."""
    reasons = {429: "TooManyRequests", 500: "InternalError", 503: "ServiceUnavailable", 504: "Timeout"}
    reason = reasons.get(code, "InternalError")
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    details: JSON | None = {"retryAfterSeconds": retry_after} if retry_after is not None else None
    return ApiError(code, reason, message or f"fakecluster: injected {code}", details, headers)
