"""Turning a manifest (or a stored template) into a new Workflow object in the store."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from argoctl.errors import NotFoundError, UsageError
from argoctl.model.timefmt import rfc3339
from argoctl.stores import records
from argoctl.stores.base import Store

JSON = dict[str, Any]
LABEL_WFT = "workflows.argoproj.io/workflow-template"
LABEL_CWFT = "workflows.argoproj.io/cluster-workflow-template"
LABEL_CRON = "workflows.argoproj.io/cron-workflow"
_FROM_KINDS = {
    "workflowtemplate": "WorkflowTemplate", "workflowtemplates": "WorkflowTemplate", "wftmpl": "WorkflowTemplate",
    "clusterworkflowtemplate": "ClusterWorkflowTemplate", "clusterworkflowtemplates": "ClusterWorkflowTemplate",
    "cwftmpl": "ClusterWorkflowTemplate", "cwft": "ClusterWorkflowTemplate",
    "cronworkflow": "CronWorkflow", "cronworkflows": "CronWorkflow", "cronwf": "CronWorkflow", "cwf": "CronWorkflow",
}


@dataclass(frozen=True, slots=True)
class SubmitOptions:
    parameters: Sequence[tuple[str, str]] = ()
    entrypoint: str = ""
    name: str = ""
    generate_name: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    service_account: str = ""
    priority: int | None = None
    scheduled_time: str = ""


def parse_from(text: str) -> tuple[str, str]:
    """``--from kind/name`` with Argo's kind spellings."""
    if "/" not in text:
        raise UsageError(f"--from {text!r}: expected KIND/NAME, e.g. workflowtemplate/my-template")
    kind, name = text.split("/", 1)
    canonical = _FROM_KINDS.get(kind.lower())
    if canonical is None:
        raise UsageError(f"--from {text!r}: unknown kind {kind!r}; use workflowtemplate, "
                         "clusterworkflowtemplate or cronworkflow")
    return canonical, name


def workflow_from_template(store: Store, kind: str, name: str) -> JSON:
    """The Workflow that ``argo submit --from kind/name`` creates."""
    try:
        obj = store.get_object(kind, name)
    except NotFoundError as exc:
        raise NotFoundError(f'{kind}.argoproj.io "{name}" not found',
                            hint="create it first with: argoctl apply -f FILE") from exc
    meta = obj.get("metadata") or {}
    if kind == "CronWorkflow":
        spec = copy.deepcopy((obj.get("spec") or {}).get("workflowSpec") or {})
        wf_meta = copy.deepcopy((obj.get("spec") or {}).get("workflowMetadata") or {})
        labels = {**(wf_meta.get("labels") or {}), LABEL_CRON: name}
        return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
                "metadata": {**wf_meta, "generateName": f"{name}-", "labels": labels}, "spec": spec}
    ref: JSON = {"name": name}
    label = LABEL_WFT
    if kind == "ClusterWorkflowTemplate":
        ref["clusterScope"] = True
        label = LABEL_CWFT
    labels = {**(((obj.get("spec") or {}).get("workflowMetadata") or {}).get("labels") or {}), label: name}
    return {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "metadata": {"generateName": f"{meta.get('name', name)}-", "labels": labels},
        "spec": {"workflowTemplateRef": ref},
    }


def _override_parameters(spec: JSON, parameters: Sequence[tuple[str, str]]) -> None:
    if not parameters:
        return
    args = spec.setdefault("arguments", {})
    params = list(args.get("parameters") or [])
    for key, value in parameters:
        for param in params:
            if param.get("name") == key:
                param["value"] = value
                param.pop("valueFrom", None)
                break
        else:
            params.append({"name": key, "value": value})
    args["parameters"] = params


def prepare(manifest: Mapping[str, Any], options: SubmitOptions, *, namespace: str, now: datetime) -> JSON:
    """Name, namespace, labels, parameters and entrypoint of a Workflow about to be created."""
    wf: JSON = copy.deepcopy(dict(manifest))
    wf["apiVersion"] = wf.get("apiVersion") or "argoproj.io/v1alpha1"
    wf["kind"] = "Workflow"
    meta = dict(wf.get("metadata") or {})
    spec = dict(wf.get("spec") or {})
    if options.name:
        meta["name"] = options.name
    elif options.generate_name:
        meta.pop("name", None)
        meta["generateName"] = options.generate_name
    if not meta.get("name"):
        prefix = meta.get("generateName")
        if not prefix:
            raise UsageError("the workflow has neither metadata.name nor metadata.generateName",
                             hint="add metadata.generateName: my-workflow- or pass --name")
        meta["name"] = records.generated_name(str(prefix))
    meta["namespace"] = meta.get("namespace") or namespace
    meta["creationTimestamp"] = rfc3339(now)
    labels = {**(meta.get("labels") or {}), **options.labels}
    if labels:
        meta["labels"] = labels
    if options.scheduled_time:
        meta.setdefault("annotations", {})["workflows.argoproj.io/scheduled-time"] = options.scheduled_time
    if options.entrypoint:
        spec["entrypoint"] = options.entrypoint
    if options.service_account:
        spec["serviceAccountName"] = options.service_account
    if options.priority is not None:
        spec["priority"] = options.priority
    _override_parameters(spec, options.parameters)
    wf["metadata"], wf["spec"] = meta, spec
    wf.pop("status", None)
    return wf


def resolve_workflow_template_ref(store: Store, spec: Mapping[str, Any]) -> JSON | None:
    """The referenced template's spec, stored once in ``status.storedWorkflowTemplateSpec``."""
    ref = spec.get("workflowTemplateRef")
    if not ref:
        return None
    kind = "ClusterWorkflowTemplate" if ref.get("clusterScope") else "WorkflowTemplate"
    try:
        obj = store.get_object(kind, str(ref.get("name", "")))
    except NotFoundError as exc:
        raise NotFoundError(f'{kind}.argoproj.io "{ref.get("name", "")}" not found',
                            hint="create it first with: argoctl apply -f FILE") from exc
    return copy.deepcopy(dict(obj.get("spec") or {}))
