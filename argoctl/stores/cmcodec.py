"""How the ConfigMap store lays Argo-shaped JSON into ConfigMaps: names, labels, payloads. Pure.

A workflow ``W`` lives in the ConfigMap ``argoctl-wf-W`` labelled ``app.kubernetes.io/managed-by=argoctl``,
``argoctl.io/kind=workflow``, ``workflows.argoproj.io/workflow=W`` plus the workflow's own labels
(phase and completed among them), so a label selector finds workflows in one LIST. Its payload:

- up to ``INLINE_LIMIT`` bytes of JSON: ``data["workflow.json"]`` (readable with kubectl);
- larger: gzip in ``binaryData["workflow.json.gz"]`` while that fits ``CONFIGMAP_BUDGET``;
- larger still: the gzip split into part ConfigMaps ``argoctl-wf-W-<generation>-<i>`` (owned by the
  main one, so deleting it collects them) and ``data["summary.json"]`` (what ``list`` shows) in
  the main ConfigMap, whose annotation ``argoctl.io/parts: <generation>/<count>`` names them.

The workflow's uid is the main ConfigMap's uid (pods owned by it are garbage-collected with it);
it is not stored in the payload. Everything else (resourceVersion counter, creationTimestamp)
follows ``argoctl.stores.records``.
"""

from __future__ import annotations

import re
from typing import Any

from argoctl.errors import StoreError, UsageError
from argoctl.model.ids import fnv32a
from argoctl.stores import records
from argoctl.stores.base import JSON

MANAGED_BY = "app.kubernetes.io/managed-by"
KIND_LABEL = "argoctl.io/kind"
WORKFLOW_LABEL = "workflows.argoproj.io/workflow"
PART_OF_LABEL = "argoctl.io/part-of"
GENERATION_LABEL = "argoctl.io/generation"
STREAM_LABEL = "argoctl.io/log-stream"
PARTS_ANNOTATION = "argoctl.io/parts"
INDEX_ANNOTATION = "argoctl.io/index"
OWNER = {MANAGED_BY: "argoctl"}

WORKFLOW_KEY = "workflow.json"
WORKFLOW_GZ_KEY = "workflow.json.gz"
SUMMARY_KEY = "summary.json"
PART_KEY = "part"
OBJECT_KEY = "object.json"

INLINE_LIMIT = 256 * 1024  # plain JSON up to this size
CONFIGMAP_BUDGET = 900 * 1024  # of the API's 1 MiB per ConfigMap, leaving room for metadata
SUMMARY_BUDGET = 256 * 1024  # a split workflow's summary keeps its slim nodes while they fit

# object kinds kept as labelled ConfigMaps (ConfigMap and Secret are stored as themselves)
ENCODED_KINDS = {"WorkflowTemplate": "wftmpl", "ClusterWorkflowTemplate": "cwftmpl", "CronWorkflow": "cronwf",
                 "WorkflowCommand": "cmd", "ArchivedWorkflow": "arcwf"}

# patterns, compiled by ``re`` on first use (and cached there): a short command matches few of them
_LABEL_VALUE = r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"
_LABEL_NAME = r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"
_LABEL_PREFIX = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
_MAX_NAME = 253
_DNS_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$"


def label_value(text: str) -> str:
    """``text`` when it is a valid label value, else a stable hash of it (``h-<fnv32a hex>``)."""
    if len(text) <= 63 and re.match(_LABEL_VALUE, text):
        return text
    return f"h-{fnv32a(text):08x}"


def valid_label(key: str, value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 63 or not re.match(_LABEL_VALUE, value):
        return False
    prefix, _, name = key.rpartition("/")
    if prefix and (len(prefix) > 253 or not re.match(_LABEL_PREFIX, prefix)):
        return False
    return len(name) <= 63 and bool(re.match(_LABEL_NAME, name))


def configmap_name(prefix: str, name: str) -> str:
    full = f"argoctl-{prefix}-{name}"
    if len(full) > _MAX_NAME or not re.match(_DNS_SUBDOMAIN, name):
        raise UsageError(f"{name!r} cannot be stored in a ConfigMap",
                         hint="use lower-case letters, digits, '-' and '.', at most "
                              f"{_MAX_NAME - len(prefix) - 9} characters")
    return full


def workflow_configmap_name(workflow: str) -> str:
    """The ConfigMap holding workflow ``workflow``: pods' ownerReferences point at it."""
    return configmap_name("wf", records.check_name("workflow", workflow))


def configmap(name: str, labels: dict[str, str], *, data: dict[str, str] | None = None,
              binary: dict[str, bytes] | None = None, annotations: dict[str, str] | None = None,
              resource_version: str = "", owner: JSON | None = None) -> JSON:
    """A ConfigMap body."""
    metadata: JSON = {"name": name, "labels": {**labels, **OWNER}}
    if annotations:
        metadata["annotations"] = annotations
    if resource_version:
        metadata["resourceVersion"] = resource_version
    if owner:
        metadata["ownerReferences"] = [owner]
    body: JSON = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data or {}}
    if binary:
        import base64  # here, as gzip below: a list of small workflows needs neither

        body["binaryData"] = {key: base64.b64encode(value).decode() for key, value in binary.items()}
    return body


def owner_reference(cm: JSON) -> JSON:
    meta = cm.get("metadata") or {}
    return {"apiVersion": "v1", "kind": "ConfigMap", "name": meta.get("name"), "uid": meta.get("uid"),
            "blockOwnerDeletion": False}


dumps = records.encode


def loads(data: bytes | str, where: str) -> JSON:
    return records.decode(data, where, hint="delete or restore it")


def binary_value(cm: JSON, key: str) -> bytes | None:
    value = (cm.get("binaryData") or {}).get(key)
    if value is None:
        return None
    import base64

    return base64.b64decode(value)


# -- workflows -----------------------------------------------------------------------------------


class Payload:
    """A workflow laid out for ConfigMaps: the main one's data/binaryData and the part chunks."""

    __slots__ = ("binary", "data", "parts")

    def __init__(self, data: dict[str, str] | None = None, binary: dict[str, bytes] | None = None,
                 parts: list[bytes] | None = None) -> None:
        self.data = data or {}
        self.binary = binary or {}
        self.parts = parts or []


def workflow_labels(workflow: JSON) -> dict[str, str]:
    """The workflow's own valid labels, then argoctl's (which win)."""
    metadata = records.metadata_of(workflow)
    own = {str(k): v for k, v in (metadata.get("labels") or {}).items() if valid_label(str(k), v)}
    return {**own, KIND_LABEL: "workflow", WORKFLOW_LABEL: label_value(str(metadata["name"]))}


def encode_workflow(workflow: JSON) -> Payload:
    """The payload of ``workflow`` (its uid left out: the ConfigMap's uid is the workflow's)."""
    body = records.clone(workflow)
    records.metadata_of(body).pop("uid", None)
    text = dumps(body)
    if len(text) <= INLINE_LIMIT:
        return Payload(data={WORKFLOW_KEY: text.decode()})
    import gzip

    packed = gzip.compress(text, compresslevel=6, mtime=0)
    if len(packed) <= CONFIGMAP_BUDGET:
        return Payload(binary={WORKFLOW_GZ_KEY: packed})
    summary = records.summarize(body)
    if len(dumps(summary)) > SUMMARY_BUDGET:
        (summary.get("status") or {}).pop("nodes", None)
    chunks = [packed[i:i + CONFIGMAP_BUDGET] for i in range(0, len(packed), CONFIGMAP_BUDGET)]
    return Payload(data={SUMMARY_KEY: dumps(summary).decode()}, parts=chunks)


def parts_of(cm: JSON) -> tuple[str, int] | None:
    """(generation, count) when the workflow is split across part ConfigMaps."""
    note = ((cm.get("metadata") or {}).get("annotations") or {}).get(PARTS_ANNOTATION)
    if not note:
        return None
    generation, _, count = str(note).partition("/")
    return generation, int(count or 0)


def part_labels(workflow: str, generation: str) -> dict[str, str]:
    return {KIND_LABEL: "workflow-part", PART_OF_LABEL: label_value(workflow), GENERATION_LABEL: generation}


def with_uid(workflow: JSON, cm: JSON) -> JSON:
    """The stored workflow with the ConfigMap's uid as its own."""
    uid = (cm.get("metadata") or {}).get("uid")
    if uid:
        records.metadata_of(workflow)["uid"] = uid
    return workflow


def decode_inline(cm: JSON) -> JSON | None:
    """The workflow held in the main ConfigMap itself; None when it is split into parts."""
    where = f'ConfigMap "{(cm.get("metadata") or {}).get("name")}"'
    text = (cm.get("data") or {}).get(WORKFLOW_KEY)
    if text is not None:
        return with_uid(loads(text, where), cm)
    packed = binary_value(cm, WORKFLOW_GZ_KEY)
    if packed is not None:
        import gzip

        return with_uid(loads(gzip.decompress(packed), where), cm)
    if parts_of(cm) is None:
        raise StoreError(f"{where} holds no workflow", hint=f"delete it: kubectl delete configmap {where[11:-1]}")
    return None


def decode_parts(cm: JSON, parts: list[JSON]) -> JSON:
    """The workflow from the main ConfigMap's part ConfigMaps (in any order)."""
    ordered = sorted(parts, key=lambda p: int(((p.get("metadata") or {}).get("annotations") or {})
                                              .get(INDEX_ANNOTATION, 0)))
    packed = b"".join(binary_value(p, PART_KEY) or b"" for p in ordered)
    where = f'the parts of ConfigMap "{(cm.get("metadata") or {}).get("name")}"'
    import gzip

    try:
        return with_uid(loads(gzip.decompress(packed), where), cm)
    except (OSError, EOFError) as err:
        raise StoreError(f"{where} are incomplete: {err}", hint="try again") from err


def summary_of(cm: JSON) -> JSON:
    """What ``list_workflows`` returns for one workflow ConfigMap."""
    text = (cm.get("data") or {}).get(SUMMARY_KEY)
    if text is not None:
        return with_uid(loads(text, f'ConfigMap "{cm["metadata"].get("name")}"'), cm)
    workflow = decode_inline(cm)
    return records.summarize(workflow or {})


# -- other objects -------------------------------------------------------------------------------


def object_configmap_name(kind: str, name: str) -> str:
    return configmap_name(ENCODED_KINDS[kind], records.check_name(kind, name))


def object_labels(kind: str, obj: JSON) -> dict[str, str]:
    labels = {KIND_LABEL: kind.lower()}
    workflow = ((obj.get("metadata") or {}).get("labels") or {}).get("workflow")
    if workflow:
        labels[WORKFLOW_LABEL] = label_value(str(workflow))
    return labels


def decode_object(cm: JSON) -> JSON:
    return loads((cm.get("data") or {}).get(OBJECT_KEY) or "", f'ConfigMap "{cm["metadata"].get("name")}"')


def log_stream(workflow: str, pod: str, container: str) -> str:
    return f"{fnv32a(f'{workflow}/{pod}/{container}'):08x}"


def split_text(text: str, limit: int = CONFIGMAP_BUDGET // 2) -> list[str]:
    """``text`` in pieces of at most ``limit`` UTF-8 bytes, never splitting a character."""
    raw = text.encode()
    pieces: list[str] = []
    start = 0
    while start < len(raw):
        end = min(len(raw), start + limit)
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:
            end -= 1
        pieces.append(raw[start:end].decode())
        start = end
    return pieces
