"""``python -m argoctl.backends.local.shim POD_DIR``: runs one pod, detached from the driver.

Started by ``LocalBackend`` in its own session (inside a mount namespace when the OS allows it),
holding the pod's ``shim.lock`` for its whole life. It lays out the pod's root, runs the
containers (``runner``), collects outputs while the namespace still exists, and writes
``status.json`` atomically as its last act; ``state.json`` carries progress meanwhile. After every
change it writes a byte to the driver's notify pipe (``--notify-fd``), ignoring a driver that is
gone. It never exits without a status: any failure becomes phase Error.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import time
import traceback
from pathlib import Path

from argoctl.backends.local import podfiles, prefork
from argoctl.backends.local.confine import Confinement, host_uid
from argoctl.backends.local.podfiles import write_json_atomic
from argoctl.backends.local.procs import Container, now_rfc3339
from argoctl.backends.local.rootfs import (
    Prebuilt,
    build_root,
    chown_tree,
    mount_point,
    prebuild_base,
    teardown,
)
from argoctl.backends.local.runner import GroupResult, PodRunner
from argoctl.backends.local.sandbox import POD_BIN, PodRoot, prepare_plain_root
from argoctl.backends.local.shim_outputs import PodOutcome, collect_pod_outputs, finish_outcome
from argoctl.backends.local.sysapi import PR_SET_DUMPABLE, Libc

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

    JSON = dict[str, Any]

_COPY_LIMIT = 1 << 20  # programs placed at the container root are copied when smaller than this
# The driver is woken for a pod's Running state only when the pod still runs this much later (it
# holds a Running report up to 0.25 s for the pod's end anyway): a short pod wakes it once, at its end.
RUNNING_WAKE_DELAY = 0.05


class Shim:
    def __init__(self, pod_dir: Path, notify_fd: int | None, prebuilt: Prebuilt | None = None) -> None:
        self.pod_dir = pod_dir
        self.prebuilt = prebuilt  # a base root a spare shim mounted ahead (rootfs)
        self.notify_fd = notify_fd
        self.plan: JSON = podfiles.read_json(pod_dir / podfiles.PLAN) or {}
        self.containers: dict[str, JSON] = {}
        self.phase = "Pending"
        self.started_at: str | None = None
        self.seq = 0
        self.wake_at: float | None = None  # when to wake the driver for a state written quietly
        self.state_due = False  # a quiet state not written yet (``write_state``)

    # -- reporting ------------------------------------------------------------------------------
    def notify(self) -> None:
        self.wake_at = None
        if self.notify_fd is None:
            return
        try:
            os.write(self.notify_fd, b".")
        except BlockingIOError:  # the driver has unread wake-ups already
            pass
        except OSError:  # the driver is gone (or its pipe is full): it will read the files
            with contextlib.suppress(OSError):
                os.close(self.notify_fd)
            self.notify_fd = None

    def write_state(self, *, wake: bool = True) -> None:
        """``state.json``, then a wake-up for the driver. ``wake=False`` (the pod's Running): it is
        written by the runner's next ``tick``, once the containers started, and the driver is woken
        ``RUNNING_WAKE_DELAY`` later, unless another write or the status wakes it first."""
        self.seq += 1
        if wake:
            self._save_state()
            self.notify()
            return
        self.state_due = True
        if self.wake_at is None:
            self.wake_at = time.monotonic() + RUNNING_WAKE_DELAY

    def _save_state(self) -> None:
        self.state_due = False
        write_json_atomic(self.pod_dir / podfiles.STATE, {
            "phase": self.phase, "started_at": self.started_at, "seq": self.seq,
            "containers": list(self.containers.values()),
        })

    def tick(self) -> float | None:
        """Write a quiet state not written yet; wake the driver for it when its delay is over;
        return when the next wake-up is due."""
        if self.state_due:
            self._save_state()
        if self.wake_at is not None and time.monotonic() >= self.wake_at:
            self.notify()
        return self.wake_at

    def on_change(self, container: Container) -> None:
        if container.spec.get("role") != "main" or not self.plan.get("container_set"):
            return
        self.containers[container.name] = container_update(container)
        self.write_state()

    def write_status(self, outcome: PodOutcome) -> None:
        if outcome.outputs is not None:
            write_json_atomic(self.pod_dir / podfiles.OUTPUTS, outcome.outputs)
        status = {
            "phase": outcome.phase, "message": outcome.message, "outputs": outcome.outputs,
            "started_at": self.started_at or outcome.finished_at, "finished_at": outcome.finished_at,
            "containers": list(self.containers.values()), "seq": self.seq + 1,
        }
        write_json_atomic(self.pod_dir / podfiles.STATUS, status)
        self.notify()

    # -- running --------------------------------------------------------------------------------
    def prepare_root(self) -> PodRoot:
        if self.plan.get("mode") == "namespace":
            confinement = Confinement(str(mount_point(self.pod_dir)), host_uid=host_uid(self.plan))
            built, reused = build_root(self.pod_dir, self.plan, confinement.owner(), self.prebuilt)
            if not reused:  # a launcher that entered the discarded base ahead is of no use
                prefork.discard()
            root = PodRoot(built, confinement)
            bin_dir = Path(root.resolve(POD_BIN))
        else:
            root = prepare_plain_root(self.plan)
            bin_dir = self.pod_dir / podfiles.BIN
            (self.pod_dir / "tmp").mkdir(exist_ok=True)
            (self.pod_dir / podfiles.WORK).mkdir(exist_ok=True)
        bin_dir.mkdir(parents=True, exist_ok=True)
        for container in self.plan["containers"]:
            _place_programs(root, bin_dir, container)
        script = self.plan.get("script")
        if script:
            target = Path(root.resolve(script["path"]))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(script["source"], encoding="utf-8")
            target.chmod(0o755)
        return root

    def _hand_inputs_over(self, root: PodRoot) -> None:
        """Input artifacts the shim wrote belong to the pod's user, as if its init container had."""
        owner = root.confinement.owner() if root.confinement is not None else None
        if owner is None or not self.plan.get("has_input_artifacts"):
            return
        request = podfiles.read_json(self.pod_dir / podfiles.REQUEST) or {}
        host_paths = [m["mount_path"] for c in self.plan["containers"] for m in c.get("mounts", [])
                      if m.get("kind") == "hostPath"]
        layer = os.stat(root.root).st_dev
        for artifact in ((request.get("template") or {}).get("inputs") or {}).get("artifacts") or []:
            path = str(artifact.get("path") or "")
            if not path or any(path == h or path.startswith(h.rstrip("/") + "/") for h in host_paths):
                continue  # never change the owner of the host's own files
            target = Path(root.resolve(path))
            chown_tree(target, owner)
            parent = target.parent  # directories made for it on the pod's layer
            while parent != root.root and parent.stat().st_dev == layer and parent.stat().st_uid == 0:
                os.lchown(parent, *owner)
                parent = parent.parent

    def run(self) -> PodOutcome:
        if self.plan.get("data"):
            from argoctl.backends.local.shim_outputs import run_data_template

            self.phase, self.started_at = "Running", now_rfc3339()
            self.write_state()
            return run_data_template(self.pod_dir)
        root = self.prepare_root()
        runner = PodRunner(self.pod_dir, self.plan, root, self.on_change, self.tick)
        try:
            return self._run_containers(runner, root)
        finally:
            runner.close()
            prefork.discard()

    def _run_containers(self, runner: PodRunner, root: PodRoot) -> PodOutcome:
        interrupted = runner.interruption()
        if interrupted is not None:  # killed before anything ran
            return PodOutcome("Failed", interrupted.message, None, now_rfc3339())
        early = collect_pod_outputs(self.pod_dir, self.plan, root, stage="inputs")
        if early is not None:
            return early
        self._hand_inputs_over(root)
        specs = self.plan["containers"]
        inits = runner.run_sequence([c for c in specs if c["role"] == "init"])
        if inits.interrupted is not None or _first_failure(inits) is not None:
            return finish_outcome(self.pod_dir, self.plan, root, inits, init=True)
        self.phase, self.started_at = "Running", now_rfc3339()
        mains = [c for c in specs if c["role"] == "main"]
        if self.plan.get("container_set"):
            for spec in mains:
                self.containers[spec["name"]] = {"name": spec["name"], "phase": "Pending"}
        self.write_state(wake=False)
        sidecars = [runner.start(spec) for spec in specs if spec["role"] == "sidecar"]
        retry = self.plan.get("retry") or {}
        result = runner.run_dag(mains, retries=int(retry.get("retries", 0)),
                                backoff=float(retry.get("duration", 0.0)))
        runner.stop(sidecars)
        _kill_leftovers()
        for name, why in result.not_run.items():
            self.containers[name] = {"name": name, "phase": "Failed", "message": why}
        return finish_outcome(self.pod_dir, self.plan, root, result, init=False)


def container_update(container: Container) -> JSON:
    """A ContainerUpdate as JSON (containerSet members: 0 Succeeded, 64 Error, else Failed)."""
    from argoctl.backends.outputs import container_phase_for_exit

    update: JSON = {"name": container.name, "started_at": container.started_at}
    if container.exit_code is None:
        update["phase"] = "Running"
        return update
    update.update(phase=container_phase_for_exit(container.exit_code), exit_code=container.exit_code,
                  finished_at=container.finished_at)
    if container.exit_code != 0:
        update["message"] = container.message or f"Error (exit code {container.exit_code})"
    return update


def _kill_leftovers() -> None:
    """In the pod's own PID namespace (the shim's pid differs from the host's): end every process
    the containers left behind (daemons that detached from their container's group) before
    outputs are read. Never outside one, where ``kill(-1)`` would reach the host's processes."""
    if _host_pid() != str(os.getpid()):
        with contextlib.suppress(OSError):
            os.kill(-1, signal.SIGKILL)
        _reap_all()


def _reap_all(limit: float = 2.0) -> None:
    """As pid 1, collect every process of the namespace (the killed ones are all ours by now), so
    none is left when the status says the pod ended; bounded, should one be stuck in the kernel."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.001)


def _first_failure(result: GroupResult) -> Container | None:
    return next((c for c in result.finished.values() if c.exit_code != 0), None)


def _place_programs(root: PodRoot, bin_dir: Path, container: JSON) -> None:
    for name, host in container.get("aliases", []):
        link = bin_dir / name
        if not link.exists() and not link.is_symlink():
            os.symlink(host, link)
    if str(root.root) == "/":
        return
    for container_path, host in container.get("root_programs", []):
        target = Path(root.resolve(container_path))
        if target.exists() or target.is_symlink():
            continue
        if os.path.getsize(host) < _COPY_LIMIT:
            shutil.copy2(host, target)
        else:
            os.symlink(host, target)


def _parse_args(argv: list[str]) -> tuple[Path, int | None]:
    pod_dir = Path(argv[0])
    notify_fd = None
    if "--notify-fd" in argv:
        notify_fd = int(argv[argv.index("--notify-fd") + 1])
        os.set_blocking(notify_fd, False)
    return pod_dir, notify_fd


def _host_pid() -> str:
    """This process's pid as the driver sees it (in its own PID namespace the shim is pid 1,
    but the host's /proc is still mounted at /proc here)."""
    try:
        return os.readlink("/proc/self")
    except OSError:
        return str(os.getpid())


def prebuild(pod_dir: Path, hint: dict[str, Any], trees: list[str] | None = None) -> Prebuilt | None:
    """In a spare shim, in its namespaces, before its request: mount the base of a root for
    ``hint`` (``rootfs.base_hint`` of the previous pod's plan; ``trees``: the program
    installations it shows, when known), or None."""
    confinement = Confinement(str(mount_point(pod_dir)), host_uid=host_uid(hint))
    return prebuild_base(pod_dir, hint, confinement.owner(), trees)


def launcher_guess(pod_dir: Path, hint: dict[str, Any]) -> dict[str, Any]:
    """The confinement a spare's launcher takes ahead (``prefork``) for a pod like ``hint``'s: its
    root's, with its host uid, as the first container ran."""
    first = hint["containers"][0]
    run_as = [int(i) for i in first.get("run_as") or (0, 0)]
    return prefork.confinement(str(mount_point(pod_dir)), host_uid(hint), "/", bool(first.get("privileged")),
                               (run_as[0], run_as[1]))


def main(argv: list[str], prebuilt: Prebuilt | None = None) -> int:
    # a kill may come at any time: the driver writes kill.json first, the runner checks it
    signal.signal(signal.SIGTERM, lambda *_: None)
    with contextlib.suppress(OSError):  # no step may ptrace the shim or open /proc/<shim>/root
        Libc().prctl(PR_SET_DUMPABLE, 0)
    pod_dir, notify_fd = _parse_args(argv)
    pid = _host_pid()
    podfiles.write_bytes(pod_dir / podfiles.PID, f"{pid} {podfiles.process_start(pid) or ''}".strip().encode())
    shim = Shim(pod_dir, notify_fd, prebuilt)
    try:
        outcome = shim.run()
    except BaseException as exc:  # the pod must end with a status whatever happened
        traceback.print_exc()
        outcome = PodOutcome("Error", f"local pod runner failed: {exc}", None, now_rfc3339())
    with contextlib.suppress(OSError):
        teardown(pod_dir)
    shim.write_status(outcome)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
