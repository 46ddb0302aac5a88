"""``argoctl.run`` and ``Client`` end to end on the local backend (real processes, real store)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest

import argoctl
from argoctl.api import Client
from tests.api.manifests import echo, flaky, sleeper

HERA_PIPELINES = Path(__file__).resolve().parents[1] / "cli" / "hera_pipelines"


class HeraLike:
    """A stand-in for a Hera ``Workflow``: only ``to_dict()``."""

    def __init__(self, manifest: dict[str, Any]) -> None:
        self.manifest = manifest

    def to_dict(self) -> dict[str, Any]:
        return self.manifest


def test_run_with_parameters_returns_phase_nodes_outputs_and_logs(
        argoctl_client: Client, capfd: pytest.CaptureFixture[str]) -> None:
    run = argoctl.run(echo(), parameters={"msg": "hello"}, backend="local")
    assert (run.phase, run.succeeded, run.done) == ("Succeeded", True, True)
    assert run.nodes[run.name].phase == "Succeeded"
    assert run.outputs.parameters == {"said": "hello"}
    assert run.logs() == f"{run.name}: said hello\n"
    assert argoctl_client.get(run.name).phase == "Succeeded"  # the fixture's home is the one run() used
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")  # nothing printed by the library


def test_a_failed_run_raises_with_the_run_and_retry_reruns_only_the_failed_step(argoctl_client: Client) -> None:
    with pytest.raises(argoctl.WorkflowFailed) as raised:
        argoctl_client.submit(flaky(), wait=True)
    run = raised.value.run
    assert run.phase == "Failed" and raised.value.exit_code == 1
    assert run.nodes["flaky"].phase == "Failed" and run.nodes["first"].phase == "Succeeded"
    assert run.logs("flaky") == "exit 3\n"
    first_id = run.nodes["first"].id
    run.retry(parameters={"code": "0"})
    assert run.phase == "Succeeded"
    assert run.nodes["flaky"].phase == "Succeeded" and run.nodes["first"].id == first_id
    assert run.logs("flaky").endswith("exit 0\n")


def test_an_invalid_manifest_lists_its_problems_and_creates_nothing(argoctl_client: Client) -> None:
    manifest = echo()
    manifest["spec"]["entrypoint"] = "missing"
    with pytest.raises(argoctl.InvalidManifest) as raised:
        argoctl_client.submit(manifest)
    assert raised.value.problems == ["<manifest>:1: spec.entrypoint: template name 'missing' undefined"]
    unset = echo()
    del unset["spec"]["arguments"]
    with pytest.raises(argoctl.InvalidManifest) as raised:
        argoctl.run(unset)
    assert len(raised.value.problems) == 1 and "msg" in raised.value.problems[0]
    assert argoctl_client.list() == []


def test_things_that_are_not_workflows_are_invalid(argoctl_client: Client, tmp_path: Path) -> None:
    with pytest.raises(argoctl.InvalidManifest, match="cannot run a int"):
        argoctl_client.submit(3)  # type: ignore[arg-type]
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: Workflow\nspec: [\n")
    with pytest.raises(argoctl.InvalidManifest) as raised:
        argoctl_client.submit(broken)
    assert "broken.yaml" in raised.value.problems[0]


def test_an_object_with_to_dict_runs_like_its_manifest(argoctl_client: Client) -> None:
    run = argoctl_client.submit(HeraLike(echo("from-hera")), wait=True)
    assert run.outputs.parameters["said"] == "from-hera"
    assert [r.name for r in argoctl_client.list()] == [run.name]


def test_a_hera_file_runs_through_run(argoctl_client: Client) -> None:
    pytest.importorskip("hera", reason="hera is in the test extra")
    run = argoctl.run(HERA_PIPELINES / "script_outputs.py")
    assert run.phase == "Succeeded"
    assert run.nodes["produce"].phase == "Succeeded"
    assert run.logs("consume") == "produced: 42\n"  # the result and the output parameter (41) + 1


def test_stop_ends_a_running_workflow_and_does_not_raise(argoctl_client: Client) -> None:
    run = argoctl.run(sleeper(), wait=False)
    assert not run.done
    deadline = time.monotonic() + 60
    while run.refresh().phase != "Running":
        assert time.monotonic() < deadline, "the detached driver never started the workflow"
        time.sleep(0.1)
    run.stop()
    assert run.done and run.phase == "Failed"
    assert run.nodes[run.name].phase in ("Failed", "Error")


def test_resubmit_and_delete(argoctl_client: Client) -> None:
    first = argoctl_client.submit(echo("one"), wait=True)
    second = argoctl_client.resubmit(first.name, parameters={"msg": "two"}, wait=True)
    assert second.name != first.name and second.outputs.parameters["said"] == "two"
    argoctl_client.delete(first.name)
    assert [r.name for r in argoctl_client.list()] == [second.name]
    with pytest.raises(argoctl.NotFoundError):
        argoctl_client.get(first.name)


def test_import_argoctl_does_not_load_the_api() -> None:
    import subprocess

    probe = "import sys, argoctl; print('argoctl.api' in sys.modules, callable(argoctl.run))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_an_unknown_backend_is_a_usage_error() -> None:
    with pytest.raises(argoctl.ArgoctlError, match="unknown backend"):
        Client(backend="mars")
