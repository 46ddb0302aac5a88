"""Fixtures for backend tests: real processes under a temporary run directory."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argoctl.backends.base import PodRequest, PodUpdate
from argoctl.backends.images import ImageTable
from argoctl.backends.local.backend import LocalBackend
from argoctl.backends.local.sandbox import choose_sandbox

STAND_INS = Path(__file__).resolve().parents[1] / "bin"
SANDBOXES = {name: choose_sandbox(name).mode == "namespace" for name in ("bwrap", "unshare")}
NAMESPACE_OK = any(SANDBOXES.values())
needs_namespace = pytest.mark.skipif(not NAMESPACE_OK, reason="no mount namespace on this machine")


@pytest.fixture(autouse=True)
def stand_ins_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """``argosay`` and ``cowsay`` from tests/bin first on the PATH (as the conformance checker does)."""
    monkeypatch.setenv("PATH", f"{STAND_INS}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.delenv("ARGOCTL_SANDBOX", raising=False)


def _backend(run_dir: Path, sandbox: str, **options: Any) -> LocalBackend:
    if sandbox != "none" and not SANDBOXES[sandbox]:
        pytest.skip(f"{sandbox} cannot make a mount namespace on this machine")
    return LocalBackend(run_dir, images=ImageTable(), notices=lambda _: None, sandbox=sandbox, kill_grace=0.5,
                        **options)


@pytest.fixture(params=["bwrap", "unshare", "none"])
def sandbox_name(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name != "none" and not SANDBOXES[name]:
        pytest.skip(f"{name} cannot make a mount namespace on this machine")
    return name


@pytest.fixture
def backend(sandbox_name: str, tmp_path: Path) -> Iterator[LocalBackend]:
    """A backend in each sandbox mode (skipped where the OS does not allow it)."""
    local = _backend(tmp_path / "run", sandbox_name)
    yield local
    local.close()


@pytest.fixture(params=["bwrap", "unshare"])
def namespace_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LocalBackend]:
    """A backend that gives each pod a private root."""
    local = _backend(tmp_path / "run", request.param)
    yield local
    local.close()


@pytest.fixture
def scratch(backend: LocalBackend, tmp_path: Path) -> str:
    """A directory steps may write to: the private /tmp in namespace mode, a temporary host
    directory in plain-process mode (which has no private root)."""
    if backend.sandbox.mode == "namespace":
        return "/tmp"
    path = tmp_path / "scratch"
    path.mkdir()
    return str(path)


def make_request(template: dict[str, Any], *, name: str = "step", **extra: Any) -> PodRequest:
    """A PodRequest for ``template`` in workflow ``wf`` (pod ``wf-<name>``)."""
    fields: dict[str, Any] = {
        "workflow_name": "wf", "workflow_uid": "uid-1", "namespace": "default",
        "node_id": f"wf-{name}-id", "node_name": f"wf.{name}", "pod_name": f"wf-{name}",
        "template": {"name": name, **template},
    }
    fields.update(extra)
    return PodRequest(**fields)


def wait_final(local: LocalBackend, pod_names: set[str], timeout: float = 30.0) -> dict[str, PodUpdate]:
    """Call ``wait`` until every named pod has a final update; return the final updates."""
    final: dict[str, PodUpdate] = {}
    end = time.monotonic() + timeout
    while set(final) != pod_names:
        assert time.monotonic() < end, f"pods still running: {pod_names - set(final)}"
        for update in local.wait(1.0):
            if update.phase not in ("Pending", "Running"):
                final[update.pod_name] = update
    return final


def run_pod(local: LocalBackend, template: dict[str, Any], **extra: Any) -> PodUpdate:
    request = make_request(template, **extra)
    local.start(request)
    return wait_final(local, {request.pod_name})[request.pod_name]


REPO = Path(__file__).resolve().parents[2]
_USER_DRIVER = """
import select, sys, time
from pathlib import Path
from argoctl.backends.base import PodRequest
from argoctl.backends.images import ImageTable
from argoctl.backends.local.backend import LocalBackend

local = LocalBackend(Path(sys.argv[1]), images=ImageTable(), notices=print, sandbox="unshare")
for i in range(int(sys.argv[3])):
    if i:
        select.select([local._spawner._server.sock], [], [], 30)
    local.start(PodRequest(workflow_name="wf", workflow_uid="u", namespace="default", node_id=f"n{i}",
                           node_name=f"wf.s{i}", pod_name=f"wf-s{i}", capture_result=True, template={
                               "name": "s", "container": {"image": "alpine", "command": ["sh", "-c", sys.argv[2]]}}))
    end = time.monotonic() + 60
    while time.monotonic() < end:
        done = [u for u in local.wait(1.0) if u.phase not in ("Pending", "Running")]
        if done:
            print(done[0].phase, repr((done[0].outputs or {}).get("result")))
            break
local.close()
"""


def run_pods_as_a_user(script: str, pods: int = 1, timeout: float = 120) -> tuple[subprocess.CompletedProcess[str], str]:
    """Pods running ``script`` one after another (each once the fork server offered a spare), driven
    by argoctl run as uid 1000 (``setpriv``, the system python): the driver's run (a line
    ``PHASE 'RESULT'`` per pod on its stdout) and the pods' shim logs. Skips where that cannot be done."""

    python, setpriv = "/usr/bin/python3", ["/usr/bin/setpriv", "--reuid=1000", "--regid=1000", "--clear-groups"]
    if os.geteuid() != 0 or not Path(setpriv[0]).exists():
        pytest.skip("needs root and setpriv")
    if subprocess.run([*setpriv, python, "-c", "import yaml"], capture_output=True, check=False).returncode:
        pytest.skip(f"{python} cannot import the driver's dependencies as uid 1000")
    scratch = Path(tempfile.mkdtemp(prefix="argoctl-unprivileged-"))  # pytest's tmp_path is root's only
    scratch.chmod(0o777)
    try:
        done = subprocess.run([*setpriv, python, "-c", _USER_DRIVER, str(scratch / "run"), script, str(pods)],
                              env={"PATH": "/usr/bin:/bin", "HOME": str(scratch), "PYTHONPATH": str(REPO)},
                              cwd=scratch, capture_output=True, text=True, timeout=timeout, check=False)
        logs = "".join(p.read_text() for p in sorted((scratch / "run").glob("wf-s*/shim.log")))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return done, logs
