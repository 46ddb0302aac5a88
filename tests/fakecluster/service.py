"""Kubernetes object semantics on top of the store: create/get/list/update/patch/delete with
preconditions, defaults, validation, the status subresource, finalizers, namespaces and
ownerReference garbage collection. Both the HTTP layer and the kubelet call it."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.fakecluster import admission, errors
from tests.fakecluster.errors import ApiError
from tests.fakecluster.meta import rfc3339
from tests.fakecluster.patching import APPLY, apply_patch
from tests.fakecluster.resources import ResourceRegistry, ResourceType
from tests.fakecluster.selectors import Selection
from tests.fakecluster.store import Store
from tests.fakecluster.validation import check_pod_update, validate_object

JSON = dict[str, Any]
NODE_NAME = "fake-node"
INITIAL_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
_RETURNS_OBJECT_ON_DELETE = {("", "pods"), ("", "namespaces"), ("", "services")}


@dataclass(frozen=True)
class DeleteOptions:
    propagation: str = "Background"  # Background, Foreground, Orphan
    grace_seconds: int | None = None
    uid: str | None = None
    resource_version: str | None = None
    dry_run: bool = False


class ObjectService:
    def __init__(self, store: Store, registry: ResourceRegistry, strict_fields: bool = True) -> None:
        self.store = store
        self.registry = registry
        self.strict_fields = strict_fields
        # Set by the kubelet: given a pod being deleted, returns True when it will finish the deletion.
        self.graceful_pod_deleter: Callable[[JSON], bool] | None = None
        self._lock = store.lock
        self._root_ca = "fakecluster: no TLS\n"
        self._bootstrap()

    def _bootstrap(self) -> None:
        for name in INITIAL_NAMESPACES:
            self.create(self._rt("", "namespaces"), None, {"metadata": {"name": name}})
        node = {"metadata": {"name": NODE_NAME, "labels": {"kubernetes.io/hostname": NODE_NAME,
                                                           "kubernetes.io/os": "linux"}},
                "status": {"conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
                           "addresses": [{"type": "InternalIP", "address": "127.0.0.1"},
                                         {"type": "Hostname", "address": NODE_NAME}]}}
        self.create(self._rt("", "nodes"), None, node)

    def set_root_ca(self, pem: str) -> None:
        """The CA every namespace's kube-root-ca.crt carries (pods mount it as ca.crt)."""
        self._root_ca = pem
        configmaps = self._rt("", "configmaps")
        for cm in self.store.find(lambda o: o.get("kind") == "ConfigMap"
                                  and o["metadata"]["name"] == "kube-root-ca.crt"):
            self.mutate(configmaps, cm[1]["metadata"]["namespace"], "kube-root-ca.crt",
                        lambda c: c.__setitem__("data", {"ca.crt": pem}))

    def _rt(self, group: str, plural: str) -> ResourceType:
        found = next((rt for rt in self.registry.all() if rt.group_resource == (group, plural)), None)
        if found is None:
            raise errors.not_found(plural, group, "")
        return found

    # ---- reads ----------------------------------------------------------------------------

    def get(self, rt: ResourceType, namespace: str | None, name: str) -> JSON:
        obj = self.store.get(rt.group_resource, namespace or "", name)
        if obj is None:
            raise errors.not_found(rt.plural, rt.group, name)
        return _as_version(obj, rt)

    def list(self, rt: ResourceType, selection: Selection) -> tuple[list[JSON], int]:
        items, rv = self.store.list_objects(rt.group_resource, selection.matches)
        return [_as_version(o, rt) for o in items], rv

    # ---- create ---------------------------------------------------------------------------

    def create(self, rt: ResourceType, namespace: str | None, body: JSON, dry_run: bool = False) -> JSON:
        if rt.namespaced:
            if not namespace:
                raise errors.bad_request("the namespace of the object must be set")
            if self.store.get(("", "namespaces"), "", namespace) is None:
                raise errors.not_found("namespaces", "", namespace)
        obj = admission.init_metadata(rt, body, namespace if rt.namespaced else None)
        validate_object(rt, obj, self.strict_fields)
        admission.apply_defaults(rt, obj)
        with self._lock:
            meta = obj["metadata"]
            if self.store.get(rt.group_resource, meta.get("namespace", ""), meta["name"]) is not None:
                raise errors.already_exists(rt.plural, rt.group, meta["name"])
            if dry_run:
                return obj
            created = self.store.put(rt.group_resource, obj)
        self._after_create(rt, created)
        return _as_version(created, rt)

    def _after_create(self, rt: ResourceType, obj: JSON) -> None:
        name = obj["metadata"]["name"]
        if rt.group_resource == ("", "namespaces"):
            ca = {"metadata": {"name": "kube-root-ca.crt"}, "data": {"ca.crt": self._root_ca}}
            self.create(self._rt("", "configmaps"), name, ca)
            self.create(self._rt("", "serviceaccounts"), name, {"metadata": {"name": "default"}})
        elif rt.group_resource == ("apiextensions.k8s.io", "customresourcedefinitions"):
            _register_crd(self.registry, obj)

    # ---- update and patch -----------------------------------------------------------------

    def update(self, rt: ResourceType, namespace: str | None, name: str, body: JSON,
               subresource: str = "", dry_run: bool = False) -> JSON:
        body_name = (body.get("metadata") or {}).get("name")
        if body_name and body_name != name:
            raise errors.bad_request(f"the name of the object ({body_name}) does not match the name on the URL ({name})")
        with self._lock:
            current = self.store.get(rt.group_resource, namespace or "", name)
            if current is None:
                raise errors.not_found(rt.plural, rt.group, name)
            expected = (body.get("metadata") or {}).get("resourceVersion")
            if expected and expected != current["metadata"]["resourceVersion"]:
                raise errors.conflict(rt.plural, rt.group, name)
            updated = _merge_update(rt, current, body, subresource)
            if rt.group_resource == ("", "pods") and not subresource:
                check_pod_update(current, updated)
            validate_object(rt, updated, self.strict_fields, check_schema=subresource != "status")
            return self._store_update(rt, current, updated, dry_run)

    def patch(self, rt: ResourceType, namespace: str | None, name: str, content_type: str, patch: Any,
              subresource: str = "", dry_run: bool = False) -> JSON:
        with self._lock:
            current = self.store.get(rt.group_resource, namespace or "", name)
            if current is None:
                if content_type.startswith(APPLY) and isinstance(patch, dict):
                    return self.create(rt, namespace, patch, dry_run)
                raise errors.not_found(rt.plural, rt.group, name)
            patched = apply_patch(content_type, _as_version(current, rt), patch)
            patched.setdefault("metadata", {})["name"] = name
            if not patched["metadata"].get("resourceVersion"):
                patched["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
            return self.update(rt, namespace, name, patched, subresource, dry_run)

    def _store_update(self, rt: ResourceType, current: JSON, updated: JSON, dry_run: bool) -> JSON:
        comparable = copy.deepcopy(updated)
        comparable["metadata"]["resourceVersion"] = current["metadata"]["resourceVersion"]
        if comparable == current or dry_run:
            return _as_version(comparable, rt)
        if current["metadata"].get("deletionTimestamp") and not updated["metadata"].get("finalizers"):
            self.store.put(rt.group_resource, updated)
            return self._remove(rt, updated, DeleteOptions())
        return _as_version(self.store.put(rt.group_resource, updated), rt)

    def mutate(self, rt: ResourceType, namespace: str | None, name: str,
               change: Callable[[JSON], None]) -> JSON | None:
        """Atomic read-modify-write without validation (the kubelet's status writes).
        Returns None when the object is gone; writes nothing when ``change`` changed nothing."""
        with self._lock:
            current = self.store.get(rt.group_resource, namespace or "", name)
            if current is None:
                return None
            updated = copy.deepcopy(current)
            change(updated)
            if updated == current:
                return current
            return self.store.put(rt.group_resource, updated)

    # ---- delete and garbage collection ----------------------------------------------------

    def delete(self, rt: ResourceType, namespace: str | None, name: str, options: DeleteOptions) -> JSON:
        with self._lock:
            current = self.store.get(rt.group_resource, namespace or "", name)
            if current is None:
                raise errors.not_found(rt.plural, rt.group, name)
            _check_preconditions(rt, current, options)
            if options.dry_run:
                return _as_version(current, rt)
            if current["metadata"].get("finalizers") or self._pod_needs_grace(rt, current, options):
                return self._mark_deleting(rt, current, options)
        return self._remove(rt, current, options)

    def _pod_needs_grace(self, rt: ResourceType, pod: JSON, options: DeleteOptions) -> bool:
        if rt.group_resource != ("", "pods") or self.graceful_pod_deleter is None:
            return False
        phase = (pod.get("status") or {}).get("phase")
        scheduled = bool((pod.get("spec") or {}).get("nodeName"))
        grace = options.grace_seconds if options.grace_seconds is not None else pod["spec"].get("terminationGracePeriodSeconds", 30)
        return scheduled and phase not in ("Succeeded", "Failed") and grace > 0

    def _mark_deleting(self, rt: ResourceType, current: JSON, options: DeleteOptions) -> JSON:
        if current["metadata"].get("deletionTimestamp"):
            return _as_version(current, rt)
        marked = copy.deepcopy(current)
        grace = options.grace_seconds
        if rt.group_resource == ("", "pods"):
            grace = grace if grace is not None else marked["spec"].get("terminationGracePeriodSeconds", 30)
        marked["metadata"]["deletionTimestamp"] = rfc3339()
        marked["metadata"]["deletionGracePeriodSeconds"] = grace if grace is not None else 0
        stored = self.store.put(rt.group_resource, marked)
        if rt.group_resource == ("", "pods") and self.graceful_pod_deleter is not None:
            self.graceful_pod_deleter(stored)
        return _as_version(stored, rt)

    def remove_now(self, rt: ResourceType, namespace: str | None, name: str) -> JSON | None:
        """Final removal (the kubelet after killing a deleted pod's processes)."""
        current = self.store.get(rt.group_resource, namespace or "", name)
        return None if current is None else self._remove(rt, current, DeleteOptions())

    def _remove(self, rt: ResourceType, obj: JSON, options: DeleteOptions) -> JSON:
        meta = obj["metadata"]
        if rt.group_resource == ("", "namespaces"):
            self._empty_namespace(meta["name"])
        final = self.store.remove(rt.group_resource, meta.get("namespace", ""), meta["name"])
        self._collect_dependents(meta["uid"], options.propagation)
        if final is None:
            raise errors.not_found(rt.plural, rt.group, meta["name"])
        if rt.group_resource in _RETURNS_OBJECT_ON_DELETE:
            return _as_version(final, rt)
        return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                "details": {"name": meta["name"], "group": rt.group, "kind": rt.plural, "uid": meta["uid"]}}

    def _empty_namespace(self, namespace: str) -> None:
        for gr, obj in self.store.find(lambda o: (o.get("metadata") or {}).get("namespace") == namespace):
            self._delete_quietly(gr, obj, DeleteOptions(grace_seconds=0))

    def _collect_dependents(self, owner_uid: str, propagation: str) -> None:
        def owned(obj: JSON) -> bool:
            refs = (obj.get("metadata") or {}).get("ownerReferences") or []
            return any(ref.get("uid") == owner_uid for ref in refs)

        for gr, dependent in self.store.find(owned):
            if propagation == "Orphan":
                self._drop_owner(gr, dependent, owner_uid)
            elif not self._has_live_owner(dependent, owner_uid):
                self._delete_quietly(gr, dependent, DeleteOptions(propagation=propagation))
            else:
                self._drop_owner(gr, dependent, owner_uid)

    def _has_live_owner(self, dependent: JSON, gone_uid: str) -> bool:
        others = {ref.get("uid") for ref in dependent["metadata"]["ownerReferences"]} - {gone_uid}
        return bool(others) and bool(self.store.find(lambda o: o["metadata"].get("uid") in others))

    def _drop_owner(self, gr: tuple[str, str], dependent: JSON, owner_uid: str) -> None:
        meta = dependent["metadata"]
        meta["ownerReferences"] = [r for r in meta["ownerReferences"] if r.get("uid") != owner_uid]
        if not meta["ownerReferences"]:
            del meta["ownerReferences"]
        self.store.put(gr, dependent)

    def _delete_quietly(self, gr: tuple[str, str], obj: JSON, options: DeleteOptions) -> None:
        rt = self._rt(*gr)
        with contextlib.suppress(ApiError):  # already gone
            self.delete(rt, obj["metadata"].get("namespace"), obj["metadata"]["name"], options)

    def record_event(self, involved: JSON, reason: str, message: str, event_type: str = "Normal",
                     component: str = "kubelet") -> None:
        """A core/v1 Event about ``involved`` (from the kubelet unless ``component`` says otherwise)."""
        meta = involved["metadata"]
        namespace = meta.get("namespace") or "default"
        event = {
            "metadata": {"generateName": f"{meta['name']}."},
            "involvedObject": {"kind": involved.get("kind"), "apiVersion": involved.get("apiVersion"),
                               "namespace": meta.get("namespace"), "name": meta["name"], "uid": meta.get("uid")},
            "reason": reason, "message": message, "type": event_type, "count": 1,
            "source": {"component": component, "host": NODE_NAME},
            "firstTimestamp": rfc3339(), "lastTimestamp": rfc3339(), "reportingComponent": component,
        }
        with contextlib.suppress(ApiError):  # namespace being deleted
            self.create(self._rt("", "events"), namespace, event)


def _check_preconditions(rt: ResourceType, current: JSON, options: DeleteOptions) -> None:
    meta = current["metadata"]
    if options.uid and options.uid != meta["uid"]:
        why = f"Precondition failed: UID in precondition: {options.uid}, UID in object meta: {meta['uid']}"
        raise errors.conflict(rt.plural, rt.group, meta["name"], why)
    if options.resource_version and options.resource_version != meta["resourceVersion"]:
        why = (f"Precondition failed: ResourceVersion in precondition: {options.resource_version}, "
               f"ResourceVersion in object meta: {meta['resourceVersion']}")
        raise errors.conflict(rt.plural, rt.group, meta["name"], why)


_IMMUTABLE_META = ("uid", "creationTimestamp", "namespace", "deletionTimestamp", "deletionGracePeriodSeconds",
                   "generation", "name")


def _merge_update(rt: ResourceType, current: JSON, body: JSON, subresource: str) -> JSON:
    """The object an update produces, keeping server-owned fields as the API server does."""
    if subresource == "status":
        updated = copy.deepcopy(current)
        updated["status"] = copy.deepcopy(body.get("status"))
        return updated
    updated = copy.deepcopy(body)
    updated["kind"], updated["apiVersion"] = current["kind"], current["apiVersion"]
    meta = updated.setdefault("metadata", {})
    for key in _IMMUTABLE_META:
        if key in current["metadata"]:
            meta[key] = current["metadata"][key]
        else:
            meta.pop(key, None)
    if rt.status_subresource:
        updated["status"] = copy.deepcopy(current.get("status"))
        if updated["status"] is None:
            updated.pop("status")
    if rt.group and _spec_of(updated) != _spec_of(current):
        meta["generation"] = int(current["metadata"].get("generation", 1)) + 1
    if rt.group_resource == ("", "secrets"):
        admission.fold_string_data(updated)
    return updated


def _spec_of(obj: JSON) -> JSON:
    return {k: v for k, v in obj.items() if k not in ("metadata", "status", "kind", "apiVersion")}


def _as_version(obj: JSON, rt: ResourceType) -> JSON:
    """Objects are stored once per group/resource; answer in the version that was asked for."""
    if obj.get("apiVersion") != rt.api_version:
        obj = dict(obj)
        obj["apiVersion"] = rt.api_version
    return obj


def _register_crd(registry: ResourceRegistry, crd: JSON) -> None:
    spec = crd.get("spec") or {}
    names = spec.get("names") or {}
    for version in spec.get("versions") or []:
        if not version.get("served", True):
            continue
        registry.register(ResourceType(
            group=spec.get("group", ""), version=version["name"], plural=names.get("plural", ""),
            kind=names.get("kind", ""), namespaced=spec.get("scope", "Namespaced") == "Namespaced",
            short_names=tuple(names.get("shortNames") or ()),
            status_subresource="status" in (version.get("subresources") or {}),
            categories=tuple(names.get("categories") or ()),
        ))



