"""Parse a request path and method into what it asks for: a non-resource path (discovery,
/version) or a resource request with its verb, group/version/resource, namespace, name and
subresource, as the API server's RequestInfo does."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

_TRUE = ("1", "true", "True")


@dataclass(frozen=True)
class RequestInfo:
    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    resource_request: bool = False
    verb: str = ""
    group: str = ""
    version: str = ""
    namespace: str | None = None
    plural: str = ""
    name: str | None = None
    subresource: str = ""

    def param(self, key: str, default: str | None = None) -> str | None:
        values = self.query.get(key)
        return values[-1] if values else default

    def flag(self, key: str) -> bool:
        return self.param(key, "") in _TRUE

    def int_param(self, key: str) -> int | None:
        value = self.param(key)
        if value in (None, ""):
            return None
        try:
            return int(str(value))
        except ValueError:
            from tests.fakecluster.errors import bad_request

            raise bad_request(f"invalid value for {key}: {value!r}") from None

    @property
    def resource(self) -> str:
        """``pods`` or ``pods/log``, as RBAC names it; the path for non-resource requests."""
        if not self.resource_request:
            return self.path
        return f"{self.plural}/{self.subresource}" if self.subresource else self.plural


def _verb(method: str, has_name: bool, watch: bool) -> str:
    if method in ("GET", "HEAD"):
        if watch:
            return "watch"
        return "get" if has_name else "list"
    if method == "POST":
        return "create"
    if method == "PUT":
        return "update"
    if method == "PATCH":
        return "patch"
    if method == "DELETE":
        return "delete" if has_name else "deletecollection"
    return method.lower()


def parse_request(method: str, raw_path: str) -> RequestInfo:
    split = urlsplit(raw_path)
    path = split.path.rstrip("/") or "/"
    query = parse_qs(split.query, keep_blank_values=True)
    parts = [p for p in path.split("/") if p]
    if len(parts) >= 2 and parts[0] == "api":
        group, version, rest = "", parts[1], parts[2:]
    elif len(parts) >= 3 and parts[0] == "apis":
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        rest = []
    if not rest:
        return RequestInfo(method, path, query, verb="get" if method == "GET" else method.lower())
    legacy_watch = rest[0] == "watch"
    if legacy_watch:
        rest = rest[1:]
    namespace = None
    if len(rest) >= 3 and rest[0] == "namespaces" and not (len(rest) == 3 and rest[2] in ("status", "finalize")):
        namespace, rest = rest[1], rest[2:]
    if not rest or len(rest) > 3:
        return RequestInfo(method, path, query, verb=method.lower())
    plural = rest[0]
    name = rest[1] if len(rest) > 1 else None
    subresource = rest[2] if len(rest) > 2 else ""
    watch = legacy_watch or query.get("watch", [""])[-1] in _TRUE
    verb = _verb(method, name is not None, watch and not subresource)
    return RequestInfo(method, path, query, True, verb, group, version, namespace, plural, name, subresource)
