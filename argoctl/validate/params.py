"""Arguments, inputs supplied by a caller, and output parameters/artifacts (Argo's rules)."""

from __future__ import annotations

from typing import Any

from argoctl.validate.context import Context, Where
from argoctl.validate.kinds import (
    as_dict,
    as_list,
    go_fields,
    is_leaf,
    is_parameter,
    name_list_errors,
    param_name_errors,
    template_type,
    text,
)

_LOCATIONS = ("artifactory", "azure", "git", "gcs", "hdfs", "http", "oss", "raw", "s3", "plugin")
# valueFrom keys, folded as Go's JSON decoder matches them (see ``go_fields``)
_ARG_VALUE_FROM = ("configmapkeyref", "event", "supplied")
_NOT_ARG_VALUE_FROM = ("path", "jsonpath", "parameter", "expression")
_OUTPUT_VALUE_FROM = ("path", "jqfilter", "jsonpath", "parameter", "expression")


def has_location_or_key(artifact: dict[str, Any]) -> bool:
    """Argo's HasLocationOrKey: the first location set on the artifact is complete or keyed."""
    for kind in _LOCATIONS:
        location = artifact.get(kind)
        if location is None:
            continue
        fields = as_dict(location)
        if kind == "raw":
            return True
        if kind == "git":
            return bool(text(fields.get("repo")))
        if kind in ("http", "artifactory"):
            return bool(text(fields.get("url")))
        if kind == "hdfs":
            return bool(as_list(fields.get("addresses"))) or bool(text(fields.get("path")))
        key_field = "blob" if kind == "azure" else "key"
        return bool(text(fields.get(key_field)))
    return False


def validate_arguments(
    ctx: Context, where: Where, prefix: str, arguments: Any, *, allow_empty: bool
) -> None:
    """``where`` locates the ``arguments`` object; ``prefix`` is e.g. ``spec.arguments.``."""
    arguments = as_dict(arguments)
    parameters = as_list(arguments.get("parameters"))
    artifacts = as_list(arguments.get("artifacts"))
    for field, items in (("parameters", parameters), ("artifacts", artifacts)):
        for index, message in name_list_errors(items, parameters=True):
            ctx.report(where, (field, index, "name"), f"{prefix}{field}{message}")
    for index, parameter in enumerate(parameters):
        _check_argument_parameter(ctx, where.child("parameters", index), prefix, as_dict(parameter), allow_empty)
    for index, artifact in enumerate(artifacts):
        artifact = as_dict(artifact)
        name = text(artifact.get("name"))
        if not text(artifact.get("from")) and not has_location_or_key(artifact):
            ctx.report(where, ("artifacts", index), f"{prefix}{name}.from, artifact location, or key is required")
        if text(artifact.get("from")) and text(artifact.get("fromExpression")):
            ctx.report(
                where, ("artifacts", index),
                f"{prefix}{name} shouldn't have both `from` and `fromExpression` in Artifact",
            )


def _check_argument_parameter(
    ctx: Context, where: Where, prefix: str, parameter: dict[str, Any], allow_empty: bool
) -> None:
    name = text(parameter.get("name"))
    ref = f"{prefix}{name}"
    value_from = parameter.get("valueFrom")
    if value_from is None and parameter.get("value") is None and not allow_empty:
        ctx.report(where, (), f"{ref}.value or {ref}.valueFrom is required")
    if value_from is not None:
        fields = go_fields(value_from)
        allowed = any(fields.get(key) is not None and fields.get(key) != "" for key in _ARG_VALUE_FROM)
        if not allowed or any(text(fields.get(key)) for key in _NOT_ARG_VALUE_FROM):
            ctx.report(where, ("valueFrom",), f"{ref}.valueFrom only allows: default, configMapKeyRef and supplied")
    if "enum" not in parameter or parameter.get("enum") is None:
        return
    enum = [text(item) for item in as_list(parameter.get("enum"))]
    if not enum:
        ctx.report(where, ("enum",), f"{ref}.enum should contain at least one value")
    elif parameter.get("value") is None:
        if not allow_empty:
            ctx.report(where, (), f"{ref}.value is required")
    elif text(parameter.get("value")) not in enum:
        ctx.report(where, ("value",), f"{ref}.value should be present in {ref}.enum list")


def supply_errors(template: dict[str, Any], arguments: dict[str, Any] | None) -> list[str]:
    """What a call leaves unsupplied (``None`` arguments: every input counts as supplied).

    Follows Argo's ProcessArgs: an argument replaces the input's value or default, even when
    the argument itself has no value.
    """
    if arguments is None:
        return []
    inputs = as_dict(template.get("inputs"))
    given_parameters = {
        text(as_dict(p).get("name")): as_dict(p) for p in reversed(as_list(arguments.get("parameters")))
    }
    given_artifacts = {text(as_dict(a).get("name")) for a in as_list(arguments.get("artifacts"))}
    errors = []
    for parameter in as_list(inputs.get("parameters")):
        parameter = as_dict(parameter)
        name = text(parameter.get("name"))
        value = parameter.get("value")
        if value is None:
            value = parameter.get("default")
        value_from = parameter.get("valueFrom")
        argument = given_parameters.get(name)
        if argument is not None:
            value, value_from = argument.get("value"), argument.get("valueFrom")
            if value is not None:
                value_from = None
        if go_fields(value_from).get("configmapkeyref") is None and value is None:
            errors.append(f"inputs.parameters.{name} was not supplied")
    for artifact in as_list(inputs.get("artifacts")):
        artifact = as_dict(artifact)
        name = text(artifact.get("name"))
        optional = artifact.get("optional") is True
        if not optional and not has_location_or_key(artifact) and name not in given_artifacts:
            errors.append(f"inputs.artifacts.{name} was not supplied")
    return errors


def named_lists(ctx: Context, where: Where, template: dict[str, Any], section: str) -> tuple[list[Any], list[Any]]:
    """The ``parameters`` and ``artifacts`` of the template's ``inputs`` or ``outputs``, their names
    checked. argo's messages differ by one space: ``templates.T.inputs.parameters[0].name ...``
    but ``templates.T.outputs.parameters [0].name ...``."""
    name = text(template.get("name"))
    lists = as_dict(template.get(section))
    parameters, artifacts = as_list(lists.get("parameters")), as_list(lists.get("artifacts"))
    gap = " " if section == "outputs" else ""
    for field, items in (("parameters", parameters), ("artifacts", artifacts)):
        for index, message in name_list_errors(items, parameters=True):
            ctx.report(where, (section, field, index, "name"), f"templates.{name}.{section}.{field}{gap}{message}")
    return parameters, artifacts


def validate_outputs(ctx: Context, where: Where, template: dict[str, Any]) -> None:
    """Output names, artifact paths, global names and each parameter's source."""
    name = text(template.get("name"))
    parameters, artifacts = named_lists(ctx, where, template, "outputs")
    for index, artifact in enumerate(artifacts):
        artifact = as_dict(artifact)
        ref = f"templates.{name}.outputs.artifacts.{text(artifact.get('name'))}"
        here = ("outputs", "artifacts", index)
        if not is_leaf(template) and text(artifact.get("path")):
            ctx.report(where, (*here, "path"), f"{ref}.path only valid in container/script templates")
        _check_global_name(ctx, where, here, ref, artifact)
    for index, parameter in enumerate(parameters):
        parameter = as_dict(parameter)
        ref = f"templates.{name}.outputs.parameters.{text(parameter.get('name'))}"
        here = ("outputs", "parameters", index)
        message = _output_parameter_error(ref, parameter, template_type(template))
        if message:
            ctx.report(where, here, message)
        _check_global_name(ctx, where, here, ref, parameter)


def _check_global_name(
    ctx: Context, where: Where, here: tuple[str | int, ...], ref: str, output: dict[str, Any]
) -> None:
    global_name = text(output.get("globalName"))
    if global_name and not is_parameter(global_name):
        errors = param_name_errors(global_name)
        if errors:
            ctx.report(where, (*here, "globalName"), f"{ref}.globalName: {errors[0]}")


def _output_parameter_error(ref: str, parameter: dict[str, Any], kind: str) -> str:
    value_from = parameter.get("valueFrom")
    if value_from is not None and parameter.get("value") is not None:
        return f"{ref} has both valueFrom and value specified, choose one"
    if parameter.get("value") is not None:
        return ""
    if value_from is None:
        return f"{ref} does not have valueFrom or value specified"
    fields = go_fields(value_from)
    sources = sum(1 for key in _OUTPUT_VALUE_FROM if text(fields.get(key)))
    sources += fields.get("supplied") is not None
    if sources == 0:
        return "valueFrom type unspecified. choose one of: path, jqFilter, jsonPath, parameter, raw, expression"
    if sources > 1:
        return "multiple valueFrom types specified. choose one of: path, jqFilter, jsonPath, parameter, raw"
    if kind in ("Container", "ContainerSet", "Script") and not text(fields.get("path")):
        return f"{ref}.path must be specified for {kind} templates"
    if kind == "Resource" and not (text(fields.get("jqfilter")) or text(fields.get("jsonpath"))):
        return f"{ref} .jqFilter or jsonPath must be specified for {kind} templates"
    # (a parameter and an expression together already count as two sources above)
    if kind in ("DAG", "Steps") and not (text(fields.get("parameter")) or text(fields.get("expression"))):
        return f"{ref}.parameter or expression must be specified for {kind} templates"
    return ""
