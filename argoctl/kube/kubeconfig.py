"""A quick kubeconfig reader for the common cases; anything else goes to the kubernetes loader.

The ``kubernetes`` package's loader imports oauthlib, requests and pydantic (about 100 ms) to
support auth providers and exec plugins. Most kubeconfigs need none of that: a server, a CA, and a
token, a token file, a client certificate or a username and password. Those are read here with
kubectl's merge rules (``$KUBECONFIG`` files in order; the first file to define a name or
``current-context`` wins; relative paths are relative to the file that names them).
``Unsupported`` sends the caller to the full loader. ``configure`` also applies kubectl's client
flags (``argoctl.kube.config.Overrides``) over the chosen context's cluster and user.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argoctl.errors import UsageError

if TYPE_CHECKING:
    from argoctl.kube.overrides import Overrides

JSON = dict[str, Any]
_TEMP_DIRS: list[str] = []


class Unsupported(Exception):
    """The kubeconfig needs the kubernetes package's loader (exec plugin, auth provider, ...)."""


class Merged:
    """The kubeconfig files merged (a plain class: a dataclass costs start-up time)."""

    def __init__(self, entries: dict[str, dict[str, tuple[JSON, Path]]]) -> None:
        self.entries = entries  # section -> name -> (body, dir)
        self.current_context = ""


def merge(paths: list[Path]) -> Merged:
    merged = Merged({"clusters": {}, "users": {}, "contexts": {}})
    for path in paths:
        document = _document(path)
        if not isinstance(document, dict):
            raise UsageError(f"kubeconfig {path} is not a mapping")
        for section, key in (("clusters", "cluster"), ("users", "user"), ("contexts", "context")):
            for entry in document.get(section) or []:
                if isinstance(entry, dict) and entry.get("name") is not None:
                    merged.entries[section].setdefault(str(entry["name"]), (entry.get(key) or {}, path.parent))
        if not merged.current_context and document.get("current-context"):
            merged.current_context = str(document["current-context"])
    return merged


def _document(path: Path) -> Any:
    """The file parsed: as JSON when it is JSON (no yaml import), else as YAML."""
    try:
        text = path.read_text()
    except OSError as err:
        raise UsageError(f"cannot read kubeconfig {path}: {err}") from err
    if text.lstrip().startswith("{"):
        import json

        try:
            return json.loads(text)
        except ValueError:
            pass  # YAML's flow style, or broken: YAML says which
    from argoctl import yamlseed

    yamlseed.seed()  # ``list`` and ``get`` meet yaml here first: its import's costly pattern, cheaply
    import yaml

    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        raise UsageError(f"cannot read kubeconfig {path}: {err}") from err


def configure(configuration: Any, merged: Merged, context: str | None,
              flags: Overrides | None = None) -> tuple[str, str | None]:
    """Fill ``configuration``; returns (context name, its namespace). Unsupported if it cannot."""
    name = context or merged.current_context
    ctx: JSON = {}
    if name:
        if name not in merged.entries["contexts"]:
            raise UsageError(f'context "{name}" is not in the kubeconfig', hint="see kubectl config get-contexts")
        ctx, _ = merged.entries["contexts"][name]
    elif flags is None or not flags.server:
        raise UsageError("the kubeconfig has no current-context", hint="pass --context NAME")
    cluster, cluster_dir = _entry(merged, "clusters", ctx.get("cluster"), flags.cluster if flags else None, "--cluster")
    user, user_dir = _entry(merged, "users", ctx.get("user"), flags.user if flags else None, "--user")
    if flags is not None:
        cluster, user = _overridden_cluster(cluster, flags), _overridden_user(user, flags)
    if not cluster.get("server") or "exec" in user or "auth-provider" in user:
        raise Unsupported(name)
    configuration.host = str(cluster["server"]).rstrip("/")
    _cluster_tls(configuration, cluster, cluster_dir)
    _user_auth(configuration, user, user_dir)
    namespace = ctx.get("namespace")
    return name, str(namespace) if namespace else None


def _entry(merged: Merged, section: str, own: object, chosen: str | None, flag: str) -> tuple[JSON, Path]:
    """The context's cluster or user, or the one ``--cluster``/``--user`` names (it must exist)."""
    if chosen:
        if chosen not in merged.entries[section]:
            raise UsageError(f'{section[:-1]} "{chosen}" is not in the kubeconfig',
                             hint=f"see kubectl config get-{section} (or drop {flag})")
        return merged.entries[section][chosen]
    return merged.entries[section].get(str(own), ({}, Path()))


def _absolute(path: str) -> str:
    return str(Path(path).expanduser().resolve())


def _overridden_cluster(cluster: JSON, flags: Overrides) -> JSON:
    """kubectl's ClusterDefaults/ClientConfig overrides: each flag replaces its field."""
    merged = dict(cluster)
    if flags.server:
        merged["server"] = flags.server
    if flags.certificate_authority:
        merged.pop("certificate-authority-data", None)
        merged["certificate-authority"] = _absolute(flags.certificate_authority)
    if flags.insecure_skip_tls_verify is not None:
        merged["insecure-skip-tls-verify"] = flags.insecure_skip_tls_verify
        if flags.insecure_skip_tls_verify:  # kubectl drops the CA: it would not be checked anyway
            merged.pop("certificate-authority-data", None)
            merged.pop("certificate-authority", None)
    if flags.tls_server_name:
        merged["tls-server-name"] = flags.tls_server_name
    if flags.proxy_url:
        merged["proxy-url"] = flags.proxy_url
    return merged


def _overridden_user(user: JSON, flags: Overrides) -> JSON:
    merged = dict(user)
    if flags.token:
        merged.pop("tokenFile", None)
        merged["token"] = flags.token
    if flags.username:
        merged["username"] = flags.username
    if flags.password:
        merged["password"] = flags.password
    for key, value in (("client-certificate", flags.client_certificate), ("client-key", flags.client_key)):
        if value:
            merged.pop(f"{key}-data", None)
            merged[key] = _absolute(value)
    return merged


def apply_overrides(configuration: Any, flags: Overrides) -> None:
    """The flags over a configuration another loader filled (exec plugins, in-cluster)."""
    if flags.server:
        configuration.host = flags.server.rstrip("/")
    cluster = _overridden_cluster({}, flags)
    if cluster.get("insecure-skip-tls-verify"):
        configuration.ssl_ca_cert = None
    _cluster_tls(configuration, cluster, Path())
    user = _overridden_user({}, flags)
    if user:
        _user_auth(configuration, user, Path())


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
    """A 0600 file with ``content`` in a private directory removed at exit (urllib3 and ssl want paths)."""
    import atexit
    import contextlib
    import shutil
    import tempfile

    if not _TEMP_DIRS:
        _TEMP_DIRS.append(tempfile.mkdtemp(prefix="argoctl-kube-"))
        atexit.register(lambda: shutil.rmtree(_TEMP_DIRS[0], ignore_errors=True))
    fd, path = tempfile.mkstemp(dir=_TEMP_DIRS[0])
    with contextlib.closing(os.fdopen(fd, "wb")) as handle:
        handle.write(content)
    return path
