"""Pure parts of the Kubernetes backend: the pod-status mapping (Argo's inferFailedReason), the
outputs bundle, and the in-pod wrapper run by real POSIX shells."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from argoctl.backends.kube import helper
from argoctl.backends.kube.collect import collect, parse_bundle
from argoctl.backends.kube.podspec import PodInfo
from argoctl.backends.kube.status import view_pod

JSON = dict[str, Any]
INFO = PodInfo(node_id="n", nonce="N0", capture=True, wrapped=("main",),
               parameters=({"name": "p", "valueFrom": {"path": "/p", "default": "d"}},))


def terminated(name: str, code: int, reason: str = "", message: str = "") -> JSON:
    state: JSON = {"exitCode": code, "reason": reason or ("Completed" if code == 0 else "Error"),
                   "finishedAt": "2030-01-01T00:00:05Z"}
    if message:
        state["message"] = message
    return {"name": name, "ready": False, "state": {"terminated": state}}


def pod(phase: str, containers: list[JSON], inits: list[JSON] | None = None, **status: Any) -> JSON:
    return {"metadata": {"name": "p", "namespace": "ns"}, "spec": {"nodeName": "node-1"},
            "status": {"phase": phase, "startTime": "2030-01-01T00:00:00Z", "podIP": "10.0.0.9",
                       "containerStatuses": containers, "initContainerStatuses": inits or [], **status}}


@pytest.mark.parametrize("containers, inits, status, expected", [
    ([terminated("main", 1, message="@@N0 begin 1\n\n@@N0 end\n")], [], {}, ("Failed", "main: Error (exit code 1)")),
    ([terminated("main", 137, "OOMKilled")], [], {}, ("Failed", "main: OOMKilled (exit code 137)")),
    ([terminated("main", 0)], [terminated("argoctl-init", 1, message="cp: nope")], {},
     ("Error", "argoctl-init: Error (exit code 1): cp: nope")),
    ([terminated("main", 0)], [terminated("argoctl-outputs", 137)], {}, ("Succeeded", "")),
    ([terminated("main", 0)], [terminated("argoctl-outputs", 2)], {}, ("Error", "argoctl-outputs: Error (exit code 2)")),
    ([terminated("main", 0)], [terminated("side", 143)], {}, ("Succeeded", "")),
    ([terminated("main", 0)], [terminated("side", 3)], {}, ("Failed", "side: Error (exit code 3)")),
    ([{"name": "main", "state": {"waiting": {"reason": "ErrImagePull", "message": "nope"}}}], [], {},
     ("Error", "Pod failed before main container starts due to ErrImagePull: nope")),
    ([terminated("main", 137)], [], {"reason": "Evicted", "message": "low memory"}, ("Failed", "low memory")),
    ([], [], {}, ("Failed", "can't find failed message for pod p namespace ns")),
])
def test_failed_pods_map_like_argo(containers: list[JSON], inits: list[JSON], status: JSON,
                                   expected: tuple[str, str]) -> None:
    view = view_pod(pod("Failed", containers, inits, **status), INFO)
    assert (view.phase, view.message) == expected


def test_pending_running_and_daemons() -> None:
    waiting = [{"name": "main", "state": {"waiting": {"reason": "ImagePullBackOff", "message": "Back-off"}}}]
    view = view_pod(pod("Pending", waiting), INFO)
    assert (view.phase, view.message, view.pull_failure) == ("Pending", "ImagePullBackOff: Back-off",
                                                             "ImagePullBackOff: Back-off")
    unschedulable = pod("Pending", [], conditions=[{"type": "PodScheduled", "reason": "Unschedulable",
                                                     "message": "0/1 nodes"}])
    assert view_pod(unschedulable, INFO).message == "Unschedulable: 0/1 nodes"
    daemon = PodInfo(daemon=True)
    ready = [{"name": "main", "ready": True, "state": {"running": {}}}]
    assert view_pod(pod("Running", ready), daemon).daemoned
    assert not view_pod(pod("Running", [dict(ready[0], ready=False)]), daemon).daemoned
    assert view_pod(pod("Succeeded", [terminated("main", 0)]), daemon).phase == "Failed"


def test_container_set_members() -> None:
    info = PodInfo(container_set=("a", "b", "c", "d"), wrapped=("a", "b", "c", "d"))
    members = [terminated("a", 0), terminated("b", 64), terminated("c", 0, message="argoctl: dependency 'b' did not succeed"),
               {"name": "d", "state": {"running": {"startedAt": "t"}}}]
    view = view_pod(pod("Failed", members), info)
    phases = {c.name: (c.phase, c.message) for c in view.containers}
    assert phases == {"a": ("Succeeded", ""), "b": ("Error", "b: Error (exit code 64): "),
                      "c": ("Failed", "dependency 'b' did not succeed"),
                      "d": ("Failed", "Pod Failed whilst container running")}
    assert (view.phase, view.message) == ("Failed", "b: Error (exit code 64)")


def test_bundle_parsing_keeps_exact_bytes() -> None:
    text = "@@N0 begin 0\n\n@@N0 param p\nline\n\n\n@@N0 missing q\n\n@@N0 result\nout\n\n@@N0 end\n"
    bundle = parse_bundle(text, "N0")
    assert bundle is not None and bundle.complete
    assert bundle.parameters == {"p": "line\n\n", "q": None}
    assert bundle.result == "out\n"
    assert parse_bundle("@@N0 overflow 9000\n", "N0").overflow  # type: ignore[union-attr]
    assert parse_bundle("something else", "N0") is None
    cut = parse_bundle(text[:30], "N0")
    assert cut is not None and not cut.complete


def test_collect_reads_the_log_only_on_overflow() -> None:
    reads: list[str] = []

    def log() -> str:
        reads.append("log")
        return "noise\n@@N0 begin 0\n\n@@N0 param p\nbig\n\n@@N0 result\nr\n\n@@N0 end\n"

    message = "@@N0 begin 0\n\n@@N0 missing p\n\n@@N0 result\nsmall\n\n@@N0 end\n"
    outputs, error = collect(INFO, message, 0, log)
    assert error is None and reads == []
    assert outputs == {"parameters": [{"name": "p", "valueFrom": {"path": "/p", "default": "d"}, "value": "d"}],
                       "result": "small", "exitCode": "0"}
    outputs, error = collect(INFO, "@@N0 overflow 9000\n", 0, log)
    assert error is None and reads == ["log"]
    assert outputs is not None and outputs["parameters"][0]["value"] == "big" and outputs["result"] == "r"
    outputs, error = collect(INFO, "", 137, log)  # killed before writing: no log read, defaults apply
    assert reads == ["log"] and outputs is not None and outputs["exitCode"] == "137"

    def broken() -> str:
        raise OSError("gone")

    outputs, error = collect(INFO, "@@N0 overflow 9000\n", 0, broken)
    assert outputs == {"exitCode": "0"} and error is not None and "gone" in error


def _shells() -> list[str]:
    found = [str(shutil.which(s)) for s in ("dash", "bash") if shutil.which(s)]
    busybox = shutil.which("busybox")
    return found + ([f"{busybox} sh"] if busybox else [])


@pytest.mark.parametrize("shell", _shells(), ids=lambda s: Path(s.split()[0]).name)
def test_wrapper_runs_the_argv_and_writes_the_bundle(shell: str, tmp_path: Path) -> None:
    base = tmp_path / "argoctl"
    (base / "bin").mkdir(parents=True)
    (base / "ctr").mkdir()
    for tool in helper.TOOLS:
        (base / "bin" / tool).symlink_to(shutil.which(tool) or tool)
    (tmp_path / "p").write_text("value\n")
    term = tmp_path / "term"
    env = {"PATH": "/nonexistent", "ARGOCTL_DIR": str(base), "ARGOCTL_CAPTURE": "1", "ARGOCTL_REPORT": "N0",
           "ARGOCTL_OUTPUTS": f"p {tmp_path}/p\nq {tmp_path}/missing", "ARGOCTL_TERMINATION": str(term)}
    argv = [*shell.split(), "-c", helper.WRAPPER_SCRIPT, "argoctl", "/bin/sh", "-c",
            'echo "out $ARGOCTL_REPORT"; echo err >&2; exit 5']
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (5, "out \n", "err\n")  # wrapper env hidden
    bundle = parse_bundle(term.read_text(), "N0")
    assert bundle is not None and bundle.complete and bundle.exit_code == 5
    assert bundle.parameters == {"p": "value\n", "q": None} and bundle.result == "out \n"
    assert (base / "ctr" / "main.rc").read_text() == "5"
    assert os.path.exists(base / "ctr" / "outputs")


def test_wrapper_forwards_sigterm_to_the_child(tmp_path: Path) -> None:
    base = tmp_path / "argoctl"
    (base / "bin").mkdir(parents=True)
    (base / "ctr").mkdir()
    for tool in helper.TOOLS:
        (base / "bin" / tool).symlink_to(shutil.which(tool) or tool)
    script = "trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 0.05; done"
    process = subprocess.Popen(["sh", "-c", helper.WRAPPER_SCRIPT, "argoctl", "sh", "-c", script],
                               env={"PATH": os.environ["PATH"], "ARGOCTL_DIR": str(base)},
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stdout.readline() == "ready\n"
    process.terminate()
    assert process.wait(timeout=60) == 7
    assert process.stdout.read() == "got-term\n"
