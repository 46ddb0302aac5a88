"""Local backend: containerSet templates run their containers as a DAG of dependencies."""

from __future__ import annotations

from argoctl.backends.local.backend import LocalBackend

from .conftest import run_pod


def _container_set(scratch: str, containers: list[dict[str, object]], **extra: object) -> dict[str, object]:
    return {
        "volumes": [{"name": "workspace", "emptyDir": {}}],
        "containerSet": {"volumeMounts": [{"name": "workspace", "mountPath": f"{scratch}/ws"}],
                         "containers": containers, **extra},
    }


def _appends(name: str, scratch: str, *depends: str, then: str = "") -> dict[str, object]:
    return {"name": name, "image": "argoproj/argosay:v2", "command": ["sh", "-c"],
            "args": [f"sleep 0.05; echo {name} >> {scratch}/ws/order{then}"], "dependencies": list(depends)}


def test_containers_run_in_dependency_order(backend: LocalBackend, scratch: str) -> None:
    update = run_pod(backend, _container_set(scratch, [
        _appends("main", scratch, "b", then=f"; cat {scratch}/ws/order"),
        _appends("b", scratch, "a"),
        _appends("a", scratch),
    ]), capture_result=True)
    assert update.phase == "Succeeded", update.message
    assert update.outputs is not None
    assert update.outputs["result"] == "a\nb\nmain"  # outputs come from the container named main
    assert {(c.name, c.phase, c.exit_code) for c in update.containers} == {
        ("a", "Succeeded", 0), ("b", "Succeeded", 0), ("main", "Succeeded", 0)}


def test_a_failing_container_stops_its_dependents(backend: LocalBackend, scratch: str) -> None:
    update = run_pod(backend, _container_set(scratch, [
        {"name": "a", "image": "alpine", "command": ["sh", "-c", "exit 2"]},
        {"name": "main", "image": "alpine", "command": ["echo", "never"], "dependencies": ["a"]},
    ]))
    assert update.phase == "Failed"
    assert update.message == "a: Error (exit code 2)"
    states = {c.name: c for c in update.containers}
    assert (states["a"].phase, states["a"].exit_code) == ("Failed", 2)
    assert states["main"].phase == "Failed" and "did not succeed" in states["main"].message
    assert backend.read_logs("wf-step") == ""


def test_container_set_retry_restarts_in_the_same_pod(backend: LocalBackend, scratch: str) -> None:
    flaky: dict[str, object] = {"name": "a", "image": "argoproj/argosay:v2", "command": ["sh", "-c"], "workingDir": f"{scratch}/ws",
             "args": ['FILE=test.yml; EXITCODE=1; if test -f "$FILE"; then EXITCODE=0; else touch $FILE; fi; '
                      "exit $EXITCODE"]}
    update = run_pod(backend, _container_set(scratch, [flaky], retryStrategy={"retries": 2, "duration": "50ms"}))
    assert update.phase == "Succeeded", update.message
    no_retry = run_pod(backend, _container_set(scratch, [dict(flaky, workingDir=f"{scratch}/ws/fresh")]),
                       name="once")
    assert no_retry.phase == "Failed"
