"""Pieces of a workflow pod: the template's containers, volumes, scheduling fields and metadata.

Pure functions over plain dicts (Argo's template and workflow spec in, Kubernetes fields out),
used by ``podspec.build_pod``. Argo-only container fields (``source``, ``dependencies``,
``mirrorVolumeMounts``) never reach the pod.
"""

from __future__ import annotations

import copy
from typing import Any

JSON = dict[str, Any]

# pod field -> (template field, workflow spec field); the template's value wins when set
SCHEDULING_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("serviceAccountName", "serviceAccountName", "serviceAccountName"),
    ("automountServiceAccountToken", "automountServiceAccountToken", "automountServiceAccountToken"),
    ("nodeSelector", "nodeSelector", "nodeSelector"),
    ("tolerations", "tolerations", "tolerations"),
    ("affinity", "affinity", "affinity"),
    ("schedulerName", "schedulerName", "schedulerName"),
    ("priorityClassName", "priorityClassName", "podPriorityClassName"),
    ("priority", "priority", "podPriority"),
    ("securityContext", "securityContext", "securityContext"),
)
# pod fields only the workflow spec sets
WORKFLOW_POD_FIELDS: tuple[str, ...] = ("imagePullSecrets", "dnsPolicy", "dnsConfig", "hostNetwork")
_ARGO_ONLY = ("source", "dependencies", "mirrorVolumeMounts")


class PodSpecError(Exception):
    """The pod cannot be built; ``message`` becomes the node's message (phase Error)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def k8s_container(spec: JSON) -> JSON:
    """A deep copy without Argo-only fields."""
    return {k: copy.deepcopy(v) for k, v in spec.items() if k not in _ARGO_ONLY}


def template_kind(template: JSON) -> str:
    for kind in ("container", "script", "containerSet", "resource", "data", "http", "plugin", "suspend"):
        if template.get(kind) is not None:
            return kind
    return "unknown"


def main_containers(template: JSON) -> tuple[list[JSON], list[list[str]], str | None]:
    """The main containers (k8s form), each one's containerSet dependencies, and a script source."""
    kind = template_kind(template)
    if kind == "container":
        return [dict(k8s_container(template["container"]), name="main")], [[]], None
    if kind == "script":
        script = template["script"]
        source = script.get("source")
        container = dict(k8s_container(script), name="main")
        return [container], [[]], (str(source) if source not in (None, "") else None)
    if kind == "containerSet":
        container_set = template["containerSet"] or {}
        shared = list(container_set.get("volumeMounts") or [])
        containers, dependencies = [], []
        for member in container_set.get("containers") or []:
            own = list(member.get("volumeMounts") or [])
            mounts = shared + [m for m in own if m not in shared]
            container = k8s_container(member)
            if mounts:
                container["volumeMounts"] = copy.deepcopy(mounts)
            containers.append(container)
            dependencies.append([str(d) for d in member.get("dependencies") or []])
        if not containers:
            raise PodSpecError("containerSet has no containers")
        return containers, dependencies, None
    raise PodSpecError(f"{kind} templates are not supported by the kubernetes backend")


def with_mirrored_mounts(spec: JSON, main_mounts: list[JSON]) -> JSON:
    """A user init container or sidecar; ``mirrorVolumeMounts`` copies main's mounts."""
    container = k8s_container(spec)
    if spec.get("mirrorVolumeMounts"):
        own = list(container.get("volumeMounts") or [])
        paths = {m.get("mountPath") for m in own}
        container["volumeMounts"] = own + [copy.deepcopy(m) for m in main_mounts if m.get("mountPath") not in paths]
    return container


def merge_env(container: JSON, extra: list[JSON]) -> None:
    """Append ``extra`` to the container's env; a user variable of the same name is dropped."""
    names = {e["name"] for e in extra}
    own = [e for e in container.get("env") or [] if e.get("name") not in names]
    container["env"] = own + extra


def add_mount(container: JSON, mount: JSON) -> None:
    mounts = list(container.get("volumeMounts") or [])
    if not any(m.get("mountPath") == mount["mountPath"] for m in mounts):
        mounts.append(mount)
    container["volumeMounts"] = mounts


def claim_name(workflow_name: str, template_name: str) -> str:
    """The PVC Argo creates for a ``volumeClaimTemplates`` entry."""
    return f"{workflow_name}-{template_name}"


def pod_volumes(workflow_name: str, workflow_spec: JSON, template: JSON) -> list[JSON]:
    """Workflow volumes, PVCs of volumeClaimTemplates, then template volumes (same name: template wins)."""
    volumes: dict[str, JSON] = {}
    for volume in workflow_spec.get("volumes") or []:
        volumes[str(volume.get("name", ""))] = copy.deepcopy(volume)
    for claim in workflow_spec.get("volumeClaimTemplates") or []:
        name = str((claim.get("metadata") or {}).get("name", ""))
        if name:
            volumes[name] = {"name": name, "persistentVolumeClaim": {"claimName": claim_name(workflow_name, name)}}
    for volume in template.get("volumes") or []:
        volumes[str(volume.get("name", ""))] = copy.deepcopy(volume)
    return list(volumes.values())


def claims_to_create(workflow_name: str, workflow_spec: JSON, labels: JSON) -> list[JSON]:
    """PersistentVolumeClaim objects for the workflow's ``volumeClaimTemplates``."""
    claims = []
    for claim in workflow_spec.get("volumeClaimTemplates") or []:
        body = copy.deepcopy(claim)
        meta = dict(body.get("metadata") or {})
        name = str(meta.get("name", ""))
        if not name:
            continue
        meta["name"] = claim_name(workflow_name, name)
        meta["labels"] = {**(meta.get("labels") or {}), **labels}
        for key in ("namespace", "uid", "resourceVersion", "creationTimestamp"):
            meta.pop(key, None)
        body.update(apiVersion="v1", kind="PersistentVolumeClaim", metadata=meta)
        body.pop("status", None)
        claims.append(body)
    return claims


def scheduling(template: JSON, workflow_spec: JSON) -> JSON:
    """Pod-level fields from the template, falling back to the workflow spec (Argo's order)."""
    fields: JSON = {}
    for pod_field, tmpl_field, wf_field in SCHEDULING_FIELDS:
        value = template.get(tmpl_field)
        if value in (None, "", [], {}):
            value = workflow_spec.get(wf_field)
        if value not in (None, "", [], {}):
            fields[pod_field] = copy.deepcopy(value)
    for pod_field in WORKFLOW_POD_FIELDS:
        if workflow_spec.get(pod_field) not in (None, "", [], {}):
            fields[pod_field] = copy.deepcopy(workflow_spec[pod_field])
    aliases = list(workflow_spec.get("hostAliases") or []) + list(template.get("hostAliases") or [])
    if aliases:
        fields["hostAliases"] = copy.deepcopy(aliases)
    return fields
