"""KubeBackend against the loopback cluster: real steps, phases and outputs over HTTP."""

from __future__ import annotations

import pytest

from argoctl.backends.kube.backend import KubeBackend
from tests.kube.test_backend_support import backend, container, kube_client, make_request, run_one  # noqa: F401

pytestmark = pytest.mark.kube


def test_failing_step_reports_main_exit_code(backend: KubeBackend) -> None:  # noqa: F811
    request = make_request("fail", container(["sh", "-c", "echo hi; exit 3"]))
    final = run_one(backend, request)
    assert (final.phase, final.message) == ("Failed", "main: Error (exit code 3)")
    assert final.outputs == {"exitCode": "3"}
    assert backend.read_logs(request.pod_name) == "hi\n"


def test_output_parameters_and_result_from_any_path(backend: KubeBackend) -> None:  # noqa: F811
    template = {
        **container(["sh", "-c", "echo -n one > /tmp/a.txt; printf 'two\\n' > /etc/b; echo out; echo err >&2"]),
        "outputs": {"parameters": [
            {"name": "a", "valueFrom": {"path": "/tmp/a.txt"}},
            {"name": "b", "valueFrom": {"path": "/etc/b"}},
            {"name": "c", "valueFrom": {"path": "/nope", "default": "dflt"}},
        ]},
    }
    request = make_request("outs", template, capture=True)
    final = run_one(backend, request)
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None
    values = {p["name"]: p["value"] for p in final.outputs["parameters"]}
    assert values == {"a": "one", "b": "two", "c": "dflt"}
    assert final.outputs["result"] == "out"
    assert final.outputs["exitCode"] == "0"
    assert backend.read_logs(request.pod_name) in ("out\nerr\n", "err\nout\n")


def test_missing_output_file_without_default_is_an_error(backend: KubeBackend) -> None:  # noqa: F811
    template = {**container(["true"]), "outputs": {"parameters": [{"name": "x", "valueFrom": {"path": "/x"}}]}}
    final = run_one(backend, make_request("missing", template))
    assert final.phase == "Error"
    assert final.message == "failed to get output parameter 'x': open /x: no such file or directory"


def test_script_template_stages_source_and_captures_result(backend: KubeBackend) -> None:  # noqa: F811
    source = "import os\nprint('$(HOME) $$ ' + str(6 * 7))\n"
    template = {"script": {"image": "python:alpine3.23", "command": ["python"], "source": source}}
    final = run_one(backend, make_request("script", template, capture=True))
    assert final.phase == "Succeeded", final.message
    assert final.outputs is not None and final.outputs["result"] == "$(HOME) $$ 42"


def test_read_logs_with_timestamps_tail_and_other_containers(backend: KubeBackend) -> None:  # noqa: F811
    request = make_request("logs", container(["sh", "-c", "echo one; echo two; echo three"]))
    run_one(backend, request)
    stamped = backend.read_logs(request.pod_name, timestamps=True).splitlines()
    assert [line.split(" ", 1)[1] for line in stamped] == ["one", "two", "three"]
    assert stamped[0].split(" ", 1)[0].endswith("Z")
    assert backend.read_logs(request.pod_name, tail_lines=1) == "three\n"
    assert backend.read_logs("no-such-pod") == ""
