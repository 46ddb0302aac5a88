"""Object storage with one global resourceVersion counter, a bounded event history and watchers.

The store knows nothing of Kubernetes semantics beyond resourceVersion: ``service.py`` applies
defaults, validation, preconditions and garbage collection on top of it. Stored objects are
never mutated in place; readers get deep copies.
"""

from __future__ import annotations

import json
import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from tests.fakecluster.errors import gone

JSON = dict[str, Any]
T = TypeVar("T")
GroupResource = tuple[str, str]  # (group, plural)
ObjectKey = tuple[str, str]  # (namespace or "", name)


@dataclass(frozen=True)
class WatchEvent:
    resource_version: int
    type: str  # ADDED, MODIFIED, DELETED
    group_resource: GroupResource
    obj: JSON
    old: JSON | None = None


def clone(value: T) -> T:
    """A deep copy of a JSON value (faster than copy.deepcopy for plain JSON)."""
    return cast(T, json.loads(json.dumps(value)))


STOP = object()  # put in a watcher's queue to end it


@dataclass(eq=False)
class Watcher:
    """A subscription to one group/resource; events arrive in ``events`` in resourceVersion order."""

    group_resource: GroupResource
    events: queue.Queue[Any] = field(default_factory=queue.Queue)
    closed: bool = False


class Store:
    def __init__(self, history_limit: int = 10_000) -> None:
        self._lock = threading.RLock()
        self._objects: dict[GroupResource, dict[ObjectKey, JSON]] = {}
        self._history: deque[WatchEvent] = deque()
        self._history_limit = history_limit
        self._horizon = 0  # history holds every event with resourceVersion > horizon
        self._rv = 0
        self._watchers: set[Watcher] = set()

    # ---- reads ----------------------------------------------------------------------------

    @property
    def resource_version(self) -> int:
        with self._lock:
            return self._rv

    @property
    def lock(self) -> threading.RLock:
        """Held by callers that need several store calls to be atomic."""
        return self._lock

    def get(self, gr: GroupResource, namespace: str, name: str) -> JSON | None:
        with self._lock:
            obj = self._objects.get(gr, {}).get((namespace, name))
            return clone(obj) if obj is not None else None

    def list_objects(self, gr: GroupResource, predicate: Callable[[JSON], bool] | None = None) -> tuple[list[JSON], int]:
        """Matching objects sorted by (namespace, name), and the resourceVersion of the snapshot."""
        with self._lock:
            items = [o for _, o in sorted(self._objects.get(gr, {}).items()) if predicate is None or predicate(o)]
            return clone(items), self._rv

    def group_resources(self) -> list[GroupResource]:
        with self._lock:
            return [gr for gr, objs in self._objects.items() if objs]

    def find(self, predicate: Callable[[JSON], bool]) -> list[tuple[GroupResource, JSON]]:
        """Objects of every resource matching ``predicate`` (used by garbage collection)."""
        with self._lock:
            return [
                (gr, clone(obj))
                for gr, objs in self._objects.items()
                for obj in objs.values()
                if predicate(obj)
            ]

    # ---- writes ---------------------------------------------------------------------------

    def put(self, gr: GroupResource, obj: JSON) -> JSON:
        """Store ``obj`` (create or replace), stamping a new resourceVersion; returns a copy."""
        with self._lock:
            meta = obj["metadata"]
            key = (meta.get("namespace", ""), meta["name"])
            old = self._objects.setdefault(gr, {}).get(key)
            self._rv += 1
            stored = clone(obj)
            stored["metadata"]["resourceVersion"] = str(self._rv)
            self._objects[gr][key] = stored
            self._emit(WatchEvent(self._rv, "MODIFIED" if old is not None else "ADDED", gr, stored, old))
            return clone(stored)

    def remove(self, gr: GroupResource, namespace: str, name: str) -> JSON | None:
        """Delete an object; the DELETED event carries a new resourceVersion, as etcd's does."""
        with self._lock:
            old = self._objects.get(gr, {}).pop((namespace, name), None)
            if old is None:
                return None
            self._rv += 1
            final = clone(old)
            final["metadata"]["resourceVersion"] = str(self._rv)
            self._emit(WatchEvent(self._rv, "DELETED", gr, final, old))
            return clone(final)

    def _emit(self, event: WatchEvent) -> None:
        self._history.append(event)
        while len(self._history) > self._history_limit:
            self._horizon = self._history.popleft().resource_version
        for watcher in list(self._watchers):
            if watcher.group_resource == event.group_resource:
                watcher.events.put(event)

    def compact(self) -> int:
        """Forget the whole event history (like etcd compaction); returns the new horizon."""
        with self._lock:
            self._history.clear()
            self._horizon = self._rv
            return self._horizon

    # ---- watches --------------------------------------------------------------------------

    def watch(self, gr: GroupResource, since: int | None) -> tuple[list[JSON], Watcher]:
        """Subscribe to ``gr``.

        ``since`` None: returns the current objects (to send as ADDED) and later events.
        ``since`` N: replays history after N; raises 410 Gone when N is older than the history.
        """
        with self._lock:
            watcher = Watcher(gr)
            initial: list[JSON] = []
            if since is None:
                initial = clone([o for _, o in sorted(self._objects.get(gr, {}).items())])
            else:
                if since < self._horizon:
                    raise gone(f"too old resource version: {since} ({self._horizon + 1})")
                for event in self._history:
                    if event.resource_version > since and event.group_resource == gr:
                        watcher.events.put(event)
            self._watchers.add(watcher)
            return initial, watcher

    def unwatch(self, watcher: Watcher) -> None:
        with self._lock:
            self._watchers.discard(watcher)
            watcher.closed = True

    def stop_all_watchers(self) -> None:
        with self._lock:
            for watcher in self._watchers:
                watcher.events.put(STOP)
            self._watchers.clear()
