"""A pod template as engine container settings (pure apart from nothing: no engine calls).

``plan_pod`` returns one ``ContainerPlan`` per container, in start order: the pod's infra
container (a sleeping busybox, Kubernetes' pause container: it owns the pod's network, IPC and
UTS namespaces, on the workflow's own network), init containers, then main (or the
containerSet's containers), then sidecars; all of them join the infra container's namespaces
(``container:<name>``). Kubernetes rules: ``command``
replaces the image ENTRYPOINT and ``args`` its CMD; ``$(VAR)`` references are expanded; a script
template's source is staged at ``/argo/staging/script`` and its path appended. Settings an engine
cannot express raise ``PodPlanError`` (the node ends ``Error`` with the message).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from argoctl.backends.base import PodRequest
from argoctl.backends.docker import naming
from argoctl.backends.docker.envsources import EnvSourceError, Lookup, env_from, key_ref, volume_files
from argoctl.backends.local.plan import expand_env_refs
from argoctl.model.pods import pod_metadata

JSON = dict[str, Any]
SCRIPT_PATH = "/argo/staging/script"
_QUANTITY = re.compile(r"^([0-9.]+(?:e[0-9]+)?)([a-zA-Z]*)$")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18, "m": 10**-3}
UNSUPPORTED = "not supported by the docker backend"
INFRA_NAME = "argoctl-infra"  # the pod's sandbox container (Kubernetes' pause container)
INFRA_IMAGE = "busybox:latest"
CLAIM_GC_DEFAULT = "OnWorkflowSuccess"  # Argo's volumeClaimGC default
_EMPTY_WHEN_OPTIONAL = ("configMap", "secret", "projected", "downwardAPI")


class PodPlanError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(slots=True)
class ContainerPlan:
    """One container: its Kubernetes name, role and the engine's create settings."""

    name: str
    role: str  # infra, init, main, sidecar
    engine_name: str
    image: str
    pull_policy: str
    entrypoint: list[str] | None
    command: list[str] | None
    env: dict[str, str]
    working_dir: str | None
    user: str | None
    labels: dict[str, str]
    mounts: list[JSON] = field(default_factory=list)  # {"type": volume|bind, "source", "target", "read_only"}
    nano_cpus: int | None = None
    mem_limit: int | None = None
    gpus: int = 0
    tty: bool = False
    network_of: str | None = None  # engine name of the container whose network it joins
    network: str | None = None  # the workflow's network, for a container that owns its namespace
    script: str | None = None  # a script template's source, staged before start
    dependencies: list[str] = field(default_factory=list)  # containerSet members it waits for


def quantity(text: Any) -> float:
    """A Kubernetes quantity (``500m``, ``64Mi``, ``1G``, ``2``) as a number."""
    match = _QUANTITY.match(str(text).strip())
    if match is None:
        raise PodPlanError(f"invalid resource quantity {text!r}")
    number, suffix = float(match.group(1)), match.group(2)
    if suffix in _BINARY:
        return number * _BINARY[suffix]
    if suffix in _DECIMAL:
        return number * _DECIMAL[suffix]
    raise PodPlanError(f"invalid resource quantity {text!r}")


def _resources(spec: JSON, plan: ContainerPlan) -> None:
    limits = (spec.get("resources") or {}).get("limits") or {}
    if "cpu" in limits:
        plan.nano_cpus = int(quantity(limits["cpu"]) * 1e9)
    if "memory" in limits:
        plan.mem_limit = int(quantity(limits["memory"]))
    if "nvidia.com/gpu" in limits:
        plan.gpus = int(quantity(limits["nvidia.com/gpu"]))


def _env(spec: JSON, base: dict[str, str], request: PodRequest, lookup: Lookup | None) -> dict[str, str]:
    env = dict(base)
    try:
        env.update(env_from(list(spec.get("envFrom") or []), lookup))
        for item in spec.get("env") or []:
            name = str(item.get("name", ""))
            if "valueFrom" not in item:
                env[name] = expand_env_refs(str(item.get("value", "")), env)
                continue
            value = _value_from(name, item["valueFrom"] or {}, request, lookup)
            if value is not None:
                env[name] = value
    except EnvSourceError as err:
        raise PodPlanError(f"CreateContainerConfigError: {err.message}") from err
    return env


def _value_from(name: str, value_from: JSON, request: PodRequest, lookup: Lookup | None) -> str | None:
    for source in ("configMapKeyRef", "secretKeyRef"):
        if source in value_from:
            return key_ref(source, value_from[source] or {}, lookup, request.namespace)
    field_ref = str((value_from.get("fieldRef") or {}).get("fieldPath", ""))
    known = {"metadata.name": request.pod_name, "metadata.namespace": request.namespace,
             "spec.serviceAccountName": "default"}
    if field_ref in known:
        return known[field_ref]
    source = next(iter(value_from), "valueFrom")
    if (value_from.get(source) or {}).get("optional"):
        return None
    raise PodPlanError(f"env {name}: {source} {field_ref} is {UNSUPPORTED}".replace("  ", " "))


def _user(spec: JSON, request: PodRequest) -> str | None:
    context = dict(request.workflow_spec.get("securityContext") or {})
    context.update(request.template.get("securityContext") or {})
    context.update(spec.get("securityContext") or {})
    user, group = context.get("runAsUser"), context.get("runAsGroup")
    if user is None:
        return None if group is None else f"0:{group}"
    return f"{user}:{group}" if group is not None else str(user)


class _Volumes:
    """Volume name → mount source, for one pod."""

    def __init__(self, request: PodRequest, namespace: str, lookup: Lookup | None) -> None:
        self.lookup = lookup
        self.sources: dict[str, JSON | str] = {}
        strategy = str((request.workflow_spec.get("volumeClaimGC") or {}).get("strategy") or CLAIM_GC_DEFAULT)
        for claim in request.workflow_spec.get("volumeClaimTemplates") or []:
            name = str((claim.get("metadata") or {}).get("name", ""))
            self.sources[name] = {"type": "volume", "claim_gc": strategy, "source": naming.volume_name(
                namespace, "pvc", f"{request.workflow_name}-{name}")}
        volumes = list(request.workflow_spec.get("volumes") or []) + list(request.template.get("volumes") or [])
        for volume in volumes:
            self.sources[str(volume.get("name", ""))] = self._source(volume, request, namespace)

    def _source(self, volume: JSON, request: PodRequest, namespace: str) -> JSON | str:
        name = str(volume.get("name", ""))
        if "emptyDir" in volume:
            return {"type": "volume", "source": naming.volume_name(namespace, request.pod_name, name), "pod": True}
        if "persistentVolumeClaim" in volume:
            claim = str((volume["persistentVolumeClaim"] or {}).get("claimName") or name)
            return {"type": "volume", "source": naming.volume_name(namespace, "pvc", claim)}
        if "hostPath" in volume:
            return {"type": "bind", "source": str((volume["hostPath"] or {}).get("path", ""))}
        kind = next((key for key in volume if key != "name"), "unknown")
        if kind in ("configMap", "secret"):
            try:
                files = volume_files(kind, volume[kind] or {}, self.lookup)
            except EnvSourceError as err:
                return f'MountVolume.SetUp failed for volume "{name}": {err.message}'
            if files is not None:  # copied into each container that mounts it, before it starts
                return {"type": "files", "files": files}
        if kind in _EMPTY_WHEN_OPTIONAL and (volume[kind] or {}).get("optional"):
            # as in local mode: an optional source that is not there mounts as an empty directory
            return {"type": "volume", "source": naming.volume_name(namespace, request.pod_name, name), "pod": True}
        return f"volume '{name}': {kind} volumes are {UNSUPPORTED}"

    def mounts(self, spec: JSON, main_mounts: list[JSON]) -> list[JSON]:
        declared = list(spec.get("volumeMounts") or [])
        if spec.get("mirrorVolumeMounts"):
            declared += [m for m in main_mounts if m not in declared]
        mounts = []
        for mount in declared:
            name = str(mount.get("name", ""))
            source = self.sources.get(name)
            if source is None:
                raise PodPlanError(f"volume '{name}' not found in the workflow or template volumes")
            if isinstance(source, str):
                raise PodPlanError(source)
            if mount.get("subPath"):
                raise PodPlanError(f"volume '{name}': subPath mounts are {UNSUPPORTED}")
            mounts.append(dict(source, target=str(mount.get("mountPath", "")), read_only=bool(mount.get("readOnly"))))
        return mounts


def _main_specs(template: JSON) -> tuple[list[JSON], str | None]:
    if "containerSet" in template:
        container_set = template["containerSet"] or {}
        shared = list(container_set.get("volumeMounts") or [])
        members = [dict(c, volumeMounts=shared + list(c.get("volumeMounts") or []))
                   for c in container_set.get("containers") or []]
        if not members:
            raise PodPlanError("containerSet has no containers")
        return members, None
    if "script" in template:
        script = dict(template["script"], name="main")
        source = str(script.get("source") or "")
        if source:
            script["args"] = [*(script.get("args") or []), SCRIPT_PATH]
        return [script], source or None
    if "container" in template:
        return [dict(template["container"], name="main")], None
    if "resource" in template:
        raise PodPlanError("resource templates create Kubernetes objects: they need the kubernetes backend "
                           "(--backend kubernetes)")
    kind = next((k for k in ("http", "plugin") if k in template), "unknown")
    raise PodPlanError(f"{kind} templates are {UNSUPPORTED}")


def _labels(pod_labels: dict[str, str], request: PodRequest, namespace: str, name: str, role: str,
            attempt: int) -> dict[str, str]:
    labels = dict(pod_labels)
    labels.update({naming.LABEL_MANAGED: "1", naming.LABEL_NAMESPACE: namespace,
                   naming.LABEL_POD: request.pod_name, naming.LABEL_CONTAINER: name,
                   naming.LABEL_ROLE: role, naming.LABEL_NODE: request.node_id,
                   naming.LABEL_ATTEMPT: str(attempt), naming.LABEL_WORKFLOW: request.workflow_name})
    return labels


def _infra_plan(request: PodRequest, namespace: str, pod_labels: dict[str, str], attempt: int) -> ContainerPlan:
    """The pod's sandbox: it holds the network, IPC and UTS namespaces every container joins."""
    return ContainerPlan(
        name=INFRA_NAME, role="infra", engine_name=naming.container_name(namespace, request.pod_name, INFRA_NAME),
        image=INFRA_IMAGE, pull_policy="IfNotPresent", entrypoint=["sleep"], command=["2147483647"],
        env={"HOSTNAME": naming.hostname(request.pod_name)}, working_dir=None, user=None,
        labels=_labels(pod_labels, request, namespace, INFRA_NAME, "infra", attempt),
        network=naming.network_name(namespace, request.workflow_name))


def plan_pod(request: PodRequest, namespace: str, attempt: int = 1,
             lookup: Lookup | None = None) -> list[ContainerPlan]:
    """The pod's containers in start order (infra, init, main, sidecars)."""
    template = request.template
    mains, script = _main_specs(template)
    volumes = _Volumes(request, namespace, lookup)
    main_mounts = list(mains[0].get("volumeMounts") or [])
    pod_labels, _ = pod_metadata(template, request.workflow_spec)
    infra = _infra_plan(request, namespace, pod_labels, attempt)
    inits = list(template.get("initContainers") or [])
    native = [s for s in inits if s.get("restartPolicy") == "Always"]  # native sidecars run beside main
    specs = [(s, "init") for s in inits if s not in native]
    specs += [(s, "main") for s in mains] + [(s, "sidecar") for s in [*native, *(template.get("sidecars") or [])]]
    plans = [infra]
    for spec, role in specs:
        name = str(spec.get("name") or "main")
        labels = _labels(pod_labels, request, namespace, name, role, attempt)
        base = dict(request.env)
        base.update({"ARGO_CONTAINER_NAME": name, "HOSTNAME": naming.hostname(request.pod_name)})
        env = _env(spec, base, request, lookup)
        command = [expand_env_refs(str(c), env) for c in spec.get("command") or []]
        args = [expand_env_refs(str(a), env) for a in spec.get("args") or []]
        plan = ContainerPlan(
            name=name, role=role, engine_name=naming.container_name(namespace, request.pod_name, name),
            image=str(spec.get("image", "")), pull_policy=str(spec.get("imagePullPolicy") or ""),
            entrypoint=command or None, command=args or None, env=env,
            working_dir=str(spec["workingDir"]) if spec.get("workingDir") else None,
            user=_user(spec, request), labels=labels, mounts=volumes.mounts(spec, main_mounts),
            tty=bool(spec.get("tty")), network_of=infra.engine_name,
            script=script if role == "main" else None,
            dependencies=[str(d) for d in spec.get("dependencies") or []] if role == "main" else [])
        if not plan.image:
            raise PodPlanError(f"container {name}: no image")
        _resources(spec, plan)
        plans.append(plan)
    return plans
