"""JSON merge patch (RFC 7386; strategic merge is treated as merge) and JSON patch (RFC 6902)."""

from __future__ import annotations

import copy
from typing import Any

from tests.fakecluster.errors import ApiError, bad_request, unsupported_media_type

JSON = dict[str, Any]

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY = "application/apply-patch+yaml"


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: objects merge recursively, ``null`` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key == "$patch":
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise bad_request(f"invalid JSON pointer {path!r}")
    return [_unescape(t) for t in path[1:].split("/")]


def _parent(doc: Any, tokens: list[str], path: str) -> Any:
    node = doc
    for token in tokens[:-1]:
        node = _child(node, token, path)
    return node


def _child(node: Any, token: str, path: str) -> Any:
    if isinstance(node, dict):
        if token not in node:
            raise _unprocessable(f"doc is missing path: \"{path}\"")
        return node[token]
    if isinstance(node, list):
        index = _index(node, token, path, allow_end=False)
        return node[index]
    raise _unprocessable(f"doc is missing path: \"{path}\"")


def _index(node: list[Any], token: str, path: str, allow_end: bool) -> int:
    if token == "-" and allow_end:
        return len(node)
    if not token.isdigit():
        raise _unprocessable(f"invalid array index {token!r} in {path!r}")
    index = int(token)
    limit = len(node) if allow_end else len(node) - 1
    if index > limit:
        raise _unprocessable(f"array index {index} out of bounds in {path!r}")
    return index


def _unprocessable(message: str) -> ApiError:
    return ApiError(422, "Invalid", message)


def _get(doc: Any, path: str) -> Any:
    node = doc
    for token in _pointer(path):
        node = _child(node, token, path)
    return node


def _remove(doc: Any, path: str) -> Any:
    tokens = _pointer(path)
    if not tokens:
        raise _unprocessable("cannot remove the whole document")
    parent = _parent(doc, tokens, path)
    if isinstance(parent, dict):
        if tokens[-1] not in parent:
            raise _unprocessable(f"unable to remove nonexistent key: {tokens[-1]}: missing value")
        return parent.pop(tokens[-1])
    if isinstance(parent, list):
        return parent.pop(_index(parent, tokens[-1], path, allow_end=False))
    raise _unprocessable(f"doc is missing path: \"{path}\"")


def _add(doc: Any, path: str, value: Any, replace: bool = False) -> Any:
    tokens = _pointer(path)
    if not tokens:
        return copy.deepcopy(value)
    parent = _parent(doc, tokens, path)
    if isinstance(parent, dict):
        if replace and tokens[-1] not in parent:
            raise _unprocessable(f"replace operation does not apply: doc is missing key: {path}")
        parent[tokens[-1]] = copy.deepcopy(value)
    elif isinstance(parent, list):
        if replace:
            parent[_index(parent, tokens[-1], path, allow_end=False)] = copy.deepcopy(value)
        else:
            parent.insert(_index(parent, tokens[-1], path, allow_end=True), copy.deepcopy(value))
    else:
        raise _unprocessable(f"doc is missing path: \"{path}\"")
    return doc


def json_patch(target: Any, operations: Any) -> Any:
    """RFC 6902 add/remove/replace/move/copy/test, applied to a copy of ``target``."""
    if not isinstance(operations, list):
        raise bad_request("json patch must be a list of operations")
    doc = copy.deepcopy(target)
    for op in operations:
        if not isinstance(op, dict) or "op" not in op or "path" not in op:
            raise bad_request(f"invalid json patch operation: {op!r}")
        kind, path = op["op"], op["path"]
        if kind == "add":
            doc = _add(doc, path, op.get("value"))
        elif kind == "remove":
            _remove(doc, path)
        elif kind == "replace":
            doc = _add(doc, path, op.get("value"), replace=True)
        elif kind == "move":
            doc = _add(doc, path, _remove(doc, op["from"]))
        elif kind == "copy":
            doc = _add(doc, path, _get(doc, op["from"]))
        elif kind == "test":
            if _get(doc, path) != op.get("value"):
                raise _unprocessable(f"testing value {path} failed")
        else:
            raise bad_request(f"unexpected json patch operation {kind!r}")
    return doc


def apply_patch(content_type: str, target: JSON, patch: Any) -> JSON:
    """Apply a PATCH body of the given content type to ``target`` (not modified)."""
    media = content_type.split(";")[0].strip()
    if media in (MERGE, STRATEGIC, APPLY):
        if not isinstance(patch, dict):
            raise bad_request("merge patch body must be a JSON object")
        result = merge_patch(target, patch)
    elif media == JSON_PATCH:
        result = json_patch(target, patch)
    else:
        raise unsupported_media_type(content_type)
    if not isinstance(result, dict):
        raise bad_request("patch did not produce an object")
    return result
