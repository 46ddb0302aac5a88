"""Supervising a workflow from this machine: taking it over, following it, replacing its driver
pod, delivering commands to its driver.

``Supervisor`` works on a ``Wiring`` and reports one line per event (``report``, stderr in the
CLI). There is one follow loop (``follow``); its clock is injected (``Clock``), so tests can run it
without waiting. A workflow is driven by whoever holds its lease: ``drive`` drives here when no
live driver holds it, and follows otherwise. Only the process that actually takes the lease over
says so ("taking over ..."): concurrent ``wait``\\ s that lose the race just follow.

A workflow that a driver pod runs (``--driver pod``) is never driven here, only followed: no lease
is not a dead driver there, the pod may still be pulling its image or restarting. Only when no
driver pod is left alive (deleted, evicted, exited with the workflow unfinished) is a replacement
started; a pod that cannot start or that ended Failed is an error naming the pod.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from argoctl import patience
from argoctl.errors import BackendError, ClusterError, ConflictError, UsageError
from argoctl.model.workflow import WorkflowState
from argoctl.runtime import driverpod

if TYPE_CHECKING:
    from argoctl.engine.types import Event
    from argoctl.runtime.wiring import Wiring

JSON = dict[str, Any]
OnChange = Callable[[WorkflowState], None] | None
POLL_SECONDS = 0.2
MAX_REPLACEMENTS = 3  # per command: a driver pod that keeps vanishing is an error, not a loop
SETTLE_TRIES = 10  # command delivery: how often to re-check a command a driver may be applying


class Clock(Protocol):
    def time(self) -> float: ...
    def monotonic(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class _PodWatch:
    """What one ``follow`` remembers about a pod-driven workflow's driver pods."""

    replaced: int = 0
    pull_failing_since: dict[str, float] = field(default_factory=dict)
    grace: float | None = None


@dataclass
class Supervisor:
    wiring: Wiring
    report: Callable[[str], None]
    clock: Clock = field(default_factory=SystemClock)
    poll: float = POLL_SECONDS

    # ---- reading ---------------------------------------------------------------------------

    def load(self, name: str) -> WorkflowState:
        from argoctl.runtime.workflows import load

        return load(self.wiring, name)

    def lease_is_live(self, name: str) -> bool:
        from argoctl.runtime.driver import holder_is_dead

        lease = self.wiring.store().get_lease(name)
        return lease is not None and not lease.expired(self.clock.time()) and not holder_is_dead(lease.holder)

    # ---- driving and following -------------------------------------------------------------

    def hand_over(self, name: str, state: WorkflowState | None = None) -> None:
        """Start a detached driver for ``name`` unless a live one holds it (a driver pod for a
        workflow that a driver pod runs)."""
        from argoctl.runtime.detach import spawn

        if self.lease_is_live(name):
            return
        state = state if state is not None else self.load(name)
        if driverpod.is_pod_driven(state.metadata):
            self.ensure_driver_pod(state)
            return
        spawn(name, self.wiring)

    def drive(self, name: str, on_change: OnChange = None, *, as_driver: bool = False) -> WorkflowState:
        """Drive in this process; if a live driver holds the workflow, follow it instead. A
        pod-driven workflow is only followed, unless this process is its driver pod (``as_driver``)."""
        state = self.load(name)
        if state.completed:
            return state
        if not self.lease_is_live(name) and (as_driver or not driverpod.is_pod_driven(state.metadata)):
            driven = self._try_drive(name, state, on_change)
            if driven is not None:
                return driven
        return self.follow(name, on_change, as_driver=as_driver)

    def _try_drive(self, name: str, state: WorkflowState, on_change: OnChange) -> WorkflowState | None:
        """Take the lease and drive to the end; None when another driver took it first."""
        from argoctl.runtime.driver import Driver

        lease = self.wiring.store().get_lease(name)
        taking_over = lease is not None or state.phase not in ("", "Pending")

        def taken() -> None:
            if taking_over:
                self.report(f"argoctl: taking over workflow {name}: its driver is gone")

        driver = Driver(self.wiring.store(), self.wiring.backend(), on_change=on_change,
                        notices=self.wiring.notices, artifact_deleter=self.wiring.artifact_deleter,
                        on_lease=taken)
        try:
            return driver.run(name)
        except ConflictError:
            return None

    def follow(self, name: str, on_change: OnChange = None, *, as_driver: bool = False) -> WorkflowState:
        """The one follow loop: watch the store until the workflow completes; when its driver is
        gone, take over (or, pod-driven, see to its driver pod). Following rides out transient
        faults as a driver does (``argoctl.patience``): ``wait`` and ``watch`` outlast an outage."""
        last_version: object = None
        pods = _PodWatch()
        with patience.driving():
            while True:
                state, last_version = self._observe(name, on_change, last_version)
                if state.completed:
                    return state
                if not self.lease_is_live(name):
                    if as_driver or not driverpod.is_pod_driven(state.metadata):
                        driven = self._try_drive(name, state, on_change)
                        if driven is not None:
                            return driven
                    else:
                        self._check_driver_pod(name, state, pods)
                self.clock.sleep(self.poll)

    def _observe(self, name: str, on_change: OnChange, last_version: object) -> tuple[WorkflowState, object]:
        state = self.load(name)
        version = (state.metadata or {}).get("resourceVersion")
        if version != last_version and on_change is not None:
            on_change(state)
        return state, version

    # ---- driver pods -----------------------------------------------------------------------

    def start_driver_pod(self, name: str, *, replacement: bool = False) -> str:
        """Create a driver pod for workflow ``name``, with this command's settings; its pod name."""
        from argoctl.runtime.wiring import child_invocation
        from argoctl.stores.configmap import ConfigMapStore

        store = self.wiring.store()
        owner = store.owner_reference(name) if isinstance(store, ConfigMapStore) else None
        settings = driverpod.load_settings()
        try:
            pod = driverpod.create(self.wiring.kube_client(), name, self.wiring.namespace, settings=settings,
                                   owner=owner, replacement=replacement,
                                   global_args=child_invocation(self.wiring, in_cluster=True).args)
        except ClusterError as err:
            raise self._not_started(name, settings, err) from err
        return str(pod["metadata"]["name"])

    def _not_started(self, name: str, settings: driverpod.DriverSettings, err: ClusterError) -> BackendError:
        """The driver pod could not be created: the workflow is stored but nothing drives it yet."""
        namespace = self.wiring.namespace
        again = f"then start its driver with: argoctl wait {name} -n {namespace}"
        if "service account" in f"{err.message} {err.hint}".lower():
            return BackendError(
                f"cannot start the driver pod of workflow {name}: no service account "
                f"{settings.service_account!r} in namespace {namespace}",
                hint=f"kubectl apply -n {namespace} -f deploy/rbac.yaml (or set kubernetes.driverServiceAccount "
                     f"or {driverpod.SERVICE_ACCOUNT_ENV}); {again}")
        return BackendError(f"cannot start the driver pod of workflow {name}: {err.message}",
                            hint=f"{err.hint}; {again}" if err.hint else again)

    def announce(self, name: str, pod: str) -> None:
        self.report(f"argoctl: workflow {name} runs in driver pod {pod} (its log: {self._logs_hint(pod)})")

    def _logs_hint(self, pod: str) -> str:
        return f"kubectl logs -f {pod} -n {self.wiring.namespace}"

    def _pods(self, name: str) -> tuple[driverpod.DriverPod | None, bool]:
        """The driver pod that counts (the newest alive one, else the newest) and whether any existed."""
        pods = driverpod.list_pods(self.wiring.kube_client(), self.wiring.namespace, name)
        alive = [p for p in pods if driverpod.read(p).alive]
        chosen = driverpod.newest(alive or pods)
        return (driverpod.read(chosen) if chosen is not None else None), bool(pods)

    def ensure_driver_pod(self, state: WorkflowState) -> None:
        """Make sure a driver pod is on ``state``'s workflow: start one unless one is alive."""
        if state.completed:
            return
        view, existed = self._pods(state.name)
        if view is not None and view.alive:
            return
        self.announce(state.name, self.start_driver_pod(state.name, replacement=existed))

    def _check_driver_pod(self, name: str, state: WorkflowState, pods: _PodWatch) -> None:
        """No live lease on a pod-driven workflow: replace a vanished driver pod, fail on a broken one."""
        view, existed = self._pods(name)
        if view is None or view.state in (driverpod.EXITED, driverpod.GONE):
            if self.load(name).completed:  # its driver finished between our reads
                return
            if pods.replaced >= MAX_REPLACEMENTS:
                raise BackendError(f"workflow {name} lost {pods.replaced + 1} driver pods",
                                   hint=f"see: kubectl get pods -n {self.wiring.namespace} "
                                        f"-l {driverpod.DRIVER_OF_LABEL}={driverpod.label_value(name)}")
            pod = self.start_driver_pod(name, replacement=existed)
            pods.replaced += 1
            if view is not None and view.state == driverpod.GONE:
                self.report(f"argoctl: workflow {name}: its driver pod {view.name} is gone ({view.reason})")
            elif view is None and state.phase not in ("", "Pending"):
                self.report(f"argoctl: workflow {name} has no driver pod left")
            self.announce(name, pod)
        elif view.state == driverpod.PULLING_FAILS:
            if pods.grace is None:
                pods.grace = driverpod.load_settings().image_pull_grace
            first = pods.pull_failing_since.setdefault(view.name, self.clock.monotonic())
            if self.clock.monotonic() - first >= pods.grace:
                raise self._cannot_run(name, view)
        elif view.state in (driverpod.BROKEN, driverpod.FAILED):
            raise self._cannot_run(name, view)

    def _cannot_run(self, name: str, view: driverpod.DriverPod) -> BackendError:
        namespace = self.wiring.namespace
        kubectl = f"kubectl describe pod {view.name} -n {namespace}; {self._logs_hint(view.name).replace(' -f', '')}"
        if view.state == driverpod.FAILED:
            return BackendError(f"the driver pod {view.name} of workflow {name} failed: {view.reason}",
                                hint=f"see: {kubectl}")
        return BackendError(
            f"the driver pod {view.name} of workflow {name} cannot run: {view.reason}",
            hint=f"see: {kubectl}; the workflow is kept: fix the cause (the image: {driverpod.IMAGE_ENV} or "
                 f"kubernetes.driverImage; the permissions: deploy/rbac.yaml), delete the pod and re-attach with: "
                 f"argoctl wait {name} -n {namespace}")

    # ---- commands --------------------------------------------------------------------------

    def send(self, state: WorkflowState, event: Event, now: str) -> None:
        """A user's command (stop, terminate, suspend, resume) for ``state``'s workflow: refused
        with argo's message (workflow/util/util.go) once it completed, else delivered."""
        from argoctl.engine.types import Resume, Suspend

        name = state.name
        if state.completed:
            if isinstance(event, Suspend):
                raise UsageError("cannot suspend completed workflows")
            if isinstance(event, Resume):
                raise UsageError(f"cannot resume completed workflow {name}")
            raise UsageError(f'cannot shutdown a completed workflow: workflow: "{name}", '
                             f'namespace: "{self.wiring.namespace}"')
        self.deliver(state, event, now)

    def deliver(self, state: WorkflowState, event: Event, now: str) -> None:
        """Queue ``event`` for ``state``'s driver after checking it applies (with the commands
        queued before it), then make sure a driver runs. A UsageError says why it does not apply."""
        from argoctl.engine.reconcile import apply_command
        from argoctl.runtime import commands

        name = state.name
        for attempt in range(SETTLE_TRIES):
            try:
                checked = state
                for queued in commands.pending(self.wiring.store(), name):  # the driver applies these first
                    checked = apply_command(checked, queued, now)
                apply_command(checked, event, now)
                break
            except UsageError:
                # a driver may have taken an earlier command and not yet saved its effect
                if attempt == SETTLE_TRIES - 1 or not self.lease_is_live(name):
                    raise
                self.clock.sleep(self.poll)
                state = self.load(name)
        commands.push(self.wiring.store(), name, event)
        self.hand_over(name)
