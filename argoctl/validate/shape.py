"""The object's outer shape, checked before anything else (one path for lint and submit).

``metadata`` and ``spec`` must be mappings, the object needs a name (or, where the kind may be
created with one, a ``generateName``), and metadata's string maps hold strings. Anything
``submit`` would otherwise trip over later is reported here, so ``lint`` rejects it too.
"""

from __future__ import annotations

from typing import Any

from argoctl.parse.document import describe_value
from argoctl.validate.context import Context

_WORKFLOW_NAME_HINT = "add metadata.generateName: my-workflow-, or pass --name to submit"


def check_object_shape(ctx: Context, kind: str) -> bool:
    """Report shape problems; ``False`` when the object is too broken to validate further."""
    obj = ctx.doc.obj
    metadata = obj.get("metadata")
    whole = True
    if metadata is not None and not isinstance(metadata, dict):
        ctx.report_at(("metadata",), f"metadata must be a mapping, not {describe_value(metadata)}")
        whole = False
    spec = obj.get("spec")
    if spec is None:
        ctx.report_at((), "spec is required")
        whole = False
    elif not isinstance(spec, dict):
        ctx.report_at(("spec",), f"spec must be a mapping, not {describe_value(spec)}")
        whole = False
    if isinstance(metadata, dict) or metadata is None:
        _check_metadata(ctx, kind, metadata or {})
    return whole


def _check_metadata(ctx: Context, kind: str, metadata: dict[str, Any]) -> None:
    for field in ("name", "generateName", "namespace"):
        value = metadata.get(field)
        if value is not None and not isinstance(value, str):
            ctx.report_at(("metadata", field), f"metadata.{field} must be a string, not {describe_value(value)}")
    name, prefix = metadata.get("name"), metadata.get("generateName")
    if not name and not prefix:
        hint = _WORKFLOW_NAME_HINT if kind == "Workflow" else "add metadata.name"
        ctx.report_at(("metadata",), f"name or generateName is required ({hint})")
    for field in ("labels", "annotations"):
        value = metadata.get(field)
        if value is None:
            continue
        if not isinstance(value, dict):
            ctx.report_at(("metadata", field), f"metadata.{field} must be a mapping of strings")
            continue
        for key, item in value.items():
            if not isinstance(item, str):
                ctx.report_at(("metadata", field, key), f'metadata.{field}["{key}"] must be a string, not '
                              f"{describe_value(item)} (quote the value)")
