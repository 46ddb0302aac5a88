"""One watch per workflow: LIST the workflow's pods once, then WATCH from that resourceVersion.

The thread keeps the last resourceVersion it saw (bookmarks included) and re-watches from it when
the server ends a watch (``timeoutSeconds``) or the stream breaks (after a back-off, so a dead
server is not hammered); only a 410 Gone makes it LIST again. Each pod event goes to ``sink`` as
``(type, pod)``; a LIST reports every pod as ``SYNC`` and pods it no longer finds as ``DELETED``.
The latest object of every pod is kept in ``cached()`` (what a re-attaching driver adopts).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from argoctl.errors import ArgoctlError, ClusterError
from argoctl.kube import paths
from argoctl.kube.errors import Gone

JSON = dict[str, Any]
Sink = Callable[[str, JSON], None]


@dataclass
class WatchStats:
    lists: int = 0
    watches: int = 0
    reconnects: int = 0
    gone: int = 0
    errors: list[str] = field(default_factory=list)


def _name(obj: JSON) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def _resource_version(obj: JSON) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion") or "")


class WorkflowWatch:
    """LIST+WATCH of the pods labelled ``workflows.argoproj.io/workflow=<workflow>``."""

    def __init__(self, client: Any, namespace: str, selector: str, sink: Sink, *,
                 timeout_seconds: int = 300, backoff: tuple[float, float] = (0.1, 5.0)) -> None:
        self.client = client
        self.namespace = namespace
        self.selector = selector
        self.sink = sink
        self.timeout_seconds = timeout_seconds
        self.backoff = backoff
        self.stats = WatchStats()
        self._path = paths.collection(namespace, "pods")
        self._cache: dict[str, JSON] = {}
        self._lock = threading.Lock()
        self._synced = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"argoctl-watch-{selector}", daemon=True)

    def start(self) -> WorkflowWatch:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()

    def wait_synced(self, timeout: float) -> bool:
        """Block until the first LIST is done (False after ``timeout`` seconds)."""
        return self._synced.wait(timeout)

    def cached(self, name: str) -> JSON | None:
        with self._lock:
            return self._cache.get(name)

    # -- the thread ----------------------------------------------------------------------------
    def _run(self) -> None:
        resource_version = ""
        delay = self.backoff[0]
        while not self._stopped.is_set():
            try:
                if not resource_version:
                    resource_version = self._list()
                resource_version = self._watch(resource_version)
                delay = self.backoff[0]
            except Gone:
                self.stats.gone += 1
                resource_version = ""
            except Exception as err:  # the thread must outlive any one bad stream, or events are lost
                self.stats.reconnects += 1
                self.stats.errors.append(str(err))
                if isinstance(err, ClusterError) and err.status in (401, 403):
                    self.sink("ERROR", {"message": err.message, "code": err.status, "hint": err.hint})
                    delay = self.backoff[1]
                elif not isinstance(err, ArgoctlError):
                    resource_version = ""  # something unexpected: start again from a LIST
                if self._stopped.wait(delay):
                    return
                delay = min(self.backoff[1], delay * 2)

    def _list(self) -> str:
        result = self.client.list(self._path, label_selector=self.selector)
        self.stats.lists += 1
        items = [i for i in result.get("items") or [] if isinstance(i, dict)]
        with self._lock:
            missing = [obj for name, obj in self._cache.items() if name not in {_name(i) for i in items}]
            for name in [_name(obj) for obj in missing]:
                del self._cache[name]
            for item in items:
                item.setdefault("kind", "Pod")
                self._cache[_name(item)] = item
        for obj in missing:
            self.sink("DELETED", obj)
        for item in items:
            self.sink("SYNC", item)
        self._synced.set()
        return str((result.get("metadata") or {}).get("resourceVersion") or "")

    def _watch(self, resource_version: str) -> str:
        self.stats.watches += 1
        events = self.client.watch(self._path, resource_version=resource_version, label_selector=self.selector,
                                   timeout_seconds=self.timeout_seconds)
        for kind, obj in events:
            if self._stopped.is_set():
                break
            resource_version = _resource_version(obj) or resource_version
            if kind not in ("ADDED", "MODIFIED", "DELETED"):
                continue
            name = _name(obj)
            with self._lock:
                if kind == "DELETED":
                    self._cache.pop(name, None)
                else:
                    self._cache[name] = obj
            self.sink(kind, obj)
        return resource_version
