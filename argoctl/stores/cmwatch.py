"""A watched list: one LIST, then one watch keeps an in-memory copy current (an informer, small).

The driver asks "any commands for my workflow?" several times a second; with this, the answer
comes from memory and the API server sees one LIST and one long watch instead of a LIST per
question. The watch resumes from the last resourceVersion when the server ends it, lists again on
410 Gone, and backs off on errors; it stops when the client is closed. Writes this process makes
are applied to the copy at once (``upsert``/``discard``), so it never lags behind its own writer.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from argoctl.errors import ArgoctlError
from argoctl.kube.errors import Gone
from argoctl.stores.base import JSON

if TYPE_CHECKING:
    from argoctl.kube.client import KubeClient

_WATCH_SECONDS = 120
_MAX_BACKOFF = 10.0


class WatchedList:
    def __init__(self, client: KubeClient, path: str, label_selector: str) -> None:
        self.client = client
        self.path = path
        self.label_selector = label_selector
        self._items: dict[str, JSON] = {}
        self._version = ""
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def items(self) -> list[JSON]:
        """The objects, as of the latest event seen (the first call lists and starts the watch)."""
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._relist()
                    self._thread = threading.Thread(target=self._follow, name=f"argoctl-watch {self.path}",
                                                    daemon=True)
                    self._thread.start()
        with self._lock:
            return list(self._items.values())

    def upsert(self, obj: JSON) -> None:
        with self._lock:
            self._items[str(obj["metadata"]["name"])] = obj

    def discard(self, name: str) -> None:
        with self._lock:
            self._items.pop(name, None)

    def _relist(self) -> None:
        listed = self.client.list(self.path, label_selector=self.label_selector)
        self._items = {str(i["metadata"]["name"]): i for i in listed.get("items") or []}
        self._version = str((listed.get("metadata") or {}).get("resourceVersion", ""))

    def _follow(self) -> None:
        backoff = 0.1
        while not self.client.closed:
            try:
                for kind, obj in self.client.watch(self.path, resource_version=self._version,
                                                   label_selector=self.label_selector,
                                                   timeout_seconds=_WATCH_SECONDS):
                    self._apply(kind, obj)
                backoff = 0.1
            except Gone:
                with self._lock:
                    self._safe_relist()
            except ArgoctlError:
                time.sleep(backoff)
                backoff = min(_MAX_BACKOFF, backoff * 2)

    def _safe_relist(self) -> None:
        try:
            self._relist()
        except ArgoctlError:
            self._version = ""

    def _apply(self, kind: str, obj: JSON) -> None:
        version = str((obj.get("metadata") or {}).get("resourceVersion", ""))
        with self._lock:
            if version:
                self._version = version
            name = str((obj.get("metadata") or {}).get("name", ""))
            if kind in ("ADDED", "MODIFIED"):
                self._items[name] = obj
            elif kind == "DELETED":
                self._items.pop(name, None)
