"""How a finished local pod maps to a node outcome, and its outputs (shim side).

Phase and message follow Argo (argo-semantics §5.4): an init container that fails makes the pod
Error; the first failing main container makes it Failed with ``<name>: Error (exit code N)``; a
kill or the deadline makes it Failed with the reason. Outputs come from the container named
``main`` (``argoctl.backends.outputs``); artifacts go through the ``ArtifactIO`` the
driver left in the pod directory, called while the pod's root is still mounted.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from argoctl.backends import outputs as rules
from argoctl.backends.local import podfiles
from argoctl.backends.local.procs import Container, now_rfc3339
from argoctl.backends.local.runner import GroupResult
from argoctl.backends.local.sandbox import PodRoot

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

    JSON = dict[str, Any]

NO_ARTIFACT_IO = (
    "the template has artifacts but the local backend was started without an artifact repository"
)


class PodOutcome:
    __slots__ = ("finished_at", "message", "outputs", "phase")

    def __init__(self, phase: str, message: str, outputs: JSON | None, finished_at: str) -> None:
        self.phase = phase
        self.message = message
        self.outputs = outputs
        self.finished_at = finished_at


def _request(pod_dir: Path) -> Any:
    from argoctl.backends.base import PodRequest

    data = podfiles.read_json(pod_dir / podfiles.REQUEST) or {}
    data["env"] = tuple(tuple(pair) for pair in data.get("env") or ())
    return PodRequest(**data)


def _artifact_io(pod_dir: Path) -> Any:
    """Rebuild the driver's ArtifactIO from its JSON handover (a named factory and its config)."""
    data = podfiles.read_json(pod_dir / podfiles.ARTIFACT_IO)
    if not data:
        return None
    module_name, _, attribute = str(data["factory"]).partition(":")
    target: Any = importlib.import_module(module_name)
    for part in attribute.split("."):
        target = getattr(target, part)
    return target(data.get("config"))


def collect_pod_outputs(pod_dir: Path, plan: JSON, root: PodRoot, *, stage: str) -> PodOutcome | None:
    """Load input artifacts (``stage="inputs"``); an outcome (Error) only when that fails."""
    if stage != "inputs" or not plan.get("has_input_artifacts"):
        return None
    artifact_io = _artifact_io(pod_dir)
    if artifact_io is None:
        return PodOutcome("Error", NO_ARTIFACT_IO, None, now_rfc3339())
    try:
        artifact_io.load_inputs(_request(pod_dir), root.resolve)
    except Exception as exc:
        return PodOutcome("Error", getattr(exc, "message", None) or str(exc), None, now_rfc3339())
    return None


def _save_artifacts(pod_dir: Path, root: PodRoot) -> tuple[list[JSON], str | None]:
    artifact_io = _artifact_io(pod_dir)
    if artifact_io is None:
        return [], NO_ARTIFACT_IO
    try:
        return list(artifact_io.save_outputs(_request(pod_dir), root.resolve)), None
    except Exception as exc:
        return [], getattr(exc, "message", None) or str(exc)


def _stdout_tail(pod_dir: Path, name: str) -> bytes:
    path = podfiles.log_path(pod_dir, name, "stdout")
    try:
        with open(path, "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - rules.RESULT_LIMIT))
            return handle.read()
    except OSError:
        return b""


def _reader(root: PodRoot) -> Any:
    def read_file(container_path: str) -> bytes | None:
        host = root.resolve(container_path)
        if not os.path.isfile(host):
            return None
        with open(host, "rb") as handle:
            return handle.read()

    return read_file


def _failure_message(container: Container) -> str:
    _, message = rules.node_phase_for_exit(container.exit_code or 0, container.name)
    return f"{message}: {container.message}" if container.message else message


def _main_container(result: GroupResult) -> Container | None:
    if "main" in result.finished:
        return result.finished["main"]
    return None


def finish_outcome(pod_dir: Path, plan: JSON, root: PodRoot, result: GroupResult, *, init: bool) -> PodOutcome:
    """The node outcome of a finished pod (outputs collected from the main container)."""
    main = _main_container(result)
    if result.interrupted is not None:
        exit_only: JSON | None = (
            {"exitCode": str(main.exit_code)} if main and main.exit_code is not None else None)
        return PodOutcome("Failed", result.interrupted.message, exit_only, now_rfc3339())
    order = [str(c["name"]) for c in plan["containers"]]
    failures = sorted((c for c in result.finished.values() if c.exit_code != 0),
                      key=lambda c: order.index(c.name))
    if init:
        return PodOutcome("Error", _failure_message(failures[0]), None, now_rfc3339())
    phase, message = ("Failed", _failure_message(failures[0])) if failures else ("Succeeded", "")
    if main is None:
        return PodOutcome(phase, message, None, now_rfc3339())
    outputs: JSON
    outputs, error = rules.collect_outputs(
        plan.get("outputs_template") or {}, read_file=_reader(root),
        stdout=_stdout_tail(pod_dir, main.name), exit_code=main.exit_code,
        capture_result=bool(plan.get("capture_result")),
    )
    if plan.get("has_output_artifacts"):
        artifacts, artifact_error = _save_artifacts(pod_dir, root)
        if artifacts:
            outputs["artifacts"] = artifacts
        error = error or artifact_error
    if plan.get("archive_logs"):
        logs, log_error = _save_logs(pod_dir, main.name)
        if logs:
            outputs["artifacts"] = [*outputs.get("artifacts", []), *logs]
        error = error or log_error
    if error and phase == "Succeeded":
        phase, message = "Error", error
    return PodOutcome(phase, message, outputs, now_rfc3339())


def _save_logs(pod_dir: Path, container: str) -> tuple[list[JSON], str | None]:
    """``archiveLogs``: the main container's log as the ``main-logs`` artifact."""
    artifact_io = _artifact_io(pod_dir)
    if artifact_io is None or not hasattr(artifact_io, "save_logs"):
        return [], None
    try:
        return list(artifact_io.save_logs(_request(pod_dir), {container: pod_dir / f"{container}.log"})), None
    except Exception as exc:
        return [], getattr(exc, "message", None) or str(exc)


def run_data_template(pod_dir: Path) -> PodOutcome:
    """A data template: no container, the artifact listing and transformations in this process."""
    from argoctl.backends import datatemplate

    request = _request(pod_dir)
    artifact_io = _artifact_io(pod_dir)
    if artifact_io is None:
        return PodOutcome("Error", NO_ARTIFACT_IO, None, now_rfc3339())
    try:
        result = datatemplate.run(request.template, lambda paths: artifact_io.list_keys(paths, request))
    except Exception as exc:
        return PodOutcome("Error", getattr(exc, "message", None) or str(exc), None, now_rfc3339())
    return PodOutcome("Succeeded", "", {"result": result}, now_rfc3339())
