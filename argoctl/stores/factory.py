"""Pick a store from a URL: ``file:///dir``, ``s3://bucket/prefix``, ``configmap``, or the default home.

Called by the CLI and the runtime. Importing this module imports neither boto3 nor kubernetes.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from argoctl.errors import UsageError
from argoctl.stores.base import Store

HOME_ENV = "ARGOCTL_HOME"
_ACCEPTED = "file:///DIR, s3://BUCKET[/PREFIX][?endpoint=URL&region=R&insecure=true], or configmap"


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """``$ARGOCTL_HOME``, else ``$XDG_DATA_HOME/argoctl``, else ``~/.local/share/argoctl``.

    As the XDG spec says, a relative ``XDG_DATA_HOME`` is ignored.
    """
    env = os.environ if environ is None else environ
    explicit = env.get(HOME_ENV, "")
    if explicit:
        return Path(explicit).expanduser()
    xdg = env.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "argoctl"
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share" / "argoctl"


def open_store(
    url: str | None,
    *,
    namespace: str,
    environ: Mapping[str, str] | None = None,
    s3: object | None = None,
    client: object | None = None,
) -> Store:
    """The store ``url`` names; None means the local store at ``default_home()``.

    ``s3`` is an ``argoctl.stores.objectstore.S3Config`` with explicit settings (the CLI fills it
    from the config file); settings it leaves unset come from the URL, then the AWS chain.
    ``client`` is the ``argoctl.kube.client.KubeClient`` of the configmap store; without one, a
    client is built from ``$KUBECONFIG`` / ``~/.kube/config`` / the in-cluster service account.
    """
    if url is None or url == "":
        return _local(default_home(environ), namespace)
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme == "file":
        return _local(_file_url_path(url), namespace)
    if scheme == "s3":
        from argoctl.stores.objectstore import ObjectStore, S3Config

        if s3 is not None and not isinstance(s3, S3Config):
            raise TypeError("s3 must be an S3Config")
        return ObjectStore(url, namespace=namespace, config=s3)
    if url == "configmap" or scheme == "configmap":
        return _configmap(url, namespace, environ, client)
    if scheme in ("gs", "gcs", "az", "azure", "abfs"):
        raise UsageError(f"{scheme}:// stores are not supported", hint=f"supported: {_ACCEPTED}")
    raise UsageError(f"unknown store {url!r}", hint=f"use {_ACCEPTED}")


def check_url(url: str) -> None:
    """UsageError unless ``url`` names a store ``open_store`` can open (nothing is opened)."""
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme == "file":
        _file_url_path(url)
    elif url == "configmap" or scheme == "configmap":
        if url.rstrip(":/") != "configmap":
            raise UsageError(f"the configmap store URL takes no host or path: {url!r}",
                             hint="use --store configmap, with -n NAMESPACE and --context CONTEXT to choose where")
    elif scheme in ("gs", "gcs", "az", "azure", "abfs"):
        raise UsageError(f"{scheme}:// stores are not supported", hint=f"supported: {_ACCEPTED}")
    elif scheme != "s3" or not urllib.parse.urlsplit(url).netloc:
        raise UsageError(f"unknown store {url!r}", hint=f"use {_ACCEPTED}")


def _file_url_path(url: str) -> Path:
    parts = urllib.parse.urlsplit(url)
    if parts.netloc not in ("", "localhost") or not parts.path:
        raise UsageError(f"not a local store URL: {url!r}", hint="use file:///ABSOLUTE/DIR (three slashes)")
    return Path(urllib.parse.unquote(parts.path))


def _local(home: Path, namespace: str) -> Store:
    from argoctl.stores.local import LocalStore

    return LocalStore(home, namespace)


def _configmap(url: str, namespace: str, environ: Mapping[str, str] | None, client: object | None) -> Store:
    if url.rstrip(":/") != "configmap":
        raise UsageError(f"the configmap store URL takes no host or path: {url!r}",
                         hint="use --store configmap, with -n NAMESPACE and --context CONTEXT to choose where")
    from argoctl.kube.client import KubeClient
    from argoctl.stores.configmap import ConfigMapStore

    if client is None:
        client = KubeClient.from_kubeconfig(namespace=namespace, environ=environ)
    if not isinstance(client, KubeClient):
        raise TypeError("client must be a KubeClient")
    return ConfigMapStore(client, namespace)
