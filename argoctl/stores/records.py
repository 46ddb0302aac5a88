"""Record rules every store shares: names, metadata stamping, resourceVersions, summaries, leases.

Pure functions over Argo-shaped JSON (no I/O); the local, object-store and ConfigMap stores call
them so that all stores behave alike.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from argoctl.errors import ConflictError, NotFoundError, StoreError, UsageError
from argoctl.model import INTERNAL_KEY
from argoctl.stores.base import INTERNAL_KINDS, JSON, OBJECT_KINDS, Lease

# kind -> the resource name Argo and Kubernetes use in messages
RESOURCE = {
    "Workflow": "workflows.argoproj.io",
    "WorkflowTemplate": "workflowtemplates.argoproj.io",
    "ClusterWorkflowTemplate": "clusterworkflowtemplates.argoproj.io",
    "CronWorkflow": "cronworkflows.argoproj.io",
    "ConfigMap": "configmaps",
    "Secret": "secrets",
    "ArchivedWorkflow": "archived workflow",
}
CLUSTER_KINDS = frozenset({"ClusterWorkflowTemplate"})

# lenient on purpose (lint enforces Argo's rules); what matters here is that a name is one safe
# path segment / key segment: no '/', no leading '.', nothing empty
# compiled by ``re`` on first use (and cached there)
_SAFE_NAME = r"^[A-Za-z0-9]([-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?$"
_GENERATED_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # Kubernetes' generateName alphabet
_GENERATED_PREFIX_MAX = 63 - 5  # a longer generateName is cut so the name fits a label value
_GENERATE_ATTEMPTS = 8

# status fields a list summary leaves out (``get`` returns them)
_HEAVY_STATUS = ("nodes", "storedTemplates", "storedWorkflowTemplateSpec", "compressedNodes", INTERNAL_KEY)
_SUMMARY_NODE_FIELDS = ("id", "name", "displayName", "type", "phase")


def check_name(what: str, name: str) -> str:
    if not isinstance(name, str) or not re.match(_SAFE_NAME, name):
        raise UsageError(
            f"invalid {what} name {name!r}",
            hint="names are letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
        )
    return name


def check_kind(kind: str) -> str:
    if kind not in OBJECT_KINDS and kind not in INTERNAL_KINDS:
        raise UsageError(f"the store does not keep objects of kind {kind!r}", hint=f"kinds: {', '.join(OBJECT_KINDS)}")
    return kind


def not_found(kind: str, name: str) -> NotFoundError:
    return NotFoundError(f'{RESOURCE.get(kind, kind)} "{name}" not found')


def metadata_of(obj: JSON) -> JSON:
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        raise UsageError("the object has no metadata", hint="add metadata.name")
    return metadata


def name_of(obj: JSON) -> str:
    name = metadata_of(obj).get("name")
    if not name:
        raise UsageError("the object has no metadata.name", hint="add metadata.name")
    return check_name(str(obj.get("kind") or "object"), name)


def sort_key(obj: JSON) -> str:
    """Stores return lists sorted by ``metadata.name``."""
    return str(obj.get("metadata", {}).get("name", ""))


def has_fixed_name(obj: JSON) -> bool:
    return bool(metadata_of(obj).get("name"))


def generate_name_of(obj: JSON) -> str:
    return str(metadata_of(obj).get("generateName") or "")


def candidate_names(obj: JSON) -> Iterator[str]:
    """``metadata.name``, or a few ``generateName`` + 5 random characters to try in turn."""
    if has_fixed_name(obj):
        yield name_of(obj)
        return
    prefix = generate_name_of(obj)
    if not prefix:
        raise UsageError("the workflow has neither metadata.name nor metadata.generateName", hint="add one")
    for _ in range(_GENERATE_ATTEMPTS):
        yield check_name("generated", generated_name(prefix))


def generated_name(prefix: str) -> str:
    """A name for ``generateName: prefix``, as the API server's SimpleNameGenerator makes it: the
    prefix cut to 58 characters, then 5 random ones (so the name fits a label value)."""
    return f"{prefix[:_GENERATED_PREFIX_MAX]}{random_suffix()}"


def random_suffix(length: int = 5) -> str:
    """Random characters from Kubernetes' generateName alphabet, uniformly (``os.urandom``, as
    ``secrets`` draws them; ``secrets`` itself loads OpenSSL, a few ms of every submit's start)."""
    alphabet = _GENERATED_ALPHABET
    usable = 256 - 256 % len(alphabet)  # bytes at or above this would favour the first characters
    chars: list[str] = []
    while len(chars) < length:
        chars.extend(alphabet[b % len(alphabet)] for b in os.urandom(length * 2) if b < usable)
    return "".join(chars[:length])


def random_uid() -> str:
    """A random (version 4) UUID in its text form, as ``str(uuid.uuid4())`` makes it (``uuid``
    imports ``platform``: start-up time)."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def encode(document: Any) -> bytes:
    """A stored document as compact UTF-8 JSON (the one byte form every store writes)."""
    try:
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()
    except (TypeError, ValueError) as err:
        raise UsageError(f"the object is not plain JSON: {err}") from err


def decode(data: bytes | str, where: str, hint: str) -> JSON:
    """A stored document back from its bytes; damage is a StoreError naming ``where``."""
    try:
        document = json.loads(data)
    except ValueError as err:
        raise StoreError(f"{where} is not valid JSON: {err}", hint=hint) from None
    if not isinstance(document, dict):
        raise StoreError(f"{where} does not hold a JSON object", hint=hint)
    return document


def rfc3339(unix_seconds: float) -> str:
    """``2024-05-01T12:00:00Z`` (second precision, as Kubernetes prints times)."""
    return datetime.fromtimestamp(unix_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def clone(obj: JSON) -> JSON:
    """A deep copy that is also proof that ``obj`` is plain JSON."""
    try:
        copied: JSON = json.loads(json.dumps(obj))
    except (TypeError, ValueError) as err:
        raise UsageError(f"the object is not plain JSON: {err}") from err
    return copied


def stamp_new(obj: JSON, name: str, namespace: str, now: float) -> JSON:
    """A copy of ``obj`` ready to be created: name, namespace, uid, creationTimestamp, version 1."""
    stored = clone(obj)
    metadata = metadata_of(stored)
    metadata["name"] = name
    kind = str(stored.get("kind") or "")
    if kind in CLUSTER_KINDS:
        metadata.pop("namespace", None)
    else:
        given = metadata.get("namespace")
        if given and given != namespace:
            raise UsageError(
                f'the namespace from the provided object "{given}" does not match the namespace "{namespace}". '
                f"You must pass '--namespace={given}' to perform this operation.",
            )
        metadata["namespace"] = namespace
    metadata["uid"] = random_uid()
    metadata["creationTimestamp"] = metadata.get("creationTimestamp") or rfc3339(now)
    metadata["resourceVersion"] = "1"
    return stored


def version_of(obj: JSON) -> int:
    try:
        return int(metadata_of(obj).get("resourceVersion") or 0)
    except (TypeError, ValueError):
        return 0


def next_version(new: JSON, current: JSON, kind: str, *, check: bool = True) -> JSON:
    """``new`` as the next version of ``current``; ConflictError if ``new`` was read from an older one.

    A missing ``metadata.resourceVersion`` means an unconditional write (as in Kubernetes).
    Identity (name, namespace, uid, creationTimestamp) always comes from ``current``.
    """
    given = metadata_of(new).get("resourceVersion")
    current_meta = metadata_of(current)
    if check and given not in (None, "") and str(given) != str(current_meta.get("resourceVersion")):
        raise ConflictError(
            f'Operation cannot be fulfilled on {RESOURCE.get(kind, kind)} "{current_meta.get("name")}": '
            "the object has been modified; please apply your changes to the latest version and try again"
        )
    # a shallow copy with its own metadata: every store encodes ``stored`` at once (which is the
    # plain-JSON proof), so a deep copy of a 10,000-node status only cost memory
    stored = {**new, "metadata": dict(metadata_of(new))}
    metadata = stored["metadata"]
    for key in ("name", "namespace", "uid", "creationTimestamp"):
        if key in current_meta:
            metadata[key] = current_meta[key]
    metadata["resourceVersion"] = str(version_of(current) + 1)
    return stored


def applied(obj: JSON, current: JSON | None, kind: str, namespace: str, now: float) -> JSON:
    """``apply`` semantics: create, or replace keeping identity; the given resourceVersion is ignored."""
    stamped = clone(obj)
    stamped.setdefault("kind", kind)
    if current is None:
        return stamp_new(stamped, name_of(obj), namespace, now)
    return next_version(stamped, current, kind, check=False)


def summarize(workflow: JSON) -> JSON:
    """What ``list_workflows`` returns: the workflow without its heavy parts.

    Kept: apiVersion, kind, metadata, spec without ``templates``, status without nodes' details,
    stored templates and argoctl's internal bookkeeping; ``status.nodes`` keeps id, name, displayName, type and phase of each
    node (enough for ``list -o wide``'s P/R/C). ``get_workflow`` returns the whole object.
    """
    summary: JSON = {key: workflow[key] for key in ("apiVersion", "kind", "metadata") if key in workflow}
    spec = workflow.get("spec")
    if isinstance(spec, dict):
        summary["spec"] = {key: value for key, value in spec.items() if key != "templates"}
    status = workflow.get("status")
    if isinstance(status, dict):
        slim: JSON = {key: value for key, value in status.items() if key not in _HEAVY_STATUS}
        nodes = status.get("nodes")
        if isinstance(nodes, dict):
            slim["nodes"] = {node_id: _slim_node(node) for node_id, node in nodes.items()}
        summary["status"] = slim
    return summary


def _slim_node(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    return {key: node[key] for key in _SUMMARY_NODE_FIELDS if key in node}


def lease_to_json(lease: Lease) -> JSON:
    return {"holder": lease.holder, "renewedAt": lease.renewed_at, "ttlSeconds": lease.ttl_seconds}


def lease_from_json(data: JSON) -> Lease:
    return Lease(
        holder=str(data.get("holder", "")),
        renewed_at=float(data.get("renewedAt", 0.0)),
        ttl_seconds=float(data.get("ttlSeconds", 0.0)),
    )


def check_lease_free(current: Lease | None, workflow: str, holder: str, now: float) -> None:
    """Pass when ``holder`` may take the lease (free, expired or its own), else ConflictError."""
    if current is None or current.holder == holder or current.expired(now):
        return
    expires = current.renewed_at + current.ttl_seconds
    raise ConflictError(
        f'workflow "{workflow}" is driven by {current.holder}; its lease expires at '
        f"{rfc3339(expires)} (in {max(0.0, expires - now):.0f}s)",
        hint="wait for that driver to finish, or take over with `argoctl watch` once the lease has expired",
    )
