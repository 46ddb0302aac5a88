"""Local backend: the shim calls ArtifactIO around the main container with a PathResolver."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from argoctl.backends.base import PathResolver, PodRequest
from argoctl.backends.images import ImageTable
from argoctl.backends.local.backend import LocalBackend

from .conftest import run_pod


class FolderArtifactIO:
    """An ArtifactIO over a host folder (what the real repositories look like to the shim)."""

    def __init__(self, store: Path) -> None:
        self.store = store

    def handover(self) -> tuple[str, dict[str, Any]]:
        return f"{__name__}:FolderArtifactIO.from_handover", {"store": str(self.store)}

    @classmethod
    def from_handover(cls, config: dict[str, Any]) -> FolderArtifactIO:
        return cls(Path(config["store"]))

    def load_inputs(self, request: PodRequest, resolve: PathResolver) -> None:
        for artifact in request.template["inputs"]["artifacts"]:
            target = Path(resolve(artifact["path"]))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.store / artifact["key"], target)

    def save_outputs(self, request: PodRequest, resolve: PathResolver) -> list[dict[str, Any]]:
        saved = []
        for artifact in request.template["outputs"]["artifacts"]:
            shutil.copy(resolve(artifact["path"]), self.store / artifact["name"])
            saved.append({"name": artifact["name"], "s3": {"key": artifact["name"]}})
        return saved


def test_input_and_output_artifacts_pass_through_the_resolver(backend: LocalBackend, sandbox_name: str,
                                                              scratch: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    store.mkdir()
    (store / "in-key").write_text("payload\n")
    local = LocalBackend(backend.run_dir, images=ImageTable(), notices=lambda _: None,
                         sandbox=sandbox_name,
                         artifact_io=FolderArtifactIO(store))
    update = run_pod(local, {
        "inputs": {"artifacts": [{"name": "in", "path": f"{scratch}/in/data.txt", "key": "in-key"}]},
        "outputs": {"artifacts": [{"name": "out", "path": f"{scratch}/out.txt"}]},
        "container": {"image": "alpine", "command": ["sh", "-c", f"tr a-z A-Z < {scratch}/in/data.txt > {scratch}/out.txt"]},
    })
    assert update.phase == "Succeeded", update.message
    assert update.outputs is not None
    assert update.outputs["artifacts"] == [{"name": "out", "s3": {"key": "out"}}]
    assert (store / "out").read_text() == "PAYLOAD\n"


def test_artifacts_without_a_repository_are_an_error(backend: LocalBackend) -> None:
    update = run_pod(backend, {
        "outputs": {"artifacts": [{"name": "out", "path": "/tmp/out.txt"}]},
        "container": {"image": "alpine", "command": ["true"]},
    })
    assert update.phase == "Error"
    assert "artifact repository" in update.message
