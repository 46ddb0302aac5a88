"""A real container engine for tests: Podman's Docker-compatible service on a unix socket.

``ContainerEngine(directory).start()`` writes a ``containers.conf`` (runc, not Debian's crun,
which refuses this kernel's hybrid cgroup set-up; lowered rlimits), builds the test images
offline if the shared image store lacks them (``images.py``), and serves the Docker Engine API
on ``directory/podman.sock`` until ``stop()``. ``unavailable()`` says why no engine can run
here (pytest skips with that reason). ``python -m tests.containerengine --socket PATH`` does the
same outside pytest and prints ``ready``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.containerengine.images import build_image, missing_images

STORE = Path(os.environ.get("ARGOCTL_TEST_ENGINE_STORE", "/tmp/argoctl-test-engine"))
CONTAINERS_CONF = """\
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
log_driver = "k8s-file"

[engine]
runtime = "runc"
events_logger = "file"
cgroup_manager = "cgroupfs"
"""
START_TIMEOUT = 60.0


def unavailable() -> str:
    """Why the test engine cannot run on this machine, or ""."""
    for program in ("podman", "runc", "busybox"):
        if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists():
            return f"{program} is not installed (apt-get install podman runc busybox-static)"
    if os.geteuid() != 0:
        return "the test engine runs rootful Podman: it needs root"
    return ""


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(str(path))
            sock.sendall(b"GET /_ping HTTP/1.0\r\n\r\n")
            return b"200" in sock.recv(64)
        except OSError:
            return False


class ContainerEngine:
    """One ``podman system service`` on ``directory/podman.sock``, sharing the image store."""

    def __init__(self, directory: Path, socket_path: Path | None = None) -> None:
        self.directory = Path(directory)
        self.socket = socket_path or self.directory / "podman.sock"
        self.conf = self.directory / "containers.conf"
        self.env = dict(os.environ, CONTAINERS_CONF=str(self.conf))
        self.podman = ["podman", "--root", str(STORE / "root"), "--runroot", str(STORE / "run")]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> ContainerEngine:
        self.directory.mkdir(parents=True, exist_ok=True)
        STORE.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(CONTAINERS_CONF)
        os.environ.setdefault("CONTAINERS_CONF", str(self.conf))  # podman import/tag below read it too
        self._build_images()
        with open(self.directory / "podman-service.log", "wb") as log:
            self.process = subprocess.Popen(
                [*self.podman, "system", "service", "--time=0", self.url],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(self.socket):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"podman system service did not answer; see {self.directory / 'podman-service.log'}")
            time.sleep(0.1)
        return self

    def _build_images(self) -> None:
        with open(STORE / "build.lock", "w") as lock:  # xdist workers share the image store
            fcntl.flock(lock, fcntl.LOCK_EX)
            podman = self.podman
            env_conf = os.environ.get("CONTAINERS_CONF")
            os.environ["CONTAINERS_CONF"] = str(self.conf)
            try:
                for name in missing_images(podman):
                    build_image(podman, name, self.directory / "images")
            finally:
                if env_conf is None:
                    os.environ.pop("CONTAINERS_CONF", None)
                else:
                    os.environ["CONTAINERS_CONF"] = env_conf

    def remove_all(self, label: str) -> None:
        """Remove every container (and volume, network) carrying ``label`` (a test's leftovers)."""
        for _ in range(3):  # a removal can lose a race with a container that is still exiting
            for command in (["rm", "-f", "--filter", f"label={label}"],
                            ["volume", "prune", "-f", "--filter", f"label={label}"]):
                subprocess.run([*self.podman, *command], env=self.env, capture_output=True, check=False)
            left = subprocess.run([*self.podman, "ps", "-a", "-q", "--filter", f"label={label}"], env=self.env,
                                  capture_output=True, text=True, check=False).stdout.strip()
            if not left:
                break
        # the workflows' networks, once no container uses them
        subprocess.run([*self.podman, "network", "prune", "-f", "--filter", f"label={label}"], env=self.env,
                       capture_output=True, check=False)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
