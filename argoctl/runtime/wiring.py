"""The composition root: from resolved ``Settings`` to the store, backend, kube client and
artifact layer a command (or a detached driver) works with.

``Wiring`` builds each part once, on first use; the settings it starts from were validated before
(``argoctl.runtime.settings.resolve``), so a bad setting never shows up halfway through a run.
``child_invocation`` is the one place that turns them back into the argv and environment of a
child argoctl (the detached driver, a driver pod, a CronJob's pod): what a command resolved
travels explicitly, never by accident of the environment.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from argoctl.runtime.settings import (
    BACKEND_ENV,
    BACKENDS,
    PASSWORD_ENV,
    TOKEN_ENV,
    GlobalOptions,
    Settings,
    check_backend,
    resolve,
)

if TYPE_CHECKING:
    from argoctl.backends.base import Backend
    from argoctl.stores.base import Store

JSON = dict[str, Any]
DEFAULT_NAMESPACE = "default"

__all__ = ["BACKENDS", "Child", "GlobalOptions", "Settings", "Wiring", "check_backend", "child_invocation",
           "resolve", "select_backend"]


def select_backend(chosen: str | None, cluster_configured: Callable[[], bool],
                   find_engine: Callable[[], str | None]) -> tuple[str, str | None]:
    """``(backend name, notice)``: the chosen one; else (``auto``) kubernetes when a cluster is
    configured, else docker when a Docker API answers, else local, with the one line that says so."""
    if chosen:
        return chosen, None
    if cluster_configured():
        return "kubernetes", None
    from argoctl.backends.docker.detect import auto_notice

    engine = find_engine()
    return ("docker" if engine else "local"), auto_notice(engine, BACKEND_ENV)


def _stderr_notice(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


class Wiring:
    """The parts a command runs with, built from ``settings`` once each, on first use (a plain
    class: ``list`` and ``get`` do not import ``dataclasses``)."""

    def __init__(self, settings: Settings, notices: Callable[[str], None] = _stderr_notice) -> None:
        self.settings = settings
        self.notices = notices
        self._store: Any = None
        self._backend: Any = None
        self._kube_client: Any = None
        self._backend_name: str | None = None
        self._cache: dict[str, Any] = {}

    @classmethod
    def from_options(cls, options: GlobalOptions, environ: Mapping[str, str] | None = None,
                     notices: Callable[[str], None] = _stderr_notice) -> Wiring:
        return cls(resolve(options, environ), notices)

    @property
    def options(self) -> GlobalOptions:
        return self.settings.options

    @property
    def home(self) -> Path:
        return self.settings.home

    @property
    def namespace(self) -> str:
        """-n, else $ARGOCTL_NAMESPACE, else (kubernetes backend) the context's namespace, else default."""
        if self.settings.namespace:
            return self.settings.namespace
        if self._kube_client is not None or self.kubernetes_chosen():
            return str(self.kube_client().namespace)
        return DEFAULT_NAMESPACE

    def kube_client(self) -> Any:
        """The ``argoctl.kube.client.KubeClient`` of the kubeconfig and its flags, built once."""
        if self._kube_client is None:
            from argoctl.kube.client import KubeClient

            options, timeout = self.settings.options, self.settings.request_timeout
            extra: dict[str, Any] = {"timeout": (timeout, timeout)} if timeout else {}
            self._kube_client = KubeClient.from_kubeconfig(
                options.kubeconfig, context=options.context, namespace=self.settings.namespace,
                qps=options.qps, burst=options.burst, environ=self.settings.environ or None,
                overrides=self.settings.overrides, **extra)
        return self._kube_client

    def cluster_configured(self) -> bool:
        """Whether a cluster is configured at all (decides the default backend)."""
        if "cluster" not in self._cache:
            configured = _kubeconfig_exists(self.options.kubeconfig, self.settings.environ) or bool(
                self.settings.overrides.server)
            self._cache["cluster"] = configured and _kube_backend_installed()
        return bool(self._cache["cluster"])

    def kubernetes_chosen(self) -> bool:
        """``backend_name == "kubernetes"``, without its notice (the namespace and store ask early)."""
        chosen = self.settings.backend
        return chosen == "kubernetes" or (chosen is None and self.cluster_configured())

    @property
    def backend_name(self) -> str:
        if self._backend_name is None:
            name, notice = select_backend(self.settings.backend, self.cluster_configured, self._find_engine)
            if notice:
                self.notices(notice)
            self._backend_name = name
        return self._backend_name

    def store(self) -> Store:
        if self._store is None:
            from argoctl.stores.factory import open_store

            url = self.settings.store_url
            if url is None and self.kubernetes_chosen():
                url = "configmap"  # the cluster keeps the state: nothing on this machine
            client = self.kube_client() if url is not None and url.startswith("configmap") else None
            self._store = open_store(url, namespace=self.namespace, client=client,
                                     environ=self.settings.environ or None)
        return self._store  # type: ignore[no-any-return]

    def run_dir(self) -> Path:
        return self.home / "namespaces" / self.namespace / "pods"

    def artifact_io(self) -> Any:
        """The artifact layer for downloads (``cp``): the local repository, and Secrets from the
        cluster in pod mode, else from the local store."""
        return _kube_artifact_io(self) if self.kubernetes_chosen() else _local_artifact_io(self)

    def artifact_io_for(self, state: Any) -> Any:
        """The artifact layer for one workflow's recorded artifacts: its repository (as Argo
        resolves it) in place of the default."""
        from argoctl.artifacts import RepositoryArtifactIO
        from argoctl.runtime.environment import snapshot

        repository = snapshot(self.store(), state).default_artifact_repository
        artifact_io = self.artifact_io()
        if isinstance(artifact_io, RepositoryArtifactIO) and repository:
            artifact_io = RepositoryArtifactIO(repository, get_secret=artifact_io.secret_getter)
        return artifact_io

    def artifact_deleter(self, state: Any) -> Callable[[JSON], None]:
        """Artifact GC's ``delete(artifact)`` for ``state``'s workflow (its repository is
        resolved on the first deletion, once)."""
        artifact_io = functools.cache(lambda: self.artifact_io_for(state))
        return lambda artifact: artifact_io().delete(dict(artifact))

    def _find_engine(self) -> str | None:
        from argoctl.backends.docker.detect import find_engine

        return find_engine(dict(self.settings.environ) if self.settings.environ else None)

    def prestart_pods(self) -> None:
        """A command about to drive workflows in this process: with the local backend chosen
        explicitly, start its fork server now, while the command reads its workflows."""
        if self.settings.backend == "local" and self._backend is None:
            from argoctl.backends.local.spawn import prestart

            prestart(self.run_dir())

    def backend(self) -> Backend:
        if self._backend is None:
            if self.backend_name == "kubernetes":
                self._backend = _kube_backend(self)
            elif self.backend_name == "docker":
                from argoctl.backends.docker.wiring import docker_backend

                self._backend = docker_backend(self.home, self.namespace, self.notices, _local_artifact_io(self),
                                               self.store())
            else:
                from argoctl.backends.local.backend import LocalBackend

                self._backend = LocalBackend(self.run_dir(), notices=self.notices,
                                             artifact_io=_local_artifact_io(self))
        return self._backend  # type: ignore[no-any-return]


def _kube_backend(wiring: Wiring) -> Any:
    """Pods on the cluster of the kubeconfig; owned by the workflow's ConfigMap when the state lives
    in ConfigMaps (deleting the workflow then garbage-collects its pods)."""
    from argoctl.backends.kube.backend import KubeBackend
    from argoctl.backends.kube.settings import load_settings
    from argoctl.stores.configmap import ConfigMapStore

    settings = load_settings()
    store = wiring.store()
    owner = store.owner_reference if isinstance(store, ConfigMapStore) else None
    return KubeBackend(wiring.kube_client(), wiring.namespace, helper_image=settings.helper_image, owner=owner,
                       image_pull_grace=settings.image_pull_grace, artifact_io=_kube_artifact_io(wiring))


def _kube_artifact_io(wiring: Wiring) -> Any:
    """The driver moves pod artifacts: the workflow's repository (default: the local one under
    ``$ARGOCTL_HOME/artifacts``), with credentials from the namespace's Secrets on the cluster."""
    from argoctl.artifacts import RepositoryArtifactIO, default_local_repository
    from argoctl.backends.kube.secrets import ClusterSecrets

    return RepositoryArtifactIO(default_local_repository(wiring.home),
                                get_secret=ClusterSecrets(wiring.kube_client(), wiring.namespace))


def _kubeconfig_exists(explicit: str | None, environ: Mapping[str, str]) -> bool:
    """``argoctl.kube.config.available`` without importing the kubeconfig reader (start-up time)."""
    if explicit:
        return True
    if environ.get("KUBECONFIG"):
        return any(Path(p).expanduser().exists() for p in environ["KUBECONFIG"].split(os.pathsep) if p)
    if environ.get("KUBERNETES_SERVICE_HOST"):
        return True
    return (Path(environ.get("HOME") or Path.home()) / ".kube" / "config").exists()


def _kube_backend_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("argoctl.backends.kube.backend") is not None


def _local_artifact_io(wiring: Wiring) -> Any:
    """The artifact layer the local pod runner uses: the default repository under
    ``$ARGOCTL_HOME/artifacts`` (a workflow's own repository travels in each pod request), and
    Secrets from the local store."""
    from argoctl.artifacts import RepositoryArtifactIO, default_local_repository
    from argoctl.artifacts.secrets import StoreSecrets

    return RepositoryArtifactIO(default_local_repository(wiring.home),
                                get_secret=StoreSecrets(str(wiring.home), wiring.namespace))


# ---- a child argoctl ---------------------------------------------------------------------------


class Child(NamedTuple):
    """How to start a child argoctl with this command's settings: ``args`` are global options
    (put them before the verb), ``env`` the variables to set (secrets travel here, never in argv)."""

    args: tuple[str, ...]
    env: Mapping[str, str]


_PATH_FLAGS = (("--kubeconfig", "kubeconfig"), ("--certificate-authority", "certificate_authority"),
               ("--client-certificate", "client_certificate"), ("--client-key", "client_key"))
_KUBE_FLAGS = (("--context", "context"), ("--cluster", "cluster"), ("--user", "user"), ("--server", "server"),
               ("--tls-server-name", "tls_server_name"), ("--proxy-url", "proxy_url"), ("--as", "impersonate"),
               ("--as-uid", "impersonate_uid"), ("--username", "username"))


def child_invocation(wiring: Wiring, *, in_cluster: bool = False) -> Child:
    """The global options and environment that give a child argoctl exactly this command's
    settings: namespace, backend, store, cluster connection, client limits, log options.
    ``in_cluster``: the child runs in a pod of the cluster (a driver pod, a CronJob's pod) and
    connects with its service account, so no kubeconfig, local path or secret travels."""
    settings, options = wiring.settings, wiring.options
    args = ["--namespace", wiring.namespace, "--backend", wiring.backend_name]
    if settings.store_url and not (in_cluster and settings.store_url.startswith("configmap")):
        args += ["--store", settings.store_url]
    args += ["--qps", repr(float(options.qps)), "--burst", str(options.burst)]
    if options.request_timeout:
        args += ["--request-timeout", options.request_timeout]
    for flag, value in (("--loglevel", options.loglevel), ("--log-format", options.log_format)):
        if value:
            args += [flag, value]
    if options.verbose:
        args.append("--verbose")
    env: dict[str, str] = {"NO_COLOR": "1"} if in_cluster else {"ARGOCTL_HOME": str(wiring.home)}
    if not in_cluster:
        args += _cluster_args(options)
        chosen = getattr(getattr(wiring._kube_client, "cluster", None), "context", "")
        if not options.context and chosen and chosen != "in-cluster":
            args += ["--context", chosen]  # the context this command resolved, pinned
        if settings.overrides.token:
            env[TOKEN_ENV] = settings.overrides.token
        if settings.overrides.password:
            env[PASSWORD_ENV] = settings.overrides.password
    return Child(tuple(args), env)


def _cluster_args(options: GlobalOptions) -> list[str]:
    args: list[str] = []
    for flag, name in _PATH_FLAGS:
        value = getattr(options, name)
        if value:
            args += [flag, os.path.abspath(os.path.expanduser(value))]
    for flag, name in _KUBE_FLAGS:
        value = getattr(options, name)
        if value:
            args += [flag, value]
    for group in options.impersonate_group:
        args += ["--as-group", group]
    if options.insecure_skip_tls_verify:
        args.append("--insecure-skip-tls-verify")
    if options.disable_compression:
        args.append("--disable-compression")
    return args
