"""The resource types the server knows, and the discovery documents built from them.

Built-in types are registered at start; a request for any other group/version/resource registers
it on the fly (generic objects for resource templates), and so does creating a
CustomResourceDefinition.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceType:
    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    status_subresource: bool = False
    extra_subresources: tuple[str, ...] = ()
    verbs: tuple[str, ...] = ALL_VERBS
    categories: tuple[str, ...] = ()

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def group_resource(self) -> tuple[str, str]:
        """The storage key: objects of one group and plural share storage across versions."""
        return (self.group, self.plural)


def _core(plural: str, kind: str, **kw: Any) -> ResourceType:
    return ResourceType("", "v1", plural, kind, **kw)


BUILTIN: tuple[ResourceType, ...] = (
    _core("pods", "Pod", short_names=("po",), status_subresource=True,
          extra_subresources=("log", "eviction", "binding"), categories=("all",)),
    _core("configmaps", "ConfigMap", short_names=("cm",)),
    _core("secrets", "Secret"),
    _core("namespaces", "Namespace", namespaced=False, short_names=("ns",), status_subresource=True),
    _core("events", "Event", short_names=("ev",)),
    _core("services", "Service", short_names=("svc",), status_subresource=True, categories=("all",)),
    _core("serviceaccounts", "ServiceAccount", short_names=("sa",)),
    _core("persistentvolumeclaims", "PersistentVolumeClaim", short_names=("pvc",), status_subresource=True),
    _core("persistentvolumes", "PersistentVolume", namespaced=False, short_names=("pv",), status_subresource=True),
    _core("nodes", "Node", namespaced=False, short_names=("no",), status_subresource=True),
    ResourceType("coordination.k8s.io", "v1", "leases", "Lease"),
    ResourceType("events.k8s.io", "v1", "events", "Event", short_names=("ev",)),
    ResourceType("apps", "v1", "deployments", "Deployment", short_names=("deploy",), status_subresource=True, categories=("all",)),
    ResourceType("apps", "v1", "statefulsets", "StatefulSet", short_names=("sts",), status_subresource=True, categories=("all",)),
    ResourceType("apps", "v1", "replicasets", "ReplicaSet", short_names=("rs",), status_subresource=True, categories=("all",)),
    ResourceType("apps", "v1", "daemonsets", "DaemonSet", short_names=("ds",), status_subresource=True, categories=("all",)),
    ResourceType("batch", "v1", "jobs", "Job", status_subresource=True, categories=("all",)),
    ResourceType("batch", "v1", "cronjobs", "CronJob", short_names=("cj",), status_subresource=True, categories=("all",)),
    ResourceType("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", short_names=("pdb",), status_subresource=True),
    ResourceType("rbac.authorization.k8s.io", "v1", "roles", "Role"),
    ResourceType("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"),
    ResourceType("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced=False),
    ResourceType("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced=False),
    ResourceType("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview",
                 namespaced=False, verbs=("create",)),
    ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
                 namespaced=False, short_names=("crd", "crds"), status_subresource=True),
)


def guess_kind(plural: str) -> str:
    """A kind for a resource first seen by its plural (``widgets`` -> ``Widget``)."""
    if plural.endswith("ies"):
        base = plural[:-3] + "y"
    elif plural.endswith(("ses", "xes", "ches", "shes")):
        base = plural[:-2]
    elif plural.endswith("s"):
        base = plural[:-1]
    else:
        base = plural
    return base[:1].upper() + base[1:]


@dataclass
class ResourceRegistry:
    """Thread-safe table of (group, version, plural) -> ResourceType."""

    _types: dict[tuple[str, str, str], ResourceType] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        for rt in BUILTIN:
            self.register(rt)

    def register(self, rt: ResourceType) -> None:
        with self._lock:
            self._types[(rt.group, rt.version, rt.plural)] = rt

    def unregister(self, group: str, version: str, plural: str) -> None:
        with self._lock:
            self._types.pop((group, version, plural), None)

    def lookup(self, group: str, version: str, plural: str) -> ResourceType | None:
        with self._lock:
            return self._types.get((group, version, plural))

    def ensure(self, group: str, version: str, plural: str, namespaced: bool, kind: str = "") -> ResourceType:
        """The registered type, or a newly registered generic one (no status subresource)."""
        with self._lock:
            known = self._types.get((group, version, plural))
            if known is not None:
                return known
            rt = ResourceType(group, version, plural, kind or guess_kind(plural), namespaced=namespaced)
            self._types[(group, version, plural)] = rt
            return rt

    def all(self) -> list[ResourceType]:
        with self._lock:
            return list(self._types.values())

    def find_kind(self, api_version: str, kind: str) -> ResourceType | None:
        return next((rt for rt in self.all() if rt.api_version == api_version and rt.kind == kind), None)

    def group_versions(self) -> dict[str, list[str]]:
        """Named groups (not core) -> versions, preferred version first."""
        groups: dict[str, list[str]] = {}
        for rt in self.all():
            if rt.group and rt.version not in groups.setdefault(rt.group, []):
                groups[rt.group].append(rt.version)
        return {g: sorted(vs, key=_version_rank) for g, vs in sorted(groups.items())}

    # ---- discovery documents -------------------------------------------------------------

    def api_versions_doc(self) -> JSON:
        return {
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}],
        }

    def group_doc(self, group: str) -> JSON | None:
        versions = self.group_versions().get(group)
        if not versions:
            return None
        entries = [{"groupVersion": f"{group}/{v}", "version": v} for v in versions]
        return {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": entries,
                "preferredVersion": entries[0]}

    def group_list_doc(self) -> JSON:
        groups = [self.group_doc(g) for g in self.group_versions()]
        for doc in groups:
            if doc is not None:
                doc.pop("kind")
                doc.pop("apiVersion")
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": [g for g in groups if g is not None]}

    def resource_list_doc(self, group: str, version: str) -> JSON | None:
        types = [rt for rt in self.all() if rt.group == group and rt.version == version]
        if not types:
            return None
        resources: list[JSON] = []
        for rt in sorted(types, key=lambda t: t.plural):
            resources.append(_resource_entry(rt))
            if rt.status_subresource:
                resources.append({"name": f"{rt.plural}/status", "singularName": "", "namespaced": rt.namespaced,
                                  "kind": rt.kind, "verbs": ["get", "patch", "update"]})
            for sub in rt.extra_subresources:
                verbs = ["get"] if sub == "log" else ["create"]
                sub_kind = {"log": "Pod", "eviction": "Eviction", "binding": "Binding"}.get(sub, rt.kind)
                resources.append({"name": f"{rt.plural}/{sub}", "singularName": "", "namespaced": rt.namespaced,
                                  "kind": sub_kind, "verbs": verbs})
        group_version = f"{group}/{version}" if group else version
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources}


def _resource_entry(rt: ResourceType) -> JSON:
    entry: JSON = {"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced,
                   "kind": rt.kind, "verbs": list(rt.verbs)}
    if rt.short_names:
        entry["shortNames"] = list(rt.short_names)
    if rt.categories:
        entry["categories"] = list(rt.categories)
    return entry


def _version_rank(version: str) -> tuple[int, int, int]:
    """Kubernetes version priority: GA before beta before alpha, higher numbers first."""
    import re

    match = re.fullmatch(r"v(\d+)(?:(alpha|beta)(\d+))?", version)
    if not match:
        return (3, 0, 0)
    major = int(match.group(1))
    stage = {"alpha": 2, "beta": 1}.get(match.group(2) or "", 0)
    minor = int(match.group(3) or 0)
    return (stage, -major, -minor)
