"""``KubeClient``: a small raw-JSON client on the ``kubernetes`` package's configuration and
urllib3 transport, except for plain GETs when the kubeconfig needs neither a plugin nor a proxy
(``argoctl.kube.fasthttp``: a list or get then imports neither). Bodies are dicts; nothing is
deserialized into the generated model classes.

Every request takes a token from the client-side rate limit (``qps``/``burst``). Answers map onto
argoctl's errors (``argoctl.kube.errors``). Transient failures (429, 5xx, resets, refused
connections, timeouts) are retried with capped exponential back-off (honouring ``Retry-After``)
when a repeat is harmless: reads, PUT/DELETE, merge patches; a create or JSON patch is repeated
only when the server certainly did not process it (429, or the connection was never made), or,
in a driver, for a create of a named object (a duplicate is a 409 its callers adopt). How long:
a few seconds for a command, minutes in a driver (``argoctl.patience``); errors that cannot heal
(401, 403, 404, 409, 400/422) are never retried. A watch is one streamed
GET: it yields ``(type, object)`` (BOOKMARK included: its resourceVersion is worth keeping) and
raises ``Gone`` on 410 so the caller lists again.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Literal, overload

from argoctl import patience
from argoctl.errors import ArgoctlError, ClusterError, ConflictError, NotFoundError
from argoctl.kube import errors
from argoctl.kube.config import ClusterConfig, Overrides, load
from argoctl.kube.fasthttp import Broken, StdlibTransport, Unsent
from argoctl.kube.imports import kubernetes_module
from argoctl.kube.plainconfig import PlainConfiguration
from argoctl.kube.ratelimit import TokenBucket
from argoctl.patience import Backoff, Outage

JSON = dict[str, Any]
Headers = list[tuple[str, str]]
PatchType = Literal["merge", "json", "strategic"]
_PATCH_CONTENT_TYPES = {"merge": "application/merge-patch+json", "json": "application/json-patch+json",
                        "strategic": "application/strategic-merge-patch+json"}
_SAFE, _UNSENT_ONLY = "safe", "unsent"  # retry modes: always on transient errors / only if unprocessed
USER_AGENT = "argoctl/0.1 (raw-json)"


RetryPolicy = Backoff  # a fixed policy for this client; None follows argoctl.patience


class KubeClient:
    """Raw JSON calls to one API server; thread-safe (urllib3 pools connections)."""

    def __init__(self, cluster: ClusterConfig, *, qps: float = 20.0, burst: int = 30,
                 retry: RetryPolicy | None = None, sleep: Callable[[float], None] = time.sleep,
                 timeout: tuple[float, float] = (10.0, 60.0)) -> None:
        self.cluster = cluster
        self.namespace = cluster.namespace
        self.server = cluster.server.rstrip("/")
        self.limiter = TokenBucket(qps, burst, sleep=sleep)
        self.retry = retry  # None: a command's few seconds, or a driver's minutes (argoctl.patience)
        self._sleep = sleep
        self._timeout = timeout
        configuration = cluster.configuration
        direct = isinstance(configuration, PlainConfiguration) and configuration.direct()
        self._fast = StdlibTransport(configuration) if direct else None  # GETs without urllib3
        self._pool_manager: Any = None  # urllib3's, built on first use (argoctl.kube.fasthttp)
        self._auth_lock = threading.Lock()
        self.closed = False

    @classmethod
    def from_kubeconfig(cls, kubeconfig: str | None = None, *, context: str | None = None,
                        namespace: str | None = None, qps: float = 20.0, burst: int = 30,
                        environ: Mapping[str, str] | None = None, overrides: Overrides | None = None,
                        **options: Any) -> KubeClient:
        return cls(load(kubeconfig, context=context, namespace=namespace, environ=environ, overrides=overrides),
                   qps=qps, burst=burst, **options)

    @property
    def transport(self) -> str:
        """``stdlib`` when reads go through ``argoctl.kube.fasthttp``, else ``urllib3``."""
        return "urllib3" if self._fast is None else "stdlib"

    @property
    def _urllib3(self) -> Any:
        return kubernetes_module("client.rest").urllib3

    @property
    def _pool(self) -> Any:
        with self._auth_lock:
            if self._pool_manager is None:
                configuration = self.cluster.configuration
                if isinstance(configuration, PlainConfiguration):
                    configuration = configuration.to_kubernetes()
                self._pool_manager = kubernetes_module("client.rest").RESTClientObject(configuration).pool_manager
            return self._pool_manager

    def close(self) -> None:
        self.closed = True
        if self._fast is not None:
            self._fast.clear()
        if self._pool_manager is not None:
            self._pool_manager.clear()

    # -- verbs ---------------------------------------------------------------------------------

    def get(self, path: str, query: Mapping[str, str] | None = None) -> JSON:
        return self.request("GET", path, query=query)

    def list(self, path: str, *, label_selector: str = "", field_selector: str = "", limit: int = 0) -> JSON:
        """One LIST (or, with ``limit``, every page merged into one list)."""
        query = _selectors(label_selector, field_selector)
        if limit:
            query["limit"] = str(limit)
        result = self.request("GET", path, query=query)
        while limit and (result.get("metadata") or {}).get("continue"):
            page = self.request("GET", path, query={**query, "continue": result["metadata"]["continue"]})
            result["items"] = [*result.get("items", []), *page.get("items", [])]
            result["metadata"] = page.get("metadata") or {}
        return result

    def create(self, path: str, body: JSON) -> JSON:
        """POST. In a driver, a named object's create whose answer was lost (5xx, reset) is repeated;
        an AlreadyExists then is our own first try when the object holds what was sent."""
        name = str((body.get("metadata") or {}).get("name") or "") if isinstance(body, dict) else ""
        if not (name and patience.is_driving()):
            return self.request("POST", path, body=body, retry=_UNSENT_ONLY)
        try:
            return self.request("POST", path, body=body, retry=_UNSENT_ONLY)
        except ClusterError as err:
            if not err.transient:
                raise
        try:
            return self.request("POST", path, body=body, retry=_SAFE)
        except ConflictError:
            existing = self.get(f"{path}/{name}")
            if _holds(existing, body):
                return existing
            raise

    def replace(self, path: str, body: JSON) -> JSON:
        """PUT; conditional on ``metadata.resourceVersion`` when the body carries one (409 otherwise)."""
        return self.request("PUT", path, body=body)

    def patch(self, path: str, body: Any, *, patch_type: PatchType = "merge") -> JSON:
        return self.request("PATCH", path, body=body, content_type=_PATCH_CONTENT_TYPES[patch_type],
                            retry=_UNSENT_ONLY if patch_type == "json" else _SAFE)

    def delete(self, path: str, *, grace_period_seconds: int | None = None, propagation: str = "Background",
               resource_version: str = "", missing_ok: bool = False) -> JSON | None:
        """DELETE (conditional on ``resource_version`` when given); None if absent and ``missing_ok``."""
        options: JSON = {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": propagation}
        if grace_period_seconds is not None:
            options["gracePeriodSeconds"] = grace_period_seconds
        if resource_version:
            options["preconditions"] = {"resourceVersion": resource_version}
        try:
            return self.request("DELETE", path, body=options)
        except NotFoundError:
            if missing_ok:
                return None
            raise

    def watch(self, path: str, *, resource_version: str = "", label_selector: str = "",
              field_selector: str = "", timeout_seconds: int = 300,
              bookmarks: bool = True) -> Iterator[tuple[str, JSON]]:
        """Stream ``(type, object)`` until the server ends the watch; ``Gone`` on 410."""
        query = {"watch": "1", "timeoutSeconds": str(timeout_seconds),
                 **_selectors(label_selector, field_selector)}
        if resource_version:
            query["resourceVersion"] = resource_version
        if bookmarks:
            query["allowWatchBookmarks"] = "true"
        response = self._send("GET", path, query, None, "", stream=True, watch=True,
                              read_timeout=timeout_seconds + 30.0)
        finished = False
        try:
            for line in self._lines(response):
                try:
                    event = json.loads(line)
                except ValueError as err:  # a stream cut mid-event: as broken as a reset
                    raise errors.unreachable(self.server, f"the watch stream broke mid-event: {err}") from err
                kind, obj = str(event.get("type", "")), event.get("object") or {}
                if kind == "ERROR":
                    raise errors.from_response(int(obj.get("code") or 500), json.dumps(obj).encode(),
                                               "GET", path, watch=True, server=self.server)
                yield kind, obj
            finished = True
        finally:
            _release(response, finished)

    @overload
    def logs(self, namespace: str, pod: str, *, container: str = ..., follow: Literal[False] = ...,
             since_seconds: int | None = ..., tail_lines: int | None = ..., timestamps: bool = ...) -> str: ...

    @overload
    def logs(self, namespace: str, pod: str, *, container: str = ..., follow: Literal[True],
             since_seconds: int | None = ..., tail_lines: int | None = ...,
             timestamps: bool = ...) -> Iterator[str]: ...

    def logs(self, namespace: str, pod: str, *, container: str = "main", follow: bool = False,
             since_seconds: int | None = None, tail_lines: int | None = None,
             timestamps: bool = False) -> Iterator[str] | str:
        """A container's log: the text, or with ``follow`` its lines as they come (newlines kept)."""
        query = {"container": container}
        for key, value in (("sinceSeconds", since_seconds), ("tailLines", tail_lines)):
            if value is not None:
                query[key] = str(value)
        if timestamps:
            query["timestamps"] = "true"
        path = f"/api/v1/namespaces/{namespace}/pods/{pod}/log"
        if not follow:
            response = self._send("GET", path, query, None, "", accept="*/*")
            return bytes(response.data).decode(errors="replace")
        query["follow"] = "true"
        return self._follow(path, query)

    def _follow(self, path: str, query: dict[str, str]) -> Iterator[str]:
        response = self._send("GET", path, query, None, "", stream=True, accept="*/*", read_timeout=None)
        finished = False
        try:
            for line in self._lines(response, keep_newline=True):
                yield line.decode(errors="replace")
            finished = True
        finally:
            _release(response, finished)

    # -- transport -----------------------------------------------------------------------------

    def request(self, method: str, path: str, *, query: Mapping[str, str] | None = None, body: Any = None,
                content_type: str = "application/json", retry: str = _SAFE) -> JSON:
        """Any JSON call; the answer parsed (``{}`` for an empty body)."""
        response = self._send(method, path, query, body, content_type, retry=retry)
        data = bytes(response.data)
        if not data:
            return {}
        try:
            parsed = json.loads(data)
        except ValueError as err:
            raise ClusterError(f"the API server sent invalid JSON for {method} {path}: {err}") from err
        return parsed if isinstance(parsed, dict) else {"items": parsed}

    def _send(self, method: str, path: str, query: Mapping[str, str] | None, body: Any, content_type: str, *,
              retry: str = _SAFE, stream: bool = False, watch: bool = False, accept: str = "application/json",
              read_timeout: float | None = -1.0) -> Any:
        target = path + (f"?{urllib.parse.urlencode(query)}" if query else "")
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode()
        read = self._timeout[1] if read_timeout == -1.0 else read_timeout
        policy = self.retry or patience.current()
        outage: Outage | None = None
        attempt = 0
        try:
            while True:
                self.limiter.acquire()
                try:
                    response = self._transmit(method, target, data, content_type, accept, stream, read)
                except _Failed as failed:
                    error: ArgoctlError = errors.unreachable(self.server, failed.reason)
                    if not (retry == _SAFE or failed.unsent):
                        raise error from failed.__cause__
                    outage = self._pause(policy, outage, attempt, None, error)
                    attempt += 1
                    continue
                if 200 <= response.status < 300:
                    return response
                error = self._error(response, method, path, watch)
                if not _retryable(error, response.status, retry):
                    raise error
                outage = self._pause(policy, outage, attempt, _retry_after(response), error)
                attempt += 1
        finally:
            if outage is not None:
                outage.end()

    def _transmit(self, method: str, target: str, data: bytes | None, content_type: str, accept: str,
                  stream: bool, read: float | None) -> Any:
        """One try: a plain GET through the standard library when it may, else through urllib3."""
        if self._fast is not None and method == "GET" and not stream:
            try:
                return self._fast.request(method, target, self._plain_headers(accept), connect_timeout=self._timeout[0],
                                          read_timeout=read)
            except (Unsent, Broken) as err:
                raise _Failed(isinstance(err, Unsent), str(err)) from err
        urllib3 = self._urllib3
        try:
            return self._pool.request(method, self.server + target, body=data,
                                      headers=self._headers(content_type, accept),
                                      timeout=urllib3.Timeout(connect=self._timeout[0], read=read),
                                      preload_content=not stream, retries=False, redirect=False)
        except (urllib3.exceptions.HTTPError, OSError) as err:
            unsent = isinstance(err, (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ConnectTimeoutError))
            raise _Failed(unsent, _reason(err)) from err

    def _plain_headers(self, accept: str) -> Headers:
        """A GET's headers for ``argoctl.kube.fasthttp``: as ``_headers``, impersonation included."""
        authorization = self.cluster.configuration.authorization()
        return [("Accept", accept), ("User-Agent", USER_AGENT), *self.cluster.headers,
                *([("authorization", authorization)] if authorization else [])]

    def _pause(self, policy: Backoff, outage: Outage | None, attempt: int, retry_after: float | None,
               error: ArgoctlError) -> Outage:
        """Sleep before the next try, or raise ``error`` when the policy gives up."""
        outage = outage or Outage(f"the Kubernetes API server at {self.server}", policy)
        if policy.gives_up(attempt, outage.elapsed()) or self.closed:
            raise error
        delay = policy.delay(attempt, retry_after)
        outage.wait_for(delay, error.message)
        self._sleep(delay)
        return outage

    def _error(self, response: Any, method: str, path: str, watch: bool) -> ArgoctlError:
        data = bytes(response.data or b"")
        response.release_conn()
        return errors.from_response(response.status, data, method, path, watch=watch, server=self.server)

    def _headers(self, content_type: str, accept: str) -> Any:
        headers = self._urllib3.HTTPHeaderDict({"Accept": accept, "User-Agent": USER_AGENT})
        for key, value in self.cluster.headers:  # impersonation: --as-group may repeat
            headers.add(key, value)
        if content_type:
            headers["Content-Type"] = content_type
        with self._auth_lock:  # auth_settings() may refresh a token (exec plugin, token file)
            for setting in self.cluster.configuration.auth_settings().values():
                if setting.get("in") == "header" and setting.get("value"):
                    headers[str(setting["key"])] = str(setting["value"])
        return headers

    def _lines(self, response: Any, *, keep_newline: bool = False) -> Iterator[bytes]:
        """Lines of a streamed body as they arrive; a broken stream is a transient ClusterError."""
        pending = b""
        try:
            while True:
                chunk = response.read1(65536)
                if not chunk:
                    break
                pending += chunk
                *complete, pending = pending.split(b"\n")
                for line in complete:
                    if line.strip() or keep_newline:
                        yield line + b"\n" if keep_newline else line
        except (self._urllib3.exceptions.HTTPError, OSError) as err:
            raise errors.unreachable(self.server, f"the stream broke: {_reason(err)}") from err
        if pending.strip():
            yield pending


def _release(response: Any, finished: bool) -> None:
    """Give a streamed connection back: as is when read to the end, closed when abandoned midway."""
    if not finished:
        response.close()
    response.release_conn()


def _holds(existing: JSON, sent: JSON) -> bool:
    """True when ``existing`` carries everything ``sent`` set (server-filled fields aside)."""
    for key, value in sent.items():
        if key == "metadata":
            labels = (existing.get("metadata") or {}).get("labels") or {}
            if any(labels.get(k) != v for k, v in ((value or {}).get("labels") or {}).items()):
                return False
        elif key not in ("apiVersion", "kind", "status") and existing.get(key) != value:
            return False
    return True


class _Failed(Exception):
    """A try that reached no answer: ``unsent`` when the server certainly did not see it."""

    def __init__(self, unsent: bool, reason: str) -> None:
        super().__init__(reason)
        self.unsent, self.reason = unsent, reason


def _selectors(label_selector: str, field_selector: str) -> dict[str, str]:
    query: dict[str, str] = {}
    if label_selector:
        query["labelSelector"] = label_selector
    if field_selector:
        query["fieldSelector"] = field_selector
    return query


def _retryable(error: ArgoctlError, status: int, retry: str) -> bool:
    if not isinstance(error, ClusterError) or not error.transient:
        return False
    return retry == _SAFE or status == 429


def _retry_after(response: Any) -> float | None:
    value = response.headers.get("Retry-After") if response.headers else None
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _reason(err: BaseException) -> str:
    reason = getattr(err, "reason", None)
    inner = reason if isinstance(reason, BaseException) else err.__context__
    text = str(inner or err)
    return text.split(": ", 1)[-1] if "object at 0x" in text else text


__all__ = ["JSON", "ClusterConfig", "KubeClient", "RetryPolicy"]
