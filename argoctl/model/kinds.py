"""Argo's template kinds, defined once for validation and the engine (``TemplateType``).

A template's kind is its first non-null field in the order Argo's ``GetType()`` checks them;
``KINDS`` pairs each field with Argo's ``TemplateType`` name.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

# (field, Argo's TemplateType) in the order Argo's GetType() checks them
KINDS: Final[tuple[tuple[str, str], ...]] = (
    ("container", "Container"),
    ("containerSet", "ContainerSet"),
    ("steps", "Steps"),
    ("dag", "DAG"),
    ("script", "Script"),
    ("resource", "Resource"),
    ("data", "Data"),
    ("suspend", "Suspend"),
    ("http", "HTTP"),
    ("plugin", "Plugin"),
)
KIND_FIELDS: Final = tuple(field for field, _ in KINDS)
# kinds that run as a pod, and leaves (no child templates): by field
POD_FIELDS: Final = frozenset({"container", "containerSet", "script", "resource", "data"})
LEAF_FIELDS: Final = POD_FIELDS | {"http", "plugin"}
TYPE_NAMES: Final = dict(KINDS)


def kind_fields(template: Mapping[str, Any]) -> list[str]:
    """Every kind field the template sets (more than one is a validation error)."""
    return [field for field in KIND_FIELDS if template.get(field) is not None]


def kind_field(template: Mapping[str, Any]) -> str:
    """The template's kind as its field name (``"container"``), ``""`` when it has none."""
    get = template.get
    for field in KIND_FIELDS:
        if get(field) is not None:
            return field
    return ""
