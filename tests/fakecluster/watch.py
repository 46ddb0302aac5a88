"""Watch streams: initial ADDED events or a replay from a resourceVersion, then live events
filtered by namespace, labels and fields (an object leaving the selection is DELETED, one
entering it ADDED), bookmarks, timeoutSeconds, 410 Gone as an in-stream ERROR event, and drops."""

from __future__ import annotations

import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from tests.fakecluster.errors import ApiError
from tests.fakecluster.resources import ResourceType
from tests.fakecluster.selectors import Selection
from tests.fakecluster.store import STOP, Store, WatchEvent

JSON = dict[str, Any]
DEFAULT_TIMEOUT = 1800.0


def _line(kind: str, obj: JSON) -> bytes:
    return json.dumps({"type": kind, "object": obj}, separators=(",", ":")).encode() + b"\n"


def _versioned(obj: JSON, rt: ResourceType) -> JSON:
    if obj.get("apiVersion") != rt.api_version:
        obj = {**obj, "apiVersion": rt.api_version}
    return obj


def _transition(event: WatchEvent, selection: Selection) -> str | None:
    """The event type this watcher sees, or None when the change is outside its selection."""
    now = selection.matches(event.obj) if event.type != "DELETED" else False
    before = event.old is not None and selection.matches(event.old)
    if event.type == "DELETED":
        return "DELETED" if before else None
    if now and before:
        return "MODIFIED"
    if now:
        return "ADDED"
    return "DELETED" if before else None


class WatchStream:
    """One open watch; ``events()`` yields the bytes of its response body."""

    def __init__(self, store: Store, rt: ResourceType, selection: Selection, since: int | None,
                 timeout: float | None, bookmarks: bool, bookmark_interval: float,
                 drop_after: int | None = None, drop_abrupt: bool = False,
                 alive: Callable[[], bool] = lambda: True) -> None:
        self.store = store
        self.rt = rt
        self.resource = rt.plural
        self.selection = selection
        self.since = since
        self.timeout = timeout if timeout is not None and timeout > 0 else DEFAULT_TIMEOUT
        self.bookmarks = bookmarks
        self.bookmark_interval = bookmark_interval
        self.drop_after = drop_after
        self.abrupt = drop_abrupt
        self.dropped = threading.Event()
        self.alive = alive
        self._wakeup: queue.Queue[Any] | None = None

    def drop(self, abrupt: bool) -> None:
        self.abrupt = abrupt
        self.dropped.set()
        if self._wakeup is not None:
            self._wakeup.put(STOP)

    def events(self) -> Iterator[bytes]:
        try:
            initial, watcher = self.store.watch(self.rt.group_resource, self.since)
        except ApiError as error:
            yield _line("ERROR", error.status_body())
            return
        self._wakeup = watcher.events
        try:
            yield from self._serve(initial, watcher.events)
        finally:
            self.store.unwatch(watcher)

    def _serve(self, initial: list[JSON], events: queue.Queue[Any]) -> Iterator[bytes]:
        sent = 0
        last_rv = self.since or 0
        for obj in initial:
            if self.selection.matches(obj):
                yield _line("ADDED", _versioned(obj, self.rt))
                sent += 1
                last_rv = max(last_rv, int(obj["metadata"]["resourceVersion"]))
        deadline = time.monotonic() + self.timeout
        next_bookmark = time.monotonic() + self.bookmark_interval
        while not self._should_drop(sent):
            now = time.monotonic()
            if now >= deadline or not self.alive():
                return
            if self.bookmarks and now >= next_bookmark:
                yield self._bookmark(events, last_rv)
                next_bookmark = now + self.bookmark_interval
            wait = min(deadline - now, max(next_bookmark - now, 0.01) if self.bookmarks else 1.0)
            try:
                item = events.get(timeout=wait)
            except queue.Empty:
                continue
            if item is STOP:
                if not self.dropped.is_set():
                    self.dropped.set()  # server shutting down
                return
            kind = _transition(item, self.selection)
            last_rv = item.resource_version
            if kind is not None:
                yield _line(kind, _versioned(item.obj, self.rt))
                sent += 1

    def _should_drop(self, sent: int) -> bool:
        if self.dropped.is_set():
            return True
        if self.drop_after is not None and sent >= self.drop_after:
            self.dropped.set()
            return True
        return False

    def _bookmark(self, events: queue.Queue[Any], last_rv: int) -> bytes:
        with self.store.lock:
            rv = self.store.resource_version if events.empty() else last_rv
        obj = {"kind": self.rt.kind, "apiVersion": self.rt.api_version,
               "metadata": {"resourceVersion": str(rv)}}
        return _line("BOOKMARK", obj)
