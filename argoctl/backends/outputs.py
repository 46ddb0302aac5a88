"""Argo's pod output rules, shared by every backend (argo-semantics §2.6, §5.4, §7.1).

``collect_outputs`` builds a node's ``outputs`` from what the main container left behind:
output parameter files (``valueFrom.path``, one trailing newline trimmed), ``outputs.result``
(stdout only, last 256 KiB, one trailing newline dropped) and ``exitCode``.
``node_phase_for_exit`` maps an exit code to a node phase and Argo's message.
Imports only the standard library (the local shim loads it at start-up).
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False  # typing is not imported at run time: the shim starts faster
if TYPE_CHECKING:
    from typing import Any

    JSON = dict[str, Any]

RESULT_LIMIT = 256 * 1024  # bytes of stdout kept in outputs.result


def trim_one_newline(data: bytes) -> bytes:
    """Drop exactly one trailing ``\\n``, as Argo's executor does."""
    return data[:-1] if data.endswith(b"\n") else data


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def result_from_stdout(stdout: bytes) -> str:
    """``outputs.result``: the last 256 KiB of stdout, one trailing newline dropped."""
    tail = stdout[-RESULT_LIMIT:] if len(stdout) > RESULT_LIMIT else stdout
    return decode(trim_one_newline(tail))


def _parameter_from_file(
    parameter: JSON, read_file: Callable[[str], bytes | None]
) -> tuple[JSON, str | None]:
    """One ``valueFrom.path`` parameter: its value, its default, or an error message."""
    value_from = parameter.get("valueFrom") or {}
    path = str(value_from["path"])
    content = read_file(path)
    collected = dict(parameter)
    if content is not None:
        collected["value"] = decode(trim_one_newline(content))
        return collected, None
    if "default" in value_from:
        collected["value"] = str(value_from["default"])
        return collected, None
    name = parameter.get("name", "")
    return collected, f"failed to get output parameter '{name}': open {path}: no such file or directory"


def _collect_parameters(
    template: JSON, read_file: Callable[[str], bytes | None]
) -> tuple[list[JSON], str | None]:
    declared = (template.get("outputs") or {}).get("parameters") or []
    parameters: list[JSON] = []
    first_error: str | None = None
    for parameter in declared:
        value_from = parameter.get("valueFrom") or {}
        if value_from.get("path") is not None:
            collected, error = _parameter_from_file(parameter, read_file)
            if error is None:
                parameters.append(collected)
            elif first_error is None:
                first_error = error
        elif "value" in parameter:
            parameters.append(dict(parameter, value=str(parameter["value"])))
    return parameters, first_error


def collect_outputs(
    template: JSON,
    *,
    read_file: Callable[[str], bytes | None],
    stdout: bytes,
    exit_code: int | None,
    capture_result: bool,
) -> tuple[JSON, str | None]:
    """Argo's ``outputs`` for a finished pod, and the first collection error (or None).

    ``read_file(container_path)`` returns a file's bytes, or None when it is missing or not a
    regular file. Parameters with other ``valueFrom`` sources (expression, parameter, supplied)
    are not pod outputs and are left to the engine.
    """
    outputs: JSON = {}
    parameters, error = _collect_parameters(template, read_file)
    if parameters:
        outputs["parameters"] = parameters
    if capture_result:
        outputs["result"] = result_from_stdout(stdout)
    if exit_code is not None:
        outputs["exitCode"] = str(exit_code)
    return outputs, error


def node_phase_for_exit(exit_code: int, container: str = "main") -> tuple[str, str]:
    """The pod node phase and message for the exit code of a main container.

    0 → ``("Succeeded", "")``; anything else → ``("Failed", "main: Error (exit code N)")``,
    the text Argo derives from the container's terminated state.
    """
    if exit_code == 0:
        return "Succeeded", ""
    return "Failed", f"{container}: Error (exit code {exit_code})"


def container_phase_for_exit(exit_code: int) -> str:
    """The phase of a containerSet ``Container`` node: 0 Succeeded, 64 Error, else Failed."""
    if exit_code == 0:
        return "Succeeded"
    if exit_code == 64:  # the executor's own failure code
        return "Error"
    return "Failed"
