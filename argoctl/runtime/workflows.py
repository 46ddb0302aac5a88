"""The workflow operations the CLI verbs and the Python API (``argoctl.api``) share: read and
validate manifests, create a workflow, retry (live or archived), resubmit, read pod logs.

Each works on a ``Wiring`` and returns the new state; printing, waiting and exit codes stay with
the caller (the CLI verb or ``argoctl.api``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from argoctl.errors import NotFoundError, UsageError, ValidationError
from argoctl.model import phases as ph
from argoctl.model.timefmt import rfc3339
from argoctl.model.workflow import WorkflowState
from argoctl.runtime.live import find_live, not_found

if TYPE_CHECKING:
    from argoctl.parse.document import Document
    from argoctl.runtime.submit import SubmitOptions
    from argoctl.runtime.wiring import Wiring

JSON = dict[str, Any]


def load(wiring: Wiring, name: str) -> WorkflowState:
    """The stored workflow ``name``; NotFoundError naming it."""
    try:
        return WorkflowState.from_wire(wiring.store().get_workflow(name))
    except NotFoundError as exc:
        raise not_found(wiring, name) from exc


def load_live(wiring: Wiring, name: str, now: datetime, *, report: Callable[[str], None]) -> WorkflowState:
    """``load`` as a user asks (``argoctl.runtime.live.find_live``: ``@latest``, ``ttlStrategy``)."""
    return WorkflowState.from_wire(find_live(wiring, name, now, report=report))


def validated_workflows(wiring: Wiring, documents: Iterable[Document], parameters: Sequence[tuple[str, str]], *,
                        strict: bool = True, name: str = "", generate_name: str = "") -> list[JSON]:
    """The Workflow manifests of ``documents``, validated as ``submit`` does (templates they
    reference are looked up in the store; ``strict``: unknown fields are problems; ``name`` or
    ``generate_name``, as ``--name``/``--generate-name`` will set them); every problem at once
    in one ValidationError."""
    from argoctl.runtime.sources import StoreTemplateSource
    from argoctl.validate import validate_document

    source = StoreTemplateSource(wiring.store())
    manifests: list[JSON] = []
    problems: list[str] = []
    for doc in documents:
        if doc.obj.get("kind") != "Workflow":
            raise UsageError(
                f"{doc.file}: document {doc.index + 1} is a {doc.obj.get('kind')}, not a Workflow",
                hint="store templates with: argoctl apply -f FILE; run them with --from KIND/NAME",
            )
        checked = _with_name_overrides(doc, name, generate_name)
        problems.extend(str(p) for p in validate_document(checked, source=source, arguments=dict(parameters),
                                                          strict=strict))
        manifests.append(doc.obj)
    if problems:
        raise ValidationError(problems, title="invalid spec:")
    return manifests


def _with_name_overrides(doc: Document, name: str, generate_name: str) -> Document:
    """The document as ``--name``/``--generate-name`` will make it (they may supply the name)."""
    import dataclasses

    metadata = doc.obj.get("metadata")
    if not (name or generate_name) or not isinstance(metadata, dict | None):
        return doc
    named = dict(metadata or {})
    if name:
        named["name"] = name
    else:
        named.pop("name", None)
        named["generateName"] = generate_name
    return dataclasses.replace(doc, obj={**doc.obj, "metadata": named})


def create(wiring: Wiring, manifest: Mapping[str, Any], options: SubmitOptions, now: datetime, *,
           pod_driven: bool = False, dry_run: bool = False, server_dry_run: bool = False) -> WorkflowState:
    """``manifest`` prepared as Argo submits it and stored (unless ``dry_run``, or
    ``server_dry_run``, which first checks what creating would: the name being free); its state."""
    from argoctl.runtime import driverpod
    from argoctl.runtime.submit import prepare, resolve_workflow_template_ref

    wf = prepare(manifest, options, namespace=wiring.namespace, now=now)
    if server_dry_run:
        _check_name_free(wiring, wf)
    if pod_driven:
        metadata = wf.setdefault("metadata", {})
        metadata["annotations"] = {**(metadata.get("annotations") or {}),
                                   driverpod.DRIVER_ANNOTATION: driverpod.POD_DRIVER}
    state = WorkflowState.from_wire(wf)
    stored_spec = resolve_workflow_template_ref(wiring.store(), state.spec)
    if stored_spec is not None:
        state = state.with_(stored_workflow_template_spec=stored_spec)
    if dry_run or server_dry_run:
        return state
    return WorkflowState.from_wire(wiring.store().create_workflow(state.to_wire(internal=True)))


def _check_name_free(wiring: Wiring, wf: JSON) -> None:
    """What creating would check: the name being free (a generateName always gets a free one)."""
    from argoctl.errors import ConflictError

    name = str((wf.get("metadata") or {}).get("name") or "")
    if not name:
        return
    try:
        wiring.store().get_workflow(name)
    except NotFoundError:
        return
    raise ConflictError(f'workflows.argoproj.io "{name}" already exists')


def retry(wiring: Wiring, state: WorkflowState, now: datetime, *, restart_successful: bool = False,
          node_field_selector: str = "", parameters: Sequence[tuple[str, str]] = ()) -> None:
    """Argo's retry in place: failed nodes (and what follows them) reset, their pods killed."""
    from argoctl.engine.rerun import retry_workflow

    retried, pods = retry_workflow(state, rfc3339(now), restart_successful=restart_successful,
                                   node_field_selector=node_field_selector, parameters=list(parameters))
    wire = retried.to_wire(internal=True)
    wire["metadata"]["resourceVersion"] = state.metadata.get("resourceVersion")
    wiring.store().update_workflow(wire)
    backend = wiring.backend()
    for pod in pods:
        backend.kill(pod, reason="workflow retried")
        if wiring.backend_name == "local":  # Argo deletes these pods; a kept local pod is re-reported as done
            shutil.rmtree(wiring.run_dir() / pod, ignore_errors=True)


def revive_archived(wiring: Wiring, uid: str, now: datetime, *, restart_successful: bool = False,
                    node_field_selector: str = "", parameters: Sequence[tuple[str, str]] = ()) -> str:
    """Argo's RetryArchivedWorkflow up to the retry: the archived workflow ``uid`` live again in
    this namespace (first checked that the retry applies, so a bad request creates nothing); its
    name. Refused while a live workflow has that name."""
    from argoctl.engine.rerun import retry_workflow
    from argoctl.stores.archive import get_archived

    revived = get_archived(wiring.store(), uid)
    name = str(revived["metadata"]["name"])
    try:
        wiring.store().get_workflow(name)
    except NotFoundError:
        pass
    else:
        raise UsageError(f"workflow already exists in cluster, use argo retry {name} instead",
                         hint=f"argoctl retry {name}")
    for key in ("resourceVersion", "uid"):
        revived["metadata"].pop(key, None)
    revived["metadata"]["namespace"] = wiring.namespace
    retry_workflow(WorkflowState.from_wire(revived), rfc3339(now), restart_successful=restart_successful,
                   node_field_selector=node_field_selector, parameters=list(parameters))
    wiring.store().create_workflow(WorkflowState.from_wire(revived).to_wire(internal=True))
    return name


def resubmit(wiring: Wiring, state: WorkflowState, now: datetime, *, memoized: bool = False,
             parameters: Sequence[tuple[str, str]] = (), priority: int | None = None) -> WorkflowState:
    """A new workflow with ``state``'s spec (``memoized``: succeeded steps keep their outputs;
    ``priority``: argo's ``--priority``), live or archived, in this namespace."""
    from argoctl.engine.rerun import resubmit_workflow
    from argoctl.stores.records import generated_name

    prefix = str(state.metadata.get("generateName") or f"{state.name}-")
    manifest = resubmit_workflow(state, generated_name(prefix), rfc3339(now), memoized=memoized,
                                 parameters=list(parameters))
    manifest["metadata"]["namespace"] = wiring.namespace
    manifest["metadata"]["creationTimestamp"] = rfc3339(now)
    if priority is not None:
        manifest.setdefault("spec", {})["priority"] = priority
    new = WorkflowState.from_wire(manifest)
    if state.stored_workflow_template_spec:
        new = new.with_(stored_workflow_template_spec=state.stored_workflow_template_spec)
    return WorkflowState.from_wire(wiring.store().create_workflow(new.to_wire(internal=True)))


def _pod_labels(state: WorkflowState, template: str) -> dict[str, str]:
    """The labels Argo gives a pod: the template's ``metadata.labels`` and the workflow's name."""
    labels: dict[str, str] = {}
    for source in (state.spec.get("templates") or [], (state.stored_workflow_template_spec or {}).get("templates") or []):
        for tmpl in source:
            if isinstance(tmpl, dict) and tmpl.get("name") == template:
                labels.update({str(k): str(v) for k, v in ((tmpl.get("metadata") or {}).get("labels") or {}).items()})
    labels["workflows.argoproj.io/workflow"] = state.name
    return labels


def pods(state: WorkflowState, pod: str = "", selector: str = "") -> list[tuple[str, str]]:
    """(pod name, started at) of the workflow's pods in start order; ``pod`` (a pod name, node ID
    or display name) keeps only that one; ``selector`` (a label selector) only the pods it matches."""
    from argoctl.stores.selectors import parse

    wanted = parse(selector) if selector else None
    found = []
    for node in state.nodes.values():
        name = node.extra.get("pod")
        if node.type != ph.POD or not name or (pod and pod not in (name, node.id, node.display_name)):
            continue
        if wanted is None or wanted.matches(_pod_labels(state, node.template_name)):
            found.append((str(name), node.started_at or ""))
    found.sort(key=lambda p: p[1])
    return found


def read_log(wiring: Wiring, state: WorkflowState, pod: str, container: str = "main") -> str:
    """The pod's log with a timestamp before each line: archived in the store, else live ("" if none)."""
    text = ""
    try:
        text = wiring.store().read_log(state.name, pod, container)
    except Exception:
        text = ""
    if not text:
        try:
            text = wiring.backend().read_logs(pod, container, timestamps=True)
        except Exception:
            text = ""
    return text


def strip_timestamp(line: str) -> str:
    """A ``read_log`` line without its leading timestamp."""
    from argoctl.model.timefmt import parse_time

    stamp, _, rest = line.partition(" ")
    try:
        parse_time(stamp[:19] + "Z")
    except ValueError:
        return line
    return rest
