"""Which workflows a bulk verb acts on: the selection flags ``list``, ``delete``, ``retry``,
``resubmit``, ``stop`` and ``terminate`` share, with argo's meanings.

``-l`` (labels), ``--field-selector`` (``metadata.name``, ``metadata.namespace``, ``status.phase``
with ``=``, ``==``, ``!=``), ``--prefix``, ``--older`` (finished longer ago than), ``--since``
(created within), ``--status`` (phases), ``--resubmitted``, ``--running``/``--completed``,
``-A`` (every namespace the store knows) and ``--chunk-size`` (the ConfigMap store LISTs in pages
of that many with the API's limit/continue; the other stores read their index whole).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from argoctl.errors import UsageError

if TYPE_CHECKING:
    from argoctl.cli.app import App
    from argoctl.stores.base import Store

JSON = dict[str, Any]
LABEL_PHASE = "workflows.argoproj.io/phase"
LABEL_COMPLETED = "workflows.argoproj.io/completed"
LABEL_RESUBMITTED = "workflows.argoproj.io/resubmitted-from-workflow"
FIELDS = {"metadata.name": ("metadata", "name"), "metadata.namespace": ("metadata", "namespace"),
          "status.phase": ("status", "phase")}


@dataclass(frozen=True, slots=True)
class Selection:
    labels: str = ""
    fields: str = ""
    prefix: str = ""
    older: str = ""
    since: str = ""
    status: tuple[str, ...] = ()
    resubmitted: bool = False
    running: bool = False
    completed: bool = False
    all_namespaces: bool = False
    chunk_size: int = 0

    def given(self) -> bool:
        """Whether any flag narrows the selection (bulk verbs need names or one of these)."""
        return bool(self.labels or self.fields or self.prefix or self.older or self.since or self.status
                    or self.resubmitted or self.running or self.completed)


def phases(values: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """``--status`` values: repeatable and comma separated, as argo's ``strings`` flags."""
    return tuple(p.strip() for v in values or () for p in v.split(",") if p.strip())


def label_selector(sel: Selection) -> str:
    if sel.running and sel.completed:
        raise UsageError("--running and --completed are mutually exclusive")
    parts = [sel.labels] if sel.labels else []
    if sel.running:
        parts.append(f"{LABEL_COMPLETED}!=true")
    if sel.completed or sel.older:
        parts.append(f"{LABEL_COMPLETED}=true")
    if sel.status:
        parts.append(f"{LABEL_PHASE} in ({','.join(sel.status)})")
    if sel.resubmitted:
        parts.append(LABEL_RESUBMITTED)
    return ",".join(parts)


def field_requirements(text: str) -> list[tuple[str, bool, str]]:
    """``(field, equal, value)`` for each clause of ``--field-selector``."""
    found = []
    for clause in filter(None, (c.strip() for c in text.split(","))):
        negated = "!=" in clause
        field, _, value = clause.partition("!=" if negated else "=")
        field, value = field.strip(), value.lstrip("=").strip()
        if field not in FIELDS or (not value and not clause.endswith("=")):
            raise UsageError(f"invalid field selector {clause!r}",
                             hint=f"use FIELD=VALUE or FIELD!=VALUE with FIELD one of {', '.join(FIELDS)}")
        found.append((field, not negated, value))
    return found


def _field(workflow: JSON, field: str) -> str:
    section, key = FIELDS[field]
    return str((workflow.get(section) or {}).get(key) or "")


def _keep(sel: Selection, workflow: JSON, app: App, fields: list[tuple[str, bool, str]]) -> bool:
    from argoctl.model.timefmt import parse_duration, parse_time

    metadata, status = workflow.get("metadata") or {}, workflow.get("status") or {}
    if sel.prefix and not str(metadata.get("name", "")).startswith(sel.prefix):
        return False
    if any((_field(workflow, f) == v) != equal for f, equal, v in fields):
        return False
    if sel.since:
        created = metadata.get("creationTimestamp")
        if not created or parse_time(str(created)) < app.now() - timedelta(seconds=parse_duration(sel.since)):
            return False
    if sel.older:
        finished = status.get("finishedAt")
        if not finished or parse_time(str(finished)) >= app.now() - timedelta(seconds=parse_duration(sel.older)):
            return False
    return True


def stores(app: App, sel: Selection) -> list[Store]:
    """The store of the namespace, or with ``-A`` one store per namespace that holds workflows."""
    store = app.store()
    if hasattr(store, "chunk_size"):
        store.chunk_size = max(0, sel.chunk_size)
    if not sel.all_namespaces:
        return [store]
    return [store.in_namespace(ns) for ns in store.namespaces()]  # type: ignore[attr-defined]


def select(app: App, sel: Selection) -> list[JSON]:
    """Summaries of the selected workflows (TTL-expired ones are deleted and left out)."""
    from argoctl.cli.workflows import unexpired

    labels, fields = label_selector(sel), field_requirements(sel.fields)
    found: list[JSON] = []
    for store in stores(app, sel):
        listed = list(store.list_workflows(labels or None))
        found.extend(w for w in (unexpired(app, listed) if store is app.store() else listed)
                     if _keep(sel, w, app, fields))
    return found


def select_archived(app: App, sel: Selection) -> list[JSON]:
    """Summaries of archived workflows (``archive list``): labels and the other filters."""
    from argoctl.stores.archive import list_archived

    labels, fields = label_selector(sel), field_requirements(sel.fields)
    return [w for store in stores(app, sel) for w in list_archived(store, labels)
            if _keep(sel, w, app, fields)]


def names(app: App, given: list[str], sel: Selection, *, verb: str) -> list[str]:
    """The workflows a bulk verb acts on in this namespace: the selection's, then ``given`` names
    (each once), as argo's stop/terminate/retry/resubmit."""
    if not given and not sel.given():
        raise UsageError(f"{verb}: give workflow names, or select them with -l or --field-selector")
    found = [str(w["metadata"]["name"]) for w in select(app, sel)] if sel.given() else []
    return list(dict.fromkeys([*found, *given]))


def app_in(app: App, namespace: str) -> App:
    """``app`` for another namespace (``-A`` on a verb that acts)."""
    from argoctl.cli.app import App

    if namespace == app.namespace:
        return app
    return App(dataclasses.replace(app.options, namespace=namespace), stdout=app.stdout, stderr=app.stderr)
