"""Which workflows a bulk verb acts on: the selection flags ``list``, ``delete``, ``retry``,
``resubmit``, ``stop`` and ``terminate`` share, with argo's meanings, applied to the store.

``-l`` (labels), ``--field-selector`` (``metadata.name``, ``metadata.namespace``, ``status.phase``
with ``=``, ``==``, ``!=``), ``--prefix``, ``--older`` (finished longer ago than), ``--since``
(created within), ``--status`` (phases), ``--resubmitted``, ``--running``/``--completed``,
``-A`` (every namespace the store knows) and ``--chunk-size`` (the ConfigMap store LISTs in pages
of that many with the API's limit/continue; the other stores read their index whole).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from argoctl.errors import UsageError
from argoctl.model.phases import LABEL_COMPLETED, LABEL_PHASE

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from argoctl.runtime.wiring import Wiring
    from argoctl.stores.base import Store

JSON = dict[str, Any]
LABEL_RESUBMITTED = "workflows.argoproj.io/resubmitted-from-workflow"
FIELDS = {"metadata.name": ("metadata", "name"), "metadata.namespace": ("metadata", "namespace"),
          "status.phase": ("status", "phase")}


class Selection:
    """The selection flags as given (a plain class: ``list`` imports it, and builds no dataclass)."""

    __slots__ = ("all_namespaces", "chunk_size", "completed", "fields", "labels", "older", "prefix",
                 "resubmitted", "running", "since", "status")

    def __init__(self, labels: str = "", fields: str = "", prefix: str = "", older: str = "", since: str = "",
                 status: tuple[str, ...] = (), resubmitted: bool = False, running: bool = False,
                 completed: bool = False, all_namespaces: bool = False, chunk_size: int = 0) -> None:
        self.labels, self.fields, self.prefix, self.older, self.since = labels, fields, prefix, older, since
        self.status, self.resubmitted, self.running, self.completed = status, resubmitted, running, completed
        self.all_namespaces, self.chunk_size = all_namespaces, chunk_size

    def given(self) -> bool:
        """Whether any flag narrows the selection (bulk verbs need names or one of these)."""
        return bool(self.labels or self.fields or self.prefix or self.older or self.since or self.status
                    or self.resubmitted or self.running or self.completed)


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


def _keep(sel: Selection, workflow: JSON, now: datetime, fields: list[tuple[str, bool, str]]) -> bool:
    from argoctl.model.timefmt import parse_duration, parse_time

    metadata, status = workflow.get("metadata") or {}, workflow.get("status") or {}
    if sel.prefix and not str(metadata.get("name", "")).startswith(sel.prefix):
        return False
    if any((_field(workflow, f) == v) != equal for f, equal, v in fields):
        return False
    if sel.since:
        created = metadata.get("creationTimestamp")
        if not created or parse_time(str(created)) < now - timedelta(seconds=parse_duration(sel.since)):
            return False
    if sel.older:
        finished = status.get("finishedAt")
        if not finished or parse_time(str(finished)) >= now - timedelta(seconds=parse_duration(sel.older)):
            return False
    return True


def stores(wiring: Wiring, sel: Selection) -> list[Store]:
    """The store of the namespace, or with ``-A`` one store per namespace that holds workflows."""
    store = wiring.store()
    if hasattr(store, "chunk_size"):
        store.chunk_size = max(0, sel.chunk_size)
    if not sel.all_namespaces:
        return [store]
    return [store.in_namespace(ns) for ns in store.namespaces()]  # type: ignore[attr-defined]


def select(wiring: Wiring, sel: Selection, now: datetime, *, report: Callable[[str], None]) -> list[JSON]:
    """Summaries of the selected workflows (TTL-expired ones of this namespace are deleted and
    left out; ``report`` says why one could not be)."""
    from argoctl.runtime.deletion import unexpired

    labels, fields = label_selector(sel), field_requirements(sel.fields)
    found: list[JSON] = []
    for store in stores(wiring, sel):
        listed = list(store.list_workflows(labels or None))
        found.extend(w for w in (unexpired(wiring, listed, now, report=report) if store is wiring.store() else listed)
                     if _keep(sel, w, now, fields))
    return found


def select_archived(wiring: Wiring, sel: Selection, now: datetime) -> list[JSON]:
    """Summaries of archived workflows (``archive list``): labels and the other filters."""
    from argoctl.stores.archive import list_archived

    labels, fields = label_selector(sel), field_requirements(sel.fields)
    return [w for store in stores(wiring, sel) for w in list_archived(store, labels)
            if _keep(sel, w, now, fields)]


def names(wiring: Wiring, given: list[str], sel: Selection, now: datetime, *, verb: str,
          report: Callable[[str], None]) -> list[str]:
    """The workflows a bulk verb acts on in this namespace: the selection's, then ``given`` names
    (each once), as argo's stop/terminate/retry/resubmit."""
    if not given and not sel.given():
        raise UsageError(f"{verb}: give workflow names, or select them with -l or --field-selector")
    found = [str(w["metadata"]["name"]) for w in select(wiring, sel, now, report=report)] if sel.given() else []
    return list(dict.fromkeys([*found, *given]))
