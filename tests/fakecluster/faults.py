"""Transport faults injected per test, and the request counter.

Rules match requests by verb, resource (``pods``, ``pods/log``), namespace, name or a path
regex, and act on the next ``count`` matches (``None``: until removed): answer a 5xx or 429
(with Retry-After), reset the connection, add latency, answer 403, or drop a watch stream.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from tests.fakecluster.routing import RequestInfo

WRITE_VERBS = ("create", "update", "patch", "delete", "deletecollection")


class DroppableStream(Protocol):
    resource: str

    def drop(self, abrupt: bool) -> None: ...


@dataclass(eq=False)
class FaultRule:
    action: str  # status, reset, delay, forbid, drop_watch
    count: int | None = 1
    verb: str | None = None
    resource: str | None = None
    namespace: str | None = None
    name: str | None = None
    path: str | None = None
    status: int = 500
    retry_after: int | None = None
    message: str = ""
    seconds: float = 0.0
    abrupt: bool = False
    after_events: int = 0
    hits: int = 0

    def matches(self, info: RequestInfo) -> bool:
        if self.count is not None and self.count <= 0:
            return False
        checks: list[tuple[Any, Any]] = [(self.verb, info.verb), (self.namespace, info.namespace),
                                         (self.name, info.name)]
        if any(want is not None and want != got for want, got in checks):
            return False
        if self.resource is not None and self.resource not in (info.resource, info.plural):
            return False
        return self.path is None or re.search(self.path, info.path) is not None

    def consume(self) -> None:
        self.hits += 1
        if self.count is not None:
            self.count -= 1


@dataclass(frozen=True)
class Decision:
    delay: float = 0.0
    rule: FaultRule | None = None  # the status/reset/forbid/drop_watch rule that applies


class Faults:
    def __init__(self) -> None:
        self._rules: list[FaultRule] = []
        self._streams: set[DroppableStream] = set()
        self._lock = threading.Lock()

    def _add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            self._rules.append(rule)
        return rule

    def fail_next(self, count: int | None = 1, status: int = 500, *, message: str = "",
                  retry_after: int | None = None, **match: Any) -> FaultRule:
        """The next ``count`` matching requests are answered with ``status`` (a 5xx by default)."""
        return self._add(FaultRule("status", count, status=status, message=message, retry_after=retry_after, **match))

    def throttle_next(self, count: int | None = 1, retry_after: int = 1, **match: Any) -> FaultRule:
        """The next ``count`` matching requests get 429 TooManyRequests with Retry-After."""
        return self._add(FaultRule("status", count, status=429, retry_after=retry_after,
                                   message="Too many requests, please try again later.", **match))

    def reset_next(self, count: int | None = 1, **match: Any) -> FaultRule:
        """The next ``count`` matching requests have their connection reset (no response)."""
        return self._add(FaultRule("reset", count, **match))

    def delay(self, seconds: float, count: int | None = None, **match: Any) -> FaultRule:
        """Add ``seconds`` of latency to matching requests (all of them while ``count`` is None)."""
        return self._add(FaultRule("delay", count, seconds=seconds, **match))

    def forbid(self, verb: str, resource: str, namespace: str | None = None, name: str | None = None) -> FaultRule:
        """Answer 403 Forbidden (as RBAC would) to ``verb`` on ``resource`` until removed."""
        return self._add(FaultRule("forbid", None, verb=verb, resource=resource, namespace=namespace, name=name))

    def drop_next_watches(self, count: int | None = 1, after_events: int = 0, abrupt: bool = False,
                          **match: Any) -> FaultRule:
        """The next ``count`` matching watches are closed after sending ``after_events`` events
        (``abrupt``: connection reset instead of a clean end of stream)."""
        return self._add(FaultRule("drop_watch", count, verb="watch", after_events=after_events, abrupt=abrupt, **match))

    def drop_watches(self, resource: str | None = None, abrupt: bool = False) -> int:
        """Close every open watch stream (of ``resource``) now; returns how many were dropped."""
        with self._lock:
            streams = [s for s in self._streams if resource is None or s.resource == resource]
        for stream in streams:
            stream.drop(abrupt)
        return len(streams)

    def remove(self, rule: FaultRule) -> None:
        with self._lock:
            if rule in self._rules:
                self._rules.remove(rule)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def decide(self, info: RequestInfo) -> Decision:
        """Consume the rules that apply to this request."""
        with self._lock:
            delay = 0.0
            chosen: FaultRule | None = None
            for rule in self._rules:
                if not rule.matches(info):
                    continue
                if rule.action == "delay":
                    delay += rule.seconds
                    rule.consume()
                elif chosen is None:
                    chosen = rule
                    rule.consume()
            return Decision(delay, chosen)

    def allowed(self, verb: str, resource: str, namespace: str | None, name: str | None = None) -> bool:
        """What a SelfSubjectAccessReview answers."""
        probe = RequestInfo("GET", "", resource_request=True, verb=verb, namespace=namespace,
                            plural=resource.split("/")[0], name=name,
                            subresource=resource.split("/")[1] if "/" in resource else "")
        with self._lock:
            return not any(r.action == "forbid" and r.matches(probe) for r in self._rules)

    def register_stream(self, stream: DroppableStream) -> None:
        with self._lock:
            self._streams.add(stream)

    def unregister_stream(self, stream: DroppableStream) -> None:
        with self._lock:
            self._streams.discard(stream)

    @property
    def open_watches(self) -> int:
        with self._lock:
            return len(self._streams)


@dataclass(frozen=True)
class RequestRecord:
    verb: str
    resource: str  # pods, pods/log, leases, or the path of a non-resource request
    group: str
    namespace: str | None
    name: str | None
    path: str
    code: int
    at: float = field(default_factory=time.time)
    in_cluster: bool = False  # came in over the HTTPS listener that only pods are given


class RequestCounter:
    """Every request the server answered (or dropped), for assertions and benchmarks."""

    def __init__(self) -> None:
        self._records: list[RequestRecord] = []
        self._lock = threading.Lock()

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    @property
    def records(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    def count(self, verb: str | None = None, resource: str | None = None, namespace: str | None = None) -> int:
        return sum(1 for r in self.records if (verb is None or r.verb == verb)
                   and (resource is None or r.resource == resource)
                   and (namespace is None or r.namespace == namespace))

    def writes(self, resource: str | None = None) -> int:
        return sum(1 for r in self.records if r.verb in WRITE_VERBS and (resource is None or r.resource == resource))

    def by_verb_resource(self) -> Counter[tuple[str, str]]:
        return Counter((r.verb, r.resource) for r in self.records)

    def reset(self) -> None:
        with self._lock:
            self._records.clear()
