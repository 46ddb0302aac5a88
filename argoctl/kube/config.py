"""Where the cluster is and who we are: kubeconfig or in-cluster service account.

Order, as kubectl: ``--kubeconfig PATH``, else ``$KUBECONFIG`` (a ``:``-separated list, merged),
else ``~/.kube/config``, else the in-cluster service account (``KUBERNETES_SERVICE_HOST`` and the
mounted token). ``--context`` picks a context (default: ``current-context``); kubectl's client flags
(``Overrides``: ``--cluster``, ``--user``, ``--server``, ``--token``, ...) then override the chosen
context's cluster and user fields, as kubectl does; ``--server`` alone needs no kubeconfig. The namespace is the
explicit one (``-n``), else the context's ``namespace``, else the service account's namespace
in-cluster, else ``default``. The ``kubernetes`` package's loaders do the parsing (exec plugins,
auth providers), imported lazily; ``argoctl.kube.kubeconfig`` reads the common kubeconfigs itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from argoctl.errors import ClusterError, UsageError
from argoctl.kube import kubeconfig
from argoctl.kube.imports import kubernetes_module
from argoctl.kube.overrides import Overrides
from argoctl.kube.plainconfig import PlainConfiguration

__all__ = ["ClusterConfig", "Overrides", "available", "in_cluster_available", "kubeconfig_paths", "load"]

SERVICE_ACCOUNT_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")
IN_CLUSTER = "in-cluster"
DEFAULT_NAMESPACE = "default"


class ClusterConfig(NamedTuple):
    """A loaded configuration: ``configuration`` is a ``kubernetes.client.Configuration`` (exec
    plugins, auth providers, in-cluster) or, for what ``argoctl.kube.kubeconfig`` reads itself, an
    ``argoctl.kube.plainconfig.PlainConfiguration`` with the same attributes."""

    configuration: Any
    namespace: str
    context: str  # the kubeconfig context's name, or "in-cluster"
    source: str  # the kubeconfig path(s), or "in-cluster"
    headers: tuple[tuple[str, str], ...] = ()  # sent with every request (impersonation)

    @property
    def server(self) -> str:
        return str(self.configuration.host)


def kubeconfig_paths(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> list[Path]:
    """The kubeconfig files that exist, in kubectl's order of precedence."""
    env = os.environ if environ is None else environ
    if explicit:
        return [Path(explicit).expanduser()]
    listed = env.get("KUBECONFIG", "")
    if listed:
        return [Path(p).expanduser() for p in listed.split(os.pathsep) if p and Path(p).expanduser().exists()]
    home = env.get("HOME") or str(Path.home())
    default = Path(home) / ".kube" / "config"
    return [default] if default.exists() else []


def in_cluster_available(environ: Mapping[str, str] | None = None,
                         account_dir: Path = SERVICE_ACCOUNT_DIR) -> bool:
    env = os.environ if environ is None else environ
    return bool(env.get("KUBERNETES_SERVICE_HOST")) and (account_dir / "token").exists()


def available(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a cluster is configured at all (decides the default backend)."""
    return bool(explicit) or bool(kubeconfig_paths(None, environ)) or in_cluster_available(environ)


def load(kubeconfig: str | None = None, *, context: str | None = None, namespace: str | None = None,
         environ: Mapping[str, str] | None = None, account_dir: Path = SERVICE_ACCOUNT_DIR,
         overrides: Overrides | None = None) -> ClusterConfig:
    """Load the configuration; ClusterError (exit 3) when there is none, UsageError on a bad one."""
    flags = overrides or Overrides()
    headers = flags.headers()
    paths = kubeconfig_paths(kubeconfig, environ)
    if kubeconfig and not paths[0].exists():
        raise UsageError(f"kubeconfig {kubeconfig} does not exist", hint="pass an existing file to --kubeconfig")
    if paths or flags.server:
        found = _from_kubeconfig(paths, context, namespace, flags)
    elif in_cluster_available(environ, account_dir):
        found = _in_cluster(namespace, environ, account_dir)
        _apply_flags(found.configuration, flags)
    else:
        raise ClusterError(
            "no Kubernetes configuration found (no --kubeconfig, $KUBECONFIG, ~/.kube/config or in-cluster "
            "service account)",
            hint="pass --kubeconfig PATH (or --server URL), or use --backend local",
        )
    return ClusterConfig(found.configuration, found.namespace, found.context, found.source, headers)


def _apply_flags(configuration: Any, flags: Overrides) -> None:
    kubeconfig.apply_overrides(configuration, flags)


def _from_kubeconfig(paths: list[Path], context: str | None, namespace: str | None,
                     flags: Overrides) -> ClusterConfig:
    joined = os.pathsep.join(str(p) for p in paths) or "flags"
    configuration: Any = PlainConfiguration()
    try:  # the common cases, without the kubernetes package at all
        name, own_namespace = kubeconfig.configure(configuration, kubeconfig.merge(paths), context, flags)
    except kubeconfig.Unsupported:
        configuration = _new_configuration()
        name, own_namespace = _with_kubernetes_loader(configuration, joined, context)
        kubeconfig.apply_overrides(configuration, flags)
    return ClusterConfig(configuration, namespace or own_namespace or DEFAULT_NAMESPACE, name, joined)


def _with_kubernetes_loader(configuration: Any, joined: str, context: str | None) -> tuple[str, str | None]:
    """Exec plugins, auth providers: the kubernetes package's own loader."""
    kube_config = kubernetes_module("config.kube_config")
    try:
        merged = kube_config.KubeConfigMerger(joined)
        if merged.config is None:
            raise UsageError(f"kubeconfig {joined} holds no configuration")
        loader = kube_config.KubeConfigLoader(config_dict=merged.config,
                                              active_context=context or _first_current_context(merged),
                                              config_base_path=None)
        loader.load_and_set(configuration)
        current = loader.current_context
    except kubernetes_module("config.config_exception").ConfigException as err:
        raise UsageError(f"cannot use kubeconfig {joined}: {err}",
                         hint="check --context and the kubeconfig's contexts, clusters and users") from err
    except (OSError, ValueError) as err:
        raise UsageError(f"cannot read kubeconfig {joined}: {err}") from err
    own_namespace = (current.get("context") or {}).get("namespace")
    return str(current.get("name", "")), str(own_namespace) if own_namespace else None


def _first_current_context(merged: Any) -> str | None:
    """kubectl's rule: the first file that sets ``current-context`` wins (the library takes the last)."""
    for path in merged.paths:
        current = (merged.config_files.get(path) or {}).get("current-context")
        if current:
            return str(current)
    return None


def _in_cluster(namespace: str | None, environ: Mapping[str, str] | None, account_dir: Path) -> ClusterConfig:
    incluster = kubernetes_module("config.incluster_config")
    configuration = _new_configuration()
    env = dict(os.environ if environ is None else environ)
    try:
        incluster.InClusterConfigLoader(token_filename=str(account_dir / "token"),
                                        cert_filename=str(account_dir / "ca.crt"),
                                        environ=env).load_and_set(configuration)
    except kubernetes_module("config.config_exception").ConfigException as err:
        raise ClusterError(f"cannot use the in-cluster service account: {err}") from err
    try:
        own = (account_dir / "namespace").read_text().strip()
    except OSError:
        own = ""
    return ClusterConfig(configuration, namespace or own or DEFAULT_NAMESPACE, IN_CLUSTER, IN_CLUSTER)


def _new_configuration() -> Any:
    configuration_module = kubernetes_module("client.configuration")
    return configuration_module.Configuration()
