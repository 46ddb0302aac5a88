"""Pure pieces of the fake cluster: selectors, patches, $(VAR) expansion, image commands, request
parsing and the store's history horizon."""

from __future__ import annotations

import pytest

from tests.fakecluster.errors import ApiError
from tests.fakecluster.kubelet.env import expand
from tests.fakecluster.kubelet.images import ImageTable, normalize, resolve_argv
from tests.fakecluster.patching import json_patch, merge_patch
from tests.fakecluster.routing import parse_request
from tests.fakecluster.selectors import parse_field_selector, parse_label_selector
from tests.fakecluster.store import Store


def _matches(selector: str, labels: dict[str, str]) -> bool:
    return all(r.matches(labels) for r in parse_label_selector(selector))


@pytest.mark.parametrize(("selector", "labels", "expected"), [
    ("a=1", {"a": "1"}, True), ("a=1", {}, False), ("a!=1", {}, True), ("a!=1", {"a": "1"}, False),
    ("a in (1, 2)", {"a": "2"}, True), ("a notin (1,2)", {"a": "3"}, True), ("a notin (1,2)", {}, True),
    ("a", {"a": ""}, True), ("!a", {"a": ""}, False), ("x.io/k=v,b", {"x.io/k": "v", "b": "1"}, True),
    ("", {"anything": "1"}, True),
])
def test_label_selector_semantics(selector: str, labels: dict[str, str], expected: bool) -> None:
    assert _matches(selector, labels) is expected


@pytest.mark.parametrize("bad", ["a in 1", "a=b c", "=x", "a in ()", "a=" + "x" * 64])
def test_bad_label_selectors(bad: str) -> None:
    with pytest.raises(ApiError) as error:
        parse_label_selector(bad)
    assert error.value.code == 400


def test_field_selectors_per_resource() -> None:
    pod = {"metadata": {"name": "p", "namespace": "n"}, "status": {"phase": "Running"}}
    (req,) = parse_field_selector("status.phase!=Succeeded", "pods")
    assert req.matches(pod)
    with pytest.raises(ApiError):
        parse_field_selector("status.phase=Running", "configmaps")


def test_merge_patch_rfc7386() -> None:
    target = {"a": "b", "c": {"d": "e", "f": "g"}}
    patch = {"a": "z", "c": {"f": None}}
    assert merge_patch(target, patch) == {"a": "z", "c": {"d": "e"}}
    assert merge_patch({"a": [1, 2]}, {"a": [3]}) == {"a": [3]}


def test_json_patch_rfc6902() -> None:
    doc = {"items": [1, 2], "m": {"k": "v"}}
    ops = [{"op": "add", "path": "/items/-", "value": 3}, {"op": "add", "path": "/items/0", "value": 0},
           {"op": "move", "from": "/m/k", "path": "/moved"}, {"op": "copy", "from": "/moved", "path": "/copy"},
           {"op": "remove", "path": "/items/1"}, {"op": "replace", "path": "/m", "value": {"a~b/c": 1}}]
    assert json_patch(doc, ops) == {"items": [0, 2, 3], "m": {"a~b/c": 1}, "moved": "v", "copy": "v"}
    assert doc == {"items": [1, 2], "m": {"k": "v"}}  # the input is not modified
    with pytest.raises(ApiError):
        json_patch(doc, [{"op": "remove", "path": "/nope"}])


def test_variable_expansion() -> None:
    env = {"A": "1", "B": "two"}
    assert expand("$(A)-$(B)", env) == "1-two"
    assert expand("$(MISSING) $$(A) $$ $", env) == "$(MISSING) $(A) $ $"


def test_image_commands_follow_entrypoint_and_cmd_rules() -> None:
    table = ImageTable()
    argosay = table.lookup("argoproj/argosay:v2")
    assert resolve_argv(argosay, [], []) == ["argosay"]
    assert resolve_argv(argosay, [], ["echo", "hi"]) == ["argosay", "echo", "hi"]
    assert resolve_argv(argosay, ["/argosay"], ["exit", "1"]) == ["argosay", "exit", "1"]
    assert resolve_argv(table.lookup("argoproj/argosay:v1"), [], []) == ["cowsay"]
    assert resolve_argv(table.lookup("docker.io/library/alpine"), [], []) == ["bash"]
    assert resolve_argv(table.lookup("python:3.12"), ["python", "x.py"], []) == ["python3", "x.py"]
    assert table.lookup("example/unknown:1") is None
    assert normalize("docker.io/library/busybox@sha256:abc") == "busybox:latest"
    assert table.pull_fails("alpine:doesntexist") and not table.pull_fails("alpine:3.23")


@pytest.mark.parametrize(("method", "path", "expected"), [
    ("GET", "/api/v1/namespaces/ns/pods", ("list", "", "v1", "ns", "pods", None, "")),
    ("GET", "/api/v1/namespaces/ns/pods?watch=1", ("watch", "", "v1", "ns", "pods", None, "")),
    ("GET", "/api/v1/watch/namespaces/ns/pods/p", ("watch", "", "v1", "ns", "pods", "p", "")),
    ("GET", "/api/v1/namespaces/ns/pods/p/log?follow=true", ("get", "", "v1", "ns", "pods", "p", "log")),
    ("PUT", "/api/v1/namespaces/ns", ("update", "", "v1", None, "namespaces", "ns", "")),
    ("PATCH", "/api/v1/namespaces/ns/status", ("patch", "", "v1", None, "namespaces", "ns", "status")),
    ("DELETE", "/apis/coordination.k8s.io/v1/namespaces/ns/leases", ("deletecollection", "coordination.k8s.io",
                                                                    "v1", "ns", "leases", None, "")),
    ("POST", "/apis/example.com/v1/widgets", ("create", "example.com", "v1", None, "widgets", None, "")),
])
def test_request_parsing(method: str, path: str, expected: tuple[object, ...]) -> None:
    info = parse_request(method, path)
    assert (info.verb, info.group, info.version, info.namespace, info.plural, info.name, info.subresource) == expected


def test_store_history_horizon() -> None:
    store = Store(history_limit=2)
    for name in ("a", "b", "c"):
        store.put(("", "configmaps"), {"metadata": {"name": name, "namespace": "d"}})
    _, watcher = store.watch(("", "configmaps"), since=1)
    assert [watcher.events.get_nowait().obj["metadata"]["name"] for _ in range(2)] == ["b", "c"]
    with pytest.raises(ApiError) as error:
        store.watch(("", "configmaps"), since=0)
    assert error.value.code == 410


def test_json_pointer_escapes() -> None:
    assert json_patch({"a~b/c": 1, "k": 2}, [{"op": "remove", "path": "/a~0b~1c"}]) == {"k": 2}
