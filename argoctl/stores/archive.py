"""The workflow archive: finished workflows kept in the store after their live record is gone.

What archiving means here (as Argo with ``persistence.archive: true``):

- a workflow is archived when it finishes (its driver writes the record; ``delete`` and
  ``ttlStrategy`` archive it first if that did not happen), and again when a retry finishes it anew;
- deleting the workflow removes the live record only: the archive keeps it;
- ``argoctl archive delete UID`` removes the archived record for good.

Every store keeps the records as objects of the internal kind ``ArchivedWorkflow`` named by the
workflow's UID (a labelled ConfigMap ``argoctl-arcwf-<uid>``, ``objects/ArchivedWorkflow/<uid>.json``
in the local directory or under the S3 prefix). The workflow itself is gzip-compressed JSON in
``workflow`` (base64), next to a small ``summary`` (the list view) and the workflow's labels; a
workflow whose compressed form exceeds ``RECORD_LIMIT`` keeps only its summary.
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

from argoctl.errors import NotFoundError, UsageError
from argoctl.stores import records
from argoctl.stores.base import JSON, Store
from argoctl.stores.selectors import as_selector

KIND = "ArchivedWorkflow"
_API_VERSION = "argoctl.io/v1"
RECORD_LIMIT = 700 * 1024  # base64 of the gzip; above it only the summary is kept


def _pack(workflow: JSON) -> str:
    text = json.dumps(workflow, separators=(",", ":"), sort_keys=True).encode()
    return base64.b64encode(gzip.compress(text, compresslevel=6, mtime=0)).decode("ascii")


def _unpack(record: JSON) -> JSON:
    packed = record.get("workflow")
    if not isinstance(packed, str):  # too large to keep whole: the summary is what there is
        summary = record.get("summary")
        if not isinstance(summary, dict):
            raise UsageError(f"archived workflow {records.metadata_of(record).get('name')!r} holds no workflow",
                             hint="delete it with: argoctl archive delete UID")
        return summary
    found: JSON = json.loads(gzip.decompress(base64.b64decode(packed)))
    return found


def archive(store: Store, workflow: JSON) -> None:
    """Keep ``workflow`` (the whole object, finished) in the archive, replacing an earlier copy."""
    metadata = records.metadata_of(workflow)
    uid = str(metadata.get("uid") or "")
    if not uid:
        return  # never stored (a dry run): nothing to keep
    body = records.clone(workflow)
    records.metadata_of(body).pop("resourceVersion", None)
    summary = records.summarize(body)
    (summary.get("status") or {}).pop("nodes", None)
    packed: str | None = _pack(body)
    if len(packed or "") > RECORD_LIMIT:
        packed = None  # a ConfigMap holds 1 MiB: keep the summary (``get`` shows it) rather than fail
    store.put_object(KIND, {
        "apiVersion": _API_VERSION, "kind": KIND,
        "metadata": {"name": uid, "labels": dict(metadata.get("labels") or {})},
        "summary": summary, "workflow": packed,
    })


def is_archived(store: Store, uid: str) -> bool:
    try:
        store.get_object(KIND, uid)
    except NotFoundError:
        return False
    return True


def list_archived(store: Store, selector: str = "") -> list[JSON]:
    """Summaries (metadata, spec without templates, status without nodes) whose labels match."""
    wanted = as_selector(selector or None)
    found = []
    for record in store.list_objects(KIND):
        summary = record.get("summary")
        if isinstance(summary, dict) and wanted.matches((summary.get("metadata") or {}).get("labels")):
            found.append(summary)
    return found


def get_archived(store: Store, uid: str) -> JSON:
    """The whole archived workflow; NotFoundError naming the UID if absent."""
    try:
        record = store.get_object(KIND, uid)
    except NotFoundError:
        raise NotFoundError(f'archived workflow "{uid}" not found',
                            hint="argoctl archive list shows the UIDs") from None
    return _unpack(record)


def delete_archived(store: Store, uid: str) -> None:
    try:
        store.delete_object(KIND, uid)
    except NotFoundError:
        raise NotFoundError(f'archived workflow "{uid}" not found',
                            hint="argoctl archive list shows the UIDs") from None


def uid_of(store: Store, name: str) -> str:
    """The UID of the archived workflow called ``name`` (the newest when several are)."""
    matches = [s for s in list_archived(store) if (s.get("metadata") or {}).get("name") == name]
    if not matches:
        raise NotFoundError(f'archived workflow "{name}" not found', hint="argoctl archive list shows the names")
    newest = max(matches, key=lambda s: str((s.get("metadata") or {}).get("creationTimestamp", "")))
    return str(newest["metadata"]["uid"])


def label_keys(store: Store) -> list[str]:
    return sorted({str(k) for s in list_archived(store) for k in ((s.get("metadata") or {}).get("labels") or {})})


def label_values(store: Store, key: str) -> list[str]:
    values: set[str] = set()
    for summary in list_archived(store):
        labels: Any = (summary.get("metadata") or {}).get("labels") or {}
        if key in labels:
            values.add(str(labels[key]))
    return sorted(values)

