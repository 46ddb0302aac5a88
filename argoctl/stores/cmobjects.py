"""Applied objects and archived logs of the ConfigMap store.

WorkflowTemplates and ClusterWorkflowTemplates are Argo's own objects when the cluster serves
Argo's CRDs (``argoproj.io/v1alpha1``, found by one discovery request), so argoctl and an Argo
installation share them. Otherwise they, CronWorkflows and WorkflowCommands are labelled ConfigMaps (``argoctl-<kind>-<name>``, ``data["object.json"]``)
with the identity and resourceVersion rules of ``argoctl.stores.records``; an applied ConfigMap or
Secret is the real object (``kubectl apply`` semantics: create, or replace keeping identity), and
is never copied anywhere else. The WorkflowCommand queue, which drivers poll, is read from a watched
in-memory copy (``argoctl.stores.cmwatch``): one LIST and one watch, not a LIST per poll. Logs are
``argoctl.stores.cmlogs``'.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from argoctl.errors import ClusterError, ConflictError, NotFoundError, UsageError
from argoctl.kube import paths
from argoctl.stores import cmcodec as codec
from argoctl.stores import records
from argoctl.stores.base import JSON
from argoctl.stores.cmwatch import WatchedList

if TYPE_CHECKING:
    from argoctl.kube.client import KubeClient

_ATTEMPTS = 10
_ARGO_API = "/apis/argoproj.io/v1alpha1"
_ARGO_CRDS = {"WorkflowTemplate": "workflowtemplates", "ClusterWorkflowTemplate": "clusterworkflowtemplates"}
_COMMAND = "WorkflowCommand"
_SERVER_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation", "selfLink")
# published into every namespace by the cluster itself: never an applied object
_PUBLISHED = frozenset({"kube-root-ca.crt"})
_LOG_KEY = "log"
_WORKFLOW_NOTE, _POD_NOTE, _CONTAINER_NOTE, _SEQ_NOTE = (
    "argoctl.io/workflow", "argoctl.io/pod", "argoctl.io/container", "argoctl.io/seq")


class ConfigMapObjects:
    def __init__(self, client: KubeClient, namespace: str, cluster_namespace: str,
                 clock: Callable[[], float]) -> None:
        self.client = client
        self.namespace = namespace
        self.cluster_namespace = cluster_namespace
        self._clock = clock
        self._served: frozenset[str] | None = None  # Argo's CRDs the cluster serves
        # the driver polls its command queue: served from a watched copy, not a LIST per poll
        self._commands = WatchedList(client, self._collection(_COMMAND), f"{codec.KIND_LABEL}={_COMMAND.lower()}")

    def _collection(self, kind: str) -> str:
        if self._as_crd(kind):
            plural = _ARGO_CRDS[kind]
            scope = "" if kind in records.CLUSTER_KINDS else f"/namespaces/{self.namespace}"
            return f"{_ARGO_API}{scope}/{plural}"
        namespace = self.cluster_namespace if kind in records.CLUSTER_KINDS else self.namespace
        return paths.collection(namespace, "secrets" if kind == "Secret" else "configmaps")

    def _as_crd(self, kind: str) -> bool:
        """Whether ``kind`` lives in Argo's CRD on this cluster (asked once per process)."""
        if kind not in _ARGO_CRDS:
            return False
        if self._served is None:
            try:
                resources = self.client.get(_ARGO_API).get("resources") or []
                self._served = frozenset(str(r.get("name", "")) for r in resources)
            except (NotFoundError, ClusterError):
                self._served = frozenset()  # no Argo here (or no right to look): ConfigMaps
        return _ARGO_CRDS[kind] in self._served

    def _path(self, kind: str, name: str) -> str:
        records.check_name(kind, name)
        if self._as_crd(kind):
            return f"{self._collection(kind)}/{name}"
        if kind in codec.ENCODED_KINDS:
            return f"{self._collection(kind)}/{codec.object_configmap_name(kind, name)}"
        return f"{self._collection(kind)}/{name}"

    def put(self, kind: str, obj: JSON) -> None:
        """Create or replace (``apply``)."""
        records.check_kind(kind)
        name = records.name_of(obj)
        create_first = kind == _COMMAND  # always new: skip the read
        for _ in range(_ATTEMPTS):
            current = None if create_first else self._read(kind, name)
            create_first = False
            try:
                written = self._write(kind, obj, current)
            except ConflictError:
                continue  # created or changed meanwhile: read again
            if kind == _COMMAND:
                self._commands.upsert(written)
            return
        raise ConflictError(f"{kind} {name!r} kept changing while it was being applied", hint="try again")

    def get(self, kind: str, name: str) -> JSON:
        records.check_kind(kind)
        found = self._read(kind, name)
        if found is None:
            raise records.not_found(kind, name)
        return self._decode(kind, found)

    def list(self, kind: str) -> Sequence[JSON]:
        records.check_kind(kind)
        if kind == _COMMAND:
            return sorted((codec.decode_object(item) for item in self._commands.items()), key=records.sort_key)
        if self._as_crd(kind):
            found = self.client.list(self._collection(kind)).get("items") or []
            return sorted((self._decode(kind, item) for item in found), key=records.sort_key)
        if kind in codec.ENCODED_KINDS:
            selector = f"{codec.KIND_LABEL}={kind.lower()}"
        else:  # the user's own ConfigMaps or Secrets, never argoctl's
            selector = f"!{codec.KIND_LABEL}"
        items = self.client.list(self._collection(kind), label_selector=selector).get("items") or []
        kept = (item for item in items if (item.get("metadata") or {}).get("name") not in _PUBLISHED)
        return sorted((self._decode(kind, item) for item in kept), key=records.sort_key)

    def delete(self, kind: str, name: str) -> None:
        records.check_kind(kind)
        try:
            self.client.delete(self._path(kind, name))
        except NotFoundError:
            raise records.not_found(kind, name) from None
        finally:
            if kind == _COMMAND:
                self._commands.discard(codec.object_configmap_name(kind, name))

    def _read(self, kind: str, name: str) -> JSON | None:
        try:
            return self.client.get(self._path(kind, name))
        except NotFoundError:
            return None

    def _decode(self, kind: str, found: JSON) -> JSON:
        if self._as_crd(kind):
            found.setdefault("apiVersion", "argoproj.io/v1alpha1")
            found.setdefault("kind", kind)
            return found
        if kind in codec.ENCODED_KINDS:
            return codec.decode_object(found)
        found.setdefault("apiVersion", "v1")
        found.setdefault("kind", kind)
        return found

    def _write(self, kind: str, obj: JSON, current: JSON | None) -> JSON:
        """One create or conditional replace; ConflictError when someone else wrote first."""
        if self._as_crd(kind):
            body = self._real_body(kind, obj, api_version="argoproj.io/v1alpha1")
        elif kind in codec.ENCODED_KINDS:
            previous = None if current is None else codec.decode_object(current)
            stored = records.applied(obj, previous, kind, self.namespace, self._clock())
            body = codec.configmap(codec.object_configmap_name(kind, records.name_of(obj)),
                                   codec.object_labels(kind, stored),
                                   data={codec.OBJECT_KEY: codec.dumps(stored).decode()})
        else:
            body = self._real_body(kind, obj)
            if current is not None and codec.KIND_LABEL in ((current.get("metadata") or {}).get("labels") or {}):
                raise UsageError(f'{kind} "{records.name_of(obj)}" holds argoctl\'s own state',
                                 hint="choose another name")
        if current is None:
            return self.client.create(self._collection(kind), body)
        body["metadata"]["resourceVersion"] = (current.get("metadata") or {}).get("resourceVersion")
        return self.client.replace(self._path(kind, records.name_of(obj)), body)

    def _real_body(self, kind: str, obj: JSON, *, api_version: str = "v1") -> JSON:
        """The object as the API server takes it: server fields dropped, in this namespace."""
        body = records.clone(obj)
        body["apiVersion"], body["kind"] = api_version, kind
        metadata = records.metadata_of(body)
        if kind in records.CLUSTER_KINDS:
            metadata.pop("namespace", None)
            for key in _SERVER_FIELDS:
                metadata.pop(key, None)
            return body
        given = metadata.get("namespace")
        if given and given != self.namespace:
            raise UsageError(f'the namespace from the provided object "{given}" does not match the namespace '
                             f'"{self.namespace}". You must pass \'--namespace={given}\' to perform this operation.')
        for key in _SERVER_FIELDS:
            metadata.pop(key, None)
        metadata["namespace"] = self.namespace
        return body


def _notes(item: JSON) -> dict[str, str]:
    return dict((item.get("metadata") or {}).get("annotations") or {})
