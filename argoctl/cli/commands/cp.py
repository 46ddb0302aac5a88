"""``argoctl cp NAME DIR``: download a workflow's output artifacts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.workflows import load
from argoctl.errors import ExitCode

DEFAULT_PATH = "{namespace}/{workflowName}/{nodeId}/outputs/{artifactName}"


def run(app: App, name: str, directory: str, *, artifact_name: str, template_name: str, node_id: str,
        path_format: str) -> ExitCode:
    state = load(app, name)
    artifact_io = app.artifact_io_for(state)
    count = 0
    for node in state.nodes.values():
        if node_id and node.id != node_id:
            continue
        if template_name and node.template_name != template_name:
            continue
        for artifact in (node.outputs or {}).get("artifacts") or ():
            if artifact_name and artifact.get("name") != artifact_name:
                continue
            relative = path_format.format(namespace=state.namespace, workflowName=state.name, nodeId=node.id,
                                          artifactName=artifact.get("name", ""),
                                          templateName=node.template_name, nodeName=node.name)
            target = Path(directory) / relative
            artifact_io.download(dict(artifact), target)
            app.out(f"Created {target}")
            count += 1
    if not count:
        app.err(f"workflow {name} has no output artifacts to copy")
    return ExitCode.OK


def register(app: typer.Typer) -> None:
    @app.command(help="Copy a workflow's output artifacts to a local directory.")
    def cp(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(help="Workflow name")],
        directory: Annotated[str, typer.Argument(help="Where to put the artifacts")],
        artifact_name: Annotated[str, typer.Option("--artifact-name", help="Only this artifact")] = "",
        template_name: Annotated[str, typer.Option("--template-name", help="Only nodes of this template")] = "",
        node_id: Annotated[str, typer.Option("--node-id", help="Only this node")] = "",
        path: Annotated[str, typer.Option("--path", help="Path below DIR for each artifact")] = DEFAULT_PATH,
    ) -> None:
        code = run(opt.app_of(ctx), name, directory, artifact_name=artifact_name, template_name=template_name,
                   node_id=node_id, path_format=path)
        raise typer.Exit(int(code))
