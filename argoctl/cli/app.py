"""``App``: the one object that owns a command's I/O, configuration, store and backend."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from argoctl.errors import UsageError

if TYPE_CHECKING:
    from argoctl.backends.base import Backend
    from argoctl.stores.base import Store

JSON = dict[str, Any]
BACKEND_ENV = "ARGOCTL_BACKEND"
STORE_ENV = "ARGOCTL_STORE"
NAMESPACE_ENV = "ARGOCTL_NAMESPACE"
DEFAULT_NAMESPACE = "default"


@dataclass(frozen=True, slots=True)
class GlobalOptions:
    namespace: str | None = None
    kubeconfig: str | None = None
    context: str | None = None
    backend: str | None = None
    store: str | None = None
    verbose: bool = False
    no_color: bool = False
    qps: float = 20.0
    burst: int = 30


def _kubeconfig_exists(explicit: str | None) -> bool:
    if explicit:
        return True
    if os.environ.get("KUBECONFIG"):
        return any(Path(p).exists() for p in os.environ["KUBECONFIG"].split(os.pathsep) if p)
    if os.environ.get("KUBERNETES_SERVICE_HOST"):
        return True
    return (Path.home() / ".kube" / "config").exists()


@dataclass
class App:
    """Created once per invocation by the CLI callback; commands reach everything through it."""

    options: GlobalOptions = field(default_factory=GlobalOptions)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    _store: Any = None
    _backend: Any = None
    _kube_client: Any = None
    _notices_shown: set[str] = field(default_factory=set)

    # ---- output ----------------------------------------------------------------------------

    def out(self, text: str = "", *, end: str = "\n") -> None:
        self.stdout.write(text + end)
        self.stdout.flush()

    def err(self, text: str, *, end: str = "\n") -> None:
        self.stderr.write(text + end)
        self.stderr.flush()

    def notice(self, text: str) -> None:
        """A one-time diagnostic line on stderr."""
        if text not in self._notices_shown:
            self._notices_shown.add(text)
            self.err(text if text.startswith("notice:") else f"notice: {text}")

    @property
    def stdout_tty(self) -> bool:
        return bool(getattr(self.stdout, "isatty", lambda: False)())

    @property
    def color(self) -> bool:
        if self.options.no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return False
        return self.stdout_tty

    def now(self) -> datetime:
        return datetime.now(UTC)

    # ---- configuration ---------------------------------------------------------------------

    @property
    def namespace(self) -> str:
        """-n, else $ARGOCTL_NAMESPACE, else (kubernetes backend) the context's namespace, else default."""
        explicit = self.options.namespace or os.environ.get(NAMESPACE_ENV)
        if explicit:
            return explicit
        if self._kube_client is not None or self._kubernetes_chosen():
            return str(self.kube_client().namespace)
        return DEFAULT_NAMESPACE

    def kube_client(self) -> Any:
        """The ``argoctl.kube.client.KubeClient`` of --kubeconfig/--context/-n/--qps/--burst, built once."""
        if self._kube_client is None:
            from argoctl.kube.client import KubeClient

            self._kube_client = KubeClient.from_kubeconfig(
                self.options.kubeconfig, context=self.options.context,
                namespace=self.options.namespace or os.environ.get(NAMESPACE_ENV) or None,
                qps=self.options.qps, burst=self.options.burst)
        return self._kube_client

    @property
    def home(self) -> Path:
        from argoctl.stores.factory import default_home

        return default_home()

    @property
    def backend_name(self) -> str:
        chosen = (self.options.backend or os.environ.get(BACKEND_ENV) or "").strip().lower()
        if chosen in ("local", "kubernetes", "docker"):
            return chosen
        if chosen and chosen != "auto":
            raise UsageError(f"unknown backend {chosen!r}",
                             hint="use --backend local, --backend docker or --backend kubernetes")
        if _kubeconfig_exists(self.options.kubeconfig) and _kube_backend_available():
            return "kubernetes"
        from argoctl.backends.docker.detect import auto_notice, find_engine

        engine = find_engine()
        self.notice(auto_notice(engine, BACKEND_ENV))
        return "docker" if engine else "local"

    def _kubernetes_chosen(self) -> bool:
        """``backend_name == "kubernetes"``, without its notice (the namespace and store ask early)."""
        chosen = (self.options.backend or os.environ.get(BACKEND_ENV) or "").strip().lower()
        if chosen:
            return chosen == "kubernetes"
        return _kubeconfig_exists(self.options.kubeconfig) and _kube_backend_available()

    def store(self) -> Store:
        if self._store is None:
            from argoctl.stores.factory import open_store

            url = self.options.store or os.environ.get(STORE_ENV) or None
            if url is None and self._kubernetes_chosen():
                url = "configmap"  # the cluster keeps the state: nothing on this machine
            client = self.kube_client() if url is not None and url.startswith("configmap") else None
            self._store = open_store(url, namespace=self.namespace, client=client)
        return self._store  # type: ignore[no-any-return]

    def run_dir(self) -> Path:
        return self.home / "namespaces" / self.namespace / "pods"

    def artifact_io(self) -> Any:
        """The artifact layer for downloads (``cp``): the local repository, and Secrets from the
        cluster in pod mode, else from the local store."""
        return _kube_artifact_io(self) if self._kubernetes_chosen() else _local_artifact_io(self)

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

    def backend(self) -> Backend:
        if self._backend is None:
            name = self.backend_name
            if name == "kubernetes":
                self._backend = _kube_backend(self)
                return self._backend  # type: ignore[no-any-return]
            if name == "docker":
                from argoctl.backends.docker.wiring import docker_backend

                self._backend = docker_backend(self.home, self.namespace, self.notice, _local_artifact_io(self),
                                               self.store())
                return self._backend  # type: ignore[no-any-return]
            from argoctl.backends.local.backend import LocalBackend

            self._backend = LocalBackend(self.run_dir(), notices=self.notice,
                                         artifact_io=_local_artifact_io(self))
        return self._backend  # type: ignore[no-any-return]


def _kube_backend(app: App) -> Any:
    """Pods on the cluster of the kubeconfig; owned by the workflow's ConfigMap when the state lives
    in ConfigMaps (deleting the workflow then garbage-collects its pods)."""
    from argoctl.backends.kube.backend import KubeBackend
    from argoctl.backends.kube.settings import load_settings
    from argoctl.stores.configmap import ConfigMapStore

    settings = load_settings()
    store = app.store()
    owner = store.owner_reference if isinstance(store, ConfigMapStore) else None
    return KubeBackend(app.kube_client(), app.namespace, helper_image=settings.helper_image, owner=owner,
                       image_pull_grace=settings.image_pull_grace, artifact_io=_kube_artifact_io(app))


def _kube_artifact_io(app: App) -> Any:
    """The driver moves pod artifacts: the workflow's repository (default: the local one under
    ``$ARGOCTL_HOME/artifacts``), with credentials from the namespace's Secrets on the cluster."""
    from argoctl.artifacts import RepositoryArtifactIO, default_local_repository
    from argoctl.backends.kube.secrets import ClusterSecrets

    return RepositoryArtifactIO(default_local_repository(app.home),
                                get_secret=ClusterSecrets(app.kube_client(), app.namespace))


def _kube_backend_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("argoctl.backends.kube.backend") is not None


def _local_artifact_io(app: App) -> Any:
    """The artifact layer the local pod runner uses: the default repository under
    ``$ARGOCTL_HOME/artifacts`` (a workflow's own repository travels in each pod request), and
    Secrets from the local store."""
    from argoctl.artifacts import RepositoryArtifactIO, default_local_repository
    from argoctl.artifacts.secrets import StoreSecrets

    return RepositoryArtifactIO(default_local_repository(app.home),
                                get_secret=StoreSecrets(str(app.home), app.namespace))
