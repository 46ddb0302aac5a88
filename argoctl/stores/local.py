"""The local store: workflows, applied objects, logs and leases as files under ``$ARGOCTL_HOME``.

Layout (``<ns>`` = namespace)::

    <home>/namespaces/<ns>/workflows/<name>.json
    <home>/namespaces/<ns>/objects/<Kind>/<name>.json
    <home>/cluster/objects/ClusterWorkflowTemplate/<name>.json
    <home>/namespaces/<ns>/logs/<workflow>/<pod>/<container>.log
    <home>/namespaces/<ns>/leases/<workflow>.json
    <home>/namespaces/<ns>/locks/<Kind>/<name>.lock      (flock targets, never deleted)

Every document write is a temp file in the same directory, fsync, ``os.replace``: a reader sees the
old or the new version, never half of one. The one exception to the fsync is a driver's checkpoint
of a workflow still Pending or Running (written once per step, and swapped in with
``exchange.swap_into_place`` rather than ``os.replace``, sparing ext4's flush): the swap alone keeps it whole
and in place when any process dies, which is what a driver taking over relies on; only a crash of
the whole machine may lose the last of these (its local pods die with it anyway), never a
created or completed workflow. Leases are not fsynced either: they only say which live process
drives a workflow, and a lease torn by a crash of the machine reads as no lease. Writers of one document serialise on an ``fcntl.flock``.
The record rules shared with the other stores (stamping, versions, summaries, leases) live in
``argoctl.stores.records``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from argoctl.errors import ConflictError, StoreError
from argoctl.stores import records
from argoctl.stores.base import JSON, Lease
from argoctl.stores.exchange import swap_into_place
from argoctl.stores.selectors import Selector, as_selector

_WORKFLOW = "Workflow"


class LocalStore:
    """The ``Store`` protocol over a directory tree (see the module docstring for the layout)."""

    def __init__(
        self, home: Path, namespace: str = "default", *, clock: Callable[[], float] = time.time
    ) -> None:
        records.check_name("namespace", namespace)
        self.home = Path(home)
        self.namespace = namespace
        self._clock = clock
        self._root = self.home / "namespaces" / namespace
        # the metadata of each workflow file this store last wrote, by the file's identity: a
        # driver's next save checks its resourceVersion without reading and parsing the whole
        # status again (every write replaces the file, so another writer changes the identity)
        self._written: dict[Path, tuple[tuple[int, int, int], JSON]] = {}

    # -- workflows -----------------------------------------------------------------------------

    def create_workflow(self, workflow: JSON) -> JSON:
        for name in records.candidate_names(workflow):
            stored = records.stamp_new(workflow, name, self.namespace, self._clock())
            with self._lock(_WORKFLOW, name):
                path = self._workflow_path(name)
                if not path.exists():
                    _write_json(path, stored)
                    return stored
                if records.has_fixed_name(workflow):
                    raise ConflictError(f'{records.RESOURCE[_WORKFLOW]} "{name}" already exists')
        raise ConflictError(f"could not find a free name for generateName {records.generate_name_of(workflow)!r}")

    def get_workflow(self, name: str) -> JSON:
        records.check_name("workflow", name)
        return _read_json(self._workflow_path(name), _WORKFLOW, name)

    def update_workflow(self, workflow: JSON) -> JSON:
        name = records.name_of(workflow)
        path = self._workflow_path(name)
        with self._lock(_WORKFLOW, name):
            current = self._last_written(path) or self.get_workflow(name)
            stored = records.next_version(workflow, current, _WORKFLOW)
            _write_json(path, stored, durable=not _in_flight(stored))
            self._remember(path, stored)
            return stored

    def _last_written(self, path: Path) -> JSON | None:
        """``{"metadata": ...}`` of the file as this store wrote it, if nobody replaced it since."""
        known = self._written.get(path)
        if known is None:
            return None
        try:
            identity = _identity(path)
        except OSError:
            return None
        return {"metadata": known[1]} if identity == known[0] else None

    def _remember(self, path: Path, stored: JSON) -> None:
        try:
            self._written[path] = (_identity(path), dict(stored["metadata"]))
        except OSError:
            self._written.pop(path, None)

    def list_workflows(self, labels: Selector | Mapping[str, str] | str | None = None) -> Sequence[JSON]:
        """Summaries (``records.summarize``) of the workflows whose labels match, sorted by name."""
        selector = as_selector(labels)
        found: list[JSON] = []
        for path in _documents(self._root / "workflows"):
            workflow = _read_json_or_none(path)
            if workflow is not None and selector.matches(workflow.get("metadata", {}).get("labels")):
                found.append(records.summarize(workflow))
        return sorted(found, key=records.sort_key)

    def delete_workflow(self, name: str) -> None:
        """Remove the workflow, its logs and its lease; NotFoundError if absent."""
        records.check_name("workflow", name)
        with self._lock(_WORKFLOW, name):
            path = self._workflow_path(name)
            try:
                path.unlink()
            except FileNotFoundError:
                raise records.not_found(_WORKFLOW, name) from None
            except OSError as err:
                raise _store_error("delete", path, err) from err
            shutil.rmtree(self._root / "logs" / name, ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                self._lease_path(name).unlink()

    # -- applied objects -----------------------------------------------------------------------

    def put_object(self, kind: str, obj: JSON) -> None:
        """Create or replace (``apply``): uid and creationTimestamp kept, resourceVersion bumped."""
        records.check_kind(kind)
        name = records.name_of(obj)
        with self._lock(kind, name):
            path = self._object_path(kind, name)
            current = _read_json_or_none(path)
            _write_json(path, records.applied(obj, current, kind, self.namespace, self._clock()))

    def get_object(self, kind: str, name: str) -> JSON:
        records.check_kind(kind)
        records.check_name(kind, name)
        return _read_json(self._object_path(kind, name), kind, name)

    def list_objects(self, kind: str) -> Sequence[JSON]:
        records.check_kind(kind)
        found = (_read_json_or_none(path) for path in _documents(self._object_dir(kind)))
        return sorted((obj for obj in found if obj is not None), key=records.sort_key)

    def delete_object(self, kind: str, name: str) -> None:
        records.check_kind(kind)
        records.check_name(kind, name)
        with self._lock(kind, name):
            path = self._object_path(kind, name)
            try:
                path.unlink()
            except FileNotFoundError:
                raise records.not_found(kind, name) from None
            except OSError as err:
                raise _store_error("delete", path, err) from err

    # -- logs ----------------------------------------------------------------------------------

    def append_log(self, workflow: str, pod_name: str, container: str, text: str) -> None:
        path = self._log_path(workflow, pod_name, container)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, text.encode())
            finally:
                os.close(fd)
        except OSError as err:
            raise _store_error("append to", path, err) from err

    def read_log(self, workflow: str, pod_name: str, container: str) -> str:
        """The whole log so far; ``""`` when nothing was written."""
        path = self._log_path(workflow, pod_name, container)
        try:
            return path.read_bytes().decode(errors="replace")
        except FileNotFoundError:
            return ""
        except OSError as err:
            raise _store_error("read", path, err) from err

    # -- leases --------------------------------------------------------------------------------

    def acquire_lease(self, workflow: str, holder: str, ttl_seconds: float, now: float) -> Lease:
        records.check_name("workflow", workflow)
        with self._lock(_WORKFLOW, workflow):
            records.check_lease_free(self.get_lease(workflow), workflow, holder, now)
            lease = Lease(holder=holder, renewed_at=now, ttl_seconds=ttl_seconds)
            # not fsynced: live drivers exclude each other through the page cache; a crash of the
            # machine ends its drivers, so a lease torn by it is read as no lease (``get_lease``)
            _write_json(self._lease_path(workflow), records.lease_to_json(lease), durable=False)
            return lease

    def release_lease(self, workflow: str, holder: str) -> None:
        """Drop the lease if ``holder`` holds it; otherwise do nothing."""
        records.check_name("workflow", workflow)
        with self._lock(_WORKFLOW, workflow):
            lease = self.get_lease(workflow)
            if lease is not None and lease.holder == holder:
                with contextlib.suppress(FileNotFoundError):
                    self._lease_path(workflow).unlink()

    def get_lease(self, workflow: str) -> Lease | None:
        records.check_name("workflow", workflow)
        path = self._lease_path(workflow)
        raw = _read_bytes_or_none(path)
        if raw is None:
            return None
        try:
            return records.lease_from_json(records.decode(raw, str(path), hint=""))
        except StoreError:
            return None  # torn by a crash of the machine (leases are not fsynced): its holder is gone

    # -- namespaces (``list -A``) --------------------------------------------------------------

    def namespaces(self) -> list[str]:
        """The namespaces that hold anything (workflows, archived workflows, objects) in this directory."""
        base = self.home / "namespaces"
        return sorted(d.name for d in base.iterdir() if d.is_dir()) if base.is_dir() else []

    def in_namespace(self, namespace: str) -> LocalStore:
        return LocalStore(self.home, namespace, clock=self._clock)

    # -- paths and locks -----------------------------------------------------------------------

    def _workflow_path(self, name: str) -> Path:
        return self._root / "workflows" / f"{name}.json"

    def _object_dir(self, kind: str) -> Path:
        if kind in records.CLUSTER_KINDS:
            return self.home / "cluster" / "objects" / kind
        return self._root / "objects" / kind

    def _object_path(self, kind: str, name: str) -> Path:
        return self._object_dir(kind) / f"{name}.json"

    def _lease_path(self, workflow: str) -> Path:
        return self._root / "leases" / f"{workflow}.json"

    def _log_path(self, workflow: str, pod_name: str, container: str) -> Path:
        records.check_name("workflow", workflow)
        records.check_name("pod", pod_name)
        records.check_name("container", container)
        return self._root / "logs" / workflow / pod_name / f"{container}.log"

    @contextlib.contextmanager
    def _lock(self, kind: str, name: str) -> Iterator[None]:
        base = self.home / "cluster" if kind in records.CLUSTER_KINDS else self._root
        path = base / "locks" / kind / f"{name}.lock"
        with _flock(path):
            yield


# -- file primitives ---------------------------------------------------------------------------


@contextlib.contextmanager
def _flock(path: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``path`` (created if needed), released on exit."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as err:
        raise _store_error("lock", path, err) from err
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so readers see the old or the new bytes, never a mix.

    A temp file in the same directory is written and fsynced, then ``os.replace``d over ``path``;
    the directory is fsynced so the rename itself survives a crash (neither fsync when not
    ``durable``). On any failure the temp file is removed and the old version stays in place.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        raise _store_error("write", path, err) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if durable:
            os.replace(temp, path)
        else:  # a running workflow's checkpoint: swapped in, sparing ext4's flush on replace
            swap_into_place(temp, str(path))
    except OSError as err:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise _store_error("write", path, err) from err
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_json(path: Path, document: JSON, *, durable: bool = True) -> None:
    atomic_write(path, records.encode(document), durable=durable)


def _identity(path: Path) -> tuple[int, int, int]:
    """What changes whenever the file is replaced (``atomic_write`` renames a new inode in)."""
    st = path.stat()
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _in_flight(workflow: JSON) -> bool:
    """A workflow a driver is still running (its checkpoints need not be fsynced, see above)."""
    return str((workflow.get("status") or {}).get("phase") or "") in ("Pending", "Running")


def _read_bytes_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise _store_error("read", path, err) from err


def _read_json_or_none(path: Path) -> JSON | None:
    data = _read_bytes_or_none(path)
    return None if data is None else records.decode(data, str(path), hint="restore or delete the file")


def _read_json(path: Path, kind: str, name: str) -> JSON:
    document = _read_json_or_none(path)
    if document is None:
        raise records.not_found(kind, name)
    return document


def _documents(directory: Path) -> list[Path]:
    """The ``*.json`` documents of ``directory`` (temp files skipped), sorted by name."""
    try:
        names = sorted(os.listdir(directory))
    except FileNotFoundError:
        return []
    except OSError as err:
        raise _store_error("list", directory, err) from err
    return [directory / name for name in names if name.endswith(".json") and not name.startswith(".")]


def _store_error(action: str, path: Path, err: OSError) -> StoreError:
    reason = err.strerror or str(err)
    return StoreError(
        f"cannot {action} {path}: {reason}",
        hint="check that ARGOCTL_HOME points to a writable directory",
    )

