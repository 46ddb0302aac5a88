"""A finished pod's outputs, read out of its stopped main container (archive API and logs).

Output parameters and ``outputs.result`` follow ``argoctl.backends.outputs``; output artifacts
are copied out under a temporary root and saved by the ``ArtifactIO``; ``archiveLogs`` uploads
the main container's log. Errors become the returned message (the node then ends ``Error``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from argoctl.backends import outputs as rules
from argoctl.backends.base import ArtifactIO, PodRequest
from argoctl.backends.docker import transfer
from argoctl.backends.docker.engine import Engine

JSON = dict[str, Any]


def _resolver(root: Path) -> Any:
    return lambda container_path: str(root / str(container_path).lstrip("/"))


def collect(engine: Engine, request: PodRequest, container: str, exit_code: int,
            artifact_io: ArtifactIO | None, log_file: Path) -> tuple[JSON, str | None]:
    """Argo's outputs of the pod whose main container is ``container``, and the first error."""

    def read_file(path: str) -> bytes | None:
        chunks = engine.get_archive(container, path)
        return None if chunks is None else transfer.single_file(chunks)

    stdout = engine.logs(container, stdout=True, stderr=False) if request.capture_result else b""
    outputs, error = rules.collect_outputs(request.template, read_file=read_file, stdout=stdout,
                                           exit_code=exit_code, capture_result=request.capture_result)
    declared = (request.template.get("outputs") or {}).get("artifacts") or []
    artifacts: list[JSON] = []
    if declared and artifact_io is not None:
        with tempfile.TemporaryDirectory(prefix="argoctl-docker-out-") as tmp:
            root = Path(tmp)
            for artifact in declared:
                path = str(artifact.get("path") or "")
                chunks = engine.get_archive(container, path) if path else None
                if chunks is not None:
                    transfer.extract_into(chunks, root, path)
            try:
                artifacts = list(artifact_io.save_outputs(request, _resolver(root)))
            except Exception as exc:
                artifacts = list(getattr(exc, "saved", None) or [])
                error = error or getattr(exc, "message", None) or str(exc)
    if artifact_io is not None and hasattr(artifact_io, "save_logs"):
        try:
            artifacts += list(artifact_io.save_logs(request, {"main": log_file}))
        except Exception as exc:
            error = error or getattr(exc, "message", None) or str(exc)
    if artifacts:
        outputs["artifacts"] = artifacts
    return outputs, error


def place_inputs(engine: Engine, request: PodRequest, container: str, artifact_io: ArtifactIO | None,
                 script: str | None, script_path: str) -> None:
    """Input artifacts and the staged script, copied into the created (not started) container."""
    has_inputs = bool((request.template.get("inputs") or {}).get("artifacts"))
    if has_inputs and artifact_io is None:
        raise RuntimeError("input artifacts need an artifact repository, and none is configured")
    if has_inputs and artifact_io is not None:
        with tempfile.TemporaryDirectory(prefix="argoctl-docker-in-") as tmp:
            root = Path(tmp)
            artifact_io.load_inputs(request, _resolver(root))
            engine.put_archive(container, "/", transfer.tar_of_tree(root))
    if script is not None:
        engine.put_archive(container, "/", transfer.tar_of_file(script_path, script.encode()))
