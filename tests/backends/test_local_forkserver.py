"""The fork server: local pods are forked from one pre-imported process, each in its own
namespaces exactly as a freshly started shim; the server belongs to one backend and dies with it,
and when it is gone (or turned off) pods start as fresh interpreters."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from argoctl.backends.local import podfiles
from argoctl.backends.local.backend import LocalBackend
from argoctl.backends.local.forkserver import SPARE_MAX_AGE
from argoctl.backends.local.spawn import FORK_SERVER_ENV, is_shim

from .conftest import SANDBOXES, _backend, make_request, wait_final

needs_unshare = pytest.mark.skipif(not SANDBOXES["unshare"], reason="unshare cannot make a mount namespace here")
SHOW_PID_NS = {"container": {"image": "alpine", "command": ["sh", "-c"],
                             "args": ["readlink /proc/self/ns/pid; echo pid=$$; ls /proc | grep -c '^[0-9]'"]}}
HOST_PID_NS = os.readlink("/proc/self/ns/pid")


def _contained(log: str) -> bool:
    """The pod's own PID namespace (not the host's), holding only the pod's few processes (a
    namespace's inode number may be reused once it is gone, so pods are not compared)."""
    namespace, pid, count = log.splitlines()[:3]
    return namespace != HOST_PID_NS and pid != "pid=1" and int(count) < 10


def _server_pid(local: LocalBackend) -> int:
    server = local._spawner._server
    assert server is not None, "no fork server was started"
    return server.process.pid


def _exits(pid: int, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds  # a bound for a busy machine, not a speed check
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.02)
    return False


def _run_two(local: LocalBackend) -> dict[str, str]:
    for name in ("a", "b"):
        local.start(make_request(SHOW_PID_NS, name=name))
    final = wait_final(local, {"wf-a", "wf-b"})
    assert {u.phase for u in final.values()} == {"Succeeded"}
    return {name: local.read_logs(f"wf-{name}") for name in ("a", "b")}


@needs_unshare
def test_forked_pods_get_their_own_pid_namespaces(tmp_path: Path) -> None:
    local = _backend(tmp_path / "run", "unshare")
    try:
        logs = _run_two(local)
        _server_pid(local)  # the pods went through the server
    finally:
        local.close()
    assert all(_contained(log) for log in logs.values())  # pid 1 is the pod's shim
    for name in ("a", "b"):  # the pid file names the shim by pid and start time
        assert podfiles.read_pid_start(tmp_path / "run" / f"wf-{name}") is not None


@pytest.mark.parametrize("sandbox", ["unshare", "none"])
def test_the_server_dies_with_its_backend(sandbox: str, tmp_path: Path) -> None:
    local = _backend(tmp_path / "run", sandbox)
    _run_two(local)
    pid = _server_pid(local)
    local.close()
    assert _exits(pid)


@needs_unshare
def test_the_server_dies_when_its_driver_end_closes(tmp_path: Path) -> None:
    local = _backend(tmp_path / "run", "unshare")
    _run_two(local)
    server = local._spawner._server
    assert server is not None
    server.sock.close()  # what a killed driver's exit does
    assert _exits(server.process.pid)
    local.close()


@needs_unshare
def test_a_gone_server_falls_back_to_fresh_shims(tmp_path: Path) -> None:
    local = _backend(tmp_path / "run", "unshare")
    try:
        local.start(make_request(SHOW_PID_NS, name="first"))
        wait_final(local, {"wf-first"})
        pid = _server_pid(local)
        os.kill(pid, signal.SIGKILL)
        assert _exits(pid)
        logs = _run_two(local)
        assert local._spawner._server is None
    finally:
        local.close()
    assert all(_contained(log) for log in logs.values())


@needs_unshare
def test_turned_off_every_pod_is_a_fresh_shim(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FORK_SERVER_ENV, "0")
    local = _backend(tmp_path / "run", "unshare")
    try:
        logs = _run_two(local)
        assert local._spawner._server is None
    finally:
        local.close()
    assert all(_contained(log) for log in logs.values())


def test_a_reused_pid_is_not_taken_for_the_shim(tmp_path: Path) -> None:
    start = podfiles.process_start(os.getpid())
    assert start is not None
    (tmp_path / podfiles.PID).write_text(f"{os.getpid()} {start}")
    assert is_shim(os.getpid(), tmp_path)
    (tmp_path / podfiles.PID).write_text(f"{os.getpid()} {int(start) + 1}")
    assert podfiles.read_pid(tmp_path) == os.getpid()
    assert not is_shim(os.getpid(), tmp_path)


@needs_unshare
def test_a_spare_shim_too_old_to_use_gives_way_to_a_fresh_fork(tmp_path: Path) -> None:
    """After each pod the server forks a spare shim in fresh namespaces for the next one; one older
    than SPARE_MAX_AGE (its copy of the host's mounts could be stale) is not used."""
    local = _backend(tmp_path / "run", "unshare")
    try:
        first = _run_two(local)
        time.sleep(SPARE_MAX_AGE + 0.5)
        later = _run_two(local)
    finally:
        local.close()
    assert all(_contained(log) for log in [*first.values(), *later.values()])


needs_real_root = pytest.mark.skipif(os.geteuid() != 0, reason="the server's PID-namespace shortcut is real root's")


@needs_real_root
def test_real_roots_server_forks_each_shim_as_pid_one_itself() -> None:
    """As real root the server asks for a new PID namespace for its next child and goes back to its
    own at once: the child is pid 1, the server's later children are not, in no namespace of theirs."""
    import subprocess
    import sys

    script = (
        "import os\n"
        "from argoctl.backends.local.forkserver import _PidOne\n"
        "pid_one = _PidOne()\n"
        "assert pid_one.own is not None\n"
        "child = pid_one.fork(lambda: 0 if os.getpid() == 1 else 3)\n"
        "assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0, 'not pid 1'\n"
        "own = os.readlink('/proc/self/ns/pid')\n"
        "plain = os.fork()\n"
        "if plain == 0:\n"
        "    os._exit(0 if os.getpid() != 1 and os.readlink('/proc/self/ns/pid') == own else 4)\n"
        "assert os.waitstatus_to_exitcode(os.waitpid(plain, 0)[1]) == 0, 'the server stayed in the new namespace'\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr


def test_the_server_and_its_shims_do_not_load_threading() -> None:
    """Every fork of a process that imported ``threading`` (or ``random``) runs their after-fork
    hooks: about half a millisecond and a hundred copied pages per fork, three forks a pod."""
    import subprocess
    import sys

    script = ("import sys\n"
              "from argoctl.backends.local import forkserver\n"
              "forkserver._preload()\n"
              "print(sorted({'threading', 'random', 'subprocess', 'tempfile'} & set(sys.modules)))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert result.stdout.strip() == "[]"
