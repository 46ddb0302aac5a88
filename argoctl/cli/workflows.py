"""What several verbs share: load a workflow, print it in a format, drive or hand it over."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from argoctl.cli.app import App
from argoctl.errors import ArgoctlError, ConflictError, ExitCode, NotFoundError, UsageError
from argoctl.model import phases as ph
from argoctl.model.workflow import WorkflowState

JSON = dict[str, Any]
OUTPUTS = ("", "name", "json", "yaml", "wide")
POLL_SECONDS = 0.2


def check_output(output: str, allowed: tuple[str, ...] = OUTPUTS) -> str:
    if output not in allowed:
        shown = "|".join(o for o in allowed if o)
        raise UsageError(f"unknown output format {output!r}", hint=f"use -o {shown}")
    return output


def load(app: App, name: str) -> WorkflowState:
    store = app.store()
    if name == "@latest":
        name = latest_name(app)
    try:
        found = store.get_workflow(name)
        if not unexpired(app, [found]):
            raise NotFoundError(name)
        return WorkflowState.from_wire(found)
    except NotFoundError as exc:
        raise NotFoundError(f'workflows.argoproj.io "{name}" not found',
                            hint=f"list workflows with: argoctl list -n {app.namespace}") from exc


def unexpired(app: App, workflows: list[JSON]) -> list[JSON]:
    """``ttlStrategy`` with no controller: the workflows whose TTL is over are deleted now (with
    their artifact GC) and left out; one whose artifacts cannot be collected stays."""
    from argoctl.runtime import ttl

    now = app.now()
    kept = []
    for workflow in workflows:
        if not ttl.expired(workflow, now):
            kept.append(workflow)
            continue
        from argoctl.runtime.deletion import delete_workflow

        try:
            delete_workflow(app.store(), WorkflowState.from_wire(workflow), backend=app.backend,
                            artifact_deleter=app.artifact_deleter)
        except NotFoundError:
            continue
        except ArgoctlError as err:
            app.err(f"argoctl: ttlStrategy: workflow {workflow['metadata']['name']} was not deleted: {err.message}")
            kept.append(workflow)
    return kept


def latest_name(app: App) -> str:
    found = list(app.store().list_workflows())
    if not found:
        raise NotFoundError("no workflows found", hint="submit one with: argoctl submit FILE")
    latest = max(found, key=lambda w: str((w.get("metadata") or {}).get("creationTimestamp", "")))
    return str(latest["metadata"]["name"])


def emit_structured(app: App, obj: Any, output: str, query: str, *, indent: int = 2) -> None:
    from argoctl import render

    if query:
        if output not in ("json", "yaml"):
            raise UsageError("--query needs -o json or -o yaml")
        obj = render.apply_query(obj, query)
    app.out(render.render_json(obj, indent=indent) if output == "json" else render.render_yaml(obj), end="")


def print_workflow(app: App, state: WorkflowState, output: str, query: str = "",
                   node_field_selector: str = "", status: str = "") -> None:
    from argoctl import render

    wire = state.to_wire()
    if output == "name":
        app.out(state.name)
    elif output in ("json", "yaml"):
        emit_structured(app, wire, output, query, indent=4)
    else:
        app.out(render.render_get(wire, now=app.now(), output=output, color=app.color,
                                  node_field_selector=node_field_selector, status=status), end="")


def exit_code_for(state: WorkflowState) -> ExitCode:
    return ExitCode.WORKFLOW_FAILED if state.phase in ph.UNSUCCESSFUL_PHASES else ExitCode.OK


def lease_is_live(app: App, name: str) -> bool:
    from argoctl.runtime.driver import holder_is_dead

    lease = app.store().get_lease(name)
    return lease is not None and not lease.expired(time.time()) and not holder_is_dead(lease.holder)


def hand_over(app: App, name: str, state: WorkflowState | None = None) -> None:
    """Start a detached driver for ``name`` unless a live one holds it (a driver pod for a
    workflow that a driver pod runs: ``argoctl.cli.driverpods``)."""
    from argoctl.runtime.detach import spawn
    from argoctl.runtime.driverpod import is_pod_driven

    if lease_is_live(app, name):
        return
    state = state if state is not None else load(app, name)
    if is_pod_driven(state.metadata):
        from argoctl.cli.driverpods import ensure

        ensure(app, state)
        return
    spawn(name, namespace=app.namespace, home=app.home, store_url=app.options.store,
          backend=app.backend_name)


def drive(app: App, name: str, on_change: Callable[[WorkflowState], None] | None = None, *,
          as_driver: bool = False) -> WorkflowState:
    """Drive in this process; if a live driver holds the workflow, follow the store instead. A
    workflow that a driver pod runs is only followed (``argoctl.cli.driverpods``), unless this
    process is its driver pod (``as_driver``)."""
    from argoctl.runtime.driver import Driver
    from argoctl.runtime.driverpod import is_pod_driven

    state = load(app, name)
    if state.completed:
        return state
    lease = app.store().get_lease(name)
    if lease_is_live(app, name):
        return follow(app, name, on_change, as_driver=as_driver)
    if not as_driver and is_pod_driven(state.metadata):
        from argoctl.cli import driverpods

        return driverpods.follow(app, name, on_change)
    if lease is not None or state.phase not in ("", "Pending"):
        app.err(f"argoctl: taking over workflow {name}: its driver is gone")
    driver = Driver(app.store(), app.backend(), on_change=on_change, notices=app.notice,
                    artifact_deleter=app.artifact_deleter)
    try:
        return driver.run(name)
    except ConflictError:
        return follow(app, name, on_change, as_driver=as_driver)


def observe(app: App, name: str, on_change: Callable[[WorkflowState], None] | None,
            last_version: object) -> tuple[WorkflowState, object]:
    """The workflow as stored now, shown to ``on_change`` if it changed since ``last_version``."""
    state = load(app, name)
    version = (state.metadata or {}).get("resourceVersion")
    if version != last_version and on_change is not None:
        on_change(state)
    return state, version


def follow(app: App, name: str, on_change: Callable[[WorkflowState], None] | None = None, *,
           as_driver: bool = False) -> WorkflowState:
    """Watch the store until the workflow completes, taking over if its driver dies."""
    last_version = None
    while True:
        state, last_version = observe(app, name, on_change, last_version)
        if state.completed:
            return state
        if not lease_is_live(app, name):
            return drive(app, name, on_change, as_driver=as_driver)
        time.sleep(POLL_SECONDS)
