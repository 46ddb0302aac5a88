"""Fixtures for backend tests: real processes under a temporary run directory."""

from __future__ import annotations

import os
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
