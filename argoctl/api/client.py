"""``Client``: the argoctl verbs from Python, on the same wiring and runtime as the CLI."""

from __future__ import annotations

import builtins
import logging
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from argoctl.api.errors import WorkflowFailed, translated
from argoctl.api.result import Run
from argoctl.api.sources import WorkflowLike, documents, single
from argoctl.model import phases as ph

if TYPE_CHECKING:
    from argoctl.model.workflow import WorkflowState
    from argoctl.runtime.supervise import Supervisor
    from argoctl.runtime.wiring import Wiring

LOGGER = logging.getLogger("argoctl")
Parameters = Mapping[str, Any] | None


def _pairs(parameters: Parameters) -> list[tuple[str, str]]:
    return [(str(k), v if isinstance(v, str) else str(v)) for k, v in (parameters or {}).items()]


class Client:
    """Workflows in one namespace of one backend, as the CLI sees them.

    ``kubeconfig``, ``context``, ``namespace`` and ``backend`` (``"local"`` or ``"kubernetes"``)
    are the CLI's global options, with the same defaults and environment variables
    (``ARGOCTL_BACKEND``, ``ARGOCTL_NAMESPACE``, ``ARGOCTL_STORE``, ``ARGOCTL_HOME``); ``store`` is
    ``--store``, ``home`` replaces ``$ARGOCTL_HOME``. Nothing is printed: notices go to the
    ``argoctl`` logger and to ``on_notice`` when given.
    """

    def __init__(self, kubeconfig: str | None = None, context: str | None = None, namespace: str | None = None,
                 backend: str | None = None, *, store: str | None = None, home: str | os.PathLike[str] | None = None,
                 on_notice: Callable[[str], None] | None = None) -> None:
        from argoctl.runtime.settings import GlobalOptions
        from argoctl.runtime.wiring import Wiring

        environ = dict(os.environ)
        if home is not None:
            environ["ARGOCTL_HOME"] = os.fspath(home)
        self._on_notice = on_notice
        options = GlobalOptions(namespace=namespace, kubeconfig=kubeconfig, context=context, backend=backend,
                                store=store)
        with translated():
            self._wiring: Wiring = Wiring.from_options(options, environ, notices=self._notice)

    def _notice(self, text: str) -> None:
        LOGGER.info("%s", text)
        if self._on_notice is not None:
            self._on_notice(text)

    def _supervisor(self) -> Supervisor:
        from argoctl.runtime.supervise import Supervisor

        return Supervisor(self._wiring, report=self._notice)

    def _state(self, name: str) -> WorkflowState:
        from argoctl.runtime.workflows import load

        with translated():
            return load(self._wiring, name)

    def _finish(self, name: str, *, check: bool) -> Run:
        with translated():
            run = Run(self, self._supervisor().drive(name))
        if check and run.phase in ph.UNSUCCESSFUL_PHASES:
            raise WorkflowFailed(run)
        return run

    def _started(self, state: WorkflowState, wait: bool) -> Run:
        if wait:
            return self._finish(state.name, check=True)
        with translated():
            self._supervisor().hand_over(state.name, state)
        return Run(self, state)

    @property
    def namespace(self) -> str:
        return self._wiring.namespace

    @property
    def backend(self) -> str:
        """``"local"`` or ``"kubernetes"``."""
        return self._wiring.backend_name

    def submit(self, workflow: WorkflowLike, *, parameters: Parameters = None, wait: bool = False,
               name: str = "", generate_name: str = "", labels: Mapping[str, str] | None = None,
               entrypoint: str = "") -> Run:
        """Validate and create ``workflow`` (a path, a manifest dict or a Hera object), then run it:
        to its end with ``wait`` (WorkflowFailed if it fails), else in a detached driver.
        InvalidManifest lists every problem at once."""
        from argoctl.runtime import workflows
        from argoctl.runtime.submit import SubmitOptions

        params = _pairs(parameters)
        options = SubmitOptions(parameters=params, entrypoint=entrypoint, name=name, generate_name=generate_name,
                                labels=dict(labels or {}))
        with translated():
            docs = single(documents(workflow), str(workflow) if isinstance(workflow, str) else "workflow")
            manifest = workflows.validated_workflows(self._wiring, docs, params)[0]
            state = workflows.create(self._wiring, manifest, options, datetime.now(UTC))
        return self._started(state, wait)

    def get(self, name: str) -> Run:
        """The workflow ``name`` (NotFoundError if there is none)."""
        return Run(self, self._state(name))

    def list(self, selector: str | None = None) -> builtins.list[Run]:
        """The namespace's workflows, newest first (``selector``: a label selector, as ``-l``)."""
        from argoctl.model.workflow import WorkflowState

        with translated():
            found = builtins.list(self._wiring.store().list_workflows(selector))
        found.sort(key=lambda w: str((w.get("metadata") or {}).get("creationTimestamp", "")), reverse=True)
        return [Run(self, WorkflowState.from_wire(w)) for w in found]

    def wait(self, name: str, *, check: bool = True) -> Run:
        """Run (or follow) ``name`` to its end; WorkflowFailed when it failed and ``check``."""
        return self._finish(name, check=check)

    def delete(self, name: str, *, force: bool = False) -> None:
        """Delete ``name`` (a running one is terminated; artifact GC runs, as ``argoctl delete``)."""
        from argoctl.runtime.deletion import delete_workflow

        state = self._state(name)
        with translated():
            delete_workflow(self._wiring.store(), state, backend=self._wiring.backend,
                            artifact_deleter=self._wiring.artifact_deleter, force=force)

    def retry(self, name: str, *, parameters: Parameters = None, restart_successful: bool = False,
              node_field_selector: str = "", wait: bool = False) -> Run:
        """Argo's retry of a failed workflow, in place (``argoctl retry``)."""
        from argoctl.runtime import workflows

        state = self._state(name)
        with translated():
            workflows.retry(self._wiring, state, datetime.now(UTC), restart_successful=restart_successful,
                            node_field_selector=node_field_selector, parameters=_pairs(parameters))
        return self._started(self._state(name), wait)

    def resubmit(self, name: str, *, parameters: Parameters = None, memoized: bool = False,
                 wait: bool = False) -> Run:
        """A new workflow with ``name``'s spec (``argoctl resubmit``); the new Run."""
        from argoctl.runtime import workflows

        state = self._state(name)
        with translated():
            created = workflows.resubmit(self._wiring, state, datetime.now(UTC), memoized=memoized,
                                         parameters=_pairs(parameters))
        return self._started(created, wait)

    def stop(self, name: str, *, wait: bool = False) -> Run:
        """Argo's stop (``argoctl stop``): running pods killed, exit handlers still run."""
        from argoctl.engine.types import Shutdown
        from argoctl.model.timefmt import rfc3339

        state = self._state(name)
        if not state.completed:
            with translated():
                self._supervisor().deliver(state, Shutdown("Stop", "", ""), rfc3339(datetime.now(UTC)))
        return self._finish(name, check=False) if wait else self.get(name)

    def logs(self, name: str, node: str = "", *, container: str = "main") -> str:
        """The logs of ``name``'s pods in start order, one ``POD: LINE`` per line; ``node`` (a pod
        name, node ID or display name) keeps that node's lines, without the prefix."""
        from argoctl.runtime.workflows import pods, read_log, strip_timestamp

        state = self._state(name)
        lines = []
        with translated():
            for pod, _ in pods(state, node):
                for line in read_log(self._wiring, state, pod, container).splitlines():
                    text = strip_timestamp(line)
                    lines.append(text if node else f"{pod}: {text}")
        return "".join(f"{line}\n" for line in lines)
