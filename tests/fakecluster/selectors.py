"""Label selectors (=, ==, !=, in, notin, exists, !key) and field selectors (=, ==, !=)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tests.fakecluster.errors import bad_request

JSON = dict[str, Any]

_KEY = r"(?:[a-z0-9A-Z.\-]+/)?[a-zA-Z0-9]([a-zA-Z0-9_.\-]*[a-zA-Z0-9])?"
_KEY_RE = re.compile(_KEY)
_VALUE_RE = re.compile(r"(|[a-zA-Z0-9]([a-zA-Z0-9_.\-]*[a-zA-Z0-9])?)")


@dataclass(frozen=True)
class Requirement:
    key: str
    op: str  # "=", "!=", "in", "notin", "exists", "!"
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        present = self.key in labels
        value = labels.get(self.key)
        if self.op == "exists":
            return present
        if self.op == "!":
            return not present
        if self.op in ("=", "in"):
            return present and value in self.values
        # "!=" and "notin" also match objects without the key
        return not present or value not in self.values


def _split_top_level(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p.strip() for p in parts]


def _check_key(key: str, selector: str) -> str:
    if not _KEY_RE.fullmatch(key) or len(key.split("/")[-1]) > 63:
        raise bad_request(f"unable to parse requirement: invalid label key \"{key}\" in selector {selector!r}")
    return key


def _check_value(value: str, selector: str) -> str:
    if not _VALUE_RE.fullmatch(value) or len(value) > 63:
        raise bad_request(f"unable to parse requirement: invalid label value: \"{value}\" in selector {selector!r}")
    return value


_SET_RE = re.compile(r"^(\S+)\s+(in|notin)\s*\((.*)\)$")


def _parse_requirement(part: str, selector: str) -> Requirement:
    set_match = _SET_RE.match(part)
    if set_match:
        key, op, body = set_match.groups()
        values = tuple(_check_value(v.strip(), selector) for v in body.split(",")) if body.strip() else ()
        if not values:
            raise bad_request(f"for 'in', 'notin' operators, values set can't be empty in {selector!r}")
        return Requirement(_check_key(key, selector), op, values)
    for op_text, op in (("!=", "!="), ("==", "="), ("=", "=")):
        if op_text in part:
            key, _, value = part.partition(op_text)
            return Requirement(_check_key(key.strip(), selector), op, (_check_value(value.strip(), selector),))
    if part.startswith("!"):
        return Requirement(_check_key(part[1:].strip(), selector), "!")
    if re.search(r"[\s()<>]", part):
        raise bad_request(f"unable to parse requirement: found '{part}' in selector {selector!r}")
    return Requirement(_check_key(part, selector), "exists")


def parse_label_selector(selector: str | None) -> tuple[Requirement, ...]:
    """Parse a label selector string; ``None`` or empty selects everything. Bad syntax -> 400."""
    if not selector or not selector.strip():
        return ()
    return tuple(_parse_requirement(part, selector) for part in _split_top_level(selector) if part)


def labels_match(requirements: tuple[Requirement, ...], obj: JSON) -> bool:
    labels = (obj.get("metadata") or {}).get("labels") or {}
    return all(req.matches(labels) for req in requirements)


# ---- field selectors ----------------------------------------------------------------------

_COMMON_FIELDS = ("metadata.name", "metadata.namespace")
SUPPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "pods": (*_COMMON_FIELDS, "spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
             "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName"),
    "secrets": (*_COMMON_FIELDS, "type"),
    "events": (*_COMMON_FIELDS, "involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
               "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
               "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
               "regarding.kind", "regarding.name", "regarding.namespace", "regarding.uid"),
    "namespaces": (*_COMMON_FIELDS, "status.phase"),
    "nodes": (*_COMMON_FIELDS, "spec.unschedulable"),
}


@dataclass(frozen=True)
class FieldRequirement:
    path: str
    negated: bool
    value: str

    def matches(self, obj: JSON) -> bool:
        actual = field_value(obj, self.path)
        return (actual != self.value) if self.negated else (actual == self.value)


def field_value(obj: JSON, path: str) -> str:
    """The string form of a dotted field (missing -> empty string, as the API server does)."""
    current: Any = obj
    if path == "source":
        path = "source.component"
    for part in path.split("."):
        current = current.get(part) if isinstance(current, dict) else None
    if current is None:
        return ""
    if isinstance(current, bool):
        return "true" if current else "false"
    return str(current)


def parse_field_selector(selector: str | None, plural: str) -> tuple[FieldRequirement, ...]:
    """Parse a field selector for a resource; unsupported fields -> 400 as the API server does."""
    if not selector or not selector.strip():
        return ()
    supported = SUPPORTED_FIELDS.get(plural, _COMMON_FIELDS)
    requirements: list[FieldRequirement] = []
    for part in (p.strip() for p in selector.split(",")):
        if not part:
            continue
        operator = next((op for op in ("!=", "==", "=") if op in part), None)
        if operator is None:
            raise bad_request(f"invalid selector: '{selector}'; can't understand '{part}'")
        path, _, value = part.partition(operator)
        negated = operator == "!="
        path = path.strip()
        if path not in supported:
            raise bad_request(f'field label not supported: {path}')
        requirements.append(FieldRequirement(path, negated, value.strip()))
    return tuple(requirements)


def fields_match(requirements: tuple[FieldRequirement, ...], obj: JSON) -> bool:
    return all(req.matches(obj) for req in requirements)


@dataclass(frozen=True)
class Selection:
    """Namespace, label and field filters of one list or watch request."""

    namespace: str | None = None
    labels: tuple[Requirement, ...] = ()
    fields: tuple[FieldRequirement, ...] = ()

    def matches(self, obj: JSON) -> bool:
        if self.namespace is not None and (obj.get("metadata") or {}).get("namespace") != self.namespace:
            return False
        return labels_match(self.labels, obj) and fields_match(self.fields, obj)
