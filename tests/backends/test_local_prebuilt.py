"""A spare shim prebuilds the base of the next pod's root (rootfs.build_base) while it waits: a pod
whose base has the same key (mount point, owner, program installations) runs on it and sees the
very tree a freshly built root shows; a base built for another key is never used."""

from __future__ import annotations

import select
from pathlib import Path
from typing import Any

import pytest

from argoctl.backends.local import podfiles
from argoctl.backends.local.backend import LocalBackend
from argoctl.backends.local.confine import host_uid
from argoctl.backends.local.rootfs import base_hint, root_key

from .conftest import SANDBOXES, _backend, make_request, run_pods_as_a_user, wait_final

needs_unshare = pytest.mark.skipif(not SANDBOXES["unshare"], reason="unshare cannot make a mount namespace here")
USED = "root: on the base a spare shim prebuilt"
DISCARDED = "root: a prebuilt base for another pod's programs or owner was unmounted"
# what a container sees of its root, without times or ids that differ between any two pods
# (one stream: stdout and stderr reach the log through two pipes, in no fixed order; busybox's
# stat may stand in for the image's, so nothing GNU-only)
LISTING = ("exec 2>&1; for d in / /dev /run /tmp /var /.argoctl; do "
           "stat -c '%n %a %u %g %F %N' $d/* $d/.[!.]* 2>/dev/null; done | sort; "
           "sed 's/^[0-9]* [0-9]* [0-9:]* //' /proc/self/mountinfo")


def _plan(path: str, *, host_path: dict[str, Any] | None = None) -> dict[str, Any]:
    mounts = [{"kind": "emptyDir", "source": "/x", "mount_path": "/data"}]
    if host_path is not None:
        mounts.append(host_path)
    return {"mode": "namespace", "containers": [{
        "name": "main", "env": [["HOME", "/root"], ["PATH", path], ["SECRET", "v"]], "mounts": mounts,
        "aliases": [["x", "/usr/bin/true"]], "root_programs": [], "working_dir": "/",
    }]}


def test_the_hint_gives_the_plans_key_and_owner_without_its_secrets(tmp_path: Path) -> None:
    tools = tmp_path / "tools" / "bin"
    tools.mkdir(parents=True)
    writable = {"kind": "hostPath", "source": str(tmp_path), "mount_path": "/h", "read_only": False}
    for plan in (_plan(f"{tools}:/usr/bin"), _plan("/usr/bin", host_path=writable)):
        hint = base_hint(plan)
        assert hint is not None
        assert host_uid(hint) == host_uid(plan)
        assert root_key(tmp_path / "run" / "p", hint, (1, 1)) == root_key(tmp_path / "run" / "p", plan, (1, 1))
        assert "SECRET" not in str(hint)
    assert host_uid(base_hint(_plan("/usr/bin", host_path=writable)) or {}) == 0
    assert base_hint({**_plan("/usr/bin"), "mode": "none"}) is None


def _start_each_on_a_spare(local: LocalBackend, templates: dict[str, dict[str, Any]]) -> None:
    """Start the pods one after another: the first is forked by the server, each next one is
    started once the server offered the spare it made after the previous one (a bound for a busy
    machine, not a speed check)."""
    for index, (name, template) in enumerate(templates.items()):
        if index:
            server = local._spawner._server
            assert server is not None
            assert select.select([server.sock], [], [], 30)[0], "no spare was offered"
        local.start(make_request(template, name=name))


def _run(tmp_path: Path, templates: dict[str, dict[str, Any]]) -> tuple[LocalBackend, dict[str, str]]:
    """On a new backend (closed after), start the pods (``_start_each_on_a_spare``) and wait for
    them all; the backend (its pod directories stay) and each pod's log."""
    local = _backend(tmp_path / "run", "unshare")
    try:
        _start_each_on_a_spare(local, templates)
        final = wait_final(local, {f"wf-{name}" for name in templates})
        assert {u.phase for u in final.values()} == {"Succeeded"}, [u.message for u in final.values()]
        return local, {name: local.read_logs(f"wf-{name}") for name in templates}
    finally:
        local.close()


def _shim_log(local: LocalBackend, name: str) -> str:
    return (local.run_dir / f"wf-{name}" / podfiles.SHIM_LOG).read_text()


@needs_unshare
def test_a_pod_on_a_prebuilt_base_sees_the_tree_a_fresh_root_shows(tmp_path: Path) -> None:
    step = {"container": {"image": "alpine", "command": ["sh", "-c", LISTING]}}
    local, logs = _run(tmp_path, {"fresh": step, "prebuilt": step})
    assert USED not in _shim_log(local, "fresh")
    assert USED in _shim_log(local, "prebuilt")
    assert "/dev/null" in logs["fresh"] and " /proc " in logs["fresh"]
    assert logs["prebuilt"] == logs["fresh"]


@needs_unshare
def test_a_base_prebuilt_for_other_programs_is_not_used(tmp_path: Path) -> None:
    tools = tmp_path / "tools" / "bin"
    tools.mkdir(parents=True)
    (tools / "marker").write_text("")
    show = f"ls {tools} 2>&1; echo end"
    with_tools = {"container": {"image": "alpine", "command": ["sh", "-c", show],
                                "env": [{"name": "PATH", "value": f"{tools}:/usr/bin:/bin"}]}}
    without = {"container": {"image": "alpine", "command": ["sh", "-c", show]}}
    local, logs = _run(tmp_path, {"tools": with_tools, "plain": without})
    assert "marker" in logs["tools"]  # its PATH's installation is shown to the pod that asked
    assert "marker" not in logs["plain"] and "No such file" in logs["plain"]
    assert DISCARDED in _shim_log(local, "plain")
    # its launcher had entered the discarded base ahead: the container is started afresh
    assert "forked ahead" not in _shim_log(local, "plain")


FORKED_AHEAD = "container main: forked ahead by the spare shim"
# what a container process is given: identity, capabilities, signals, descriptors, root, cwd
PROCESS = ("exec 2>&1; grep -E '^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs|Seccomp|Sig(Ign|Blk)):' /proc/self/status; "
           "cat /proc/self/uid_map /proc/self/gid_map; ls /proc/self/fd; readlink /proc/self/root /proc/self/cwd; "
           "ps -o pid,pgid,sid,comm | awk 'NR > 1 && $1 == $2 && $2 == $3 {print \"own session\", $4}'; "
           "echo $0 $@; env | grep -v -e ^HOSTNAME= -e ^ARGO_ | sort; yes | head -c 2 >/dev/null; echo end")


@needs_unshare
@pytest.mark.parametrize("security", [{}, {"securityContext": {"runAsUser": 1000, "runAsGroup": 2000}},
                                      {"securityContext": {"privileged": True}}])
def test_a_container_forked_ahead_starts_as_one_started_by_subprocess(
        tmp_path: Path, security: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOCTL_ALLOW_PRIVILEGED", "1")
    step = {"container": {"image": "alpine", "command": ["sh", "-c", PROCESS, "probe", "one two"],
                          "workingDir": "/tmp", **security}}
    local, logs = _run(tmp_path, {"fresh": step, "ahead": step})
    assert FORKED_AHEAD not in _shim_log(local, "fresh")
    assert FORKED_AHEAD in _shim_log(local, "ahead")
    assert logs["fresh"].endswith("end\n") and "own session sh" in logs["fresh"]
    assert "probe one two" in logs["fresh"] and "/tmp" in logs["fresh"]
    assert logs["ahead"] == logs["fresh"]


@needs_unshare
def test_a_launcher_confined_ahead_for_another_identity_is_not_used(tmp_path: Path) -> None:
    """The spare's launcher takes the last pod's identity ahead (user namespace, root): a pod
    whose container runs as another user gets a container started afresh, which runs as that user."""
    plain = {"container": {"image": "alpine", "command": ["sh", "-c", PROCESS, "probe"]}}
    other = {"container": {"image": "alpine", "command": ["sh", "-c", PROCESS, "probe"],
                           "securityContext": {"runAsUser": 1000, "runAsGroup": 2000}}}
    local, logs = _run(tmp_path, {"first": plain, "other": other, "again": other})
    assert FORKED_AHEAD not in _shim_log(local, "other") and FORKED_AHEAD in _shim_log(local, "again")
    assert "Uid:\t1000\t1000\t1000\t1000" in logs["other"]
    assert logs["other"] == logs["again"] != logs["first"]


@needs_unshare
def test_a_program_that_cannot_run_fails_the_same_forked_ahead(tmp_path: Path) -> None:
    step = {"container": {"image": "alpine", "command": ["/etc/hostname"]}}
    local = _backend(tmp_path / "run", "unshare")
    try:
        _start_each_on_a_spare(local, {"fresh": step, "ahead": step})
        final = wait_final(local, {"wf-fresh", "wf-ahead"})
    finally:
        local.close()
    fresh, ahead = final["wf-fresh"], final["wf-ahead"]
    assert fresh.phase == ahead.phase == "Failed"
    assert fresh.message == ahead.message and "exec: \"/etc/hostname\"" in fresh.message
    assert local.read_logs("wf-ahead") == local.read_logs("wf-fresh") != ""


def test_the_driver_is_woken_for_running_only_when_the_pod_still_runs(tmp_path: Path) -> None:
    """A short pod wakes its driver once, at its end; a longer one also when its Running state
    has stood for RUNNING_WAKE_DELAY. The state file itself is written at the runner's first tick
    (once the containers started), before any wake-up and before the status."""
    import os
    import time

    from argoctl.backends.local.shim import RUNNING_WAKE_DELAY, Shim
    from argoctl.backends.local.shim_outputs import PodOutcome

    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)

    def wake_ups() -> int:
        try:
            return len(os.read(read_fd, 64))
        except BlockingIOError:
            return 0

    shim = Shim(tmp_path, write_fd)
    shim.phase = "Running"
    shim.write_state(wake=False)
    assert not (tmp_path / podfiles.STATE).exists()  # not yet: the containers start first
    due = shim.tick()
    assert podfiles.read_json(tmp_path / podfiles.STATE)["phase"] == "Running"  # type: ignore[index]
    assert due is not None and wake_ups() == 0
    time.sleep(RUNNING_WAKE_DELAY + 0.01)
    assert shim.tick() is None and wake_ups() == 1  # still running: woken once
    shim.write_state(wake=False)
    shim.write_status(PodOutcome("Succeeded", "", None, "2026-01-01T00:00:00Z"))
    assert wake_ups() == 1 and shim.tick() is None  # ended first: the status's wake-up only
    os.close(read_fd)
    os.close(write_fd)


def test_a_spare_past_its_age_shuts_its_socket_but_serves_a_request_already_sent() -> None:
    """A spare stops waiting at its deadline: a request that came before is still served, and a
    driver sending later gets EPIPE (and asks the server), never a request silently lost."""
    import os
    import socket
    import time

    from argoctl.backends.local.forkserver import _await_request

    driver, spare = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    read_fd, write_fd = os.pipe()
    socket.send_fds(driver, [b'{"pod_dir": "x"}'], [read_fd, write_fd])
    received = _await_request(spare, time.monotonic() - 1.0)
    assert received is not None and received[0] == b'{"pod_dir": "x"}' and len(received[1]) == 2
    for fd in (read_fd, write_fd, *received[1]):
        os.close(fd)
    driver.close()
    spare.close()

    driver, spare = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    assert _await_request(spare, time.monotonic() + 0.05) is None
    with pytest.raises(BrokenPipeError):
        driver.send(b"too late")
    driver.close()
    spare.close()


@pytest.mark.skipif(not SANDBOXES["unshare"], reason="unshare cannot make a mount namespace here")
def test_an_unprivileged_users_pods_on_spares_are_contained_the_same() -> None:
    """argoctl run by a normal user: pods started on spares (prebuilt root, container forked
    ahead, in the spare's user namespace) get what the first, freshly forked one gets."""
    script = ("grep -E '^(CapEff|NoNewPrivs|Uid)' /proc/self/status | tr -s '\\t' ' '; ls /proc | grep -c '^[0-9]'; "
              "cat /proc/self/uid_map | tr -s ' '; echo x > /tmp/f && echo end")
    done, logs = run_pods_as_a_user(script, pods=3, timeout=180)
    results = done.stdout.strip().splitlines()[-3:]
    assert len(results) == 3 and len(set(results)) == 1, done.stdout + done.stderr
    assert results[0] == "Succeeded 'Uid: 0 0 0 0\\nCapEff: 0000000000000000\\nNoNewPrivs: 1\\n4\\n 0 0 1\\nend'"
    assert logs.count(FORKED_AHEAD) == 2 and logs.count(USED) == 2


def test_the_server_works_a_spares_program_installations_out_once_a_spare_age(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A spare's base shows the installations the server worked out for the pod before it, from that
    pod's environment (as its own shim would), reused for equal inputs up to SPARE_MAX_AGE."""
    from argoctl.backends.local import forkserver, rootfs

    tools = tmp_path / "tools" / "bin"
    tools.mkdir(parents=True)
    hint = base_hint(_plan(f"{tools}:/usr/bin"))
    env = {"HOME": str(tmp_path / "home"), "PWD": "/", "ARGOCTL_HOME": str(tmp_path / "store")}
    last = {"pod_dir": str(tmp_path / "run" / "p"), "root": hint, "env": env}
    monkeypatch.setattr(forkserver, "_TREES", {})
    trees = forkserver._installed_trees(last)
    assert trees == rootfs.installed_trees(tmp_path / "run" / "p", hint or {}, env) == [str(tmp_path / "tools" / "bin")]
    assert forkserver._installed_trees(last) is trees  # the same inputs, moments later
    # argoctl's store holds the tools: not shown (the pod's ARGOCTL_HOME counts, not the server's)
    assert forkserver._installed_trees({**last, "env": {**env, "ARGOCTL_HOME": str(tmp_path)}}) == []
    import time

    now = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: now + forkserver.SPARE_MAX_AGE + 1)
    assert forkserver._installed_trees(last) == trees and forkserver._installed_trees(last) is not trees
