"""What several verbs share: load a workflow, print it in a format, and the calls into
``argoctl.runtime.supervise`` that drive, follow or hand it over."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from argoctl.cli.app import App
from argoctl.errors import ExitCode, UsageError
from argoctl.model import phases as ph

if TYPE_CHECKING:  # ``list`` imports this module and needs no WorkflowState (nor dataclasses)
    from argoctl.model.workflow import WorkflowState
    from argoctl.runtime.supervise import Supervisor

JSON = dict[str, Any]
OUTPUTS = ("", "name", "json", "yaml", "wide")


def check_output(output: str, allowed: tuple[str, ...] = OUTPUTS) -> str:
    if output not in allowed:
        shown = "|".join(o for o in allowed if o)
        raise UsageError(f"unknown output format {output!r}", hint=f"use -o {shown}")
    return output


def load(app: App, name: str) -> WorkflowState:
    """The workflow ``name`` (``@latest``: the newest) as a user asks for it (``runtime.workflows.load_live``)."""
    from argoctl.runtime.workflows import load_live

    return load_live(app.wiring, name, app.now(), report=app.err)


def load_output(app: App, name: str) -> JSON:
    """``load``'s workflow as Argo's JSON, read straight from the store's JSON (``get`` prints it:
    no ``WorkflowState`` to build, ``argoctl.model.wire``)."""
    from argoctl.model.wire import workflow_output
    from argoctl.runtime.live import find_live

    return workflow_output(find_live(app.wiring, name, app.now(), report=app.err))


def unexpired(app: App, workflows: list[JSON]) -> list[JSON]:
    """The workflows whose ``ttlStrategy`` is not over (``argoctl.runtime.deletion`` deletes the others)."""
    from argoctl.runtime.deletion import unexpired as sweep

    return sweep(app.wiring, workflows, app.now(), report=app.err)


def emit_structured(app: App, obj: Any, output: str, query: str, *, indent: int = 2) -> None:
    from argoctl import render

    if query:
        if output not in ("json", "yaml"):
            raise UsageError("--query needs -o json or -o yaml")
        obj = render.apply_query(obj, query)
    app.out(render.render_json(obj, indent=indent) if output == "json" else render.render_yaml(obj), end="")


def print_workflow(app: App, state: WorkflowState, output: str, query: str = "",
                   node_field_selector: str = "", status: str = "") -> None:
    print_output(app, state.to_wire(), output, query, node_field_selector, status)


def print_output(app: App, wire: JSON, output: str, query: str = "", node_field_selector: str = "",
                 status: str = "") -> None:
    """A workflow's Argo JSON (``WorkflowState.to_wire()``) in ``output``'s format."""
    from argoctl import render

    if output == "name":
        app.out(str(wire["metadata"].get("name", "")))
    elif output in ("json", "yaml"):
        emit_structured(app, wire, output, query, indent=4)
    else:
        app.out(render.render_get(wire, now=app.now(), output=output, color=app.color,
                                  node_field_selector=node_field_selector, status=status), end="")


def exit_code_for(state: WorkflowState) -> ExitCode:
    return ExitCode.WORKFLOW_FAILED if state.phase in ph.UNSUCCESSFUL_PHASES else ExitCode.OK


def supervisor(app: App) -> Supervisor:
    """The ``argoctl.runtime.supervise.Supervisor`` of this command (its lines go to stderr)."""
    from argoctl.runtime.supervise import Supervisor

    return Supervisor(app.wiring, report=app.err)


def lease_is_live(app: App, name: str) -> bool:
    return supervisor(app).lease_is_live(name)


def hand_over(app: App, name: str, state: WorkflowState | None = None) -> None:
    """Start a detached driver (or driver pod) for ``name`` unless a live one holds it."""
    supervisor(app).hand_over(name, state)


def drive(app: App, name: str, on_change: Callable[[WorkflowState], None] | None = None, *,
          as_driver: bool = False) -> WorkflowState:
    """Drive in this process, or follow the live driver (``argoctl.runtime.supervise``)."""
    return supervisor(app).drive(name, on_change, as_driver=as_driver)


def follow(app: App, name: str, on_change: Callable[[WorkflowState], None] | None = None, *,
           as_driver: bool = False) -> WorkflowState:
    """Follow the workflow until it completes, taking over if its driver dies."""
    return supervisor(app).follow(name, on_change, as_driver=as_driver)
