"""API paths: what a request path names (group, resource, namespace, name, subresource) and
which RBAC verb a request needs. Pure; used for error messages and the RBAC preflight."""

from __future__ import annotations

from typing import NamedTuple


class ResourcePath(NamedTuple):
    group: str = ""
    version: str = ""
    resource: str = ""  # plural: pods, configmaps, leases
    namespace: str = ""
    name: str = ""
    subresource: str = ""  # log, status, eviction

    @property
    def qualified(self) -> str:
        """``pods``, ``pods/log``, ``leases.coordination.k8s.io``."""
        plural = f"{self.resource}/{self.subresource}" if self.subresource else self.resource
        return f"{plural}.{self.group}" if self.group else plural

    @property
    def rbac_resource(self) -> str:
        """As a Role's ``resources`` entry names it: ``pods``, ``pods/log``, ``leases``."""
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource


def parse(path: str) -> ResourcePath:
    """``/api/v1/namespaces/ns/pods/p/log`` -> group "", resource pods, namespace ns, name p, sub log."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    if parts[:1] == ["api"] and len(parts) >= 2:
        group, version, rest = "", parts[1], parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        return ResourcePath()
    namespace = ""
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    elif len(rest) == 2 and rest[0] == "namespaces":
        return ResourcePath(group, version, "namespaces", name=rest[1])
    resource = rest[0] if rest else ""
    name = rest[1] if len(rest) > 1 else ""
    subresource = rest[2] if len(rest) > 2 else ""
    return ResourcePath(group, version, resource, namespace, name, subresource)


def verb_of(method: str, target: ResourcePath, *, watch: bool = False) -> str:
    """The RBAC verb a request needs."""
    method = method.upper()
    if method == "GET":
        if watch:
            return "watch"
        return "get" if target.name else "list"
    if method == "DELETE":
        return "delete" if target.name else "deletecollection"
    return {"POST": "create", "PUT": "update", "PATCH": "patch"}.get(method, method.lower())


def collection(namespace: str, resource: str, *, group: str = "", version: str = "v1") -> str:
    """The collection path of a namespaced resource: ``/api/v1/namespaces/ns/pods``."""
    prefix = f"/apis/{group}/{version}" if group else f"/api/{version}"
    return f"{prefix}/namespaces/{namespace}/{resource}"


def item(namespace: str, resource: str, name: str, *, group: str = "", version: str = "v1") -> str:
    return f"{collection(namespace, resource, group=group, version=version)}/{name}"
