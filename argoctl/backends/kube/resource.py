"""Resource templates in the driver process: ``ResourceRunner`` runs each on a worker thread.

A run does what Argo's executor does with kubectl, through the raw-JSON ``KubeClient``: the
``action`` (get/create/apply/delete/replace/patch) on the manifest (or on ``type name`` given in
``flags``), in the request's namespace unless the manifest names one; ``setOwnerReference`` adds
the workflow's owner reference; then it GETs the object every ``poll_interval`` seconds until a
``failureCondition`` requirement holds (Failed, "failure condition '...' evaluated true") or all
``successCondition`` requirements do; then it reads output parameters (``jsonPath``, or
``jqFilter`` through ``jq -rc`` when ``jq`` is on PATH). API errors end the node Failed with the
API's message (Argo's kubectl exits non-zero, so its pod fails). Updates go to ``sink``;
``kill`` cancels a run. ``mergeStrategy: strategic`` is sent as a merge patch; other ``flags``
(``--validate=false``...) are ignored.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from argoctl.backends.base import PodRequest, PodUpdate
from argoctl.backends.kube.resource_conditions import (
    ConditionError,
    JsonPathError,
    Requirement,
    json_path,
    parse_conditions,
)
from argoctl.backends.kube.tracking import now_rfc3339
from argoctl.errors import ArgoctlError, ClusterError, ConflictError, NotFoundError

__all__ = ["ResourceFailure", "ResourceRunner", "is_resource"]

JSON = dict[str, Any]
Sink = Callable[[PodUpdate], None]
OwnerLookup = Callable[[str], JSON | None]
ArtifactReader = Callable[[PodRequest, str], str]  # (request, input artifact name) -> its text
ACTIONS = ("get", "create", "apply", "delete", "replace", "patch")
# kubectl type names used in ``flags`` (and kinds the cluster may not list): group, version, plural
KNOWN_TYPES: dict[str, tuple[str, str, str]] = {
    "pod": ("", "v1", "pods"), "po": ("", "v1", "pods"), "configmap": ("", "v1", "configmaps"),
    "cm": ("", "v1", "configmaps"), "secret": ("", "v1", "secrets"), "service": ("", "v1", "services"),
    "svc": ("", "v1", "services"), "persistentvolumeclaim": ("", "v1", "persistentvolumeclaims"),
    "pvc": ("", "v1", "persistentvolumeclaims"), "serviceaccount": ("", "v1", "serviceaccounts"),
    "job": ("batch", "v1", "jobs"), "cronjob": ("batch", "v1", "cronjobs"),
    "deployment": ("apps", "v1", "deployments"), "deploy": ("apps", "v1", "deployments"),
    "statefulset": ("apps", "v1", "statefulsets"), "workflow": ("argoproj.io", "v1alpha1", "workflows"),
    "wf": ("argoproj.io", "v1alpha1", "workflows"),
    "workflowtemplate": ("argoproj.io", "v1alpha1", "workflowtemplates"),
}
NO_NAME = "Kind and name are both required but at least one of them is missing from the manifest"
DELETED_WHILE_WAITING = ("The resource has been deleted while its status was still being checked. "
                         "Will not be retried: {error}")


class ResourceFailure(Exception):
    """Ends a run: ``phase`` (Failed or Error) and the node message."""

    def __init__(self, phase: str, message: str) -> None:
        super().__init__(message)
        self.phase = phase
        self.message = message


def is_resource(request: PodRequest) -> bool:
    return isinstance(request.template.get("resource"), dict)


@dataclass
class _Target:
    """Where the object lives: its collection path and name."""

    collection: str
    name: str
    body: Any = None  # the manifest (dict), or a patch (dict or JSON-patch list)


@dataclass
class _Run:
    request: PodRequest
    cancel: threading.Event = field(default_factory=threading.Event)
    done: bool = False
    started_at: str = ""


class ResourceRunner:
    """Resource template runs, one worker thread each; their updates go to ``sink``."""

    def __init__(self, client: Any, namespace: str, sink: Sink, *, owner: OwnerLookup | None = None,
                 poll_interval: float = 1.0, jq: str | None = None,
                 read_artifact: ArtifactReader | None = None) -> None:
        self.client = client
        self.namespace = namespace
        self.sink = sink
        self.owner = owner
        self.poll_interval = poll_interval
        self.jq = jq if jq is not None else (shutil.which("jq") or "")
        self.read_artifact = read_artifact
        self._runs: dict[str, _Run] = {}
        self._lock = threading.Lock()
        self._plurals: dict[tuple[str, str, str], str] = {}

    def __contains__(self, pod_name: object) -> bool:
        return pod_name in self._runs

    def start(self, request: PodRequest, *, adopting: bool = False) -> None:
        with self._lock:
            if request.pod_name in self._runs:
                return
            run = self._runs[request.pod_name] = _Run(request, started_at=now_rfc3339())
        threading.Thread(target=self._work, args=(run, adopting), daemon=True,
                         name=f"argoctl-resource-{request.pod_name}").start()

    def kill(self, pod_name: str, *, reason: str) -> PodUpdate | None:
        """Cancel the run; its final Failed update (None when it already ended or is unknown)."""
        with self._lock:
            run = self._runs.get(pod_name)
            if run is None or run.done:
                return None
            run.done = True
        run.cancel.set()
        return _update(run, "Failed", reason, final=True)

    def accept(self, update: PodUpdate) -> PodUpdate | None:
        """An update from a worker as ``wait`` should report it (None once the run was killed)."""
        with self._lock:
            run = self._runs.get(update.pod_name)
            if run is None or run.done:
                return None
            if update.phase in ("Succeeded", "Failed", "Error"):
                run.done = True
        return update

    def close(self) -> None:
        for run in list(self._runs.values()):
            run.cancel.set()

    # -- the worker --------------------------------------------------------------------------------
    def _work(self, run: _Run, adopting: bool) -> None:
        self.sink(_update(run, "Running", ""))
        try:
            outputs = self._execute(run, adopting)
        except ResourceFailure as failure:
            self.sink(_update(run, failure.phase, failure.message, final=True))
        except ArgoctlError as err:
            self.sink(_update(run, "Failed", err.message, final=True))
        except Exception as err:
            self.sink(_update(run, "Error", f"resource template failed: {err}", final=True))
        else:
            if not run.cancel.is_set():
                self.sink(_update(run, "Succeeded", "", final=True, outputs=outputs))

    def _execute(self, run: _Run, adopting: bool) -> JSON:
        resource = run.request.template["resource"]
        action = str(resource.get("action") or "")
        if action not in ACTIONS:
            raise ResourceFailure("Error", f"unsupported resource action '{action}'")
        success = _conditions(resource, "successCondition", "success")
        failure = _conditions(resource, "failureCondition", "fail")
        target = self._target(run.request, resource, action)
        live = self._act(run.request, resource, action, target, adopting)
        if action == "delete" or live is None:
            return _outputs(run.request.template, None, self.jq)
        target.name = str((live.get("metadata") or {}).get("name") or target.name)
        if success or failure:
            live = self._wait(run, target, success, failure)
        return _outputs(run.request.template, live, self.jq)

    def _act(self, request: PodRequest, resource: JSON, action: str, target: _Target, adopting: bool) -> JSON | None:
        item = f"{target.collection}/{target.name}"
        if action == "get":
            return _as_json(self.client.get(item))
        if action == "delete":
            self.client.delete(item, missing_ok=True)
            return None
        if action == "patch":
            strategy = str(resource.get("mergeStrategy") or "strategic")
            if strategy not in ("strategic", "merge", "json"):
                raise ResourceFailure("Error", f"unsupported mergeStrategy '{strategy}'")
            return _as_json(self.client.patch(item, target.body, patch_type="json" if strategy == "json" else "merge"))
        manifest = self._owned(request, resource, target.body)
        if action == "replace":
            return _as_json(self.client.replace(item, manifest))
        if action == "apply":
            try:
                return _as_json(self.client.patch(item, manifest, patch_type="merge"))
            except NotFoundError:
                pass
        try:
            return _as_json(self.client.create(target.collection, manifest))
        except ConflictError:
            if not adopting or not target.name:
                raise
            return _as_json(self.client.get(item))  # created by the driver before a restart

    def _owned(self, request: PodRequest, resource: JSON, manifest: JSON) -> JSON:
        if not resource.get("setOwnerReference"):
            return manifest
        owner = self.owner(request.workflow_name) if self.owner else None
        if not owner:
            owner = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "name": request.workflow_name,
                     "uid": request.workflow_uid, "controller": True, "blockOwnerDeletion": True}
        metadata = manifest.setdefault("metadata", {})
        metadata["ownerReferences"] = [*(metadata.get("ownerReferences") or []), dict(owner)]
        return manifest

    def _wait(self, run: _Run, target: _Target, success: list[Requirement], failure: list[Requirement]) -> JSON:
        item = f"{target.collection}/{target.name}"
        while True:
            try:
                live = _as_json(self.client.get(item))
            except NotFoundError as err:
                raise ResourceFailure("Failed", DELETED_WHILE_WAITING.format(error=err.message)) from None
            except ClusterError as err:
                if not err.transient:
                    raise
                live = None
            if live is not None:
                for requirement in failure:
                    if requirement.matches(live):
                        raise ResourceFailure("Failed", f"failure condition '{requirement}' evaluated true")
                if all(requirement.matches(live) for requirement in success):
                    return live
            if run.cancel.wait(self.poll_interval):
                raise ResourceFailure("Failed", "cancelled")

    def _manifest_text(self, request: PodRequest, resource: JSON) -> str | None:
        """``manifestFrom.artifact``: the text of the named input artifact (as Argo's executor
        reads it in the pod), loaded through the driver's artifact layer."""
        source = resource.get("manifestFrom")
        if resource.get("manifest") is not None or not isinstance(source, dict):
            return None
        name = str((source.get("artifact") or {}).get("name") or "")
        if self.read_artifact is None:
            raise ResourceFailure("Error", f"manifestFrom artifact '{name}' cannot be read: no artifact repository")
        try:
            return self.read_artifact(request, name)
        except ArgoctlError as err:
            raise ResourceFailure("Error", err.message) from None

    # -- where the object lives --------------------------------------------------------------------
    def _target(self, request: PodRequest, resource: JSON, action: str) -> _Target:
        body = _manifest(resource, self._manifest_text(request, resource))
        flags = [str(flag) for flag in resource.get("flags") or []]
        namespace, positional = _flag_namespace(flags)
        if positional:
            return self._flag_target(request, namespace, positional, body)
        if not isinstance(body, dict):
            raise ResourceFailure("Error", "Must provide at least one of flags or manifest.")
        if not isinstance(body.get("metadata"), dict):
            body["metadata"] = {}
        metadata = body["metadata"]
        name = str(metadata.get("name") or "")
        kind = str(body.get("kind") or "")
        if not kind or (not name and not (action == "create" and metadata.get("generateName"))):
            raise ResourceFailure("Failed", NO_NAME)
        namespace = str(metadata.get("namespace") or namespace or request.namespace or self.namespace)
        group, _, version = str(body.get("apiVersion") or "v1").rpartition("/")
        plural = self._plural(group, version, kind)
        if plural in _CLUSTER_SCOPED:
            return _Target(_collection(group, version, plural, ""), name, body)
        metadata.setdefault("namespace", namespace)
        return _Target(_collection(group, version, plural, namespace), name, body)

    def _flag_target(self, request: PodRequest, namespace: str, positional: list[str], body: Any) -> _Target:
        kind, _, name = positional[0].partition("/")
        name = name or (positional[1] if len(positional) > 1 else "")
        known = KNOWN_TYPES.get(kind.lower().split(".")[0].rstrip("s")) or KNOWN_TYPES.get(kind.lower())
        if known is None or not name:
            raise ResourceFailure("Failed", f"cannot tell which object the flags {positional} name")
        namespace = namespace or request.namespace or self.namespace
        return _Target(_collection(known[0], known[1], known[2], namespace), name, body)

    def _plural(self, group: str, version: str, kind: str) -> str:
        key = (group, version, kind)
        if key not in self._plurals:
            path = f"/apis/{group}/{version}" if group else f"/api/{version}"
            try:
                listing = _as_json(self.client.get(path))
            except (NotFoundError, ClusterError):
                listing = {}
            found = [r.get("name") for r in listing.get("resources") or []
                     if r.get("kind") == kind and "/" not in str(r.get("name"))]
            known = KNOWN_TYPES.get(kind.lower())
            self._plurals[key] = str(found[0]) if found else known[2] if known else _guess_plural(kind)
        return self._plurals[key]


_CLUSTER_SCOPED = frozenset({"namespaces", "nodes", "persistentvolumes", "customresourcedefinitions",
                             "clusterroles", "clusterrolebindings", "clusterworkflowtemplates"})


def _guess_plural(kind: str) -> str:
    lower = kind.lower()
    if lower.endswith("y") and lower[-2:-1] not in "aeiou":
        return lower[:-1] + "ies"
    return lower + ("es" if lower.endswith(("s", "x", "ch", "sh")) else "s")


def _collection(group: str, version: str, plural: str, namespace: str) -> str:
    prefix = f"/apis/{group}/{version}" if group else f"/api/{version}"
    return f"{prefix}/namespaces/{namespace}/{plural}" if namespace else f"{prefix}/{plural}"


def _flag_namespace(flags: list[str]) -> tuple[str, list[str]]:
    """The ``-n``/``--namespace`` value and the positional arguments; other flags are ignored."""
    namespace, positional, skip = "", [], False
    for index, flag in enumerate(flags):
        if skip:
            skip = False
        elif flag in ("-n", "--namespace"):
            namespace, skip = (flags[index + 1] if index + 1 < len(flags) else ""), True
        elif flag.startswith("--namespace="):
            namespace = flag.split("=", 1)[1]
        elif not flag.startswith("-"):
            positional.append(flag)
    return namespace, positional


def _manifest(resource: JSON, from_artifact: str | None = None) -> Any:
    text = resource.get("manifest") if from_artifact is None else from_artifact
    try:
        return yaml.safe_load(str(text or "")) if isinstance(text, str) else text
    except yaml.YAMLError as err:
        raise ResourceFailure("Error", f"the resource manifest is not valid YAML: {err}") from None


def _conditions(resource: JSON, key: str, word: str) -> list[Requirement]:
    text = str(resource.get(key) or "")
    try:
        return parse_conditions(text) if text else []
    except ConditionError as err:
        raise ResourceFailure("Error", f"{word} condition '{text}' failed to parse: {err}") from None


def _as_json(value: Any) -> JSON:
    return value if isinstance(value, dict) else {}


def _update(run: _Run, phase: str, message: str, *, final: bool = False, outputs: JSON | None = None) -> PodUpdate:
    return PodUpdate(node_id=run.request.node_id, pod_name=run.request.pod_name, phase=phase, message=message,
                     outputs=outputs, started_at=run.started_at, finished_at=now_rfc3339() if final else None)


# -- output parameters -----------------------------------------------------------------------------
def _outputs(template: JSON, live: JSON | None, jq: str) -> JSON:
    parameters = []
    for parameter in (template.get("outputs") or {}).get("parameters") or []:
        value_from = parameter.get("valueFrom") or {}
        if "value" in parameter and not value_from:
            parameters.append(dict(parameter, value=str(parameter["value"])))
            continue
        if not (value_from.get("jsonPath") or value_from.get("jqFilter")):
            continue
        try:
            if live is None:
                raise ResourceFailure("Failed", "there is no object to read outputs from")
            value = _one_output(value_from, live, jq)
        except (ResourceFailure, JsonPathError) as err:
            if "default" not in value_from:
                phase = err.phase if isinstance(err, ResourceFailure) else "Failed"
                raise ResourceFailure(phase, f"output parameter '{parameter.get('name')}': {err}") from None
            value = str(value_from["default"])
        parameters.append(dict(parameter, value=value))
    return {"parameters": parameters} if parameters else {}


def _one_output(value_from: Mapping[str, Any], live: JSON, jq: str) -> str:
    if value_from.get("jsonPath"):
        return json_path(str(value_from["jsonPath"]), live)
    if not jq:
        raise ResourceFailure("Error", "jqFilter needs the jq program on PATH, and it is not there")
    import json

    done = subprocess.run([jq, "-rc", str(value_from["jqFilter"])], input=json.dumps(live), text=True,
                          capture_output=True, timeout=60, check=False)
    if done.returncode != 0:
        raise ResourceFailure("Failed", f"jq: {done.stderr.strip()}")
    return done.stdout[:-1] if done.stdout.endswith("\n") else done.stdout
