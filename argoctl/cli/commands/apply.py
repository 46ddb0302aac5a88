"""``argoctl apply -f FILE``: store WorkflowTemplates, ClusterWorkflowTemplates, CronWorkflows,
ConfigMaps and Secrets (validated first, like ``kubectl apply``)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from argoctl.cli import options as opt
from argoctl.cli.app import App
from argoctl.cli.strictflag import Strict, StrictCommand
from argoctl.cli.submitting import nonempty
from argoctl.errors import ExitCode, NotFoundError, UsageError, ValidationError

JSON = dict[str, Any]
STORED_KINDS = ("WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow", "ConfigMap", "Secret")
_RESOURCE = {
    "WorkflowTemplate": "workflowtemplate.argoproj.io", "ClusterWorkflowTemplate": "clusterworkflowtemplate.argoproj.io",
    "CronWorkflow": "cronworkflow.argoproj.io", "ConfigMap": "configmap", "Secret": "secret",
}
_VALIDATED = ("WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")


def apply_documents(app: App, paths: list[str], *, kinds: tuple[str, ...] = STORED_KINDS,
                    strict: bool = False, update: bool = False, strict_fields: bool = True) -> ExitCode:
    """Store objects; with ``strict`` (``template create``) problems reject them, else
    (``apply``, like ``kubectl apply`` of a CRD) they are reported as warnings.
    ``strict_fields`` (``--strict``) makes unknown fields problems. With ``update``
    (``template update``) each object must exist already. Each object goes to its own
    ``metadata.namespace`` unless ``-n`` is explicit (``argoctl.cli.namespaces``)."""
    from argoctl.cli.namespaces import for_object
    from argoctl.cli.sources import StoreTemplateSource
    from argoctl.parse import load_documents
    from argoctl.validate import ObjectSource, validate_document
    from argoctl.validate.source import ChainSource

    if not paths:
        raise UsageError("give a file with -f FILE")
    docs = [doc for path in paths for doc in nonempty(load_documents(path), path)]
    store = app.store()
    source = ChainSource(ObjectSource([d.obj for d in docs]), StoreTemplateSource(store))
    problems: list[str] = []
    for doc in docs:
        kind = str(doc.obj.get("kind"))
        if kind == "Workflow":
            raise UsageError(f"{doc.file}: document {doc.index + 1} is a Workflow",
                             hint="run workflows with: argoctl submit FILE")
        if kind in _VALIDATED and kind in kinds:
            problems.extend(str(p) for p in validate_document(doc, source=source, require_arguments=False,
                                                               strict=strict_fields))
    if problems and strict:
        raise ValidationError(problems)
    for problem in problems:
        app.err(f"warning: {problem}")
    for doc in docs:
        kind = str(doc.obj.get("kind"))
        name = str((doc.obj.get("metadata") or {}).get("name", ""))
        if kind not in kinds:
            app.notice(f"notice: skipping {kind}/{name} from {doc.file}: argoctl does not store that kind")
            continue
        if not name:
            raise UsageError(f"{doc.file}: document {doc.index + 1} has no metadata.name")
        scoped = for_object(app, doc.obj)
        target = scoped.store()
        exists = _exists(target, kind, name)
        if update and not exists:
            from argoctl.stores.records import not_found

            raise not_found(kind, name)
        verb = "configured" if exists else "created"
        if kind == "CronWorkflow":  # its status is kept (Argo's is a subresource); on a cluster, its CronJobs follow
            from argoctl.runtime import crons

            crons.apply(scoped.wiring, doc.obj)
        else:
            target.put_object(kind, doc.obj)
        app.out(f"{_RESOURCE[kind]}/{name} {verb}")
    return ExitCode.OK


def _exists(store: Any, kind: str, name: str) -> bool:
    try:
        store.get_object(kind, name)
    except NotFoundError:
        return False
    return True


def register(app: typer.Typer) -> None:
    @app.command(help="Store templates, cron workflows, ConfigMaps and Secrets from files.", cls=StrictCommand)
    def apply(
        ctx: typer.Context,
        filename: Annotated[list[str] | None, typer.Option("--filename", "-f", help="Manifest file (- for stdin)")] = None,
        object_: opt.HeraObject = "",
        strict: Strict = True,
    ) -> None:
        raise typer.Exit(int(apply_documents(opt.app_of(ctx), list(filename or ()), strict_fields=strict)))
