"""What the API server adds to objects on the way in: metadata and the defaults of pods,
secrets and claims (as the real defaulting and ServiceAccount admission do)."""

from __future__ import annotations

import base64
import copy
from typing import Any

from tests.fakecluster.errors import bad_request
from tests.fakecluster.meta import new_uid, random_suffix, rfc3339
from tests.fakecluster.resources import ResourceType

JSON = dict[str, Any]

SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
_SERVER_OWNED_META = ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                      "deletionGracePeriodSeconds", "selfLink")


def init_metadata(rt: ResourceType, obj: JSON, namespace: str | None) -> JSON:
    """A copy of a created object with kind, apiVersion, name, namespace, uid and timestamps set."""
    created = copy.deepcopy(obj)
    created["kind"] = rt.kind
    created["apiVersion"] = rt.api_version
    meta = created.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise bad_request("metadata must be an object")
    if rt.namespaced:
        if meta.get("namespace") not in (None, "", namespace):
            raise bad_request("the namespace of the provided object does not match the namespace sent on the request")
        meta["namespace"] = namespace
    else:
        meta.pop("namespace", None)
    if not meta.get("name"):
        if not meta.get("generateName"):
            raise _name_required(rt)
        meta["name"] = f"{meta['generateName']}{random_suffix()}"
    for key in _SERVER_OWNED_META:
        meta.pop(key, None)
    meta["uid"] = new_uid()
    meta["creationTimestamp"] = rfc3339()
    if rt.group:
        meta["generation"] = 1
    return created


def _name_required(rt: ResourceType) -> Exception:
    from tests.fakecluster.errors import invalid

    cause = {"reason": "FieldValueRequired", "message": "name or generateName is required", "field": "metadata.name"}
    return invalid(rt.kind, rt.group, "", [cause])


def apply_defaults(rt: ResourceType, obj: JSON) -> None:
    """Defaults applied on create, in place."""
    if rt.group == "" and rt.plural == "pods":
        _default_pod(obj)
    elif rt.group == "" and rt.plural == "secrets":
        obj.setdefault("type", "Opaque")
        fold_string_data(obj)
    elif rt.group == "" and rt.plural == "namespaces":
        obj.setdefault("spec", {"finalizers": ["kubernetes"]})
        obj["status"] = {"phase": "Active"}
    elif rt.group == "" and rt.plural == "persistentvolumeclaims":
        _default_claim(obj)


def fold_string_data(secret: JSON) -> None:
    """Secrets: ``stringData`` is write-only and merged into base64 ``data``."""
    string_data = secret.pop("stringData", None) or {}
    if string_data:
        data = secret.setdefault("data", {}) or {}
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()
        secret["data"] = data


def _default_claim(claim: JSON) -> None:
    spec = claim.setdefault("spec", {})
    spec.setdefault("volumeMode", "Filesystem")
    requests = (spec.get("resources") or {}).get("requests") or {}
    claim["status"] = {
        "phase": "Bound",
        "accessModes": spec.get("accessModes", ["ReadWriteOnce"]),
        "capacity": {"storage": requests.get("storage", "1Gi")},
    }


def _pull_policy(image: str) -> str:
    last = image.rsplit("/", 1)[-1]
    if "@" in last:
        return "IfNotPresent"
    tag = last.split(":", 1)[1] if ":" in last else "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _default_container(container: JSON) -> None:
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    container.setdefault("imagePullPolicy", _pull_policy(str(container.get("image", ""))))
    container.setdefault("resources", {})
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")


def _default_volume(volume: JSON) -> None:
    for source in ("configMap", "secret", "projected"):
        if isinstance(volume.get(source), dict):
            volume[source].setdefault("defaultMode", 420)
    if isinstance(volume.get("hostPath"), dict):
        volume["hostPath"].setdefault("type", "")


def _default_pod(pod: JSON) -> None:
    spec = pod.setdefault("spec", {})
    for key, value in (("restartPolicy", "Always"), ("dnsPolicy", "ClusterFirst"),
                       ("schedulerName", "default-scheduler"), ("terminationGracePeriodSeconds", 30),
                       ("securityContext", {}), ("enableServiceLinks", True), ("priority", 0),
                       ("preemptionPolicy", "PreemptLowerPriority")):
        spec.setdefault(key, value)
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = spec["serviceAccount"] = account
    for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
        _default_container(container)
    for volume in spec.get("volumes") or []:
        _default_volume(volume)
    tolerations = spec.setdefault("tolerations", [])
    for taint in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        if not any(t.get("key") == taint for t in tolerations):
            tolerations.append({"key": taint, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300})
    if spec.get("automountServiceAccountToken") is not False:
        _inject_service_account_volume(spec)
    pod["status"] = {"phase": "Pending", "qosClass": _qos_class(spec)}


def _inject_service_account_volume(spec: JSON) -> None:
    containers = (spec.get("initContainers") or []) + (spec.get("containers") or [])
    if any(m.get("mountPath") == SERVICE_ACCOUNT_MOUNT for c in containers for m in c.get("volumeMounts") or []):
        return
    name = f"kube-api-access-{random_suffix()}"
    spec.setdefault("volumes", []).append({"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1",
                                                                      "fieldPath": "metadata.namespace"}}]}},
    ]}})
    for container in containers:
        container.setdefault("volumeMounts", []).append(
            {"name": name, "mountPath": SERVICE_ACCOUNT_MOUNT, "readOnly": True})


def _qos_class(spec: JSON) -> str:
    containers = (spec.get("initContainers") or []) + (spec.get("containers") or [])
    resources = [c.get("resources") or {} for c in containers]
    if not any(r.get("requests") or r.get("limits") for r in resources):
        return "BestEffort"
    guaranteed = all(
        set((r.get("limits") or {}).keys()) >= {"cpu", "memory"}
        and all((r.get("requests") or {}).get(k, v) == v for k, v in (r.get("limits") or {}).items())
        for r in resources
    )
    return "Guaranteed" if guaranteed else "Burstable"
