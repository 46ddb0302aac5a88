"""Validation as the API server does it: names and labels for every object, pods against the real
schema (kubernetes-validate) plus the semantic checks the schema cannot express, and the size and
key rules of ConfigMaps and Secrets."""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
from typing import Any

import kubernetes_validate

from tests.fakecluster.errors import ApiError, invalid
from tests.fakecluster.resources import ResourceType

JSON = dict[str, Any]

SCHEMA_VERSION = "1.32"
CONFIG_SIZE_LIMIT = 1024 * 1024
ANNOTATIONS_SIZE_LIMIT = 256 * 1024
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_LABEL_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_SUBDOMAIN_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                  "and must start and end with an alphanumeric character")
_LABEL_MSG = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
              "and must start and end with an alphanumeric character")


def cause(reason: str, field: str, message: str) -> JSON:
    return {"reason": reason, "message": message, "field": field}


def required(field: str) -> JSON:
    return cause("FieldValueRequired", field, "Required value")


def bad_value(field: str, value: Any, why: str) -> JSON:
    return cause("FieldValueInvalid", field, f"Invalid value: {json.dumps(value)}: {why}")


def _check_dns(field: str, value: str, label: bool) -> list[JSON]:
    pattern, limit, why = (_DNS_LABEL, 63, _LABEL_MSG) if label else (_DNS_SUBDOMAIN, 253, _SUBDOMAIN_MSG)
    if len(value) > limit:
        return [bad_value(field, value, f"must be no more than {limit} characters")]
    return [] if pattern.fullmatch(value) else [bad_value(field, value, why)]


def _check_labels(labels: Any) -> list[JSON]:
    problems: list[JSON] = []
    for key, value in (labels or {}).items():
        prefix, _, name = key.rpartition("/")
        if (prefix and not _DNS_SUBDOMAIN.fullmatch(prefix)) or len(name) > 63 or not _LABEL_NAME.fullmatch(name):
            problems.append(bad_value("metadata.labels", key, "name part must consist of alphanumeric characters, "
                                      "'-', '_' or '.', and must start and end with an alphanumeric character"))
        if not isinstance(value, str) or len(value) > 63 or (value and not _LABEL_NAME.fullmatch(value)):
            problems.append(bad_value("metadata.labels", value, "a valid label must be an empty string or consist "
                                      "of alphanumeric characters, '-', '_' or '.', and must start and end with "
                                      "an alphanumeric character (at most 63 characters)"))
    return problems


def check_metadata(rt: ResourceType, obj: JSON) -> list[JSON]:
    meta = obj.get("metadata") or {}
    name = str(meta.get("name", ""))
    problems = _check_dns("metadata.name", name, label=rt.plural == "namespaces")
    problems += _check_labels(meta.get("labels"))
    annotations = meta.get("annotations") or {}
    if sum(len(k) + len(str(v)) for k, v in annotations.items()) > ANNOTATIONS_SIZE_LIMIT:
        problems.append(cause("FieldValueTooLong", "metadata.annotations",
                              f"Too long: must have at most {ANNOTATIONS_SIZE_LIMIT} bytes"))
    return problems


@functools.lru_cache(maxsize=16)
def _schema_validator(kind: str, api_version: str, strict: bool) -> Any:
    """The kubernetes-validate schema for a kind, loaded once (its ``validate()`` reloads the
    1.3 MB definitions on every call)."""
    from jsonschema.validators import Draft202012Validator
    from referencing import Registry, Resource

    utils = kubernetes_validate.utils
    version = [v for v in utils.all_versions() if utils.major_minor(v) <= SCHEMA_VERSION][-1]
    schema_dir = f"v{version}-local" + ("-strict" if strict else "")
    group_version = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    schema = utils.schema_contents(f"kubernetes-json-schema/{schema_dir}/{kind.lower()}-{group_version}.json", version)
    definitions = utils.schema_contents(f"kubernetes-json-schema/{schema_dir}/_definitions.json", version)
    registry: Any = Resource.from_contents(schema) @ Registry()
    registry = Resource.from_contents(definitions) @ registry
    return Draft202012Validator(schema, registry=registry)


def _schema_problems(obj: JSON, strict: bool) -> list[JSON]:
    validator = _schema_validator(str(obj.get("kind")), str(obj.get("apiVersion")), strict)
    problems = []
    for error in sorted(validator.iter_errors(obj), key=lambda e: [str(p) for p in e.path])[:10]:
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path).lstrip(".")
        problems.append(cause("FieldValueInvalid", field, str(error.message)))
    return problems


def _check_container(field: str, container: JSON, volume_names: set[str]) -> list[JSON]:
    problems = _check_dns(f"{field}.name", str(container.get("name", "")), label=True)
    if not container.get("image"):
        problems.append(required(f"{field}.image"))
    seen_paths: set[str] = set()
    for index, mount in enumerate(container.get("volumeMounts") or []):
        mount_field = f"{field}.volumeMounts[{index}]"
        if mount.get("name") not in volume_names:
            problems.append(cause("FieldValueNotFound", f"{mount_field}.name", f"Not found: {json.dumps(mount.get('name'))}"))
        path = mount.get("mountPath", "")
        if not path:
            problems.append(required(f"{mount_field}.mountPath"))
        elif path in seen_paths:
            problems.append(bad_value(f"{mount_field}.mountPath", path, "must be unique"))
        seen_paths.add(path)
    for index, env in enumerate(container.get("env") or []):
        if not env.get("name") or "=" in env["name"]:
            problems.append(bad_value(f"{field}.env[{index}].name", env.get("name", ""), "a valid environment variable name must consist only of printable ASCII characters other than '='"))
    policy = container.get("terminationMessagePolicy", "File")
    if policy not in ("File", "FallbackToLogsOnError"):
        problems.append(cause("FieldValueNotSupported", f"{field}.terminationMessagePolicy",
                              f'Unsupported value: "{policy}": supported values: "File", "FallbackToLogsOnError"'))
    for index, port in enumerate(container.get("ports") or []):
        number = port.get("containerPort")
        if not isinstance(number, int) or not 0 < number < 65536:
            problems.append(bad_value(f"{field}.ports[{index}].containerPort", number, "must be between 1 and 65535, inclusive"))
    return problems


def _check_pod_spec(spec: JSON) -> list[JSON]:
    problems: list[JSON] = []
    volume_names: set[str] = set()
    for index, volume in enumerate(spec.get("volumes") or []):
        name = str(volume.get("name", ""))
        problems += _check_dns(f"spec.volumes[{index}].name", name, label=True)
        if name in volume_names:
            problems.append(cause("FieldValueDuplicate", f"spec.volumes[{index}].name", f'Duplicate value: "{name}"'))
        volume_names.add(name)
    if not spec.get("containers"):
        problems.append(required("spec.containers"))
    names: set[str] = set()
    for kind in ("initContainers", "containers"):
        for index, container in enumerate(spec.get(kind) or []):
            field = f"spec.{kind}[{index}]"
            problems += _check_container(field, container, volume_names)
            name = container.get("name")
            if name in names:
                problems.append(cause("FieldValueDuplicate", f"{field}.name", f'Duplicate value: "{name}"'))
            names.add(name)
    policy = spec.get("restartPolicy", "Always")
    if policy not in ("Always", "OnFailure", "Never"):
        problems.append(cause("FieldValueNotSupported", "spec.restartPolicy",
                              f'Unsupported value: "{policy}": supported values: "Always", "Never", "OnFailure"'))
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and (not isinstance(deadline, int) or deadline < 1):
        problems.append(bad_value("spec.activeDeadlineSeconds", deadline, "must be between 1 and 2147483647, inclusive"))
    return problems


def _check_config_data(obj: JSON, secret: bool) -> list[JSON]:
    problems: list[JSON] = []
    size = 0
    fields = ("data",) if secret else ("data", "binaryData")
    seen: set[str] = set()
    for field in fields:
        for key, value in (obj.get(field) or {}).items():
            if len(key) > 253 or not _CONFIG_KEY.fullmatch(key):
                problems.append(bad_value(f"{field}[{key}]", key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"))
            if key in seen:
                problems.append(bad_value(f"{field}[{key}]", key, "duplicate of key present in data"))
            seen.add(key)
            if (secret or field == "binaryData") and isinstance(value, str):
                try:
                    size += len(base64.b64decode(value, validate=True))
                except (binascii.Error, ValueError):
                    problems.append(bad_value(f"{field}[{key}]", "<value>", "illegal base64 data"))
            else:
                size += len(str(value).encode())
    if size > CONFIG_SIZE_LIMIT:
        problems.append(cause("FieldValueTooLong", "[]" if not secret else "data",
                              f"Too long: must have at most {CONFIG_SIZE_LIMIT} bytes"))
    return problems


def validate_object(rt: ResourceType, obj: JSON, strict_fields: bool, *, check_schema: bool = True) -> None:
    """Raise 422 Invalid when the API server would reject ``obj``."""
    problems = check_metadata(rt, obj)
    if rt.group == "" and rt.plural == "pods":
        if check_schema:
            problems += _schema_problems(obj, strict_fields)
        problems += _check_pod_spec(obj.get("spec") or {})
    elif rt.group == "" and rt.plural in ("configmaps", "secrets"):
        problems += _check_config_data(obj, secret=rt.plural == "secrets")
    if problems:
        raise invalid(rt.kind, rt.group, str((obj.get("metadata") or {}).get("name", "")), problems)


_MUTABLE_POD_SPEC = ("activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds")


def check_pod_update(old: JSON, new: JSON) -> None:
    """Pods allow spec changes only to images, activeDeadlineSeconds and added tolerations."""
    old_spec, new_spec = dict(old.get("spec") or {}), dict(new.get("spec") or {})
    for key in (*_MUTABLE_POD_SPEC, "nodeName"):
        old_spec.pop(key, None)
        new_spec.pop(key, None)
    for spec in (old_spec, new_spec):
        for kind in ("containers", "initContainers"):
            spec[kind] = [{k: v for k, v in c.items() if k != "image"} for c in spec.get(kind) or []]
    if old_spec != new_spec:
        name = str((new.get("metadata") or {}).get("name", ""))
        raise ApiError(422, "Invalid", f'Pod "{name}" is invalid: spec: Forbidden: pod updates may not change fields '
                       "other than `spec.containers[*].image`, `spec.initContainers[*].image`, "
                       "`spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), "
                       "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                       {"name": name, "kind": "Pod", "causes": [cause("FieldValueForbidden", "spec", "Forbidden")]})
    old_deadline = (old.get("spec") or {}).get("activeDeadlineSeconds")
    new_deadline = (new.get("spec") or {}).get("activeDeadlineSeconds")
    if old_deadline is not None and (new_deadline is None or new_deadline > old_deadline):
        raise invalid("Pod", "", str(new["metadata"]["name"]), [cause(
            "FieldValueForbidden", "spec.activeDeadlineSeconds",
            "Forbidden: must be less than or equal to the previous value")])
