"""The per-workflow pod watch outlives a stream that breaks in an unexpected way: a thread that
died would leave the driver waiting for events that never come."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from argoctl.backends.kube.watcher import WorkflowWatch

JSON = dict[str, Any]


class FlakyClient:
    """A list/watch seam: the first watch yields half an event's worth of garbage."""

    def __init__(self) -> None:
        self.lists = 0
        self.watches = 0

    def list(self, path: str, *, label_selector: str = "") -> JSON:
        self.lists += 1
        pods = [{"metadata": {"name": "p", "resourceVersion": str(self.lists)}, "status": {"phase": "Running"}}]
        if self.lists > 1:
            pods[0]["status"]["phase"] = "Succeeded"
        return {"metadata": {"resourceVersion": str(self.lists)}, "items": pods}

    def watch(self, path: str, **_: Any) -> Iterator[tuple[str, JSON]]:
        self.watches += 1
        if self.watches == 1:
            raise KeyError("object")  # not an ArgoctlError: the old loop let the thread die here
        yield from ()
        threading.Event().wait(10)


def test_an_unexpected_error_relists_instead_of_killing_the_watch() -> None:
    seen: list[tuple[str, str]] = []
    done = threading.Event()

    def sink(kind: str, obj: JSON) -> None:
        seen.append((kind, obj["status"]["phase"]))
        if obj["status"]["phase"] == "Succeeded":
            done.set()

    client = FlakyClient()
    watch = WorkflowWatch(client, "default", "w=x", sink, backoff=(0.01, 0.05)).start()
    try:
        assert done.wait(60), seen
    finally:
        watch.stop()
    assert seen[0] == ("SYNC", "Running") and ("SYNC", "Succeeded") in seen
    assert client.lists == 2 and watch.stats.errors == ["'object'"]
