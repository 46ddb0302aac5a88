"""The driver pod of ``argoctl submit --driver pod``: the engine itself runs in the cluster, so a
workflow outlives the laptop that submitted it.

The pod runs the argoctl image (built from the repository's ``Dockerfile``; ENTRYPOINT argoctl)
as ``argoctl -n NS wait NAME --as-driver``: it drives the workflow (or follows a live driver and
takes over when that one dies) and exits 0 once the workflow has ended, whatever its phase, so
``restartPolicy: OnFailure`` restarts only a crashed driver; the restarted driver re-attaches and
finished steps, kept in the stored state, never run again. The pod is owned by the workflow's
ConfigMap (deleting the workflow deletes it) and labelled ``argoctl.io/driver-of`` (not
``workflows.argoproj.io/workflow``: the backend's pod watch selects on that one).

The workflow records how it is driven in its ``argoctl.io/driver: pod`` annotation, so ``wait``,
``watch``, ``retry``, ``resume``... on any machine follow the pod instead of driving locally.

Settings (environment first, then the ``kubernetes:`` section of the config file)::

    kubernetes:
      driverImage: ghcr.io/argoctl/argoctl:0.1.0   # ARGOCTL_DRIVER_IMAGE
      driverServiceAccount: argoctl                # ARGOCTL_DRIVER_SERVICE_ACCOUNT (deploy/rbac.yaml)

This module builds manifests and reads pod statuses (pure); ``create`` and ``list_pods`` are its
only API calls, on an ``argoctl.kube.client.KubeClient``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from argoctl import __version__
from argoctl.errors import ConflictError

if TYPE_CHECKING:
    from argoctl.kube.client import KubeClient
    from argoctl.model.workflow import WorkflowState
    from argoctl.stores.base import Store

JSON = dict[str, Any]

DRIVER_ANNOTATION = "argoctl.io/driver"  # on the workflow: "pod" when a driver pod runs it
POD_DRIVER = "pod"
DRIVER_OF_LABEL = "argoctl.io/driver-of"  # on the driver pod: the workflow (label-safe form)
DRIVER_OF_ANNOTATION = "argoctl.io/driver-of"  # on the driver pod: the workflow's full name
DEFAULT_IMAGE = f"ghcr.io/argoctl/argoctl:{__version__}"
DEFAULT_SERVICE_ACCOUNT = "argoctl"
IMAGE_ENV = "ARGOCTL_DRIVER_IMAGE"
SERVICE_ACCOUNT_ENV = "ARGOCTL_DRIVER_SERVICE_ACCOUNT"
CONTAINER = "driver"
HOME_VOLUME = "argoctl-home"
HOME_PATH = "/var/lib/argoctl"  # an emptyDir: the driver's ARGOCTL_HOME survives container restarts
# settings of the laptop that the driver must share (the pod does not see the laptop's config file)
PASSED_SETTINGS = ("ARGOCTL_HELPER_IMAGE", "ARGOCTL_IMAGE_PULL_GRACE")
MAX_NAME = 63
SUFFIX = "-driver"
CRASH_LIMIT = 3  # restarts in CrashLoopBackOff before the driver is reported as broken
_NOT_DNS = re.compile(r"[^a-z0-9-]+")
_PULL_WAITING = frozenset({"ErrImagePull", "ImagePullBackOff"})
_BROKEN_WAITING = frozenset({"InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError",
                             "CreateContainerError", "RunContainerError"})


@dataclass(frozen=True, slots=True)
class DriverSettings:
    image: str = DEFAULT_IMAGE
    service_account: str = DEFAULT_SERVICE_ACCOUNT
    image_pull_grace: float = 60.0
    env: tuple[tuple[str, str], ...] = ()  # extra environment of the driver container


def load_settings(environ: Mapping[str, str] | None = None) -> DriverSettings:
    """The driver pod's image and service account, and the kubernetes settings it inherits."""
    from argoctl.backends.kube import settings as kube_settings

    env = os.environ if environ is None else environ
    section = kube_settings._section(env)  # the kubernetes: section of the config file, read once
    kube = kube_settings.load_settings(env)
    image = env.get(IMAGE_ENV) or section.get("driverImage") or DEFAULT_IMAGE
    account = env.get(SERVICE_ACCOUNT_ENV) or section.get("driverServiceAccount") or DEFAULT_SERVICE_ACCOUNT
    passed = (("ARGOCTL_HELPER_IMAGE", kube.helper_image),
              ("ARGOCTL_IMAGE_PULL_GRACE", f"{kube.image_pull_grace:g}"))
    return DriverSettings(image=str(image), service_account=str(account),
                          image_pull_grace=kube.image_pull_grace, env=passed)


def is_pod_driven(metadata: Mapping[str, Any]) -> bool:
    """Whether a workflow (its metadata) is run by a driver pod."""
    return (metadata.get("annotations") or {}).get(DRIVER_ANNOTATION) == POD_DRIVER


def _short_hash(text: str, length: int = 5) -> str:
    import hashlib  # here: loading OpenSSL costs every command a few ms at start-up

    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _dns_label(text: str, limit: int) -> str:
    """``text`` as a DNS label of at most ``limit`` characters (a hash keeps truncated ones apart)."""
    label = _NOT_DNS.sub("-", text.lower()).strip("-") or "workflow"
    if len(label) <= limit and label == text:
        return label
    keep = limit - 6
    return f"{label[:keep].rstrip('-')}-{_short_hash(text)}"


def label_value(workflow: str) -> str:
    """The ``argoctl.io/driver-of`` label of ``workflow``'s driver pods (a valid label value)."""
    return workflow if len(workflow) <= MAX_NAME and re.fullmatch(r"[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?",
                                                                  workflow) else _dns_label(workflow, MAX_NAME)


def pod_name(workflow: str, replacement: str = "") -> str:
    """``WORKFLOW-driver`` (``WORKFLOW-driver-rXXXX`` for a replacement): a DNS label of at most 63
    characters that no step pod name can take (those end in a number)."""
    tail = SUFFIX + (f"-{replacement}" if replacement else "")
    return _dns_label(workflow, MAX_NAME - len(tail)) + tail


def build(workflow: str, namespace: str, *, name: str, settings: DriverSettings, owner: JSON | None,
          global_args: tuple[str, ...] = ()) -> JSON:
    """The driver Pod of ``workflow``; ``global_args``: the starting command's global options
    (``argoctl.runtime.wiring.child_invocation(..., in_cluster=True)``), else just the namespace."""
    env = [{"name": "ARGOCTL_BACKEND", "value": "kubernetes"},
           {"name": "ARGOCTL_HOME", "value": HOME_PATH},
           {"name": "PYTHONUNBUFFERED", "value": "1"},
           {"name": "NO_COLOR", "value": "1"}]
    env.extend({"name": key, "value": value} for key, value in settings.env)
    metadata: JSON = {
        "name": name, "namespace": namespace,
        "labels": {DRIVER_OF_LABEL: label_value(workflow), "app.kubernetes.io/name": "argoctl-driver",
                   "app.kubernetes.io/managed-by": "argoctl"},
        "annotations": {DRIVER_OF_ANNOTATION: workflow},
    }
    if owner:
        metadata["ownerReferences"] = [owner]
    container: JSON = {
        "name": CONTAINER, "image": settings.image,
        "args": [*(global_args or ("--namespace", namespace)), "wait", workflow, "--as-driver"],
        "env": env,
        "volumeMounts": [{"name": HOME_VOLUME, "mountPath": HOME_PATH}],
        "resources": {"requests": {"cpu": "50m", "memory": "128Mi"}},
    }
    return {
        "apiVersion": "v1", "kind": "Pod", "metadata": metadata,
        "spec": {
            "serviceAccountName": settings.service_account,
            "restartPolicy": "OnFailure",
            # its state is stored before it acts: killing it is always safe
            "terminationGracePeriodSeconds": 10,
            "containers": [container],
            "volumes": [{"name": HOME_VOLUME, "emptyDir": {}}],
        },
    }


# -- reading a driver pod ----------------------------------------------------------------------

STARTING, RUNNING, PULLING_FAILS, BROKEN, FAILED, EXITED, GONE = (
    "starting", "running", "pulling-fails", "broken", "failed", "exited", "gone")


@dataclass(frozen=True, slots=True)
class DriverPod:
    """What a driver pod is doing: ``state`` is one of the constants above."""

    name: str
    state: str
    reason: str = ""

    @property
    def alive(self) -> bool:
        """Starting or running (or retrying a pull): a driver is, or will be, on the workflow."""
        return self.state in (STARTING, RUNNING, PULLING_FAILS)


def _container_status(pod: JSON) -> JSON:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return next((s for s in statuses if s.get("name") == CONTAINER), statuses[0] if statuses else {})


def _terminated_reason(status: JSON) -> str:
    state = status.get("state") or {}
    last = status.get("lastState") or {}
    terminated = state.get("terminated") or last.get("terminated") or {}
    if not terminated:
        return ""
    reason = str(terminated.get("reason") or "Error")
    return f"{reason} (exit code {terminated.get('exitCode')})"


def read(pod: JSON) -> DriverPod:
    """The state of a driver pod from its status."""
    meta = pod.get("metadata") or {}
    status = pod.get("status") or {}
    name = str(meta.get("name", ""))
    if meta.get("deletionTimestamp"):
        return DriverPod(name, GONE, "being deleted")
    phase = status.get("phase") or "Pending"
    container = _container_status(pod)
    waiting = (container.get("state") or {}).get("waiting") or {}
    why = str(waiting.get("reason") or "")
    detail = f"{why}: {waiting.get('message')}" if waiting.get("message") else why
    if phase == "Succeeded":
        return DriverPod(name, EXITED)
    if phase == "Failed" and status.get("reason") == "Evicted":
        return DriverPod(name, GONE, "evicted")
    if phase == "Failed":
        reason = status.get("message") or status.get("reason") or _terminated_reason(container) or "Failed"
        return DriverPod(name, FAILED, str(reason))
    if why in _PULL_WAITING:
        return DriverPod(name, PULLING_FAILS, detail)
    if why in _BROKEN_WAITING:
        return DriverPod(name, BROKEN, detail)
    restarts = int(container.get("restartCount") or 0)
    if why == "CrashLoopBackOff" and restarts >= CRASH_LIMIT:
        last = _terminated_reason(container)
        return DriverPod(name, BROKEN, f"it keeps crashing (restarted {restarts} times"
                                       + (f", last: {last})" if last else ")"))
    return DriverPod(name, RUNNING if phase == "Running" else STARTING, detail)


def newest(pods: Sequence[JSON]) -> JSON | None:
    """The most recently created pod (names break ties)."""
    if not pods:
        return None
    return max(pods, key=lambda p: (str((p.get("metadata") or {}).get("creationTimestamp", "")),
                                    str((p.get("metadata") or {}).get("name", ""))))


# -- the API calls ---------------------------------------------------------------------------------

def list_pods(client: KubeClient, namespace: str, workflow: str) -> list[JSON]:
    """The driver pods of ``workflow`` (one LIST)."""
    from argoctl.kube import paths

    found = client.list(paths.collection(namespace, "pods"),
                        label_selector=f"{DRIVER_OF_LABEL}={label_value(workflow)}").get("items") or []
    return [p for p in found
            if ((p.get("metadata") or {}).get("annotations") or {}).get(DRIVER_OF_ANNOTATION, workflow) == workflow]


def create(client: KubeClient, workflow: str, namespace: str, *, settings: DriverSettings, owner: JSON | None,
           replacement: bool = False, global_args: tuple[str, ...] = ()) -> JSON:
    """Create a driver pod for ``workflow``: ``WORKFLOW-driver`` (unless ``replacement``, or that
    name is still taken by a pod on its way out), else ``WORKFLOW-driver-rXXXX``."""
    from argoctl.kube import paths
    from argoctl.stores.records import random_suffix

    names = [] if replacement else [pod_name(workflow)]
    names.extend(pod_name(workflow, f"r{random_suffix(4)}") for _ in range(4))
    for name in names:
        body = build(workflow, namespace, name=name, settings=settings, owner=owner, global_args=global_args)
        try:
            return client.create(paths.collection(namespace, "pods"), body)
        except ConflictError:
            continue
    raise ConflictError(f"could not find a free name for a driver pod of workflow {workflow}")


def local_artifacts_notice(store: Store, state: WorkflowState) -> str:
    """The notice for a pod-driven workflow whose output artifacts would go to the default local
    repository (in a driver pod an emptyDir, gone with the pod); "" when there is none."""
    from argoctl.artifacts.locations import LOCAL, LOCATION_KINDS
    from argoctl.runtime.environment import snapshot

    placed = (*(k for k in LOCATION_KINDS if k != LOCAL), "hf")
    spec = state.stored_workflow_template_spec or state.spec
    templates = [*(spec.get("templates") or []), *(state.spec.get("templates") or [])]
    unplaced = [a for t in templates for a in ((t.get("outputs") or {}).get("artifacts") or [])
                if not any(key in a for key in placed)]
    if not unplaced or snapshot(store, state).default_artifact_repository:
        return ""
    return (f"workflow {state.name} keeps output artifacts in the default local repository, which "
            "lives in its driver pod and goes with it; configure an artifact repository "
            "(artifactRepositoryRef or the artifact-repositories ConfigMap)")
