"""Fixtures for the docker backend: a real engine (``tests.containerengine``), one backend per
test on its own namespace (so tests never see each other's containers), and a pod runner."""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from argoctl.artifacts import RepositoryArtifactIO, default_local_repository
from argoctl.backends.base import PodRequest, PodUpdate
from argoctl.backends.docker.backend import DockerBackend
from tests.containerengine import ContainerEngine
from tests.containerengine.fixtures import container_engine  # noqa: F401  (pytest fixture)

_COUNTER = itertools.count()


class Harness:
    """A backend on one namespace, with helpers to run pods to the end."""

    def __init__(self, engine: ContainerEngine, home: Path) -> None:
        self.engine = engine
        self.home = home
        self.namespace = f"t{uuid.uuid4().hex[:8]}"
        self.artifact_io = RepositoryArtifactIO(default_local_repository(home))
        self.backend = self.new_backend()

    def new_backend(self, **options: Any) -> DockerBackend:
        options.setdefault("kill_grace", 2.0)
        options.setdefault("notices", lambda _: None)
        return DockerBackend(self.engine.url, self.home / "docker-pods", namespace=self.namespace,
                             artifact_io=self.artifact_io, **options)

    def request(self, template: dict[str, Any], **fields: Any) -> PodRequest:
        number = next(_COUNTER)
        fields.setdefault("pod_name", f"wf-step-{number}")
        return PodRequest(workflow_name="wf", workflow_uid="uid-1", namespace=self.namespace,
                          node_id=f"wf-{number}", node_name=f"wf.step{number}", template=template, **fields)

    def run(self, request: PodRequest, timeout: float = 60.0, backend: DockerBackend | None = None) -> PodUpdate:
        backend = backend or self.backend
        backend.start(request)
        return self.until_done(request, timeout, backend)

    def until_done(self, request: PodRequest, timeout: float = 60.0,
                   backend: DockerBackend | None = None) -> PodUpdate:
        backend = backend or self.backend
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for update in backend.wait(1.0):
                if update.pod_name == request.pod_name and update.phase not in ("Pending", "Running"):
                    return update
        raise AssertionError(f"pod {request.pod_name} did not finish in {timeout}s")

    def until_phase(self, request: PodRequest, phase: str, timeout: float = 30.0) -> PodUpdate:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for update in self.backend.wait(0.5):
                if update.pod_name == request.pod_name and update.phase == phase:
                    return update
        raise AssertionError(f"pod {request.pod_name} never reached {phase}")

    def podman(self, *args: str) -> str:
        import subprocess

        done = subprocess.run([*self.engine.podman, *args], env=self.engine.env, capture_output=True,
                              text=True, check=False)
        return done.stdout

    def cleanup(self) -> None:
        self.backend.close()
        self.engine.remove_all(f"io.argoctl.namespace={self.namespace}")


@pytest.fixture
def harness(container_engine: ContainerEngine, tmp_path: Path) -> Iterator[Harness]:  # noqa: F811
    harness = Harness(container_engine, tmp_path)
    try:
        yield harness
    finally:
        harness.cleanup()


def container(image: str, *command: str, **extra: Any) -> dict[str, Any]:
    """A container template ``{"name": "main", "container": {...}}``."""
    spec: dict[str, Any] = {"image": image}
    if command:
        spec["command"] = list(command)
    spec.update(extra)
    return {"name": "step", "container": spec}
