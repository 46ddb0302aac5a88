"""Turn a PodRequest into a pod plan: the containers to run as host processes (driver side).

The plan is plain JSON written to ``POD_DIR/plan.json`` for the shim: for every container its
role (init, main, sidecar), argv (image entrypoint/cmd applied, script path appended, Kubernetes
``$(VAR)`` references expanded), environment, working directory, volume mounts with their host
directories, containerSet dependencies, and the program aliases its image needs. Problems that
Argo reports before a container starts (unknown image, unpullable image, refused image,
unsupported volume) raise ``PlanError``; the pod then ends ``Error`` without running anything.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from argoctl.backends.base import PodRequest
from argoctl.backends.images import ImageEntry, ImageTable, unknown_image_message
from argoctl.backends.local import podfiles
from argoctl.backends.local.plan_env import declared_env, expand_env_refs
from argoctl.backends.local.plan_objects import ObjectLookup, PlanError
from argoctl.backends.local.plan_volumes import container_mounts, volume_kinds, volume_sources
from argoctl.backends.local.sandbox import POD_BIN
from argoctl.config import display_path

__all__ = ["PlanError", "build_plan", "expand_env_refs", "parse_duration"]

JSON = dict[str, Any]
SCRIPT_PATH = "/argo/staging/script"  # where Argo stages a script template's source
_BASE_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME")
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: Any) -> float:
    """Seconds in an int/float or a Go duration (``5s``, ``1m30s``, ``250ms``)."""
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return float(text)
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise PlanError(f"invalid duration {text!r}")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def _argv(container: JSON, entry: ImageEntry | None, image: str) -> list[str]:
    command = [str(c) for c in container.get("command") or []]
    args = [str(a) for a in container.get("args") or []]
    if command:
        return command + args
    if entry is None or not (entry.entrypoint or entry.cmd):
        raise PlanError(unknown_image_message(image, display_path()))
    return list(entry.entrypoint) + (args if args else list(entry.cmd))


def _check_image(image: str, entry: ImageEntry | None) -> None:
    if entry is not None and entry.refuse:
        raise PlanError(f'image "{image}" refused: {entry.refuse}')
    if entry is not None and entry.pull_error:
        raise PlanError(
            f'ErrImagePull: failed to pull image "{image}": {entry.pull_error} '
            "(the local backend treats it as an image that cannot be pulled)"
        )


def _check_sidecar_program(name: str, image: str, argv: list[str], env: dict[str, str]) -> None:
    """A sidecar of an image the table does not emulate, whose program is not on this host.

    In a cluster the image brings the program (``nginx``, ``dockerd-entrypoint.sh``), the sidecar
    serves, and the main container that polls it finishes. Here the sidecar would exit 127 at once
    while the main container polls 127.0.0.1 forever, so the pod ends ``Error`` before anything runs.
    """
    program = argv[0] if argv else ""
    if not program or "/" in program or shutil.which(program, path=env.get("PATH", os.defpath)):
        return
    raise PlanError(
        f'sidecar "{name}": image "{image}" is not emulated by the local backend and its program '
        f'"{program}" is not on this host; the sidecar cannot serve the main container'
    )


def _aliases(entry: ImageEntry | None) -> list[list[str]]:
    found: list[list[str]] = []
    for name, candidates in entry.aliases if entry else ():
        for program in candidates:
            located = shutil.which(program)
            if located:
                found.append([name, located])
                break
    return found


def _root_programs(entry: ImageEntry | None) -> list[list[str]]:
    placed: list[list[str]] = []
    for container_path, program in entry.root_programs if entry else ():
        located = shutil.which(program)
        if located:
            placed.append([container_path, located])
    return placed


class _Planner:
    """Builds one pod's plan; holds what every container shares."""

    def __init__(self, request: PodRequest, images: ImageTable, pod_dir: Path, mode: str,
                 lookup: ObjectLookup | None) -> None:
        self.request = request
        self.lookup = lookup
        self.images = images
        self.pod_dir = pod_dir
        self.mode = mode
        self.template = request.template
        self.volumes = volume_sources(request, pod_dir, lookup)
        self.volume_kinds = volume_kinds(request)

    def base_env(self, entry: ImageEntry | None, name: str) -> dict[str, str]:
        env = {key: os.environ[key] for key in _BASE_ENV if key in os.environ}
        pod_bin = POD_BIN if self.mode == "namespace" else str(self.pod_dir / podfiles.BIN)
        path = [pod_bin, *env.get("PATH", os.defpath).split(os.pathsep)]
        path += [p for p in (entry.path_extra if entry else ()) if p not in path]
        env["PATH"] = os.pathsep.join(path)
        env["HOSTNAME"] = self.request.pod_name
        if self.mode != "namespace":
            env["TMPDIR"] = str(self.pod_dir / "tmp")
        env.update(dict(entry.env) if entry else {})
        env.update(dict(self.request.env))
        env["ARGO_CONTAINER_NAME"] = name
        return env

    def container(self, spec: JSON, role: str, main_mounts: list[JSON]) -> JSON:
        image = str(spec.get("image", ""))
        entry = self.images.lookup(image) if image else None
        _check_image(image, entry)
        name = str(spec.get("name") or "main")
        declared = declared_env(spec, self.request, self.lookup)
        env = {**self.base_env(entry, name), **declared}
        argv = [expand_env_refs(arg, declared) for arg in _argv(spec, entry, image)]
        if role == "sidecar" and entry is None:
            _check_sidecar_program(name, image, argv, env)
        mounts = container_mounts(spec, self.volumes, main_mounts, self.volume_kinds)
        root_programs = _root_programs(entry)
        if self.mode != "namespace":
            argv = _rewrite_root_programs(argv, root_programs)
        return {
            "name": name, "role": role, "image": image, "argv": argv,
            "env": sorted(env.items()), "working_dir": self.working_dir(spec),
            "mounts": mounts, "dependencies": [str(d) for d in spec.get("dependencies") or []],
            "tty": bool(spec.get("tty")), "aliases": _aliases(entry), "root_programs": root_programs,
            "privileged": privileged(spec, name), "run_as": self.run_as(spec),
        }

    def run_as(self, spec: JSON) -> list[int]:
        """``[uid, gid]`` inside the container: ``runAsUser``/``runAsGroup`` of the container, else
        of the template's or the workflow's pod ``securityContext``, else root."""
        contexts = [spec.get("securityContext") or {}, self.template.get("securityContext") or {},
                    self.request.workflow_spec.get("securityContext") or {}]
        ids = []
        for field in ("runAsUser", "runAsGroup"):
            value = next((c[field] for c in contexts if isinstance(c.get(field), int)), 0)
            ids.append(max(0, int(value)))
        return ids

    def working_dir(self, spec: JSON) -> str:
        if spec.get("workingDir"):
            return str(spec["workingDir"])
        return "/" if self.mode == "namespace" else str(self.pod_dir / podfiles.WORK)


PRIVILEGED_ENV = "ARGOCTL_ALLOW_PRIVILEGED"


def privileged(spec: JSON, name: str) -> bool:
    """Whether the container asks for host privileges (``securityContext.privileged`` or added
    capabilities): only with ``ARGOCTL_ALLOW_PRIVILEGED=1`` does it run
    as the host's root; otherwise the pod fails before anything runs."""
    context = spec.get("securityContext") or {}
    asks = bool(context.get("privileged") or (context.get("capabilities") or {}).get("add"))
    if not asks:
        return False
    if os.environ.get(PRIVILEGED_ENV, "").strip().lower() in ("1", "true", "yes"):
        return True
    raise PlanError(f'container "{name}" asks for host privileges (securityContext); the local backend '
                    f"runs steps without them unless {PRIVILEGED_ENV}=1 is set")


def _rewrite_root_programs(argv: list[str], root_programs: list[list[str]]) -> list[str]:
    """Without a private root, ``/argosay`` as the program is replaced by its host path."""
    mapping = dict((path, host) for path, host in root_programs)
    return [mapping.get(argv[0], argv[0]), *argv[1:]] if argv else argv


def _deadline_epoch(deadline: str | None) -> float | None:
    if not deadline:
        return None
    try:
        return datetime.fromisoformat(deadline.replace("Z", "+00:00")).timestamp()
    except ValueError as exc:
        raise PlanError(f"invalid deadline {deadline!r}") from exc


def _main_specs(template: JSON) -> tuple[list[JSON], JSON | None, JSON]:
    """The main containers, the script (if any) and the containerSet retry strategy."""
    if "containerSet" in template:
        container_set = template["containerSet"] or {}
        shared = list(container_set.get("volumeMounts") or [])
        specs = [dict(c, volumeMounts=shared + list(c.get("volumeMounts") or []))
                 for c in container_set.get("containers") or []]
        return specs, None, dict(container_set.get("retryStrategy") or {})
    if "script" in template:
        script = dict(template["script"])
        script.setdefault("name", "main")
        # Argo stages the source and appends its path only when there is a source
        staged = {"path": SCRIPT_PATH, "source": str(script["source"])} if script.get("source") else None
        return [script], staged, {}
    if "container" in template:
        return [dict(template["container"], name="main")], None, {}
    if "data" in template:
        return [], None, {}
    if "resource" in template:
        raise PlanError("resource templates create Kubernetes objects: they need the kubernetes backend "
                        "(--backend kubernetes)")
    kind = next((k for k in ("http", "plugin") if k in template), "unknown")
    raise PlanError(f"{kind} templates are not supported by the local backend")


def _archive_logs(request: PodRequest) -> bool:
    """Whether logs may need archiving (the artifact layer makes the final call)."""
    location = request.template.get("archiveLocation") or {}
    repository = request.artifact_repository or {}
    return bool(location.get("archiveLogs") or request.workflow_spec.get("archiveLogs")
                or repository.get("archiveLogs"))


def build_plan(request: PodRequest, images: ImageTable, pod_dir: Path, *, mode: str, grace: float,
               lookup: ObjectLookup | None = None) -> JSON:
    """The plan for one pod, or ``PlanError``; ``lookup`` reads Secrets and ConfigMaps."""
    planner = _Planner(request, images, pod_dir, mode, lookup)
    template = request.template
    mains, script, retry = _main_specs(template)
    if not mains and "data" not in template:
        raise PlanError("containerSet has no containers")
    main_mounts = list(mains[0].get("volumeMounts") or []) if mains else []
    containers = [planner.container(spec, "init", main_mounts) for spec in template.get("initContainers") or []]
    containers += [planner.container(spec, "sidecar", main_mounts) for spec in template.get("sidecars") or []]
    containers += [planner.container(spec, "main", main_mounts) for spec in mains]
    if script is not None:
        script_path = script["path"] if mode == "namespace" else str(pod_dir / "staging" / "script")
        script["path"] = script_path
        containers[-1]["argv"].append(script_path)
    return {
        "pod_name": request.pod_name, "node_id": request.node_id, "mode": mode,
        "containers": containers, "script": script, "grace": grace,
        "deadline": _deadline_epoch(request.deadline),
        "retry": {"retries": int(retry.get("retries") or 0),
                  "duration": parse_duration(retry.get("duration") or 0)},
        "container_set": "containerSet" in template,
        "data": "data" in template,
        "archive_logs": _archive_logs(request),
        "capture_result": request.capture_result, "daemon": bool(template.get("daemon")),
        "outputs_template": {"outputs": template.get("outputs") or {}},
        "has_input_artifacts": bool((template.get("inputs") or {}).get("artifacts")),
        "has_output_artifacts": bool((template.get("outputs") or {}).get("artifacts")),
    }
