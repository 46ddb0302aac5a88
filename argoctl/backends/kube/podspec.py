"""``build_pod``: a ``PodRequest`` as a Pod manifest (a plain dict), shaped like Argo's pod.

Name ``request.pod_name``; labels ``workflows.argoproj.io/workflow`` and ``.../on-exit=true`` for
exit handlers (not Argo's ``.../completed``: the workflow's state records which pods finished);
annotations ``.../node-name``, ``.../node-id`` and ``kubectl.kubernetes.io/default-container=main``;
``restartPolicy: Never``; an ownerReference to the workflow's state object when one is given. The template's container/script/containerSet
become the main containers; input artifacts (staged by the driver, ``StagedInputs``) are unpacked
by the helper's init container and mounted at their paths; user ``initContainers`` run first, user ``sidecars`` become native
sidecars (init containers with ``restartPolicy: Always``, which the kubelet stops once the main
containers are done, as Argo's controller stops sidecars). Volumes, metadata and scheduling fields
come from the template and the workflow spec; ``podSpecPatch`` (workflow, then template) is
applied last. When outputs (parameters, result, artifacts) must leave the pod the helper of
``helper.py`` is added. The
annotation ``argoctl.io/pod-info`` records what a later driver needs to read the pod's outcome
(``PodInfo``). Pure: no Kubernetes import, no I/O.
"""

from __future__ import annotations

import hashlib
import json
import math
import posixpath
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from argoctl.backends.base import PodRequest
from argoctl.backends.images import ImageEntry, ImageTable, unknown_image_message
from argoctl.backends.kube import helper
from argoctl.backends.kube.podparts import (
    PodSpecError,
    add_mount,
    main_containers,
    merge_env,
    pod_volumes,
    scheduling,
    with_mirrored_mounts,
)
from argoctl.backends.kube.specpatch import PatchError, apply_patches
from argoctl.model.pods import pod_metadata
from argoctl.model.timefmt import parse_duration

__all__ = ["DEFAULT_HELPER_IMAGE", "PodInfo", "PodSpecError", "StagedInputs", "build_pod"]

JSON = dict[str, Any]
DEFAULT_HELPER_IMAGE = "busybox:1.37-musl"  # public, a static multi-call binary: runs in any image
LABEL_WORKFLOW = "workflows.argoproj.io/workflow"
LABEL_ON_EXIT = "workflows.argoproj.io/on-exit"
ANNOTATION_NODE_NAME = "workflows.argoproj.io/node-name"
ANNOTATION_NODE_ID = "workflows.argoproj.io/node-id"
ANNOTATION_DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"
ANNOTATION_POD_INFO = "argoctl.io/pod-info"


@dataclass(frozen=True, slots=True)
class PodInfo:
    """How to read a pod's outcome: kept in an annotation so that an adopted pod (whose template a
    new driver does not have) is read the same way."""

    node_id: str = ""
    nonce: str = ""  # the outputs bundle's frame; "" when the pod reports no outputs
    capture: bool = False
    parameters: tuple[JSON, ...] = ()  # declared output parameters: from files, or literal values
    daemon: bool = False
    container_set: tuple[str, ...] = ()  # member names of a containerSet pod
    wrapped: tuple[str, ...] = ()  # containers whose termination message belongs to the wrapper
    input_parts: tuple[str, ...] = ()  # ConfigMaps holding the staged inputs, deleted when it is done

    @property
    def main_names(self) -> tuple[str, ...]:
        return self.container_set or ("main",)

    @property
    def outputs_template(self) -> JSON:
        return {"outputs": {"parameters": [dict(p) for p in self.parameters]}} if self.parameters else {}

    def to_annotation(self) -> str:
        data = {"v": 1, "nodeID": self.node_id, "nonce": self.nonce, "capture": self.capture,
                "parameters": list(self.parameters), "daemon": self.daemon,
                "containerSet": list(self.container_set), "wrapped": list(self.wrapped)}
        if self.input_parts:
            data["inputParts"] = list(self.input_parts)
        return json.dumps(data, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_pod(cls, pod: JSON) -> PodInfo:
        annotations = (pod.get("metadata") or {}).get("annotations") or {}
        try:
            data = json.loads(annotations.get(ANNOTATION_POD_INFO) or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        return cls(
            node_id=str(data.get("nodeID") or annotations.get(ANNOTATION_NODE_ID) or ""),
            nonce=str(data.get("nonce") or ""), capture=bool(data.get("capture")),
            parameters=tuple(p for p in data.get("parameters") or [] if isinstance(p, dict)),
            daemon=bool(data.get("daemon")), container_set=tuple(str(n) for n in data.get("containerSet") or []),
            wrapped=tuple(str(n) for n in data.get("wrapped") or []),
            input_parts=tuple(str(n) for n in data.get("inputParts") or []),
        )


@dataclass(frozen=True, slots=True)
class StagedInputs:
    """A pod's input artifacts as the driver staged them: a gzipped tar holding ``inputs/<name>``
    for each artifact in ``names``, for the init container to unpack. A small one travels in the
    pod spec (``archive``, base64); a larger one in ConfigMaps (``parts``: their names, in order,
    each with the key ``part``), mounted into the init container."""

    archive: str = ""
    names: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()


def input_artifacts(template: JSON) -> list[JSON]:
    """The template's input artifacts that land in the pod (those with a path)."""
    return [a for a in (template.get("inputs") or {}).get("artifacts") or [] if a.get("path")]


def output_artifacts(template: JSON) -> tuple[tuple[str, str], ...]:
    """(name, path) of the template's output artifacts, path normalised as Argo's ``CleanPath``."""
    found = []
    for artifact in (template.get("outputs") or {}).get("artifacts") or []:
        name, path = str(artifact.get("name", "")), artifact.get("path")
        if path:
            cleaned = posixpath.normpath(str(path))
            found.append((name, "/" + cleaned.lstrip("/")))
    return tuple(found)


def nonce_for(request: PodRequest) -> str:
    """A frame for the outputs bundle, fixed per pod (so a manifest is reproducible)."""
    seed = f"{request.workflow_uid}/{request.node_id}/{request.pod_name}".encode()
    return hashlib.sha256(seed).hexdigest()[:16]


def deadline_seconds(deadline: str | None, now: datetime) -> int | None:
    """``activeDeadlineSeconds`` for an absolute deadline (at least 1)."""
    if not deadline:
        return None
    try:
        at = datetime.fromisoformat(deadline.replace("Z", "+00:00"))
    except ValueError as err:
        raise PodSpecError(f"invalid deadline {deadline!r}") from err
    return max(1, math.ceil((at - now).total_seconds()))


def _image_path(entry: ImageEntry, program: str) -> str:
    """The image's real path of a program the image table names by its host program."""
    for container_path, host_program in entry.root_programs:
        if host_program == program:
            return container_path
    return program


def resolve_argv(container: JSON, images: ImageTable) -> list[str]:
    """The argv the container runs: command + args, else the image's ENTRYPOINT/CMD from the table."""
    command = [str(c) for c in container.get("command") or []]
    args = [str(a) for a in container.get("args") or []]
    if command:
        return command + args
    image = str(container.get("image", ""))
    entry = images.lookup(image) if image else None
    if entry is None or not (entry.entrypoint or entry.cmd):
        from argoctl.config import display_path

        raise PodSpecError(unknown_image_message(image, display_path()))
    entrypoint = list(entry.entrypoint)
    if entrypoint:
        entrypoint[0] = _image_path(entry, entrypoint[0])
    return entrypoint + (args if args else list(entry.cmd))


def _is_file_parameter(parameter: JSON) -> bool:
    return (parameter.get("valueFrom") or {}).get("path") is not None


def _pod_parameters(template: JSON) -> tuple[JSON, ...]:
    """Declared output parameters the pod's outcome gives: read from files, or literal values."""
    declared = (template.get("outputs") or {}).get("parameters") or []
    return tuple(dict(p) for p in declared if _is_file_parameter(p) or "value" in p)


def _staged(template: JSON, staged: StagedInputs | None) -> StagedInputs:
    """The staged inputs, checked against the template: every required input artifact is there."""
    staged = staged or StagedInputs()
    for artifact in input_artifacts(template):
        name = str(artifact.get("name", ""))
        if name not in staged.names and not artifact.get("optional"):
            raise PodSpecError(f"input artifact '{name}' was not staged for the pod")
    return staged


class _Builder:
    """Holds one request's decisions while its manifest is assembled."""

    def __init__(self, request: PodRequest, helper_image: str, images: ImageTable,
                 staged: StagedInputs | None) -> None:
        self.request = request
        self.template = request.template
        self.helper_image = helper_image
        self.images = images
        self.mains, self.dependencies, self.script = main_containers(self.template)
        self.parameters = _pod_parameters(self.template)
        self.file_parameters = tuple(p for p in self.parameters if _is_file_parameter(p))
        names = [str(c.get("name", "")) for c in self.mains]
        self.container_set = tuple(names) if self.template.get("containerSet") is not None else ()
        self.artifacts = output_artifacts(self.template)
        reporter = "main" if "main" in names else ""
        if self.artifacts and not reporter:
            raise PodSpecError("output artifacts of a containerSet are read from its container named 'main'")
        self.reporter = reporter if (request.capture_result or self.file_parameters or self.artifacts) else ""
        retry = ((self.template.get("containerSet") or {}).get("retryStrategy")) or {}
        self.retries = int(retry.get("retries") or 0)
        self.retry_delay = _duration(retry.get("duration"))
        # a containerSet's outputs are read once every member is done (Argo's wait container does
        # so), so the members record their exit and the reporter waits for them
        sequenced = bool(self.container_set) and (any(self.dependencies) or self.retries > 0 or bool(self.reporter))
        self.wrapped = tuple(n for n in names if sequenced or n == self.reporter)
        self.nonce = nonce_for(request) if self.reporter else ""
        self.staged = _staged(self.template, staged)
        self.inputs = [a for a in input_artifacts(self.template) if a.get("name") in self.staged.names]

    def staged_files(self) -> list[tuple[str, str, int]]:
        return [("script", self.script, 0o755)] if self.script is not None else []

    @property
    def uses_staging(self) -> bool:
        return self.script is not None or bool(self.inputs)

    def info(self) -> PodInfo:
        return PodInfo(node_id=self.request.node_id, nonce=self.nonce, capture=bool(self.reporter) and
                       self.request.capture_result, parameters=self.parameters,
                       daemon=bool(self.template.get("daemon")), container_set=self.container_set,
                       wrapped=self.wrapped, input_parts=self.staged.parts if self.inputs else ())

    def main(self, container: JSON, dependencies: list[str]) -> JSON:
        name = str(container.get("name", ""))
        if self.script is not None:
            container["args"] = [*(container.get("args") or []), helper.SCRIPT_PATH]
            add_mount(container, {"name": helper.STAGING_VOLUME, "mountPath": helper.STAGING_DIR})
        for artifact in self.inputs:
            add_mount(container, {"name": helper.STAGING_VOLUME, "mountPath": str(artifact["path"]),
                                  "subPath": f"inputs/{artifact['name']}"})
        env = [{"name": k, "value": v} for k, v in self.request.env if k != "ARGO_CONTAINER_NAME"]
        env.append({"name": "ARGO_CONTAINER_NAME", "value": name})
        if name in self.wrapped:
            argv = resolve_argv(container, self.images)
            options = helper.WrapOptions(
                name=name, capture=name == self.reporter and self.request.capture_result,
                report_nonce=self.nonce if name == self.reporter else "", dependencies=tuple(dependencies),
                retries=self.retries if self.container_set else 0, retry_delay=self.retry_delay,
                parameters=tuple((str(p.get("name", "")), str(p["valueFrom"]["path"])) for p in self.file_parameters)
                if name == self.reporter else (),
                artifacts=self.artifacts if name == self.reporter else (),
                awaits=tuple(n for n in self.container_set if n != name) if name == self.reporter else (),
                termination_path=str(container.get("terminationMessagePath") or helper.TERMINATION_LOG))
            container["command"] = helper.wrapped_command(argv)
            container.pop("args", None)
            env += options.env()
            add_mount(container, {"name": helper.HELPER_VOLUME, "mountPath": helper.HELPER_DIR})
        merge_env(container, env)
        return container

    def init_containers(self, main_mounts: list[JSON]) -> list[JSON]:
        inits: list[JSON] = []
        files = self.staged_files()
        archive = self.staged.archive if self.inputs else ""
        parts = self.staged.parts if self.inputs else ()
        if self.wrapped or files or archive or parts:
            inits.append(helper.init_container(self.helper_image, copy_tools=bool(self.wrapped), files=files,
                                               inputs=archive, input_parts=len(parts)))
        inits += [with_mirrored_mounts(c, main_mounts) for c in self.template.get("initContainers") or []]
        for sidecar in self.template.get("sidecars") or []:
            inits.append(dict(with_mirrored_mounts(sidecar, main_mounts), restartPolicy="Always"))
        if self.reporter:
            inits.append(helper.outputs_sidecar(self.helper_image))
        return inits

    def volumes(self) -> list[JSON]:
        volumes = pod_volumes(self.request.workflow_name, self.request.workflow_spec, self.template)
        staged = self.uses_staging
        if self.wrapped or staged:
            volumes.append({"name": helper.HELPER_VOLUME, "emptyDir": {}})
        if staged:
            volumes.append({"name": helper.STAGING_VOLUME, "emptyDir": {}})
        if self.inputs and self.staged.parts:
            volumes.append(helper.input_parts_volume(self.staged.parts))
        return volumes


def _duration(value: Any) -> float:
    if value in (None, ""):
        return 0.0
    try:
        return float(parse_duration(value))
    except (TypeError, ValueError) as err:
        raise PodSpecError(f"containerSet retryStrategy.duration {value!r} is not a duration") from err


def _metadata(request: PodRequest, info: PodInfo, owner: JSON | None) -> JSON:
    labels, annotations = pod_metadata(request.template, request.workflow_spec)
    labels[LABEL_WORKFLOW] = request.workflow_name
    if request.is_exit_handler:
        labels[LABEL_ON_EXIT] = "true"
    annotations.update({
        ANNOTATION_NODE_NAME: request.node_name, ANNOTATION_NODE_ID: request.node_id,
        ANNOTATION_DEFAULT_CONTAINER: info.main_names[0] if info.container_set else "main",
        ANNOTATION_POD_INFO: info.to_annotation(),
    })
    metadata: JSON = {"name": request.pod_name, "namespace": request.namespace,
                      "labels": labels, "annotations": annotations}
    if owner:
        metadata["ownerReferences"] = [dict(owner)]
    return metadata


def build_pod(request: PodRequest, *, helper_image: str = DEFAULT_HELPER_IMAGE,
              images: ImageTable | None = None, owner: JSON | None = None,
              now: datetime | None = None, staged: StagedInputs | None = None) -> JSON:
    """The Pod manifest for ``request`` (with ``staged``, its input artifacts); ``PodSpecError``
    when the template cannot run as a pod."""
    builder = _Builder(request, helper_image, images if images is not None else ImageTable(), staged)
    main_mounts = [dict(m) for m in builder.mains[0].get("volumeMounts") or []]  # the user's, before ours
    mains = [builder.main(c, deps) for c, deps in zip(builder.mains, builder.dependencies, strict=True)]
    spec: JSON = {"restartPolicy": "Never", **scheduling(request.template, request.workflow_spec)}
    inits = builder.init_containers(main_mounts)
    if inits:
        spec["initContainers"] = inits
    spec["containers"] = mains
    volumes = builder.volumes()
    if volumes:
        spec["volumes"] = volumes
    seconds = deadline_seconds(request.deadline, now or datetime.now(UTC))
    if seconds is not None:
        spec["activeDeadlineSeconds"] = seconds
    try:
        spec = apply_patches(spec, [request.workflow_spec.get("podSpecPatch"), request.template.get("podSpecPatch")])
    except PatchError as err:
        raise PodSpecError(str(err)) from err
    info = builder.info()
    return {"apiVersion": "v1", "kind": "Pod", "metadata": _metadata(request, info, owner), "spec": spec}
