"""Template types and Argo's name rules, over the JSON-shaped dicts the user wrote."""

from __future__ import annotations

import re
from typing import Any

from argoctl.model.kinds import KINDS, LEAF_FIELDS, POD_FIELDS, TYPE_NAMES, kind_fields
from argoctl.parse import parameter_text

# Argo's template kinds are defined once, in argoctl.model.kinds; here by Argo's TemplateType name
TEMPLATE_TYPES = KINDS
POD_TYPES = frozenset(TYPE_NAMES[field] for field in POD_FIELDS)
LEAF_TYPES = frozenset(TYPE_NAMES[field] for field in LEAF_FIELDS)
TYPE_CHOICES = "container, containerSet, steps, script, resource, dag, suspend, template, template ref"

_FIELD_NAME = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*$")
_PARAM_NAME = re.compile(r"^[-a-zA-Z0-9_]+$")
_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_TAG = re.compile(r"\{\{[^}]*\}\}")
# A value that is one Argo variable, e.g. "{{inputs.parameters.x}}" (Argo's isParameter).
_PARAMETER = re.compile(r"\{\{[-a-zA-Z0-9]+(\.[-a-zA-Z0-9_]+)*\}\}")
FIELD_NAME_MAX = 128
FIELD_NAME_RULE = (
    "name must consist of alpha-numeric characters or '-', and must start with an "
    "alpha-numeric character (e.g. My-name1-2, 123-NAME)"
)
PARAM_NAME_RULE = (
    "Parameter/Artifact name must consist of alpha-numeric characters, '_' or '-' "
    "e.g. my_param_1, MY-PARAM-1"
)
DNS_RULE = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def go_fields(value: Any) -> dict[str, Any]:
    """A struct-typed mapping with its keys folded the way Go's JSON decoder matches them
    (case-insensitively, last key wins); only for objects whose keys are all field names."""
    fields: dict[str, Any] = {}
    for key, item in as_dict(value).items():
        fields[key.casefold()] = item
    return fields


def text(value: Any) -> str:
    """A field as Argo's string fields read it (``None`` → ``""``)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else parameter_text(value)


def declared_types(template: dict[str, Any]) -> list[str]:
    return [TYPE_NAMES[field] for field in kind_fields(template)]


def template_type(template: dict[str, Any]) -> str:
    kinds = declared_types(template)
    return kinds[0] if kinds else "Unknown"


def is_leaf(template: dict[str, Any]) -> bool:
    return template_type(template) in LEAF_TYPES


def is_pod_type(template: dict[str, Any]) -> bool:
    return template_type(template) in POD_TYPES


def container_names(template: dict[str, Any]) -> list[str]:
    containers = as_list(as_dict(template.get("containerSet")).get("containers"))
    return [text(as_dict(container).get("name")) for container in containers]


def has_output(template: dict[str, Any]) -> bool:
    """Argo's HasOutput: the template produces ``outputs.result`` and ``exitCode``."""
    if any(template.get(field) is not None for field in ("container", "script", "data", "http", "plugin")):
        return True
    return "main" in container_names(template)


def is_parameter(value: str) -> bool:
    """The value contains an Argo variable, so it is only known at run time."""
    return bool(_PARAMETER.search(value))


def has_tag(value: str) -> bool:
    return "{{" in value


def field_name_errors(name: str) -> list[str]:
    errors = []
    if len(name) > FIELD_NAME_MAX:
        errors.append(f"must be no more than {FIELD_NAME_MAX} characters")
    if not _FIELD_NAME.match(name):
        errors.append(FIELD_NAME_RULE)
    return errors


def step_name_errors(name: str) -> list[str]:
    """Step names may hold variables resolved at run time; check the literal parts only."""
    return field_name_errors(_TAG.sub("x", name))


def param_name_errors(name: str) -> list[str]:
    return [] if _PARAM_NAME.match(name) else [PARAM_NAME_RULE]


def dns_subdomain_errors(name: str, *, prefix: bool = False) -> list[str]:
    """Kubernetes object-name rules; ``prefix`` for ``generateName`` (a suffix is appended)."""
    if prefix and name.endswith("-"):
        name = name[:-1] + "a"
    errors = []
    if len(name) > 253:
        errors.append("must be no more than 253 characters")
    if not _DNS_SUBDOMAIN.match(name):
        errors.append(DNS_RULE)
    return errors


def name_list_errors(items: list[Any], *, parameters: bool) -> list[tuple[int, str]]:
    """Argo's rules for a list of named things: ``(index, "[i].name ...")`` for each bad one."""
    seen: set[str] = set()
    errors: list[tuple[int, str]] = []
    for index, item in enumerate(items):
        name = text(as_dict(item).get("name"))
        if not name:
            errors.append((index, f"[{index}].name is required"))
            continue
        problems = param_name_errors(name) if parameters else field_name_errors(name)
        if problems:
            errors.append((index, f"[{index}].name: '{name}' is invalid: {';'.join(problems)}"))
        elif name in seen:
            errors.append((index, f"[{index}].name '{name}' is not unique"))
        seen.add(name)
    return errors
