"""Artifacts across the pod boundary, moved by the driver: the pod needs no credentials, no
network path to the repository, no image beyond the helper, and no permission beyond pods,
pods/log and configmaps.

* Inputs: before the pod is created, ``stage_inputs`` loads every input artifact through the
  ``ArtifactIO`` (any source it reads: the repository, s3, http, git, raw) into a scratch
  directory, and packs it as ``inputs/<name>`` in a gzipped tar that the helper's init container
  unpacks into the staging volume. Up to ``SPEC_LIMIT`` bytes it travels in the pod spec (no
  extra request; every watch event of the pod carries it, so it stays small); beyond, in
  ``part`` keys of ConfigMaps ``<pod>-inputs-N`` (``publish``: one create each, owned by the
  workflow, deleted by ``unpublish`` once the pod is done), up to ``PARTS_LIMIT`` of them.
* Outputs: the wrapper puts each output artifact (file or directory, as a gzipped tar) in the
  outputs bundle; ``save_outputs`` unpacks them into a scratch directory and saves them through
  the ``ArtifactIO`` exactly as the local backend does (keys, archive strategies, ``optional``,
  Argo's messages). ``archiveLogs`` saves the main container's log the same way.

Errors are returned as messages (the node ends ``Error`` with them), never raised.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import posixpath
import tarfile
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from argoctl.backends.base import ArtifactIO, PodRequest
from argoctl.backends.kube.podspec import StagedInputs, input_artifacts, output_artifacts

JSON = dict[str, Any]
SPEC_LIMIT = 24 * 1024  # bytes of archive carried in the pod spec (32 KiB of base64)
PART_SIZE = 960 * 1024  # bytes of archive per ConfigMap (the API server allows 1 MiB of data)
PARTS_LIMIT = 64
INPUTS_TOO_LARGE = ("input artifacts of {size} MiB (compressed) are too large for the kubernetes backend, which passes "
                    "at most {limit} MiB per pod through ConfigMaps")


@dataclass(frozen=True, slots=True)
class InputArchive:
    """The staged input artifacts: a gzipped tar of ``inputs/<name>`` for each of ``names``."""

    data: bytes
    names: tuple[str, ...]


def has_artifacts(request: PodRequest) -> bool:
    return bool(input_artifacts(request.template) or output_artifacts(request.template))


def _error(err: BaseException) -> str:
    return str(getattr(err, "message", None) or err)


def stage_inputs(artifact_io: ArtifactIO, request: PodRequest) -> tuple[InputArchive | None, str | None]:
    """The pod's input artifacts packed for its init container, or the error that stops the node."""
    wanted = input_artifacts(request.template)
    if not wanted:
        return InputArchive(b"", ()), None
    with tempfile.TemporaryDirectory(prefix="argoctl-inputs-") as scratch:
        root = Path(scratch)
        places = {_clean(str(a["path"])): root / "inputs" / str(a.get("name", "")) for a in wanted}

        def resolve(container_path: str) -> str:
            return str(places.get(_clean(container_path), root / "elsewhere" / container_path.lstrip("/")))

        try:
            artifact_io.load_inputs(request, resolve)
        except Exception as err:
            return None, _error(err)
        staged = [places[_clean(str(a["path"]))] for a in wanted]
        names = tuple(str(a.get("name", "")) for a, place in zip(wanted, staged, strict=True)
                      if place.exists() or place.is_symlink())
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
            for name in names:
                tar.add(str(root / "inputs" / name), arcname=f"inputs/{name}")
    data = buffer.getvalue()
    if len(data) > PART_SIZE * PARTS_LIMIT:
        return None, INPUTS_TOO_LARGE.format(size=round(len(data) / 2**20, 1), limit=PART_SIZE * PARTS_LIMIT // 2**20)
    return InputArchive(data, names), None


def publish(client: Any, namespace: str, request: PodRequest, archive: InputArchive,
            owner: JSON | None) -> StagedInputs:
    """Where the pod finds ``archive``: in its spec when small, else in ConfigMaps created now
    (an existing one, from an earlier driver, is overwritten)."""
    if len(archive.data) <= SPEC_LIMIT:
        return StagedInputs(archive=base64.b64encode(archive.data).decode("ascii"), names=archive.names)
    from argoctl.errors import ConflictError
    from argoctl.kube import paths

    names = []
    for index, start in enumerate(range(0, len(archive.data), PART_SIZE)):
        name = f"{request.pod_name}-inputs-{index}"
        metadata: JSON = {"name": name, "namespace": namespace,
                          "labels": {"workflows.argoproj.io/workflow": request.workflow_name}}
        if owner:
            metadata["ownerReferences"] = [dict(owner)]
        body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata,
                "binaryData": {"part": base64.b64encode(archive.data[start:start + PART_SIZE]).decode("ascii")}}
        try:
            client.create(paths.collection(namespace, "configmaps"), body)
        except ConflictError:
            client.replace(paths.item(namespace, "configmaps", name), body)
        names.append(name)
    return StagedInputs(names=archive.names, parts=tuple(names))


def unpublish(client: Any, namespace: str, parts: Sequence[str]) -> None:
    """Delete the ConfigMaps of a finished pod's inputs (they go with the workflow anyway)."""
    from argoctl.errors import ClusterError
    from argoctl.kube import paths

    for name in parts:
        with contextlib.suppress(ClusterError):
            client.delete(paths.item(namespace, "configmaps", name), missing_ok=True)


def read_input(artifact_io: ArtifactIO, request: PodRequest, name: str) -> str:
    """The text of one input artifact (``manifestFrom.artifact`` of a resource template)."""
    from argoctl.errors import BackendError

    wanted = [a for a in input_artifacts(request.template) if str(a.get("name", "")) == name]
    if not wanted:
        raise BackendError(f"manifestFrom artifact '{name}' is not an input artifact of the template")
    only = replace(request, template={**request.template, "inputs": {
        **(request.template.get("inputs") or {}), "artifacts": wanted}})
    archive, error = stage_inputs(artifact_io, only)
    if archive is None:
        raise BackendError(error or f"artifact {name} failed to load")
    with tarfile.open(fileobj=io.BytesIO(archive.data), mode="r:gz") as tar:
        member = tar.extractfile(f"inputs/{name}")
        if member is None:
            raise BackendError(f"manifestFrom artifact '{name}' is a directory, not a manifest file")
        return member.read().decode("utf-8", errors="replace")


def save_outputs(artifact_io: ArtifactIO, request: PodRequest, packed: Mapping[str, str | None],
                 read_log: Callable[[], str] | None) -> tuple[list[JSON], str | None]:
    """Save the bundle's output artifacts (``packed``: name → gzipped tar in base64, None when its
    path did not exist) and, with ``archiveLogs``, the main log (``read_log``); returns the node's
    ``outputs.artifacts`` and the first error."""
    saved: list[JSON] = []
    error: str | None = None
    with tempfile.TemporaryDirectory(prefix="argoctl-outputs-") as scratch:
        root = Path(scratch)
        places: dict[str, Path] = {}
        for name, path in output_artifacts(request.template):
            places[path] = root / "outputs" / name / (posixpath.basename(path) or name)
            data = packed.get(name)
            if data is None:
                continue
            try:
                _unpack(data, places[path].parent)
            except (OSError, tarfile.TarError, binascii.Error, EOFError) as err:
                error = error or f"failed to read output artifact {name} from the pod: {err}"

        def resolve(container_path: str) -> str:
            return str(places.get(_clean(container_path), root / "missing" / container_path.lstrip("/")))

        if places:
            try:
                saved = list(artifact_io.save_outputs(request, resolve))
            except Exception as err:
                saved = list(getattr(err, "saved", None) or [])
                error = error or _error(err)
        save_logs = getattr(artifact_io, "save_logs", None)
        if read_log is not None and save_logs is not None:
            log_file = root / "main.log"
            try:
                log_file.write_text(read_log(), encoding="utf-8", errors="surrogateescape")
                saved += list(save_logs(request, {"main": log_file}))
            except Exception as err:
                error = error or _error(err)
    return saved, error


def wants_logs(artifact_io: ArtifactIO, request: PodRequest) -> bool:
    """Whether ``archiveLogs`` applies to the pod (its template, the workflow, or the repository)."""
    from argoctl.artifacts import is_archive_logs

    repository_for = getattr(artifact_io, "repository_for", None)
    repository = repository_for(request) if repository_for is not None else request.artifact_repository
    return bool(is_archive_logs(request.template, request.workflow_spec, repository))


def _unpack(data: str, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    raw = base64.b64decode("".join(data.split()))
    with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as tar:
        tar.extractall(dest, filter=_inside)


def _inside(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """Tar's ``data`` filter, skipping (not failing on) what it refuses: a link out of the
    artifact (``/etc`` holds absolute symlinks) must not make the driver read its own files."""
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def _clean(path: str) -> str:
    return "/" + posixpath.normpath(path).lstrip("/")
