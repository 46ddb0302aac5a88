"""A quick kubeconfig reader for the common cases; anything else goes to the kubernetes loader.

The ``kubernetes`` package's loader imports oauthlib, requests and pydantic (about 100 ms) to
support auth providers and exec plugins. Most kubeconfigs need none of that: a server, a CA, and a
token, a token file, a client certificate or a username and password. Those are read here with
kubectl's merge rules (``$KUBECONFIG`` files in order; the first file to define a name or
``current-context`` wins; relative paths are relative to the file that names them).
``Unsupported`` sends the caller to the full loader.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argoctl.errors import UsageError

JSON = dict[str, Any]
_TEMP_DIRS: list[str] = []


class Unsupported(Exception):
    """The kubeconfig needs the kubernetes package's loader (exec plugin, auth provider, ...)."""


@dataclass
class Merged:
    entries: dict[str, dict[str, tuple[JSON, Path]]] = field(default_factory=dict)  # section -> name -> (body, dir)
    current_context: str = ""


def merge(paths: list[Path]) -> Merged:
    import yaml

    merged = Merged({"clusters": {}, "users": {}, "contexts": {}})
    for path in paths:
        try:
            document = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError) as err:
            raise UsageError(f"cannot read kubeconfig {path}: {err}") from err
        if not isinstance(document, dict):
            raise UsageError(f"kubeconfig {path} is not a mapping")
        for section, key in (("clusters", "cluster"), ("users", "user"), ("contexts", "context")):
            for entry in document.get(section) or []:
                if isinstance(entry, dict) and entry.get("name") is not None:
                    merged.entries[section].setdefault(str(entry["name"]), (entry.get(key) or {}, path.parent))
        if not merged.current_context and document.get("current-context"):
            merged.current_context = str(document["current-context"])
    return merged


def configure(configuration: Any, merged: Merged, context: str | None) -> tuple[str, str | None]:
    """Fill ``configuration``; returns (context name, its namespace). Unsupported if it cannot."""
    name = context or merged.current_context
    if not name:
        raise UsageError("the kubeconfig has no current-context", hint="pass --context NAME")
    if name not in merged.entries["contexts"]:
        raise UsageError(f'context "{name}" is not in the kubeconfig', hint="see kubectl config get-contexts")
    ctx, _ = merged.entries["contexts"][name]
    cluster, cluster_dir = merged.entries["clusters"].get(str(ctx.get("cluster")), ({}, Path()))
    user, user_dir = merged.entries["users"].get(str(ctx.get("user")), ({}, Path()))
    if not cluster.get("server") or "exec" in user or "auth-provider" in user:
        raise Unsupported(name)
    configuration.host = str(cluster["server"]).rstrip("/")
    _cluster_tls(configuration, cluster, cluster_dir)
    _user_auth(configuration, user, user_dir)
    namespace = ctx.get("namespace")
    return name, str(namespace) if namespace else None


def _cluster_tls(configuration: Any, cluster: JSON, base: Path) -> None:
    if cluster.get("certificate-authority-data"):
        configuration.ca_cert_data = base64.b64decode(cluster["certificate-authority-data"]).decode()
    elif cluster.get("certificate-authority"):
        configuration.ssl_ca_cert = str(base / str(cluster["certificate-authority"]))
    if "insecure-skip-tls-verify" in cluster:
        configuration.verify_ssl = not cluster["insecure-skip-tls-verify"]
    if cluster.get("tls-server-name"):
        configuration.tls_server_name = cluster["tls-server-name"]
    if cluster.get("proxy-url"):
        configuration.proxy = cluster["proxy-url"]


def _user_auth(configuration: Any, user: JSON, base: Path) -> None:
    token = user.get("token")
    if not token and user.get("tokenFile"):
        try:
            token = (base / str(user["tokenFile"])).read_text().strip()
        except OSError as err:
            raise UsageError(f"cannot read the kubeconfig user's tokenFile: {err}") from err
    if token:
        configuration.api_key["BearerToken"] = f"Bearer {token}"
    elif user.get("username") and user.get("password"):
        raw = f"{user['username']}:{user['password']}".encode()
        configuration.api_key["BearerToken"] = f"Basic {base64.b64encode(raw).decode()}"
    for key, attribute in (("client-certificate", "cert_file"), ("client-key", "key_file")):
        if user.get(f"{key}-data"):
            setattr(configuration, attribute, _private_file(base64.b64decode(user[f"{key}-data"])))
        elif user.get(key):
            setattr(configuration, attribute, str(base / str(user[key])))


def _private_file(content: bytes) -> str:
    """A 0600 file with ``content`` in a private directory removed at exit (urllib3 wants paths)."""
    if not _TEMP_DIRS:
        _TEMP_DIRS.append(tempfile.mkdtemp(prefix="argoctl-kube-"))
        atexit.register(lambda: shutil.rmtree(_TEMP_DIRS[0], ignore_errors=True))
    fd, path = tempfile.mkstemp(dir=_TEMP_DIRS[0])
    with contextlib.closing(os.fdopen(fd, "wb")) as handle:
        handle.write(content)
    return path
