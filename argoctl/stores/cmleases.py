"""Driver leases of the ConfigMap store as ``coordination.k8s.io/v1`` Lease objects.

One Lease ``argoctl-<workflow>`` per workflow: ``spec.holderIdentity``, ``renewTime`` (MicroTime),
``leaseDurationSeconds`` (whole seconds, rounded up), ``acquireTime``; the exact float renewal time
and TTL ride along as annotations so the ``Lease`` read back equals the one written. Every write is
conditional on the Lease's resourceVersion: of two drivers racing, one wins and the other gets a
ConflictError naming the holder and when its lease expires. A holder renewing its own lease writes
with one PUT (the resourceVersion it last wrote is remembered).
"""

from __future__ import annotations

import contextlib
import math
import re
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from argoctl.errors import ConflictError, NotFoundError, UsageError
from argoctl.kube import paths
from argoctl.stores import cmcodec as codec
from argoctl.stores import records
from argoctl.stores.base import JSON, Lease

if TYPE_CHECKING:
    from argoctl.kube.client import KubeClient

GROUP = "coordination.k8s.io"
_RENEWED_NOTE = "argoctl.io/renewed-at"
_TTL_NOTE = "argoctl.io/ttl-seconds"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


def lease_name(workflow: str) -> str:
    records.check_name("workflow", workflow)
    name = f"argoctl-{workflow}"
    if len(name) > 253 or not _NAME.match(workflow):
        raise UsageError(f"workflow name {workflow!r} cannot name a Lease",
                         hint="use lower-case letters, digits, '-' and '.'")
    return name


def micro_time(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_time(text: str) -> float:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def lease_body(workflow: str, lease: Lease, *, resource_version: str = "", acquired: float | None = None) -> JSON:
    metadata: JSON = {
        "name": lease_name(workflow),
        "labels": {**codec.OWNER, codec.KIND_LABEL: "lease", codec.WORKFLOW_LABEL: codec.label_value(workflow)},
        "annotations": {_RENEWED_NOTE: repr(lease.renewed_at), _TTL_NOTE: repr(lease.ttl_seconds)},
    }
    if resource_version:
        metadata["resourceVersion"] = resource_version
    return {"apiVersion": f"{GROUP}/v1", "kind": "Lease", "metadata": metadata, "spec": {
        "holderIdentity": lease.holder, "leaseDurationSeconds": max(1, math.ceil(lease.ttl_seconds)),
        "renewTime": micro_time(lease.renewed_at),
        "acquireTime": micro_time(lease.renewed_at if acquired is None else acquired)}}


def lease_of(obj: JSON) -> Lease | None:
    """The ``Lease`` a Lease object holds; None when nobody holds it."""
    spec = obj.get("spec") or {}
    holder = str(spec.get("holderIdentity") or "")
    if not holder:
        return None
    notes = (obj.get("metadata") or {}).get("annotations") or {}
    try:
        renewed = float(notes[_RENEWED_NOTE])
        ttl = float(notes[_TTL_NOTE])
    except (KeyError, ValueError):  # written by another tool
        renewed = _parse_time(str(spec.get("renewTime") or spec.get("acquireTime") or ""))
        ttl = float(spec.get("leaseDurationSeconds") or 0)
    return Lease(holder=holder, renewed_at=renewed, ttl_seconds=ttl)


class ConfigMapLeases:
    def __init__(self, client: KubeClient, namespace: str) -> None:
        self.client = client
        self._collection = paths.collection(namespace, "leases", group=GROUP)
        self._held: dict[str, tuple[str, str, float]] = {}  # workflow -> (holder, resourceVersion, acquired)
        self._lock = threading.Lock()

    def _path(self, workflow: str) -> str:
        return f"{self._collection}/{lease_name(workflow)}"

    def acquire(self, workflow: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        lease = Lease(holder=holder, renewed_at=now, ttl_seconds=ttl_seconds)
        with self._lock:
            held = self._held.get(workflow)
        if held is not None and held[0] == holder:
            try:  # renewing our own lease: one conditional PUT
                written = self.client.replace(self._path(workflow), lease_body(
                    workflow, lease, resource_version=held[1], acquired=held[2]))
                return self._keep(workflow, holder, written, held[2], lease)
            except (ConflictError, NotFoundError):
                self._drop(workflow)
        try:
            current = self.client.get(self._path(workflow))
        except NotFoundError:
            return self._create(workflow, lease, now)
        found = lease_of(current)
        records.check_lease_free(found, workflow, holder, now)
        acquired = now if found is None or found.holder != holder else held[2] if held else now
        body = lease_body(workflow, lease, resource_version=str(current["metadata"].get("resourceVersion", "")),
                          acquired=acquired)
        try:
            written = self.client.replace(self._path(workflow), body)
        except (ConflictError, NotFoundError):
            raise self._lost_race(workflow, holder, now) from None
        return self._keep(workflow, holder, written, acquired, lease)

    def _create(self, workflow: str, lease: Lease, now: float) -> Lease:
        try:
            written = self.client.create(self._collection, lease_body(workflow, lease))
        except ConflictError:
            raise self._lost_race(workflow, lease.holder, now) from None
        return self._keep(workflow, lease.holder, written, now, lease)

    def _lost_race(self, workflow: str, holder: str, now: float) -> ConflictError:
        records.check_lease_free(self.get(workflow), workflow, holder, now)  # names the winner
        return ConflictError(f'another driver took the lease of workflow "{workflow}" at the same moment',
                             hint="try again")

    def _keep(self, workflow: str, holder: str, written: JSON, acquired: float, lease: Lease) -> Lease:
        version = str((written.get("metadata") or {}).get("resourceVersion", ""))
        with self._lock:
            self._held[workflow] = (holder, version, acquired)
        return lease

    def _drop(self, workflow: str) -> None:
        with self._lock:
            self._held.pop(workflow, None)

    def release(self, workflow: str, holder: str) -> None:
        """Drop the lease if ``holder`` holds it; otherwise do nothing."""
        self._drop(workflow)
        try:
            current = self.client.get(self._path(workflow))
        except NotFoundError:
            return
        found = lease_of(current)
        if found is None or found.holder != holder:
            return
        # conditional: renewed or taken over meanwhile means it is not ours any more
        with contextlib.suppress(ConflictError):
            self.client.delete(self._path(workflow), resource_version=str(current["metadata"]["resourceVersion"]),
                               missing_ok=True)

    def get(self, workflow: str) -> Lease | None:
        try:
            return lease_of(self.client.get(self._path(workflow)))
        except NotFoundError:
            return None

    def delete(self, workflow: str) -> None:
        self._drop(workflow)
        self.client.delete(self._path(workflow), missing_ok=True)
