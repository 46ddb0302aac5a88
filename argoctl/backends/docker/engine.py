"""The Docker Engine API as the backend needs it: the only module that imports the ``docker`` SDK.

Thin methods over the SDK's low-level ``APIClient``; SDK errors become ``EngineError`` (or a
``None``/``False`` result where absence is an answer: a missing container, file or image).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

from argoctl.backends.docker.containers import ContainerPlan
from argoctl.errors import BackendError

JSON = dict[str, Any]
API_TIMEOUT = 120
# a fixed version: "auto" costs a /version request, which Podman answers by querying its packages
API_VERSION = "1.41"
EMPTY_ARCHIVE_TRIES = 8  # get_archive answers that were empty, asked again (about 3.6 s in all)
PUT_ARCHIVE_TRIES = 4  # put_archive answers that were a server error, tried again (about 0.6 s in all)


class EngineError(BackendError):
    pass


def _sdk() -> Any:
    try:
        import docker
    except ImportError as exc:  # pragma: no cover - a dependency; only a broken install lacks it
        raise EngineError("the docker backend needs the 'docker' Python package",
                          hint="pip install docker") from exc
    return docker


def _message(exc: Exception) -> str:
    explanation = getattr(exc, "explanation", None)
    return str(explanation or exc)


@contextlib.contextmanager
def _translated(what: str) -> Iterator[None]:
    docker = _sdk()
    try:
        yield
    except docker.errors.DockerException as exc:
        raise EngineError(f"{what}: {_message(exc)}") from exc
    except OSError as exc:
        raise EngineError(f"{what}: {exc}") from exc


class Engine:
    """One connection to the engine at ``url``."""

    def __init__(self, url: str) -> None:
        docker = _sdk()
        self.url = url
        with _translated(f"cannot connect to the container engine at {url}"):
            self.api = docker.APIClient(base_url=url, version=API_VERSION, timeout=API_TIMEOUT)
        self.errors = docker.errors

    # -- images -------------------------------------------------------------------------------
    def _exists(self, inspect: Callable[[str], Any], what: str, name: str) -> bool:
        """Whether ``inspect(name)`` finds it: not found (``ImageNotFound`` is a ``NotFound``) or
        any 404 answer is no; other API errors are ``EngineError``."""
        try:
            inspect(name)
        except self.errors.NotFound:
            return False
        except self.errors.APIError as exc:
            if exc.status_code == 404:
                return False
            raise EngineError(f"cannot inspect {what} {name}: {_message(exc)}") from exc
        return True

    def has_image(self, ref: str) -> bool:
        return self._exists(self.api.inspect_image, "image", ref)

    def pull(self, ref: str, progress: Callable[[str], None]) -> None:
        """Pull ``ref``, reporting status lines; raises ``EngineError`` with the engine's reason."""
        repository, _, tag = ref.rpartition(":") if ":" in ref.rsplit("/", 1)[-1] else (ref, "", "latest")
        with _translated(f'failed to pull image "{ref}"'):
            for event in self.api.pull(repository, tag=tag, stream=True, decode=True):
                if "error" in event:
                    raise EngineError(f'failed to pull image "{ref}": {event["error"]}')
                status = str(event.get("status") or "")
                if status and "id" in event:
                    progress(f"{ref}: {event['id']}: {status}")

    # -- containers ---------------------------------------------------------------------------
    def create(self, plan: ContainerPlan) -> bool:
        """Create the container; False when one of that name exists already (adopted)."""
        mounts = [self._mount(m) for m in plan.mounts if m["type"] != "files"]
        host_config = self.api.create_host_config(
            mounts=mounts or None, nano_cpus=plan.nano_cpus, mem_limit=plan.mem_limit,
            network_mode=f"container:{plan.network_of}" if plan.network_of else plan.network,
            ipc_mode=f"container:{plan.network_of}" if plan.network_of else (
                "shareable" if plan.role == "infra" else None),
            device_requests=self._gpus(plan.gpus), init=True)
        try:
            self.api.create_container(
                plan.image, name=plan.engine_name, entrypoint=plan.entrypoint, command=plan.command,
                environment=plan.env, working_dir=plan.working_dir, user=plan.user or "",
                labels=plan.labels, tty=plan.tty, host_config=host_config, stop_signal="SIGTERM",
                hostname=None if plan.network_of else plan.env.get("HOSTNAME"))
        except self.errors.APIError as exc:
            if exc.status_code == 409:
                return False
            raise EngineError(f"cannot create container {plan.name}: {_message(exc)}") from exc
        return True

    def _mount(self, mount: JSON) -> Any:
        docker = _sdk()
        return docker.types.Mount(target=mount["target"], source=mount["source"], type=mount["type"],
                                  read_only=bool(mount.get("read_only")))

    def _gpus(self, count: int) -> list[Any] | None:
        if not count:
            return None
        docker = _sdk()
        return [docker.types.DeviceRequest(count=count, capabilities=[["gpu"]])]

    def start(self, name: str) -> None:
        with _translated(f"cannot start container {name}"):
            self.api.start(name)

    def containers(self, filters: JSON) -> list[JSON]:
        """The matching containers; a failure is retried twice (Podman's list can race a
        container that is going away: "read /proc/PID/cgroup: no such process")."""
        wanted = dict(str(item).partition("=")[::2] for item in filters.get("label") or [])
        for attempt in range(3):
            try:
                rows = self.api.containers(all=True, filters=filters)
                return [r for r in rows if all((r.get("Labels") or {}).get(k) == v for k, v in wanted.items())]
            except self.errors.APIError as exc:
                if attempt == 2:
                    raise EngineError(f"cannot list containers: {_message(exc)}") from exc
                time.sleep(0.1 * (attempt + 1))
        return []

    def inspect(self, name: str) -> JSON | None:
        try:
            return dict(self.api.inspect_container(name))
        except self.errors.NotFound:
            return None
        except self.errors.APIError as exc:
            raise EngineError(f"cannot inspect container {name}: {_message(exc)}") from exc

    def stop(self, name: str, grace: float) -> None:
        with _translated(f"cannot stop container {name}"), contextlib.suppress(self.errors.NotFound):
            self.api.stop(name, timeout=max(0, round(grace)))

    def kill(self, name: str, signal: str) -> None:
        """Send ``signal``; a container that is gone or not running is fine."""
        try:
            self.api.kill(name, signal=signal)
        except self.errors.APIError as exc:
            if exc.status_code not in (404, 409, 500):
                raise EngineError(f"cannot signal container {name}: {_message(exc)}") from exc

    def remove(self, name: str) -> None:
        with _translated(f"cannot remove container {name}"), contextlib.suppress(self.errors.NotFound):
            self.api.remove_container(name, force=True)

    def put_archive(self, name: str, path: str, data: bytes) -> None:
        """Extract the tar ``data`` at ``path`` in the container. A server error is tried again a
        few times: Podman 4.3 extracts through a child process and, on a busy machine, sometimes
        answers 500 "passing bulk input to subprocess: write |1: broken pipe"; extracting the same
        archive again is harmless (it writes the same files)."""
        for attempt in range(PUT_ARCHIVE_TRIES):
            try:
                with _translated(f"cannot copy files into container {name}"):
                    self.api.put_archive(name, path, data)
                return
            except EngineError as exc:
                status = getattr(exc.__cause__, "status_code", None)
                if attempt + 1 == PUT_ARCHIVE_TRIES or not isinstance(status, int) or status < 500:
                    raise
            time.sleep(0.1 * (attempt + 1))

    def get_archive(self, name: str, path: str) -> list[bytes] | None:
        """The tar stream of ``path`` in the container, or None when it does not exist. An empty
        answer (never a valid tar: Podman 4.3 sometimes sends one for a container that has just
        stopped, while it still unmounts its storage) is asked again, a few times."""
        for attempt in range(EMPTY_ARCHIVE_TRIES):
            chunks = self._get_archive_once(name, path)
            if chunks is None or any(chunks):
                return chunks
            time.sleep(0.1 * (attempt + 1))
        raise EngineError(f"cannot copy {path} out of container {name}: the engine sent an empty archive")

    def _get_archive_once(self, name: str, path: str) -> list[bytes] | None:
        try:
            stream, _ = self.api.get_archive(name, path)
            return list(stream)
        except self.errors.NotFound:
            return None
        except self.errors.APIError as exc:
            if exc.status_code in (404, 500) and "no such" in _message(exc).lower():
                return None
            raise EngineError(f"cannot copy {path} out of container {name}: {_message(exc)}") from exc

    def logs(self, name: str, *, stdout: bool = True, stderr: bool = True, timestamps: bool = False) -> bytes:
        try:
            data = self.api.logs(name, stdout=stdout, stderr=stderr, timestamps=timestamps)
        except self.errors.NotFound:
            return b""
        except self.errors.APIError as exc:
            raise EngineError(f"cannot read the log of container {name}: {_message(exc)}") from exc
        return data if isinstance(data, bytes) else bytes(data)

    # -- networks -----------------------------------------------------------------------------
    def ensure_network(self, name: str, labels: dict[str, str]) -> None:
        """Create the bridge network ``name`` unless it exists (another pod of the workflow made it)."""
        if self.has_network(name):
            return
        try:
            self.api.create_network(name, driver="bridge", labels=labels)
        except self.errors.APIError as exc:
            if not self.has_network(name):  # lost a race with a pod of the same workflow: fine
                raise EngineError(f"cannot create network {name}: {_message(exc)}") from exc

    def has_network(self, name: str) -> bool:
        return self._exists(self.api.inspect_network, "network", name)

    def remove_network(self, name: str) -> None:
        with _translated(f"cannot remove network {name}"), contextlib.suppress(self.errors.NotFound):
            self.api.remove_network(name)

    # -- volumes ------------------------------------------------------------------------------
    def create_volume(self, name: str, labels: dict[str, str]) -> None:
        with _translated(f"cannot create volume {name}"):
            self.api.create_volume(name=name, labels=labels)

    def volumes(self, filters: JSON) -> list[str]:
        """Names of the volumes carrying every ``key=value`` label of ``filters["label"]``
        (checked here too: Podman's compatible API ORs several label filters)."""
        wanted = dict(str(item).partition("=")[::2] for item in filters.get("label") or [])
        with _translated("cannot list volumes"):
            found = self.api.volumes(filters=filters) or {}
        return [str(v.get("Name")) for v in found.get("Volumes") or []
                if all((v.get("Labels") or {}).get(k) == value for k, value in wanted.items())]

    def remove_volume(self, name: str) -> None:
        with _translated(f"cannot remove volume {name}"), contextlib.suppress(self.errors.NotFound):
            self.api.remove_volume(name, force=True)

    def remove_unused_volume(self, name: str) -> bool:
        """Remove the volume unless a container (running or stopped) mounts it; False if one does."""
        try:
            self.api.remove_volume(name, force=False)
        except self.errors.NotFound:
            return True
        except self.errors.APIError as exc:
            if exc.status_code == 409:
                return False
            raise EngineError(f"cannot remove volume {name}: {_message(exc)}") from exc
        return True

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.api.close()
