"""Manifest files (YAML or JSON, one or many documents, ``-`` for stdin) → ``Document`` list."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

import yaml

from argoctl.errors import ManifestError
from argoctl.parse import limits
from argoctl.parse.document import Document, FieldPath, describe_value
from argoctl.parse.pyfile import is_python_file, load_python_documents
from argoctl.parse.yamlnodes import SAFE_LOADER, NodeConverter, compose_nodes, is_empty

API_VERSION = "argoproj.io/v1alpha1"
STDIN_NAME = "<stdin>"
ARGO_KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")


def load_documents(
    path: str, *, stdin_text: str | None = None, default_kind: str | None = None
) -> list[Document]:
    """Every non-empty document of ``path`` (``-`` reads ``stdin_text``, else standard input).

    ``default_kind`` fills ``apiVersion: argoproj.io/v1alpha1`` and ``kind`` into documents
    that have neither (some upstream fixtures are bare specs). Raises ``ManifestError`` with
    file and line for unreadable files, broken YAML/JSON and objects without kind/apiVersion.
    A ``*.py`` path is a Hera pipeline file (``argoctl.parse.pyfile``).
    """
    if is_python_file(path):
        return [
            Document(_check_object(d.obj, d.file, d.index, dict(d.lines), None), d.file, d.index, d.lines)
            for d in load_python_documents(path)
        ]
    file, text = read_text(path, stdin_text=stdin_text)
    return parse_documents(text, file, default_kind=default_kind, json_hint=path.endswith(".json"))


def read_text(path: str, *, stdin_text: str | None = None) -> tuple[str, str]:
    """``(display name, text)`` of a manifest path; ``-`` is standard input."""
    limit = limits.max_bytes()
    if path == "-":
        text = sys.stdin.read(limit + 1) if stdin_text is None else stdin_text
        limits.check_size(STDIN_NAME, len(text))
        return STDIN_NAME, text
    try:
        with open(path, encoding="utf-8") as handle:
            limits.check_size(path, os.fstat(handle.fileno()).st_size)
            text = handle.read(limit + 1)
        limits.check_size(path, len(text))
        return path, text
    except FileNotFoundError:
        raise ManifestError("no such file", file=path, hint="check the path") from None
    except IsADirectoryError:
        raise ManifestError("is a directory, not a manifest file", file=path) from None
    except UnicodeDecodeError:
        raise ManifestError("not UTF-8 text", file=path, hint="manifests must be YAML or JSON") from None
    except OSError as exc:
        raise ManifestError(f"cannot read: {exc.strerror}", file=path) from None


def parse_documents(
    text: str, file: str = "<string>", *, default_kind: str | None = None, json_hint: bool = False
) -> list[Document]:
    """Parse manifest text; see ``load_documents``."""
    parsed = parse_documents_raw(text, file, json_hint=json_hint)
    documents = []
    for index, (obj, lines) in enumerate(parsed):
        checked = _check_object(obj, file, index, lines, default_kind)
        documents.append(Document(obj=checked, file=file, index=index, lines=lines))
    return documents


def parse_documents_raw(
    text: str, file: str, *, json_hint: bool = False
) -> list[tuple[Any, dict[FieldPath, int]]]:
    """``(value, field lines)`` for every non-empty document, with no check of its shape."""
    with _collector_paused():
        return _parse_raw(text, file, json_hint=json_hint)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a tree is built (it holds no cycles): otherwise
    its full collections rescan every node built so far, and a 20,000-template file takes
    three times as long to read."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_raw(text: str, file: str, *, json_hint: bool) -> list[tuple[Any, dict[FieldPath, int]]]:
    if json_hint or text.lstrip().startswith(("{", "[")):
        with contextlib.suppress(yaml.YAMLError):  # not YAML-readable: the JSON parser says why
            limits.check_events(text.replace("\t", " "), file, SAFE_LOADER)
        try:
            values = _json_values(text)
        except RecursionError:
            raise ManifestError("nested too deeply to read", file=file) from None
        except json.JSONDecodeError as exc:
            error = ManifestError(
                f"invalid JSON: {exc.msg} (column {exc.colno})", file=file, line=exc.lineno,
                hint="JSON needs double-quoted keys and strings and no trailing commas",
            )
            if json_hint:
                raise error from None
            try:  # a YAML flow mapping also starts with "{"
                return _parse_yaml(text, file)
            except ManifestError:
                raise error from None
        return list(zip(values, _json_lines(text, file, len(values)), strict=True))
    return _parse_yaml(text, file)


def _parse_yaml(text: str, file: str) -> list[tuple[Any, dict[FieldPath, int]]]:
    result = []
    try:
        for node in compose_nodes(text, file):
            if is_empty(node):
                continue
            converter = NodeConverter(file)
            result.append((converter.convert(node), converter.lines))
    except RecursionError:
        raise ManifestError("nested too deeply to read", file=file) from None
    return result


def _json_values(text: str) -> list[Any]:
    """All JSON values in ``text`` (one object, or several concatenated like ``jq`` prints)."""
    decoder = json.JSONDecoder()
    values: list[Any] = []
    position = _skip_space(text, 0)
    if position == len(text):
        return values
    while position < len(text):
        value, position = decoder.raw_decode(text, position)
        values.append(value)
        position = _skip_space(text, position)
    return values


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def _json_lines(text: str, file: str, count: int) -> list[dict[FieldPath, int]]:
    """Field lines for JSON documents, from the YAML composer (JSON is YAML once tabs go)."""
    try:
        # Tabs are only whitespace between tokens in valid JSON; YAML rejects them there.
        nodes = [node for node in compose_nodes(text.replace("\t", " "), file) if not is_empty(node)]
    except ManifestError:
        nodes = []
    if len(nodes) != count:
        return [{(): 1} for _ in range(count)]
    positions = []
    for node in nodes:
        converter = NodeConverter(file)
        try:
            converter.convert(node)
        except ManifestError:
            converter.lines = {(): node.start_mark.line + 1}
        positions.append(converter.lines)
    return positions


def _check_object(
    obj: Any, file: str, index: int, lines: dict[FieldPath, int], default_kind: str | None
) -> dict[str, Any]:
    line = lines.get((), 1)
    if not isinstance(obj, dict):
        raise ManifestError(
            f"document {index + 1} is {describe_value(obj)}, not an object", file=file, line=line,
            hint="each document must be a mapping with apiVersion, kind, metadata and spec; "
            "separate documents with '---'",
        )
    if default_kind and "kind" not in obj and "apiVersion" not in obj:
        return {"apiVersion": API_VERSION, "kind": default_kind, **obj}
    kind_hint = f"add 'apiVersion: {API_VERSION}' and 'kind: Workflow' (or {', '.join(ARGO_KINDS[1:])})"
    for field_name in ("kind", "apiVersion"):
        value = obj.get(field_name)
        if value is None or value == "":
            raise ManifestError(
                f"document {index + 1} has no {field_name}", file=file, line=line, hint=kind_hint
            )
        if not isinstance(value, str):
            raise ManifestError(
                f"{field_name} must be a string", file=file, line=lines.get((field_name,), line),
                path=field_name, hint=kind_hint,
            )
    return obj

