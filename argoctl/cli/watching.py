"""``--watch``: drive (or follow) a workflow with live progress on stderr."""

from __future__ import annotations

from typing import Any

from argoctl.cli.app import App
from argoctl.cli.workflows import drive, exit_code_for, hand_over, print_workflow
from argoctl.errors import ExitCode, InterruptedByUser
from argoctl.model.workflow import WorkflowState


class PlainProgress:
    """Stable lines, one per node phase change, for logs and CI (not a TTY)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.seen: dict[str, str] = {}
        self.summary = ""

    def __call__(self, state: WorkflowState) -> None:
        from argoctl import render

        wire = state.to_wire()
        for node_id, line in render.node_lines(wire).items():
            if self.seen.get(node_id) != line:
                self.seen[node_id] = line
                self.app.err(line)
        summary = render.summary_line(wire)
        if summary != self.summary:
            self.summary = summary
            self.app.err(summary)


class LiveProgress:
    """A rich live tree on a terminal."""

    def __init__(self, app: App) -> None:
        from rich.console import Console
        from rich.live import Live

        self.app = app
        self.console = Console(file=app.stderr, no_color=not app.color)
        self.live: Any = Live(console=self.console, refresh_per_second=4, transient=True)
        self.live.start()

    def __call__(self, state: WorkflowState) -> None:
        from argoctl import render

        self.live.update(render.render_live(state.to_wire(), now=self.app.now()))

    def stop(self) -> None:
        self.live.stop()


def watch_and_report(app: App, name: str, *, output: str = "", query: str = "",
                     node_field_selector: str = "", status: str = "") -> ExitCode:
    tty = bool(getattr(app.stderr, "isatty", lambda: False)())
    progress: Any = LiveProgress(app) if tty else PlainProgress(app)
    try:
        state = drive(app, name, on_change=progress)
    except KeyboardInterrupt:
        if isinstance(progress, LiveProgress):
            progress.stop()
        hand_over(app, name)
        app.err(f"argoctl: workflow {name} keeps running in the background; "
                f"re-attach with: argoctl watch {name} -n {app.namespace}")
        raise InterruptedByUser("interrupted") from None
    if isinstance(progress, LiveProgress):
        progress.stop()
    print_workflow(app, state, output, query, node_field_selector=node_field_selector, status=status)
    return exit_code_for(state)
