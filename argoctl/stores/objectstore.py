"""The object store: the ``Store`` protocol (and so the archive) in an S3-compatible bucket.

``s3://bucket/prefix[?endpoint=URL&region=R&insecure=true]``; credentials come from an explicit
``S3Config`` or the standard AWS chain (environment, shared files, instance roles), never from the
URL. Keys under ``<prefix>/``::

    namespaces/<ns>/workflows/<name>.json          the whole workflow (what ``get`` returns)
    namespaces/<ns>/index/v1-16/<nn>.json          16 index shards of summaries (what ``list`` reads)
    namespaces/<ns>/objects/<Kind>/<name>.json     applied objects
    cluster/objects/ClusterWorkflowTemplate/<name>.json
    namespaces/<ns>/logs/<wf>/<pod>/<container>/<seq>.log   log chunks, read back in order
    namespaces/<ns>/leases/<wf>.json               driver leases

Every write is one PutObject (atomic: readers see the old or the new object). Creates send
``If-None-Match: *`` and updates ``If-Match: <ETag>``, so two writers never both win; a store that
answers 501 to those headers makes this module fall back to check-then-put (racy) with a warning.
The index is updated after the workflow, compare-and-swap on the shard's ETag; a crash between the
two leaves the shard stale until the workflow's next write (or ``reindex()``).
boto3 is imported lazily (``argoctl --help`` must not pay for it).
"""

from __future__ import annotations

import contextlib
import functools
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from argoctl.errors import ConflictError, NotFoundError, StoreError
from argoctl.model.ids import fnv32a
from argoctl.stores import records
from argoctl.stores.base import JSON, Lease
from argoctl.stores.s3bucket import CONFIG_FIELDS, Bucket, PreconditionFailed, S3Config, parse_url
from argoctl.stores.selectors import Selector, as_selector

_WORKFLOW = "Workflow"
_SHARDS = 16
_INDEX_DIR = f"index/v1-{_SHARDS}"
_CAS_ATTEMPTS = 20
_PARALLEL_READS = 8
T = TypeVar("T")


class ObjectStore:
    """The ``Store`` protocol over one bucket and prefix (see the module docstring)."""

    def __init__(
        self,
        url: str,
        *,
        namespace: str = "default",
        config: S3Config | None = None,
        client: Any = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        records.check_name("namespace", namespace)
        bucket, prefix, from_url = parse_url(url)
        self.url = url
        self.namespace = namespace
        self.config = (config or S3Config()).over(from_url)
        self._bucket = Bucket(bucket, self._client_settings(), client=client)
        self._root = f"{prefix}/" if prefix else ""
        self._ns = f"{self._root}namespaces/{namespace}/"
        self._clock = clock
        self._known: dict[str, tuple[JSON, str]] = {}  # workflow → (identity metadata, ETag) last seen
        self._shards: dict[int, tuple[dict[str, JSON], str | None]] = {}  # shard → (entries, ETag)
        self._last_chunk = 0

    def namespaces(self) -> list[str]:
        """The namespaces that hold anything (workflows, archived workflows, objects) under this prefix."""
        base = f"{self._root}namespaces/"
        return sorted({key[len(base):].partition("/")[0] for key in self._bucket.keys(base)})

    def in_namespace(self, namespace: str) -> ObjectStore:
        return ObjectStore(self.url, namespace=namespace, config=self.config, client=self._bucket.client,
                           clock=self._clock)

    def _client_settings(self) -> dict[str, Any]:
        return {name: getattr(self.config, name) for name in CONFIG_FIELDS}

    # -- workflows -----------------------------------------------------------------------------

    def create_workflow(self, workflow: JSON) -> JSON:
        for name in records.candidate_names(workflow):
            stored = records.stamp_new(workflow, name, self.namespace, self._clock())
            try:
                etag = self._bucket.put(self._workflow_key(name), _encode(stored), create_only=True)
            except PreconditionFailed:
                if records.has_fixed_name(workflow):
                    raise ConflictError(f'{records.RESOURCE[_WORKFLOW]} "{name}" already exists') from None
                continue
            self._remember(stored, etag)
            self._index_upsert(stored)
            return stored
        raise ConflictError(f"could not find a free name for generateName {records.generate_name_of(workflow)!r}")

    def get_workflow(self, name: str) -> JSON:
        records.check_name("workflow", name)
        found = self._bucket.get(self._workflow_key(name))
        if found is None:
            raise records.not_found(_WORKFLOW, name)
        workflow = _decode(found[0], self._workflow_key(name))
        self._remember(workflow, found[1])
        return workflow

    def update_workflow(self, workflow: JSON) -> JSON:
        name = records.name_of(workflow)
        current, etag = self._current(name, records.metadata_of(workflow).get("resourceVersion"))
        stored = records.next_version(workflow, current, _WORKFLOW)
        try:
            new_etag = self._bucket.put(self._workflow_key(name), _encode(stored), if_match=etag)
        except PreconditionFailed:
            self._known.pop(name, None)
            return self._conflict_or_missing(name)
        self._remember(stored, new_etag)
        self._index_upsert(stored)
        return stored

    def list_workflows(self, labels: Selector | Mapping[str, str] | str | None = None) -> Sequence[JSON]:
        """Summaries (``records.summarize``) from the index shards, filtered, sorted by name."""
        selector = as_selector(labels)
        shards = self._parallel(self._load_shard, range(_SHARDS))
        found: list[JSON] = []
        for entries, _ in shards:
            found.extend(e for e in entries.values() if selector.matches(e.get("metadata", {}).get("labels")))
        return sorted(found, key=records.sort_key)

    def delete_workflow(self, name: str) -> None:
        """Remove the workflow, its index entry, logs and lease; NotFoundError if none existed."""
        records.check_name("workflow", name)
        existed = self._bucket.exists(self._workflow_key(name))
        if existed:
            self._bucket.delete(self._workflow_key(name))
        self._known.pop(name, None)
        indexed = self._index_change(name, lambda entries: entries.pop(name, None) is not None)
        if not (existed or indexed):
            raise records.not_found(_WORKFLOW, name)
        self._bucket.delete_many(self._bucket.keys(f"{self._ns}logs/{name}/"))
        self._bucket.delete(self._lease_key(name))

    def reindex(self) -> int:
        """Rebuild every index shard from the workflow objects; returns how many were indexed."""
        keys = self._bucket.keys(f"{self._ns}workflows/")
        workflows = self._parallel(lambda key: _decode(self._must_get(key)[0], key), keys)
        by_shard: dict[int, dict[str, JSON]] = {shard: {} for shard in range(_SHARDS)}
        for workflow in workflows:
            name = records.name_of(workflow)
            by_shard[_shard_of(name)][name] = records.summarize(workflow)
        for shard, entries in by_shard.items():
            self._index_change_shard(shard, functools.partial(_replace_all, fresh=entries))
        return len(workflows)

    # -- applied objects -----------------------------------------------------------------------

    def put_object(self, kind: str, obj: JSON) -> None:
        """Create or replace (``apply``): uid and creationTimestamp kept, resourceVersion bumped."""
        records.check_kind(kind)
        key = self._object_key(kind, records.name_of(obj))
        for _ in range(_CAS_ATTEMPTS):
            found = self._bucket.get(key)
            current = None if found is None else _decode(found[0], key)
            stored = records.applied(obj, current, kind, self.namespace, self._clock())
            try:
                if found is None:
                    self._bucket.put(key, _encode(stored), create_only=True)
                else:
                    self._bucket.put(key, _encode(stored), if_match=found[1])
                return
            except PreconditionFailed:
                _backoff()
        raise ConflictError(f"{kind} {records.name_of(obj)!r} kept changing while it was being applied")

    def get_object(self, kind: str, name: str) -> JSON:
        records.check_kind(kind)
        records.check_name(kind, name)
        found = self._bucket.get(self._object_key(kind, name))
        if found is None:
            raise records.not_found(kind, name)
        return _decode(found[0], self._object_key(kind, name))

    def list_objects(self, kind: str) -> Sequence[JSON]:
        records.check_kind(kind)
        keys = [key for key in self._bucket.keys(self._object_dir(kind)) if key.endswith(".json")]
        objects = self._parallel(lambda key: _decode(self._must_get(key)[0], key), keys)
        return sorted(objects, key=records.sort_key)

    def delete_object(self, kind: str, name: str) -> None:
        records.check_kind(kind)
        records.check_name(kind, name)
        key = self._object_key(kind, name)
        if not self._bucket.exists(key):
            raise records.not_found(kind, name)
        self._bucket.delete(key)

    # -- logs ----------------------------------------------------------------------------------

    def append_log(self, workflow: str, pod_name: str, container: str, text: str) -> None:
        """Each append is one chunk object; chunk keys sort in append order."""
        if not text:
            return
        self._last_chunk = max(time.time_ns(), self._last_chunk + 1)
        suffix = random.getrandbits(32)
        key = f"{self._log_dir(workflow, pod_name, container)}{self._last_chunk:020d}-{suffix:08x}.log"
        self._bucket.put(key, text.encode())

    def read_log(self, workflow: str, pod_name: str, container: str) -> str:
        """The whole log so far; ``""`` when nothing was written."""
        keys = sorted(self._bucket.keys(self._log_dir(workflow, pod_name, container)))
        chunks = self._parallel(lambda key: self._must_get(key)[0], keys)
        return b"".join(chunks).decode(errors="replace")

    # -- leases --------------------------------------------------------------------------------

    def acquire_lease(self, workflow: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        key = self._lease_key(workflow)
        found = self._bucket.get(key)
        current = None if found is None else records.lease_from_json(_decode(found[0], key))
        records.check_lease_free(current, workflow, holder, now)
        lease = Lease(holder=holder, renewed_at=now, ttl_seconds=ttl_seconds)
        body = _encode(records.lease_to_json(lease))
        try:
            if found is None:
                self._bucket.put(key, body, create_only=True)
            else:
                self._bucket.put(key, body, if_match=found[1])
        except PreconditionFailed:
            records.check_lease_free(self.get_lease(workflow), workflow, holder, now)
            raise ConflictError(
                f'another driver took the lease of workflow "{workflow}" at the same moment', hint="try again"
            ) from None
        return lease

    def release_lease(self, workflow: str, holder: str) -> None:
        """Drop the lease if ``holder`` holds it; otherwise do nothing."""
        key = self._lease_key(workflow)
        found = self._bucket.get(key)
        if found is None or records.lease_from_json(_decode(found[0], key)).holder != holder:
            return
        with contextlib.suppress(PreconditionFailed):  # renewed or taken over meanwhile: not ours
            self._bucket.delete(key, if_match=found[1])

    def get_lease(self, workflow: str) -> Lease | None:
        key = self._lease_key(workflow)
        found = self._bucket.get(key)
        return None if found is None else records.lease_from_json(_decode(found[0], key))

    # -- index ---------------------------------------------------------------------------------

    def _index_upsert(self, workflow: JSON) -> None:
        summary = records.summarize(workflow)
        name = records.name_of(workflow)
        self._index_change(name, lambda entries: _upsert(entries, name, summary))

    def _index_change(self, name: str, change: Callable[[dict[str, JSON]], bool]) -> bool:
        return self._index_change_shard(_shard_of(name), change)

    def _index_change_shard(self, shard: int, change: Callable[[dict[str, JSON]], bool]) -> bool:
        """Apply ``change`` (True when it changed something) to a shard, compare-and-swap on its ETag."""
        key = self._shard_key(shard)
        for _ in range(_CAS_ATTEMPTS):
            cached = self._shards.get(shard) or self._load_shard(shard)
            entries = dict(cached[0])
            if not change(entries):
                return False
            try:
                etag = self._bucket.put(key, _encode({"entries": entries}), if_match=cached[1],
                                        create_only=cached[1] is None)
            except PreconditionFailed:
                self._shards.pop(shard, None)
                _backoff()
                continue
            self._shards[shard] = (entries, etag)
            return True
        raise StoreError(f"the index shard {key} kept changing; gave up after {_CAS_ATTEMPTS} attempts")

    def _load_shard(self, shard: int) -> tuple[dict[str, JSON], str | None]:
        key = self._shard_key(shard)
        found = self._bucket.get(key)
        loaded: tuple[dict[str, JSON], str | None] = ({}, None)
        if found is not None:
            entries = _decode(found[0], key).get("entries")
            loaded = (entries if isinstance(entries, dict) else {}, found[1])
        self._shards[shard] = loaded
        return loaded

    # -- helpers -------------------------------------------------------------------------------

    def _current(self, name: str, given_version: Any) -> tuple[JSON, str]:
        """The stored identity and ETag: from memory when the caller holds the version we last saw."""
        known = self._known.get(name)
        if known is not None and given_version and str(given_version) == known[0].get("resourceVersion"):
            return {"metadata": known[0]}, known[1]
        key = self._workflow_key(name)
        found = self._bucket.get(key)
        if found is None:
            raise records.not_found(_WORKFLOW, name)
        return _decode(found[0], key), found[1]

    def _conflict_or_missing(self, name: str) -> JSON:
        if not self._bucket.exists(self._workflow_key(name)):
            raise records.not_found(_WORKFLOW, name)
        raise ConflictError(
            f'Operation cannot be fulfilled on {records.RESOURCE[_WORKFLOW]} "{name}": the object has been '
            "modified; please apply your changes to the latest version and try again"
        )

    def _remember(self, workflow: JSON, etag: str) -> None:
        metadata = records.metadata_of(workflow)
        identity: JSON = {k: metadata[k] for k in ("name", "namespace", "uid", "creationTimestamp",
                                              "resourceVersion") if k in metadata}
        self._known[str(metadata.get("name"))] = (identity, etag)

    def _must_get(self, key: str) -> tuple[bytes, str]:
        found = self._bucket.get(key)
        if found is None:
            raise NotFoundError(f"{key} disappeared while it was being read", hint="try again")
        return found

    def _parallel(self, fetch: Callable[[Any], T], items: Iterable[Any]) -> list[T]:
        todo = list(items)
        if len(todo) <= 1:
            return [fetch(item) for item in todo]
        with ThreadPoolExecutor(max_workers=min(_PARALLEL_READS, len(todo))) as pool:
            return list(pool.map(fetch, todo))

    def _workflow_key(self, name: str) -> str:
        return f"{self._ns}workflows/{name}.json"

    def _shard_key(self, shard: int) -> str:
        return f"{self._ns}{_INDEX_DIR}/{shard:02d}.json"

    def _object_dir(self, kind: str) -> str:
        base = f"{self._root}cluster/" if kind in records.CLUSTER_KINDS else self._ns
        return f"{base}objects/{kind}/"

    def _object_key(self, kind: str, name: str) -> str:
        return f"{self._object_dir(kind)}{name}.json"

    def _log_dir(self, workflow: str, pod_name: str, container: str) -> str:
        records.check_name("workflow", workflow)
        records.check_name("pod", pod_name)
        records.check_name("container", container)
        return f"{self._ns}logs/{workflow}/{pod_name}/{container}/"

    def _lease_key(self, workflow: str) -> str:
        return f"{self._ns}leases/{records.check_name('workflow', workflow)}.json"


def _shard_of(name: str) -> int:
    return fnv32a(name) % _SHARDS


def _upsert(entries: dict[str, JSON], name: str, summary: JSON) -> bool:
    """Put ``summary`` unless the shard already holds it or a newer version of the same workflow."""
    existing = entries.get(name)
    if existing == summary:
        return False
    if existing is not None:
        same_uid = existing.get("metadata", {}).get("uid") == summary.get("metadata", {}).get("uid")
        if same_uid and records.version_of(existing) > records.version_of(summary):
            return False
    entries[name] = summary
    return True


def _replace_all(entries: dict[str, JSON], fresh: dict[str, JSON]) -> bool:
    if entries == fresh:
        return False
    entries.clear()
    entries.update(fresh)
    return True


def _backoff() -> None:
    time.sleep(random.uniform(0.005, 0.05))


_encode = records.encode


def _decode(data: bytes, key: str) -> JSON:
    return records.decode(data, key, hint="restore or delete the object")


__all__ = ["ObjectStore", "S3Config", "parse_url"]
