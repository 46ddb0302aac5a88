"""Choosing the docker backend: detection pings a real endpoint; auto and --backend docker through
the real CLI (a subprocess), with and without an engine."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from argoctl.backends.docker.detect import answers, candidates, find_engine
from tests.containerengine import ContainerEngine

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: hello-}
spec:
  entrypoint: main
  templates:
  - name: main
    container: {image: alpine:3.23, command: [sh, -c, "cat /etc/os-release | head -1"]}
"""


@pytest.fixture
def silent_socket(tmp_path: Path) -> Iterator[Path]:
    """A unix socket that accepts and says nothing useful (a stale or foreign socket)."""
    path = tmp_path / "silent.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(4)

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            conn.sendall(b"SSH-2.0-nope\r\n")
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield path
    server.close()


def test_candidates_follow_docker_host_else_the_usual_sockets() -> None:
    assert candidates({"DOCKER_HOST": "tcp://127.0.0.1:2375"}) == ["tcp://127.0.0.1:2375"]
    assert candidates({"XDG_RUNTIME_DIR": "/run/user/7"}) == [
        "unix:///var/run/docker.sock", "unix:///run/podman/podman.sock", "unix:///run/user/7/podman/podman.sock"]


def test_only_an_answering_engine_counts(container_engine: ContainerEngine, silent_socket: Path,
                                         tmp_path: Path) -> None:
    assert answers(container_engine.url)
    assert find_engine({"DOCKER_HOST": container_engine.url}) == container_engine.url
    assert not answers(f"unix://{silent_socket}")
    assert find_engine({"DOCKER_HOST": f"unix://{silent_socket}"}) is None
    assert find_engine({"DOCKER_HOST": f"unix://{tmp_path / 'missing.sock'}"}) is None


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "wf.yaml").write_text(WORKFLOW)
    base = {k: v for k, v in os.environ.items()
            if k not in ("ARGOCTL_BACKEND", "KUBECONFIG", "KUBERNETES_SERVICE_HOST", "DOCKER_HOST", "ARGOCTL_STORE")}
    base.update({"ARGOCTL_HOME": str(tmp_path / "home"), "HOME": str(tmp_path), "NO_COLOR": "1",
                 "ARGOCTL_NAMESPACE": f"n{os.getpid()}"}, **env)
    return subprocess.run([sys.executable, "-m", "argoctl", *args], cwd=tmp_path, env=base, capture_output=True,
                          text=True, timeout=180, check=False)


def test_auto_runs_the_real_image_when_an_engine_answers(container_engine: ContainerEngine, tmp_path: Path) -> None:
    done = _cli(tmp_path, "submit", "wf.yaml", "--wait", "-o", "json", DOCKER_HOST=container_engine.url)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("running workflows as containers on the engine at") == 1
    assert json.loads(done.stdout)["status"]["phase"] == "Succeeded"
    logs = _cli(tmp_path, "logs", "@latest", DOCKER_HOST=container_engine.url)
    assert 'ID=busybox' in logs.stdout  # the image's own /etc/os-release, not the host's
    container_engine.remove_all(f"io.argoctl.namespace=n{os.getpid()}")


def test_auto_falls_back_to_local_processes_without_an_engine(silent_socket: Path, tmp_path: Path) -> None:
    done = _cli(tmp_path, "lint", "wf.yaml", DOCKER_HOST=f"unix://{silent_socket}")
    assert done.returncode == 0, done.stderr
    done = _cli(tmp_path, "submit", "wf.yaml", "--wait", DOCKER_HOST=f"unix://{silent_socket}")
    assert "running workflows as local processes" in done.stderr


def test_docker_backend_without_an_engine_is_a_clear_error(silent_socket: Path, tmp_path: Path) -> None:
    done = _cli(tmp_path, "--backend", "docker", "submit", "wf.yaml", "--wait", DOCKER_HOST=f"unix://{silent_socket}")
    assert done.returncode == 3
    assert done.stderr.startswith("error: no Docker Engine API answers (tried unix://")
    assert "Traceback" not in done.stderr


def test_store_lookup_reads_applied_objects_and_treats_bad_names_as_absent(tmp_path: Path) -> None:
    from argoctl.backends.docker.wiring import store_lookup
    from argoctl.stores.local import LocalStore

    store = LocalStore(tmp_path, "ns")
    store.put_object("ConfigMap", {"metadata": {"name": "conf"}, "data": {"k": "v"}})
    lookup = store_lookup(store)
    assert lookup("ConfigMap", "conf")["data"] == {"k": "v"}
    assert lookup("ConfigMap", "absent") is None
    assert lookup("ConfigMap", "{{tasks.x.outputs.parameters.name}}") is None
