"""FakeCluster: the API server, its storage, the kubelet and the fault injector in one object,
started on a free port of 127.0.0.1. Tests reach pods through the HTTP API; this object adds
the knobs a real cluster does not have (faults, counters, pod disasters)."""

from __future__ import annotations

import contextlib
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.fakecluster.cronjobs import CronJobController
from tests.fakecluster.endpoints import Endpoints
from tests.fakecluster.faults import Faults, RequestCounter
from tests.fakecluster.kubeconfig import write_kubeconfig
from tests.fakecluster.kubelet.images import ImageTable
from tests.fakecluster.kubelet.kubelet import EVICTION_MESSAGE, Kubelet
from tests.fakecluster.resources import ResourceRegistry, ResourceType
from tests.fakecluster.server import ApiHTTPServer
from tests.fakecluster.service import DeleteOptions, ObjectService
from tests.fakecluster.store import STOP, Store
from tests.fakecluster.tls import self_signed_certificate

JSON = dict[str, Any]


class FakeCluster:
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, state_dir: str | os.PathLike[str] | None = None,
                 kubelet: bool = True, strict_fields: bool = True, auto_resources: bool = True,
                 history_limit: int = 10_000, bookmark_interval: float = 1.0, max_grace: float = 10.0,
                 image_backoff: float = 1.0, restart_backoff: float = 0.5, tls: bool = True) -> None:
        self.registry = ResourceRegistry()
        self.store = Store(history_limit)
        self.service = ObjectService(self.store, self.registry, strict_fields)
        self.faults = Faults()
        self.requests = RequestCounter()
        self.images = ImageTable()
        self.auto_resources = auto_resources
        self.bookmark_interval = bookmark_interval
        self.endpoints = Endpoints(self)
        self._http = ApiHTTPServer((host, port), self)
        # Pods reach the API over HTTPS (in-cluster config insists on it) when openssl can make a certificate.
        self.certificate = self_signed_certificate() if tls else None
        self._https: ApiHTTPServer | None = None
        if self.certificate is not None:
            self._https = ApiHTTPServer((host, 0), self)
            self._https.socket = self.certificate.server_context().wrap_socket(
                self._https.socket, server_side=True, do_handshake_on_connect=False)
            self.service.set_root_ca(self.certificate.pem)
        self._threads: list[threading.Thread] = []
        self.kubeconfig_path: Path | None = None
        self.kubelet: Kubelet | None = None
        self.cronjobs = CronJobController(self.service)  # runs with the kubelet: its jobs need pods run
        if kubelet:
            # Pod directories live outside /tmp so that containers can get a private /tmp.
            root = Path(state_dir) if state_dir else Path(tempfile.mkdtemp(prefix="fakecluster-", dir=_state_parent()))
            self.kubelet = Kubelet(self.service, root, self.in_cluster_port, self.images,
                                   owns_state_dir=state_dir is None, max_grace=max_grace,
                                   image_backoff=image_backoff, restart_backoff=restart_backoff)

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def in_cluster_port(self) -> int:
        """The port pods see as KUBERNETES_SERVICE_PORT (HTTPS when available)."""
        return int(self._https.server_address[1]) if self._https is not None else self.port

    @property
    def in_cluster_url(self) -> str:
        scheme = "https" if self._https is not None else "http"
        return f"{scheme}://127.0.0.1:{self.in_cluster_port}"

    def _servers(self) -> list[ApiHTTPServer]:
        return [self._http] + ([self._https] if self._https is not None else [])

    def start(self) -> FakeCluster:
        if self.kubelet is not None:
            self.kubelet.start()
            self.cronjobs.start()
        for server in self._servers():
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                                      name="fakecluster-http", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.store.stop_all_watchers()
        for server in self._servers():
            server.shutdown()
            server.server_close()
        self.cronjobs.stop()
        if self.kubelet is not None:
            self.kubelet.stop()

    def __enter__(self) -> FakeCluster:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def write_kubeconfig(self, path: str | os.PathLike[str], namespace: str = "default") -> Path:
        self.kubeconfig_path = write_kubeconfig(path, self.url, namespace)
        return self.kubeconfig_path

    # ---- objects without HTTP (setup and assertions) ---------------------------------------

    def resource(self, group: str, version: str, plural: str) -> ResourceType:
        rt = self.registry.lookup(group, version, plural)
        if rt is None:
            raise KeyError(f"unknown resource {group}/{version}/{plural}")
        return rt

    def create_namespace(self, name: str) -> JSON:
        return self.service.create(self.resource("", "v1", "namespaces"), None, {"metadata": {"name": name}})

    def register_resource(self, group: str, version: str, plural: str, kind: str, namespaced: bool = True,
                          status_subresource: bool = False) -> ResourceType:
        rt = ResourceType(group, version, plural, kind, namespaced=namespaced, status_subresource=status_subresource)
        self.registry.register(rt)
        return rt

    def pod(self, namespace: str, name: str) -> JSON | None:
        return self.store.get(("", "pods"), namespace, name)

    def wait_for_pod(self, namespace: str, name: str, predicate: Callable[[JSON], bool], timeout: float = 30.0) -> JSON:
        """Block until the stored pod satisfies ``predicate`` (woken by store events, no polling)."""
        found: list[JSON] = []

        def check() -> bool:
            pod = self.pod(namespace, name)
            if pod is not None and predicate(pod):
                found.append(pod)
                return True
            return False

        self._wait_on_pods(check, timeout, f"pod {namespace}/{name} to reach the condition")
        return found[0]

    def wait_for_pod_gone(self, namespace: str, name: str, timeout: float = 30.0) -> None:
        self._wait_on_pods(lambda: self.pod(namespace, name) is None, timeout, f"pod {namespace}/{name} to be deleted")

    def _wait_on_pods(self, check: Callable[[], bool], timeout: float, what: str) -> None:
        _, watcher = self.store.watch(("", "pods"), since=None)
        try:
            end = time.monotonic() + timeout
            while not check():
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
                with contextlib.suppress(queue.Empty):
                    if watcher.events.get(timeout=min(left, 0.5)) is STOP:
                        raise TimeoutError("fake cluster stopped")
        finally:
            self.store.unwatch(watcher)

    def fire_cronjob(self, namespace: str, name: str) -> JSON:
        """Start a Job of the CronJob now, as if its scheduled minute had come; returns the Job."""
        return self.cronjobs.fire(namespace, name)

    def compact(self) -> int:
        """Forget the watch history: watches from any older resourceVersion get 410 Gone."""
        return self.store.compact()

    # ---- pod disasters ---------------------------------------------------------------------

    def _kubelet(self) -> Kubelet:
        if self.kubelet is None:
            raise RuntimeError("this fake cluster runs no kubelet")
        return self.kubelet

    def evict_pod(self, namespace: str, name: str, message: str = EVICTION_MESSAGE) -> None:
        self._kubelet().evict(namespace, name, message)

    def oom_kill(self, namespace: str, name: str, container: str | None = None) -> None:
        self._kubelet().oom_kill(namespace, name, container)

    def delete_pod(self, namespace: str, name: str, grace_seconds: int | None = None) -> None:
        """Someone else deletes the pod (as ``kubectl delete pod`` would)."""
        self.service.delete(self.resource("", "v1", "pods"), namespace, name, DeleteOptions(grace_seconds=grace_seconds))

    def fail_image_pull(self, pattern: str) -> None:
        """Images matching ``pattern`` (fnmatch on ``name:tag``) fail to pull until cleared."""
        self.images.fail_pull(pattern)

    def clear_image_pull_failure(self, pattern: str) -> None:
        self.images.clear_pull_failure(pattern)


def _state_parent() -> str:
    for candidate in (os.environ.get("FAKECLUSTER_STATE_PARENT"), "/var/tmp", tempfile.gettempdir()):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK):
            return candidate
    return tempfile.gettempdir()
