"""Argo artifact locations: which kind, which key, is it complete, how to print it.

An artifact (or an ``archiveLocation``) is a JSON object with at most one location field:
``s3``, ``gcs``, ``azure``, ``oss``, ``hdfs``, ``artifactory``, ``http``, ``git``, ``raw``,
``plugin`` (Argo's), or ``local`` (argoctl's local-directory repository, see ``repository.py``).
All functions here are pure and never return or print secret values (locations only hold
Secret *selectors*).
"""

from __future__ import annotations

import copy
import posixpath
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from argoctl.artifacts.errors import ArtifactError

JSON = dict[str, Any]

LOCAL = "local"
LOCATION_KINDS: tuple[str, ...] = (
    "s3", "gcs", "azure", "oss", "hdfs", "artifactory", "http", "git", "raw", "plugin", LOCAL,
)
# the field that holds an object's key, for kinds that have one
KEY_FIELDS: Mapping[str, str] = {
    "s3": "key", "gcs": "key", "oss": "key", "plugin": "key", LOCAL: "key",
    "azure": "blob", "hdfs": "path",
}
# Argo's HasLocation(): the fields a location of each kind needs to stand on its own
_REQUIRED: Mapping[str, tuple[str, ...]] = {
    "s3": ("endpoint", "bucket", "key"), "gcs": ("bucket", "key"),
    "oss": ("endpoint", "bucket", "key"), "azure": ("endpoint", "container", "blob"),
    "hdfs": ("addresses",), "artifactory": ("url", "usernameSecret"), "http": ("url",),
    "git": ("repo",), "plugin": ("name", "configuration", "key"), LOCAL: ("path", "key"),
}


def location_kind(obj: Mapping[str, Any] | None) -> str | None:
    """The location field an artifact or location uses, or None."""
    if not obj:
        return None
    for kind in LOCATION_KINDS:
        if isinstance(obj.get(kind), dict):
            return kind
    return None


def location_body(obj: Mapping[str, Any]) -> JSON:
    kind = location_kind(obj)
    return dict(obj[kind]) if kind else {}


def get_key(obj: Mapping[str, Any] | None) -> str:
    """The object key (``key``, ``blob`` or ``path``) of a keyed location, else ``""``."""
    kind = location_kind(obj)
    if obj is None or kind is None or kind not in KEY_FIELDS:
        return ""
    return str(obj[kind].get(KEY_FIELDS[kind]) or "")


def has_key(obj: Mapping[str, Any] | None) -> bool:
    return get_key(obj) != ""


def has_location(obj: Mapping[str, Any] | None) -> bool:
    """Argo's ``HasLocation``: the location is complete without the repository."""
    kind = location_kind(obj)
    if obj is None or kind is None:
        return False
    if kind == "raw":
        return True
    body = obj[kind]
    return all(body.get(name) for name in _REQUIRED[kind])


def has_location_or_key(obj: Mapping[str, Any] | None) -> bool:
    return has_location(obj) or has_key(obj)


def with_key(obj: Mapping[str, Any], key: str) -> JSON:
    """A copy of ``obj`` whose keyed location holds ``key``."""
    kind = location_kind(obj)
    if kind is None or kind not in KEY_FIELDS:
        raise ArtifactError(f"artifact {obj.get('name', '')!r}: a {kind or 'missing'} location has no key")
    out = copy.deepcopy(dict(obj))
    out[kind][KEY_FIELDS[kind]] = key
    return out


def append_to_key(artifact: Mapping[str, Any], sub_path: str) -> JSON:
    """Argo's ``AppendToKey`` for ``subPath``: ``path.Join(key, subPath)``.

    The engine applies the same rule (``engine.scope.append_to_key``) when it resolves ``from``
    with ``subPath``; this one serves the artifact layer.
    """
    key = get_key(artifact)
    if not key:
        raise ArtifactError(f"artifact {artifact.get('name', '')!r}: cannot append subPath to a location without a key")
    return with_key(artifact, posixpath.join(key, sub_path))


def strip_location(obj: Mapping[str, Any]) -> JSON:
    """A copy of ``obj`` without any location field."""
    return {k: copy.deepcopy(v) for k, v in obj.items() if k not in LOCATION_KINDS}


def relocate(artifact: Mapping[str, Any], archive_location: Mapping[str, Any] | None) -> JSON:
    """Argo's ``Relocate``: a key-only artifact takes the whole repository location, key kept.

    An artifact that already has a full location is returned unchanged (a copy).
    """
    if has_location(artifact):
        return copy.deepcopy(dict(artifact))
    name = artifact.get("name", "")
    if not archive_location or location_kind(archive_location) is None:
        raise ArtifactError(
            f"artifact {name!r} has no location and no artifact repository is configured",
            hint="configure a default artifact repository (artifact-repositories ConfigMap) "
                 "or give the artifact a full location")
    key = get_key(artifact)
    out = strip_location(artifact)
    kind = location_kind(archive_location)
    assert kind is not None
    out[kind] = copy.deepcopy(archive_location[kind])
    return with_key(out, key) if kind in KEY_FIELDS else out


def describe_location(obj: Mapping[str, Any] | None) -> str:
    """A human name for a location, without credentials or URL query strings."""
    kind = location_kind(obj)
    if obj is None or kind is None:
        return "no location"
    body = obj[kind]
    if kind in ("s3", "gcs", "oss"):
        scheme = {"s3": "s3", "gcs": "gs", "oss": "oss"}[kind]
        where = f"{scheme}://{body.get('bucket') or '<repository bucket>'}/{body.get('key') or ''}"
        return f"{where} (endpoint {body['endpoint']})" if body.get("endpoint") else where
    if kind == "azure":
        return f"azure://{body.get('container', '')}/{body.get('blob', '')}"
    if kind in ("http", "artifactory"):
        return safe_url(str(body.get("url") or ""))
    if kind == "git":
        rev = f"@{body['revision']}" if body.get("revision") else ""
        return f"git {safe_url(str(body.get('repo') or ''))}{rev}"
    if kind == LOCAL:
        return f"local repository key {body.get('key', '')}"
    if kind == "raw":
        return "raw data"
    return f"{kind} location"


def safe_url(url: str) -> str:
    """``url`` without user info, query or fragment (any of which can carry a token)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable url>"
    if not parts.scheme or "://" not in url:
        # scp-like "user@host:path": a bare user name is not a secret, "user:password@" is
        userinfo, at, rest = url.rpartition("@")
        return f"{userinfo}@{rest}" if at and ":" not in userinfo else (rest or url).split("?", 1)[0]
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def clean_artifact_path(name: str, path: str | None) -> str:
    """Argo's ``CleanPath``: a normalised absolute path; ``..`` may not climb out of its prefix."""
    if not path:
        raise ArtifactError(f"Artifact '{name}' did not specify a path")
    safe_dir = ""
    if "/../" in path:
        safe_dir = path.split("/../", 1)[0]
    elif path.endswith("/.."):
        safe_dir = path[:-3]
    cleaned = posixpath.normpath(path)
    if cleaned.startswith("//"):
        cleaned = "/" + cleaned.lstrip("/")
    if safe_dir and (not cleaned.startswith(safe_dir + "/") or len(cleaned) <= len(safe_dir) + 1):
        raise ArtifactError(
            f"Artifact '{name}' attempted to use a path containing '..'. Directory traversal is not permitted")
    if path.startswith("..") or cleaned.startswith(".."):
        raise ArtifactError(
            f"Artifact '{name}' attempted to use a path containing '..'. Directory traversal is not permitted")
    return cleaned
