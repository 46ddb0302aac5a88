"""What each request gets: discovery documents, the verbs on resources (through the object
service), watches, pod logs, evictions, bindings and SelfSubjectAccessReviews."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.fakecluster import errors
from tests.fakecluster.errors import ApiError
from tests.fakecluster.faults import FaultRule
from tests.fakecluster.kubelet.logstore import LogOptions
from tests.fakecluster.meta import parse_rfc3339
from tests.fakecluster.resources import BUILTIN, ResourceType
from tests.fakecluster.routing import RequestInfo
from tests.fakecluster.selectors import Selection, parse_field_selector, parse_label_selector
from tests.fakecluster.service import DeleteOptions
from tests.fakecluster.tables import to_table, wants_table
from tests.fakecluster.watch import WatchStream

if TYPE_CHECKING:
    from tests.fakecluster.cluster import FakeCluster

JSON = dict[str, Any]
SERVER_VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.0-fakecluster", "gitCommit": "fakecluster",
                  "gitTreeState": "clean", "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23",
                  "compiler": "gc", "platform": "linux/amd64"}


@dataclass
class Response:
    code: int = 200
    body: Any = None  # JSON-able, or bytes sent as is
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    stream: Iterator[bytes] | None = None
    watch: WatchStream | None = None


def not_found_path() -> ApiError:
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


class Endpoints:
    def __init__(self, cluster: FakeCluster) -> None:
        self.cluster = cluster
        self.service = cluster.service
        self.registry = cluster.registry

    def handle(self, info: RequestInfo, headers: dict[str, str], body: bytes,
               drop_rule: FaultRule | None = None, alive: Callable[[], bool] = lambda: True) -> Response:
        """Answer one request; ``alive`` tells streams whether the client is still there."""
        if not info.resource_request:
            return self._non_resource(info)
        rt = self._resource_type(info)
        if info.subresource == "log":
            return self._log(rt, info, alive)
        if info.verb == "watch":
            return self._watch(rt, info, drop_rule, alive)
        return self._verb(rt, info, headers, body)

    # ---- discovery ------------------------------------------------------------------------

    def _non_resource(self, info: RequestInfo) -> Response:
        path = info.path
        parts = [p for p in path.split("/") if p]
        doc: JSON | None = None
        if path == "/api":
            doc = self.registry.api_versions_doc()
        elif path == "/apis":
            doc = self.registry.group_list_doc()
        elif path == "/version":
            doc = SERVER_VERSION
        elif path in ("/healthz", "/readyz", "/livez"):
            return Response(body=b"ok", content_type="text/plain")
        elif len(parts) == 2 and parts[0] == "api":
            doc = self.registry.resource_list_doc("", parts[1])
        elif len(parts) == 2 and parts[0] == "apis":
            doc = self.registry.group_doc(parts[1])
        elif len(parts) == 3 and parts[0] == "apis":
            doc = self.registry.resource_list_doc(parts[1], parts[2])
        if doc is None:
            raise not_found_path()
        return Response(body=doc)

    def _resource_type(self, info: RequestInfo) -> ResourceType:
        rt = self.registry.lookup(info.group, info.version, info.plural)
        if rt is None:
            builtin_group = any(b.group == info.group for b in BUILTIN)
            if builtin_group or not self.cluster.auto_resources:
                raise not_found_path()
            namespaced = info.namespace is not None or info.verb != "create"
            rt = self.registry.ensure(info.group, info.version, info.plural, namespaced)
        if info.namespace is not None and not rt.namespaced:
            raise not_found_path()
        allowed = {"": True, "status": rt.status_subresource,
                   "eviction": "eviction" in rt.extra_subresources, "binding": "binding" in rt.extra_subresources,
                   "log": "log" in rt.extra_subresources}
        if not allowed.get(info.subresource, False):
            raise not_found_path()
        return rt

    # ---- verbs ----------------------------------------------------------------------------

    def _verb(self, rt: ResourceType, info: RequestInfo, headers: dict[str, str], body: bytes) -> Response:
        accept = headers.get("accept", "")
        dry_run = info.param("dryRun") == "All"
        if info.verb == "get":
            obj = self.service.get(rt, info.namespace, str(info.name))
            if wants_table(accept) and not info.subresource:
                return Response(body=to_table(rt, [obj], {"resourceVersion": obj["metadata"]["resourceVersion"]},
                                              _include(info)))
            return Response(body=obj)
        if info.verb == "list":
            return self._list(rt, info, accept)
        if info.verb == "create":
            return self._create(rt, info, _json_body(body), dry_run)
        if info.verb == "update":
            obj = self.service.update(rt, info.namespace, str(info.name), _json_body(body), info.subresource, dry_run)
            return Response(body=obj)
        if info.verb == "patch":
            content_type = headers.get("content-type", "application/merge-patch+json")
            obj = self.service.patch(rt, info.namespace, str(info.name), content_type, _json_body(body),
                                     info.subresource, dry_run)
            return Response(body=obj)
        if info.verb == "delete":
            options = _delete_options(info, body)
            return Response(body=self.service.delete(rt, info.namespace, str(info.name), options))
        if info.verb == "deletecollection":
            return self._delete_collection(rt, info, body)
        raise errors.method_not_allowed()

    def _selection(self, rt: ResourceType, info: RequestInfo) -> Selection:
        fields = parse_field_selector(info.param("fieldSelector"), rt.plural)
        if info.name is not None:
            fields += parse_field_selector(f"metadata.name={info.name}", rt.plural)
        return Selection(info.namespace, parse_label_selector(info.param("labelSelector")), fields)

    def _list(self, rt: ResourceType, info: RequestInfo, accept: str) -> Response:
        items, rv = self.service.list(rt, self._selection(rt, info))
        meta: JSON = {"resourceVersion": str(rv)}
        start = _decode_continue(info.param("continue"))
        if start is not None:
            items = [o for o in items if (o["metadata"].get("namespace", ""), o["metadata"]["name"]) > start]
        limit = info.int_param("limit")
        if limit and len(items) > limit:
            last = items[limit - 1]["metadata"]
            meta["continue"] = _encode_continue((last.get("namespace", ""), last["name"]))
            meta["remainingItemCount"] = len(items) - limit
            items = items[:limit]
        if wants_table(accept):
            return Response(body=to_table(rt, items, meta, _include(info)))
        return Response(body={"kind": f"{rt.kind}List", "apiVersion": rt.api_version, "metadata": meta, "items": items})

    def _watch(self, rt: ResourceType, info: RequestInfo, drop: FaultRule | None,
               alive: Callable[[], bool]) -> Response:
        rv_param = info.param("resourceVersion", "")
        try:
            since = int(rv_param) if rv_param and rv_param != "0" else None
        except ValueError:
            raise errors.bad_request(f"invalid resource version: {rv_param}") from None
        stream = WatchStream(self.cluster.store, rt, self._selection(rt, info), since,
                             info.int_param("timeoutSeconds"), info.flag("allowWatchBookmarks"),
                             self.cluster.bookmark_interval,
                             drop_after=drop.after_events if drop else None, drop_abrupt=bool(drop and drop.abrupt),
                             alive=alive)
        return Response(stream=stream.events(), watch=stream)

    def _create(self, rt: ResourceType, info: RequestInfo, body: JSON, dry_run: bool) -> Response:
        if info.subresource == "eviction":
            options = DeleteOptions(grace_seconds=(body.get("deleteOptions") or {}).get("gracePeriodSeconds"))
            self.service.delete(rt, info.namespace, str(info.name), options)
            return Response(201, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201})
        if info.subresource == "binding":
            node = (body.get("target") or {}).get("name", "")
            self.service.mutate(rt, info.namespace, str(info.name), lambda p: p["spec"].__setitem__("nodeName", node))
            return Response(201, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201})
        if rt.group_resource == ("authorization.k8s.io", "selfsubjectaccessreviews"):
            return Response(201, self._access_review(body))
        return Response(201, self.service.create(rt, info.namespace, body, dry_run))

    def _access_review(self, review: JSON) -> JSON:
        attrs = (review.get("spec") or {}).get("resourceAttributes") or {}
        resource = attrs.get("resource", "") + (f"/{attrs['subresource']}" if attrs.get("subresource") else "")
        allowed = self.cluster.faults.allowed(attrs.get("verb", ""), resource, attrs.get("namespace"), attrs.get("name"))
        answer = dict(review)
        answer.update({"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                       "metadata": {"creationTimestamp": None},
                       "status": {"allowed": allowed, **({} if allowed else {"reason": "forbidden by fakecluster"})}})
        return answer

    def _delete_collection(self, rt: ResourceType, info: RequestInfo, body: bytes) -> Response:
        items, _ = self.service.list(rt, self._selection(rt, info))
        options = _delete_options(info, body)
        deleted = []
        for obj in items:
            try:
                self.service.delete(rt, obj["metadata"].get("namespace"), obj["metadata"]["name"], options)
                deleted.append(obj)
            except ApiError as error:
                if error.code != 404:
                    raise
        meta = {"resourceVersion": str(self.cluster.store.resource_version)}
        return Response(body={"kind": f"{rt.kind}List", "apiVersion": rt.api_version, "metadata": meta, "items": deleted})

    # ---- logs -----------------------------------------------------------------------------

    def _log(self, rt: ResourceType, info: RequestInfo, alive: Callable[[], bool]) -> Response:
        pod = self.service.get(rt, info.namespace, str(info.name))
        kubelet = self.cluster.kubelet
        if kubelet is None:
            return Response(body=b"", content_type="text/plain")
        log = kubelet.container_log(pod, info.param("container") or None, info.flag("previous"))
        if log is None:
            return Response(body=b"", content_type="text/plain")
        since: float | None = None
        if info.param("sinceSeconds"):
            since = time.time() - float(info.int_param("sinceSeconds") or 0)
        elif info.param("sinceTime"):
            since = parse_rfc3339(str(info.param("sinceTime")))
        options = LogOptions(info.int_param("tailLines"), since, info.flag("timestamps"), info.int_param("limitBytes"))
        if info.flag("follow"):
            return Response(content_type="text/plain", stream=log.follow(options, alive))
        return Response(body=log.read(options), content_type="text/plain")


def _include(info: RequestInfo) -> str:
    return info.param("includeObject") or "Metadata"


def _json_body(body: bytes) -> Any:
    if not body:
        return {}
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise errors.bad_request(f"the request body is not valid JSON: {error}") from None


def _delete_options(info: RequestInfo, body: bytes) -> DeleteOptions:
    raw = _json_body(body) if body else {}
    if not isinstance(raw, dict):
        raw = {}
    preconditions = raw.get("preconditions") or {}
    propagation = info.param("propagationPolicy") or raw.get("propagationPolicy") or (
        "Orphan" if raw.get("orphanDependents") is True else "Background")
    grace = info.int_param("gracePeriodSeconds")
    if grace is None:
        grace = raw.get("gracePeriodSeconds")
    dry_run = info.param("dryRun") == "All" or "All" in (raw.get("dryRun") or [])
    return DeleteOptions(propagation, grace, preconditions.get("uid"), preconditions.get("resourceVersion"), dry_run)


def _encode_continue(key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


def _decode_continue(token: str | None) -> tuple[str, str] | None:
    if not token:
        return None
    try:
        namespace, name = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError):
        raise errors.bad_request("invalid continue token") from None
    return (str(namespace), str(name))
