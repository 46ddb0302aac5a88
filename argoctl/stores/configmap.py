"""The ConfigMap store: the ``Store`` protocol in the cluster, with nothing installed there.

Workflows are ConfigMaps laid out by ``argoctl.stores.cmcodec`` (one per workflow, split into part
ConfigMaps when the status outgrows one); applied WorkflowTemplates, ClusterWorkflowTemplates,
CronWorkflows and queued WorkflowCommands are labelled ConfigMaps, applied ConfigMaps and Secrets
are themselves (``argoctl.stores.cmobjects``); logs are kept bounded in ConfigMaps the workflow owns (``argoctl.stores.cmlogs``);
driver leases are ``coordination.k8s.io/v1`` Leases (``argoctl.stores.cmleases``).

Every workflow write is conditional on the ConfigMap's resourceVersion (a lost race is a
ConflictError; the driver re-reads and retries). The workflow's own resourceVersion counts 1, 2,
3... as in every store (``argoctl.stores.records``); the ConfigMap's resourceVersion last seen is
remembered per workflow, so a driver that holds the latest version writes with one PUT.
Needs a ``argoctl.kube.client.KubeClient``; importing this module does not import kubernetes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from argoctl.errors import ConflictError, NotFoundError, StoreError
from argoctl.kube import paths
from argoctl.stores import cmcodec as codec
from argoctl.stores import records
from argoctl.stores.base import JSON, Lease
from argoctl.stores.selectors import Selector, as_selector

if TYPE_CHECKING:
    from argoctl.kube.client import KubeClient
    from argoctl.stores.cmleases import ConfigMapLeases
    from argoctl.stores.cmlogs import ConfigMapLogs
    from argoctl.stores.cmobjects import ConfigMapObjects

_WORKFLOW = "Workflow"
_T = TypeVar("_T")
_ATTEMPTS = 5


class _Seen(NamedTuple):
    """What this process last wrote or read of a workflow's ConfigMap."""

    metadata: JSON  # the workflow's identity and resourceVersion
    cm_version: str
    uid: str
    parts: tuple[str, int] | None


class ConfigMapStore:
    """The ``Store`` protocol over ConfigMaps and Leases of one namespace (see the module docstring).

    ClusterWorkflowTemplates live in ``cluster_namespace`` (ConfigMaps are namespaced).
    """

    def __init__(self, client: KubeClient, namespace: str | None = None, *, cluster_namespace: str = "default",
                 clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.namespace = records.check_name("namespace", namespace or client.namespace)
        self._clock = clock
        self._configmaps = paths.collection(self.namespace, "configmaps")
        self._cluster_namespace = cluster_namespace
        self._helpers: dict[str, object] = {}  # built on first use: a list or get needs none of them
        self._helpers_lock = threading.Lock()
        self._seen: dict[str, _Seen] = {}
        self._lock = threading.Lock()
        self.chunk_size = 0  # ``--chunk-size``: LIST workflows in pages of this many (limit/continue)

    @property
    def _objects(self) -> ConfigMapObjects:
        from argoctl.stores.cmobjects import ConfigMapObjects

        return self._helper("objects", lambda: ConfigMapObjects(self.client, self.namespace, self._cluster_namespace,
                                                                self._clock))

    @property
    def _logs(self) -> ConfigMapLogs:
        from argoctl.stores.cmlogs import ConfigMapLogs

        return self._helper("logs", lambda: ConfigMapLogs(self.client, self.namespace, self.owner_reference))

    @property
    def _leases(self) -> ConfigMapLeases:
        from argoctl.stores.cmleases import ConfigMapLeases

        return self._helper("leases", lambda: ConfigMapLeases(self.client, self.namespace))

    def _helper(self, key: str, build: Callable[[], _T]) -> _T:
        with self._helpers_lock:
            if key not in self._helpers:
                self._helpers[key] = build()
            return self._helpers[key]  # type: ignore[return-value]

    # -- workflows -----------------------------------------------------------------------------

    def create_workflow(self, workflow: JSON) -> JSON:
        for name in records.candidate_names(workflow):
            stored = records.stamp_new(workflow, name, self.namespace, self._clock())
            try:
                cm = self._write(stored, None)
            except ConflictError:
                if records.has_fixed_name(workflow):
                    raise ConflictError(f'{records.RESOURCE[_WORKFLOW]} "{name}" already exists') from None
                continue
            return codec.with_uid(stored, cm)
        raise ConflictError(f"could not find a free name for generateName {records.generate_name_of(workflow)!r}")

    def get_workflow(self, name: str) -> JSON:
        cm = self._get_main(name)
        workflow = self._decode(cm, name)
        self._remember(workflow, cm)
        return workflow

    def update_workflow(self, workflow: JSON) -> JSON:
        name = records.name_of(workflow)
        given = records.metadata_of(workflow).get("resourceVersion")
        for _ in range(_ATTEMPTS):
            seen = self._current(name, given)
            stored = records.next_version(workflow, {"metadata": seen.metadata}, _WORKFLOW)
            try:
                cm = self._write(stored, seen)
            except ConflictError:
                self._forget(name)
                if given:
                    raise _modified(name) from None
                continue  # an unconditional write: read the new version and write again
            except NotFoundError:
                self._forget(name)
                raise records.not_found(_WORKFLOW, name) from None
            return codec.with_uid(stored, cm)
        raise _modified(name)

    def list_workflows(self, labels: Selector | Mapping[str, str] | str | None = None) -> Sequence[JSON]:
        """Summaries (``records.summarize``) of the matching workflows, sorted by name: one LIST."""
        selector = as_selector(labels)
        text = f"{codec.KIND_LABEL}=workflow" + (f",{selector}" if selector.requirements else "")
        items = self.client.list(self._configmaps, label_selector=text, limit=self.chunk_size).get("items") or []
        found = [codec.summary_of(cm) for cm in items]
        # the server selected on the ConfigMap's labels; the workflow's own labels decide
        matching = [s for s in found if selector.matches((s.get("metadata") or {}).get("labels"))]
        return sorted(matching, key=records.sort_key)

    def namespaces(self) -> list[str]:
        """The namespaces holding argoctl's ConfigMaps (workflows, archive, objects): one cluster-wide LIST."""
        selector = codec.KIND_LABEL
        items = self.client.list("/api/v1/configmaps", label_selector=selector,
                                 limit=self.chunk_size).get("items") or []
        return sorted({str((cm.get("metadata") or {}).get("namespace")) for cm in items})

    def in_namespace(self, namespace: str) -> ConfigMapStore:
        store = ConfigMapStore(self.client, namespace, cluster_namespace=self._objects.cluster_namespace,
                               clock=self._clock)
        store.chunk_size = self.chunk_size
        return store

    def delete_workflow(self, name: str) -> None:
        """Remove the workflow (its parts and pods are garbage-collected), its logs and its lease."""
        path = self._main_path(name)
        try:
            self.client.delete(path, propagation="Background")
        except NotFoundError:
            raise records.not_found(_WORKFLOW, name) from None
        finally:
            self._forget(name)
        self._logs.delete_workflow_logs(name)
        self._leases.delete(name)

    def owner_reference(self, workflow: str) -> JSON:
        """An ownerReference to the workflow's ConfigMap: what it owns goes when it is deleted."""
        seen = self._seen.get(workflow)
        uid = seen.uid if seen is not None else str(self._get_main(workflow)["metadata"]["uid"])
        return {"apiVersion": "v1", "kind": "ConfigMap", "name": codec.workflow_configmap_name(workflow),
                "uid": uid, "blockOwnerDeletion": False}

    # -- applied objects, logs, leases ---------------------------------------------------------

    def put_object(self, kind: str, obj: JSON) -> None:
        self._objects.put(kind, obj)

    def get_object(self, kind: str, name: str) -> JSON:
        return self._objects.get(kind, name)

    def list_objects(self, kind: str) -> Sequence[JSON]:
        return self._objects.list(kind)

    def delete_object(self, kind: str, name: str) -> None:
        self._objects.delete(kind, name)

    def append_log(self, workflow: str, pod_name: str, container: str, text: str) -> None:
        self._logs.append(workflow, pod_name, container, text)

    def keep_log(self, workflow: str, pod_name: str, container: str, text: str) -> None:
        """Keep a pod's whole log (``append_log`` adds a piece): a repeated copy replaces the first."""
        self._logs.append(workflow, pod_name, container, text, whole=True)

    def read_log(self, workflow: str, pod_name: str, container: str) -> str:
        return self._logs.read(workflow, pod_name, container)

    def acquire_lease(self, workflow: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        return self._leases.acquire(workflow, holder, ttl_seconds, now)

    def release_lease(self, workflow: str, holder: str) -> None:
        self._leases.release(workflow, holder)

    def get_lease(self, workflow: str) -> Lease | None:
        return self._leases.get(workflow)

    # -- workflow ConfigMaps -------------------------------------------------------------------

    def _main_path(self, name: str) -> str:
        return f"{self._configmaps}/{codec.workflow_configmap_name(name)}"

    def _get_main(self, name: str) -> JSON:
        try:
            return self.client.get(self._main_path(name))
        except NotFoundError:
            raise records.not_found(_WORKFLOW, name) from None

    def _current(self, name: str, given: object) -> _Seen:
        """The version to write over: remembered when the caller holds it, else read."""
        with self._lock:
            seen = self._seen.get(name)
        if seen is not None and given and str(given) == str(seen.metadata.get("resourceVersion")):
            return seen
        cm = self._get_main(name)
        summary = codec.summary_of(cm)
        return self._remember(summary, cm)

    def _remember(self, workflow: JSON, cm: JSON) -> _Seen:
        meta = cm.get("metadata") or {}
        identity = {k: v for k, v in records.metadata_of(workflow).items()
                    if k in ("name", "namespace", "uid", "creationTimestamp", "resourceVersion")}
        if meta.get("uid"):
            identity["uid"] = meta["uid"]
        seen = _Seen(identity, str(meta.get("resourceVersion", "")), str(meta.get("uid", "")), codec.parts_of(cm))
        with self._lock:
            self._seen[str(identity.get("name"))] = seen
        return seen

    def _forget(self, name: str) -> None:
        with self._lock:
            self._seen.pop(name, None)

    def _write(self, stored: JSON, seen: _Seen | None) -> JSON:
        """Create (``seen`` None) or replace the workflow's ConfigMaps; returns the main ConfigMap."""
        import secrets  # here: a read (list, get) need not import it

        name = records.name_of(stored)
        payload = codec.encode_workflow(stored)
        generation = f"{records.version_of(stored)}-{secrets.token_hex(3)}" if payload.parts else ""
        annotations = {codec.PARTS_ANNOTATION: f"{generation}/{len(payload.parts)}"} if generation else {}
        body = codec.configmap(codec.workflow_configmap_name(name), codec.workflow_labels(stored),
                               data=payload.data, binary=payload.binary, annotations=annotations,
                               resource_version=seen.cm_version if seen else "")
        if seen is None:
            cm = self.client.create(self._configmaps, body)
            self._write_parts(name, generation, payload.parts, cm)
        else:
            owner = {"metadata": {"name": body["metadata"]["name"], "uid": seen.uid}}
            self._write_parts(name, generation, payload.parts, owner)
            try:
                cm = self.client.replace(self._main_path(name), body)
            except (ConflictError, NotFoundError):
                self._delete_parts(name, generation, len(payload.parts))
                raise
            if seen.parts is not None:
                self._delete_parts(name, *seen.parts)
        self._remember(stored, cm)
        return cm

    def _part_path(self, workflow: str, generation: str, index: int) -> str:
        return f"{self._configmaps}/{codec.configmap_name('wfpart', f'{workflow}-{generation}-{index}')}"

    def _write_parts(self, workflow: str, generation: str, chunks: list[bytes], owner: JSON) -> None:
        for index, chunk in enumerate(chunks):
            name = codec.configmap_name("wfpart", f"{workflow}-{generation}-{index}")
            self.client.create(self._configmaps, codec.configmap(
                name, codec.part_labels(workflow, generation), binary={codec.PART_KEY: chunk},
                annotations={codec.INDEX_ANNOTATION: str(index)}, owner=codec.owner_reference(owner)))

    def _delete_parts(self, workflow: str, generation: str, count: int) -> None:
        for index in range(count):
            self.client.delete(self._part_path(workflow, generation, index), missing_ok=True)

    def _decode(self, cm: JSON, name: str) -> JSON:
        """The whole workflow; a split one is re-read if a writer replaced its parts meanwhile."""
        for attempt in range(_ATTEMPTS):
            if attempt:
                time.sleep(0.05 * attempt)  # a writer is between its main ConfigMap and its parts
            workflow = codec.decode_inline(cm)
            if workflow is not None:
                return workflow
            generation, count = codec.parts_of(cm) or ("", 0)
            selector = ",".join(f"{k}={v}" for k, v in codec.part_labels(name, generation).items())
            parts = self.client.list(self._configmaps, label_selector=selector).get("items") or []
            if len(parts) == count:
                return codec.decode_parts(cm, parts)
            cm = self._get_main(name)
        raise StoreError(f'the parts of workflow "{name}" kept changing while it was read', hint="try again")


def _modified(name: str) -> ConflictError:
    return ConflictError(
        f'Operation cannot be fulfilled on {records.RESOURCE[_WORKFLOW]} "{name}": '
        "the object has been modified; please apply your changes to the latest version and try again"
    )


__all__ = ["ConfigMapStore"]
