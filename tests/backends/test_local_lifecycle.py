"""Local backend: deadlines, kills, adoption by a new driver, the fallback notice."""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from argoctl.backends.base import PodUpdate
from argoctl.backends.images import ImageTable
from argoctl.backends.local import podfiles
from argoctl.backends.local.backend import LocalBackend
from argoctl.backends.local.runner import DEADLINE_MESSAGE
from argoctl.backends.local.sandbox import fallback_notice

from .conftest import make_request, wait_final


def _leaves_a_child() -> tuple[list[str], str]:
    """A parent that leaves a child behind which ignores SIGTERM (only SIGKILL of the group stops
    it); the child's ``sleep`` argument is unique, so the host process is found by its command line
    (the pid the step prints is one of the pod's PID namespace)."""
    token = f"30.{random.randrange(10**8):08d}"
    return [f'(trap "" TERM; exec sleep {token}) & echo "child=$!"; sleep 30'], token


def _child_pid(logs: str, token: str) -> int:
    """The host pid of the child running ``sleep TOKEN``: the step prints ``child=`` as soon as it
    forked the subshell, which execs ``sleep`` a moment later (looked for until then)."""
    assert any(line.startswith("child=") for line in logs.splitlines())
    end = time.monotonic() + 30  # a bound for a busy machine, not a speed check
    while time.monotonic() < end:
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if entry.joinpath("cmdline").read_bytes() == f"sleep\0{token}\0".encode():
                        return int(entry.name)
                except OSError:
                    continue
        time.sleep(0.01)
    raise AssertionError(f"no host process runs sleep {token}")


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state in ("Z", "X")


def _wait_for_log(local: LocalBackend, pod: str, text: str) -> str:
    end = time.monotonic() + 60  # a bound for a busy machine, not a speed check
    while text not in local.read_logs(pod):
        assert time.monotonic() < end, f"{text!r} never appeared in the logs of {pod}"
        local.wait(0.05)
    return local.read_logs(pod)


def test_deadline_kills_the_whole_process_group(backend: LocalBackend) -> None:
    # long enough for a loaded machine to start the pod and its child before the deadline kills it
    deadline = (datetime.now(UTC) + timedelta(seconds=6)).isoformat().replace("+00:00", "Z")
    args, token = _leaves_a_child()
    request = make_request({"container": {"image": "alpine", "command": ["sh", "-c"], "args": args}},
                           deadline=deadline)
    backend.start(request)
    child = _child_pid(_wait_for_log(backend, "wf-step", "child="), token)
    update = wait_final(backend, {"wf-step"})["wf-step"]
    assert update.phase == "Failed"
    assert update.message == DEADLINE_MESSAGE
    assert _gone(child)


def test_kill_stops_the_pod_with_the_reason(backend: LocalBackend) -> None:
    args, token = _leaves_a_child()
    backend.start(make_request({"container": {"image": "alpine", "command": ["sh", "-c"], "args": args}}))
    child = _child_pid(_wait_for_log(backend, "wf-step", "child="), token)
    backend.kill("wf-step", reason="Stopped with strategy 'Terminate'")
    update = wait_final(backend, {"wf-step"})["wf-step"]
    assert update.phase == "Failed"
    assert update.message == "Stopped with strategy 'Terminate'"
    assert _gone(child)
    backend.kill("wf-step", reason="again")  # a finished pod: nothing happens
    assert backend.wait(0.1) == []


def test_fallback_notice_is_shown_once(tmp_path: Path) -> None:
    notices: list[str] = []
    local = LocalBackend(tmp_path, images=ImageTable(), notices=notices.append, sandbox="none")
    for name in ("one", "two"):
        local.start(make_request({"container": {"image": "alpine", "command": ["true"]}}, name=name))
    final = wait_final(local, {"wf-one", "wf-two"})
    assert {u.phase for u in final.values()} == {"Succeeded"}
    assert notices == [fallback_notice("ARGOCTL_SANDBOX=none")]
    assert notices[0] == ("notice: running steps as plain processes (no mount namespace: ARGOCTL_SANDBOX=none); "
                          "/tmp and volume mount paths are shared between steps")


def test_the_env_var_forces_the_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOCTL_SANDBOX", "none")
    notices: list[str] = []
    local = LocalBackend(tmp_path, images=ImageTable(), notices=notices.append)
    assert local.sandbox.mode == "none"
    assert len(notices) == 1


def _counting_step(counter: Path) -> dict[str, object]:
    """A step that appends a line to ``counter/runs`` (a hostPath volume) each time it runs."""
    return {
        "volumes": [{"name": "counter", "hostPath": {"path": str(counter)}}],
        "container": {"image": "alpine", "command": ["sh", "-c", f"echo ran >> {counter}/runs; sleep 0.6; echo done"],
                      "volumeMounts": [{"name": "counter", "mountPath": str(counter)}]},
    }


def test_a_new_driver_adopts_a_running_pod(tmp_path: Path, sandbox_name: str) -> None:
    run_dir, counter = tmp_path / "run", tmp_path / "counter"
    counter.mkdir()
    request = make_request(_counting_step(counter), capture_result=True)
    first = LocalBackend(run_dir, images=ImageTable(), notices=lambda _: None, sandbox=sandbox_name)
    first.start(request)
    first.close()
    del first
    second = LocalBackend(run_dir, images=ImageTable(), notices=lambda _: None, sandbox=sandbox_name)
    [adopted] = second.adopt([request])
    assert adopted.phase in ("Pending", "Running")
    final = wait_final(second, {"wf-step"})["wf-step"]
    assert final.phase == "Succeeded"
    assert final.outputs is not None and final.outputs["result"] == "done"
    # a third driver asked to start the finished pod reports it and does not run it again
    third = LocalBackend(run_dir, images=ImageTable(), notices=lambda _: None, sandbox=sandbox_name)
    third.start(request)
    assert wait_final(third, {"wf-step"})["wf-step"].phase == "Succeeded"
    assert (counter / "runs").read_text() == "ran\n"
    assert third.adopt([request])[0].phase == "Succeeded"


def test_adopting_missing_or_dead_pods_reports_pod_deleted(tmp_path: Path, sandbox_name: str) -> None:
    local = LocalBackend(tmp_path, images=ImageTable(), notices=lambda _: None, sandbox=sandbox_name)
    never = make_request({"container": {"image": "alpine", "command": ["true"]}}, name="never")
    [update] = local.adopt([never])
    assert (update.phase, update.message) == ("Error", "pod deleted")
    dying = make_request({"container": {"image": "alpine", "command": ["sleep", "1"]}}, name="dying")
    local.start(dying)
    pod_dir = tmp_path / "wf-dying"
    end = time.monotonic() + 60  # a bound for a busy machine, not a speed check
    while podfiles.read_pid(pod_dir) is None:
        assert time.monotonic() < end
        time.sleep(0.01)
    os.kill(podfiles.read_pid(pod_dir) or 0, signal.SIGKILL)  # the runner dies without a status
    update = wait_final(local, {"wf-dying"})["wf-dying"]
    assert (update.phase, update.message) == ("Error", "pod deleted")
    later = LocalBackend(tmp_path, images=ImageTable(), notices=lambda _: None, sandbox=sandbox_name)
    assert later.adopt([dying])[0].message == "pod deleted"


def test_docker_runtime_is_refused_clearly(tmp_path: Path) -> None:
    from argoctl.errors import BackendError

    with pytest.raises(BackendError, match="--runtime docker is not implemented"):
        LocalBackend(tmp_path, runtime="docker")


def _first_running(local: LocalBackend) -> PodUpdate:
    end = time.monotonic() + 60  # a bound for a busy machine, not a speed check
    while time.monotonic() < end:
        for update in local.wait(1.0):
            if update.phase == "Running":
                return update
    raise AssertionError("no Running update")


def test_daemon_pods_report_running_daemoned_until_killed(backend: LocalBackend) -> None:
    backend.start(make_request({"daemon": True, "container": {"image": "alpine", "command": ["sleep", "30"]}}))
    running = _first_running(backend)
    assert running.daemoned and running.started_at and running.pod_ip == "127.0.0.1"
    backend.kill("wf-step", reason="daemon stopped")
    final = wait_final(backend, {"wf-step"})["wf-step"]
    assert (final.phase, final.message, final.daemoned) == ("Failed", "daemon stopped", False)


def test_pods_beyond_max_pods_wait_pending_in_start_order(tmp_path: Path) -> None:
    # a loop of thousands of pods must not start thousands of processes at once
    local = LocalBackend(tmp_path, images=ImageTable(), notices=lambda _: None, sandbox="none", max_pods=1)
    try:
        requests = [make_request({"container": {"image": "alpine", "command": ["sleep", "0.3"]}}, name=f"p{i}")
                    for i in range(3)]
        for request in requests:
            local.start(request)
        assert sorted(p.name for p in tmp_path.iterdir() if (p / podfiles.PID).exists() or (p / "plan.json").exists()) \
            == ["wf-p0"]
        local.kill("wf-p2", reason="workflow shutdown")
        final = wait_final(local, {"wf-p0", "wf-p1", "wf-p2"})
        assert final["wf-p2"].phase == "Failed" and final["wf-p2"].message == "workflow shutdown"
        first, second = final["wf-p0"], final["wf-p1"]
        assert (first.phase, second.phase) == ("Succeeded", "Succeeded")
        assert first.finished_at is not None and second.started_at is not None
        assert second.started_at >= first.finished_at
    finally:
        local.close()


def test_a_new_driver_starts_the_pods_an_earlier_one_queued(tmp_path: Path) -> None:
    first = LocalBackend(tmp_path, images=ImageTable(), notices=lambda _: None, sandbox="none", max_pods=1)
    running = make_request({"container": {"image": "alpine", "command": ["sleep", "0.5"]}}, name="run")
    queued = make_request({"container": {"image": "alpine", "command": ["true"]}}, name="queued")
    first.start(running)
    first.start(queued)
    first.close()
    later = LocalBackend(tmp_path, images=ImageTable(), notices=lambda _: None, sandbox="none", max_pods=1)
    try:
        bare = [dataclasses.replace(r, template={}) for r in (running, queued)]  # what a driver adopts with
        assert [u.phase for u in later.adopt(bare)][1] == "Pending"
        final = wait_final(later, {"wf-run", "wf-queued"})
        assert final["wf-queued"].phase == "Succeeded", final["wf-queued"].message
    finally:
        later.close()
