"""``KubeBackend``: pods on a Kubernetes cluster through the raw-JSON ``KubeClient``.

``start`` creates the pod (a 409 AlreadyExists adopts the existing one: a pod is never created
twice); ``wait`` drains the events of one watch per workflow (``watcher.WorkflowWatch``; no
polling) and turns them into ``PodUpdate``s, reading a finished pod's outputs before its final
update is returned; ``kill`` deletes the pod (the node ends Failed with the reason); ``adopt``
reports the current state of pods an earlier driver started; ``read_logs`` reads a container's
log. Resource templates create no pod: ``resources`` (kube/resource.py) runs them on worker
threads whose updates come through the same queue; data templates (an artifact listing and
transformations) run in the driver at once. Artifacts cross the pod boundary through the driver
(``podartifacts.py``): inputs are staged into the pod spec, outputs come back in the bundle and
are saved through ``artifact_io`` (``RepositoryArtifactIO``, default: no repository). An image that cannot be pulled fails the node (Error) after ``image_pull_grace`` seconds.
A Pending state is reported only once it has lasted ``pending_hold`` seconds (``ContainerCreating``
for a moment is not worth a state write; ``Unschedulable`` or an image pull back-off is shown),
and of several updates of one pod seen at once only the latest is returned.
API requests per pod step: one create, nothing else: the workflow's state records that a pod
finished (no ``completed=true`` label patch as Argo's controller makes), and a log is read only
when something needs it: an outputs bundle that overflowed the termination message, ``archiveLogs``,
or the copy kept before the pod is deleted (``remove``/``kill`` with ``keep_log``: podGC, a
deadline, stop). Logs stay in the pods otherwise (``LOGS_LIVE_IN_PODS``, README "Logs on a cluster").
"""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from argoctl import patience
from argoctl.backends.base import ArtifactIO, PodRequest, PodUpdate
from argoctl.backends.images import ImageTable
from argoctl.backends.kube import helper, podartifacts
from argoctl.backends.kube.collect import Bundle
from argoctl.backends.kube.podparts import claims_to_create
from argoctl.backends.kube.podspec import (
    DEFAULT_HELPER_IMAGE,
    LABEL_WORKFLOW,
    PodInfo,
    PodSpecError,
    StagedInputs,
    build_pod,
    input_artifacts,
    output_artifacts,
)
from argoctl.backends.kube.resource import ResourceRunner, is_resource
from argoctl.backends.kube.tracking import POD_DELETED, Tracked, deleted, now_rfc3339, observe, signature
from argoctl.backends.kube.watcher import WorkflowWatch
from argoctl.errors import ClusterError, ConflictError, NotFoundError
from argoctl.kube import paths
from argoctl.kube.errors import Invalid
from argoctl.model import labelselector

__all__ = ["POD_DELETED", "KubeBackend"]

JSON = dict[str, Any]
LogKeeper = Callable[[str], None]  # takes a pod's main log (timestamped) before the pod is deleted
OwnerSource = Mapping[str, Any] | Callable[[str], Mapping[str, Any] | None] | None
CREATE_ATTEMPTS = 4
RESOURCE_EVENT = "RESOURCE"  # a resource template's update, from its worker thread (kube/resource.py)
SYNC_TIMEOUT = 30.0


class KubeBackend:
    """Runs pods on the cluster ``client`` talks to, in ``namespace`` (or each request's own)."""

    # the driver copies a pod's log when the pod is about to go (``keep_log``), not when it finishes
    LOGS_LIVE_IN_PODS = True

    def __init__(self, client: Any, namespace: str, *, helper_image: str = DEFAULT_HELPER_IMAGE,
                 owner: OwnerSource = None, images: ImageTable | None = None, image_pull_grace: float = 60.0,
                 watch_timeout: int = 300, pending_hold: float = 1.0,
                 artifact_io: ArtifactIO | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.client = client
        self.namespace = namespace
        self.helper_image = helper_image or DEFAULT_HELPER_IMAGE
        self.owner = owner
        self.images = images
        self.image_pull_grace = image_pull_grace
        self.watch_timeout = watch_timeout
        self.pending_hold = pending_hold
        self.artifact_io = artifact_io
        self.clock = clock
        self.watches: dict[tuple[str, str], WorkflowWatch] = {}
        self._pods: dict[str, Tracked] = {}
        self._events: queue.Queue[tuple[str, JSON]] = queue.Queue()
        self._ready: list[PodUpdate] = []
        self._claims_done: set[tuple[str, str]] = set()
        self.resources = ResourceRunner(client, namespace, owner=self._owner,
                                        sink=lambda update: self._events.put((RESOURCE_EVENT, {"update": update})),
                                        read_artifact=lambda request, name: podartifacts.read_input(
                                            self._artifacts(), request, name))

    # -- Backend protocol ------------------------------------------------------------------------
    def start(self, request: PodRequest) -> None:
        if request.pod_name in self._pods:
            return
        if is_resource(request):  # run by the driver itself, as Argo's executor would in a pod
            self.resources.start(request)
            return
        tracked = Tracked(request)
        tracked.signature = signature(tracked.update("Pending"))  # what the node already says
        self._pods[request.pod_name] = tracked
        if request.template.get("data") is not None:
            self._ready.append(self._run_data(tracked))
            return
        watch = self._watch_for(request)
        staged: StagedInputs | None = None
        if input_artifacts(request.template):
            archive, error = podartifacts.stage_inputs(self._artifacts(), request)
            if archive is None:
                self._ready.append(tracked.final("Error", error or "input artifacts could not be staged"))
                return
            try:
                staged = podartifacts.publish(self.client, request.namespace or self.namespace, request, archive,
                                              self._owner(request.workflow_name))
            except ClusterError as err:
                if err.transient:
                    raise
                self._ready.append(tracked.final("Error", f"input artifacts could not be passed to the pod: {err.message}"))
                return
        try:
            manifest = build_pod(request, helper_image=self.helper_image, images=self._image_table(),
                                 owner=self._owner(request.workflow_name), staged=staged)
        except PodSpecError as err:
            self._ready.append(tracked.final("Error", err.message))
            return
        tracked.info = PodInfo.from_pod(manifest)
        self._ensure_claims(request)
        self._create(tracked, manifest)
        cached = watch.cached(request.pod_name)
        if cached is not None:  # the watch saw it before it was tracked: look again
            self._events.put(("SYNC", cached))

    def adopt(self, requests: Sequence[PodRequest]) -> Sequence[PodUpdate]:
        for request in [r for r in requests if is_resource(r)]:
            self.resources.start(request, adopting=True)  # done again: its updates come through wait
        requests = [r for r in requests if not is_resource(r)]
        for request in requests:
            self._pods.setdefault(request.pod_name, Tracked(request))
            self._watch_for(request)
        for watch in self.watches.values():
            watch.wait_synced(SYNC_TIMEOUT)
        updates = []
        for request in requests:
            tracked = self._pods[request.pod_name]
            pod = self._watch_for(request).cached(request.pod_name) or self._get_pod(request)
            update = tracked.final("Error", POD_DELETED) if pod is None else self._observe(tracked, pod, force=True)
            if update is not None:
                updates.append(update)
        return updates

    def wait(self, timeout: float) -> Sequence[PodUpdate]:
        end = self.clock() + max(0.0, timeout)
        updates, self._ready = self._ready, []
        while True:
            self._drain(updates)
            updates += self._expired_pulls() + self._release_held()
            left = end - self.clock()
            if updates or left <= 0:
                return _latest_per_pod(updates)
            try:
                event = self._events.get(timeout=min(left, self._next_timer()))
            except queue.Empty:
                continue
            self._handle(*event, updates=updates)

    def kill(self, pod_name: str, *, reason: str, keep_log: LogKeeper | None = None) -> None:
        """Delete the pod (``keep_log`` first takes its log) and report the node ended."""
        if pod_name in self.resources:
            update = self.resources.kill(pod_name, reason=reason)
            if update is not None:
                self._ready.append(update)
            return
        tracked = self._pods.get(pod_name)
        if tracked is not None and tracked.done:
            return
        namespace = tracked.request.namespace if tracked and tracked.request.namespace else self.namespace
        if tracked is not None:
            watch = self.watches.get((namespace, tracked.request.workflow_name))
            latest = watch.cached(pod_name) if watch else None
            if latest is not None and (latest.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                return  # it finished on its own: its event reports the real outcome
            tracked.kill_reason = reason
        self._keep_log(pod_name, namespace, keep_log)
        self.client.delete(paths.item(namespace, "pods", pod_name), missing_ok=True)
        if tracked is not None:  # reported now: the pod may take its grace period to go
            self._ready.append(tracked.final("Failed", reason))

    def remove(self, pod_name: str, *, selector: JSON | None = None, keep_log: LogKeeper | None = None) -> None:
        """``podGC``: delete the pod if ``selector`` matches it, after ``keep_log`` took its log."""
        tracked = self._pods.get(pod_name)
        namespace = (tracked.request.namespace if tracked else "") or self.namespace
        if selector:
            watch = self.watches.get((namespace, tracked.request.workflow_name)) if tracked else None
            pod = (watch.cached(pod_name) if watch else None) or self._get_pod_named(namespace, pod_name)
            if pod is None or not labelselector.matches(selector, (pod.get("metadata") or {}).get("labels") or {}):
                return
        self._keep_log(pod_name, namespace, keep_log)
        self.client.delete(paths.item(namespace, "pods", pod_name), missing_ok=True)

    def workflow_deleted(self, workflow_name: str, pods: Sequence[str]) -> None:
        """With an owner (the ConfigMap store) the cluster's garbage collector deletes the pods, as
        it does Argo's; without one (another store) argoctl deletes them."""
        if self.owner is not None:
            return
        for pod_name in pods:
            tracked = self._pods.get(pod_name)
            namespace = (tracked.request.namespace if tracked else "") or self.namespace
            self.client.delete(paths.item(namespace, "pods", pod_name), missing_ok=True)

    def _keep_log(self, pod_name: str, namespace: str, keep_log: LogKeeper | None) -> None:
        """Hand the pod's main log to ``keep_log`` (nothing when there is none or it cannot be read:
        a pod gone already, or one whose main container never started)."""
        if keep_log is None:
            return
        try:
            text = self.read_logs(pod_name, "main", timestamps=True, namespace=namespace)
        except ClusterError as err:
            if err.transient:
                raise  # the driver rides it out and deletes the pod only once its log is kept
            return
        if text:
            keep_log(text)

    def read_logs(self, pod_name: str, container: str = "main", *, timestamps: bool = False,
                  tail_lines: int | None = None, since_seconds: int | None = None,
                  namespace: str | None = None) -> str:
        """The container's log ("" when the pod is gone); ``timestamps`` puts RFC3339 times first."""
        tracked = self._pods.get(pod_name)
        namespace = namespace or (tracked.request.namespace if tracked else "") or self.namespace
        try:
            text: str = self.client.logs(namespace, pod_name, container=container, tail_lines=tail_lines,
                                         since_seconds=since_seconds, timestamps=timestamps)
        except NotFoundError:
            return ""
        return text

    def close(self) -> None:
        self.resources.close()
        for watch in self.watches.values():
            watch.stop()

    # -- creating ----------------------------------------------------------------------------------
    def _create(self, tracked: Tracked, manifest: JSON) -> None:
        namespace = manifest["metadata"]["namespace"] or self.namespace
        path = paths.collection(namespace, "pods")
        for attempt in range(CREATE_ATTEMPTS):
            try:
                self.client.create(path, manifest)
                return
            except ConflictError:
                return  # it exists (an earlier driver, or our lost answer): adopt it
            except Invalid as err:
                self._ready.append(tracked.final("Error", f"pod rejected by the API server: {err.message}"))
                return
            except ClusterError as err:
                if not err.transient or attempt == CREATE_ATTEMPTS - 1 or patience.is_driving():
                    raise
                time.sleep(0.2 * 2 ** attempt)

    def _ensure_claims(self, request: PodRequest) -> None:
        key = (request.namespace or self.namespace, request.workflow_name)
        if key in self._claims_done or not request.workflow_spec.get("volumeClaimTemplates"):
            return
        owner = self._owner(request.workflow_name)
        for claim in claims_to_create(request.workflow_name, request.workflow_spec,
                                      {LABEL_WORKFLOW: request.workflow_name}):
            if owner:
                claim["metadata"]["ownerReferences"] = [dict(owner)]
            with contextlib.suppress(ConflictError):
                self.client.create(paths.collection(key[0], "persistentvolumeclaims"), claim)
        self._claims_done.add(key)

    def _owner(self, workflow_name: str) -> JSON | None:
        if self.owner is None:
            return None
        owner = self.owner(workflow_name) if callable(self.owner) else self.owner
        return dict(owner) if owner else None

    def _artifacts(self) -> ArtifactIO:
        if self.artifact_io is None:  # raw and self-locating artifacts need no repository
            from argoctl.artifacts import RepositoryArtifactIO

            self.artifact_io = RepositoryArtifactIO(None)
        return self.artifact_io

    def _save_artifacts(self, request: PodRequest, bundle: Bundle | None) -> tuple[list[JSON], str | None]:
        """A finished pod's output artifacts (and ``archiveLogs``) saved through ``artifact_io``."""
        has_outputs = bool(output_artifacts(request.template))
        if not has_outputs and self.artifact_io is None:
            return [], None
        artifact_io = self._artifacts()
        logs = podartifacts.wants_logs(artifact_io, request)
        if not has_outputs and not logs:
            return [], None

        def read_log() -> str:
            return self.read_logs(request.pod_name, "main", namespace=request.namespace or None)

        return podartifacts.save_outputs(artifact_io, request, bundle.artifacts if bundle else {},
                                         read_log if logs else None)

    def _run_data(self, tracked: Tracked) -> PodUpdate:
        """A data template, run here as Argo's executor runs it in a pod: list, then transform."""
        from argoctl.backends import datatemplate

        request, artifact_io = tracked.request, self._artifacts()
        list_keys = getattr(artifact_io, "list_keys", None)
        if list_keys is None:
            return tracked.final("Error", "data templates need an artifact repository")
        started = tracked.started_at = now_rfc3339()
        try:
            result = datatemplate.run(request.template, lambda artifact: list_keys(artifact, request))
        except Exception as err:
            return tracked.final("Error", str(getattr(err, "message", None) or err))
        tracked.done = True
        return tracked.update("Succeeded", outputs={"result": result}, started_at=started, finished_at=now_rfc3339())

    def _image_table(self) -> ImageTable:
        if self.images is None:
            from argoctl.config import load_config

            self.images = ImageTable.from_config(load_config())
        return self.images

    # -- watching ----------------------------------------------------------------------------------
    def _watch_for(self, request: PodRequest) -> WorkflowWatch:
        key = (request.namespace or self.namespace, request.workflow_name)
        watch = self.watches.get(key)
        if watch is None:
            watch = WorkflowWatch(self.client, key[0], f"{LABEL_WORKFLOW}={request.workflow_name}",
                                  lambda kind, obj: self._events.put((kind, obj)),
                                  timeout_seconds=self.watch_timeout).start()
            self.watches[key] = watch
        return watch

    def _drain(self, updates: list[PodUpdate]) -> None:
        while True:
            try:
                kind, obj = self._events.get_nowait()
            except queue.Empty:
                return
            self._handle(kind, obj, updates=updates)

    def _handle(self, kind: str, obj: JSON, *, updates: list[PodUpdate]) -> None:
        if kind == "ERROR":  # the watch cannot go on (401/403): the driver must stop
            raise ClusterError(str(obj.get("message") or "the pod watch failed"), status=int(obj.get("code") or 0),
                               hint=str(obj.get("hint") or ""))
        if kind == RESOURCE_EVENT:
            accepted = self.resources.accept(obj["update"])
            if accepted is not None:
                updates.append(accepted)
            return
        tracked = self._pods.get(str((obj.get("metadata") or {}).get("name") or ""))
        if tracked is None or tracked.done:
            return
        if kind == "DELETED":
            updates.append(deleted(tracked, obj, self._overflow_reader(tracked), self._save_artifacts))
            return
        update = self._observe(tracked, obj)
        if update is not None:
            updates.append(update)

    def _observe(self, tracked: Tracked, pod: JSON, *, force: bool = False) -> PodUpdate | None:
        update, view = observe(tracked, pod, self._overflow_reader(tracked), self._save_artifacts)
        self._note_pull(tracked, view.pull_failure)
        if view.terminal:
            tracked.done = True
            if tracked.info is not None and tracked.info.input_parts:
                podartifacts.unpublish(self.client, tracked.request.namespace or self.namespace,
                                       tracked.info.input_parts)
        elif (pod.get("metadata") or {}).get("deletionTimestamp") and not force:
            return None  # terminating: its end (or DELETED) is reported
        text = signature(update)
        if text == tracked.signature and not force and not view.terminal:
            return None
        held, tracked.held = tracked.held, None
        if update.phase == "Pending" and not force and self.pending_hold > 0:  # shown only if it lasts
            tracked.held = (update, held[1] if held else self.clock() + self.pending_hold)
            return None
        tracked.signature = text
        return update

    def _release_held(self) -> list[PodUpdate]:
        """Pending states that lasted ``pending_hold`` seconds (a pull failure, no node to run on...)."""
        released = []
        for tracked in self._pods.values():
            if tracked.held is not None and not tracked.done and tracked.held[1] <= self.clock():
                update, tracked.held = tracked.held[0], None
                tracked.signature = signature(update)
                released.append(update)
        return released

    def _overflow_reader(self, tracked: Tracked) -> Callable[[], str]:
        def read() -> str:
            return self.read_logs(tracked.request.pod_name, helper.OUTPUTS_CONTAINER)

        return read

    def _get_pod(self, request: PodRequest) -> JSON | None:
        return self._get_pod_named(request.namespace or self.namespace, request.pod_name)

    def _get_pod_named(self, namespace: str, pod_name: str) -> JSON | None:
        try:
            pod: JSON = self.client.get(paths.item(namespace, "pods", pod_name))
        except NotFoundError:
            return None
        return pod

    # -- image pull grace --------------------------------------------------------------------------
    def _note_pull(self, tracked: Tracked, failure: str) -> None:
        if not failure:
            tracked.pull_since, tracked.pull_message = None, ""
            return
        if tracked.pull_since is None:
            tracked.pull_since = self.clock()
        if not tracked.pull_message or failure.startswith("ErrImagePull"):
            tracked.pull_message = failure

    def _next_timer(self) -> float:
        now = self.clock()
        due = [t.pull_since + self.image_pull_grace - now
               for t in self._pods.values() if t.pull_since is not None and not t.done]
        due += [t.held[1] - now for t in self._pods.values() if t.held is not None and not t.done]
        return max(0.01, min(due)) if due else 3600.0

    def _expired_pulls(self) -> list[PodUpdate]:
        expired = []
        for tracked in self._pods.values():
            if tracked.done or tracked.pull_since is None:
                continue
            if self.clock() - tracked.pull_since < self.image_pull_grace:
                continue
            expired.append(tracked.final("Error", tracked.pull_message))
            path = paths.item(tracked.request.namespace or self.namespace, "pods", tracked.request.pod_name)
            with contextlib.suppress(ClusterError):
                self.client.delete(path, missing_ok=True)
        return expired


def _latest_per_pod(updates: list[PodUpdate]) -> list[PodUpdate]:
    """One update per pod, its latest: states the driver would persist only to overwrite at once."""
    latest = {update.pod_name: update for update in updates}
    return [latest[name] for name in dict.fromkeys(u.pod_name for u in updates)]
