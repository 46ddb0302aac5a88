"""``RepositoryArtifactIO``: the ``ArtifactIO`` both backends call around a pod's main container.

Inputs are downloaded next to their destination, unpacked there and renamed into place; outputs
are archived into a staging directory and uploaded whole (see ``drivers.base`` for each
driver's atomicity). Failures raise :class:`~argoctl.artifacts.errors.ArtifactError` naming the
artifact and its location, with every secret value read on the way blanked out.

Output locations: an artifact that names its own location (full, or a key-only ``s3: {key}``)
keeps it. One without goes to ``<archive key>/<file name>`` and is returned key-only, as Argo
does: ``{"s3": {"key": ...}}`` for an S3 repository, ``{"local": {"key": ...}}`` for the local
directory repository (a kind of its own, so that nobody reads an S3 location where there is no
bucket; key-only ``s3`` artifacts written in a manifest still resolve against whatever
repository the workflow has, local included). When the template's own complete
``archiveLocation`` was used, the full location is returned instead.

The local repository, which only argoctl reads, favours speed for outputs with the default
archive: gzip level 1 instead of 6, and data that does not compress (model weights, archives)
stored as it is, recorded with ``archive: {none: {}}`` under ``<archive key>/<name>``, so that
consumers copy it rather than unpack it.
"""

from __future__ import annotations

import copy
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from argoctl.artifacts.archive import (
    Strategy,
    apply_mode,
    choose_level,
    install,
    is_tarball,
    load_strategy,
    save_strategy,
    stage,
    unpack_into,
)
from argoctl.artifacts.drivers import DriverFactory, DriverOptions
from argoctl.artifacts.drivers.base import ArtifactDriver
from argoctl.artifacts.errors import ArtifactError, Redactor, SecretGetter, short_reason
from argoctl.artifacts.locations import (
    KEY_FIELDS,
    LOCAL,
    clean_artifact_path,
    describe_location,
    get_key,
    has_key,
    has_location,
    has_location_or_key,
    location_kind,
    relocate,
    strip_location,
    with_key,
)
from argoctl.artifacts.repository import (
    DEFAULT_KEY_FORMAT,
    KeySubstituter,
    archive_location,
    is_archive_logs,
    key_substituter,
    local_root,
    repository_location,
)
from argoctl.artifacts.secrets import StoreSecrets
from argoctl.model.pods import PodRequest

JSON = dict[str, Any]
Resolve = Callable[[str], str]


def _debug(message: str, *args: object) -> None:
    """A debug log line (``logging`` is imported for it only: start-up time)."""
    import logging

    logging.getLogger(__name__).debug(message, *args)
LOCAL_GZIP_LEVEL = 1


def from_handover(config: JSON) -> RepositoryArtifactIO:
    """The inverse of :meth:`RepositoryArtifactIO.handover`."""
    secrets = config.get("secrets")
    getter = StoreSecrets(str(secrets["home"]), str(secrets["namespace"])) if secrets else None
    return RepositoryArtifactIO(config.get("repository"), get_secret=getter)


def request_substituter(request: PodRequest) -> KeySubstituter:
    return key_substituter(workflow_name=request.workflow_name, namespace=request.namespace,
                           workflow_uid=request.workflow_uid, pod_name=request.pod_name)


class RepositoryArtifactIO:
    """Loads and saves a pod's artifacts against one artifact repository.

    ``repository`` is the workflow's resolved repository (``PodRequest.artifact_repository``,
    when set, wins). ``get_secret(name, key)`` reads Secret values (pod mode: the workflow
    namespace's Secrets). ``substitute`` makes the key-format substituter for a request (default:
    ``workflow.name``, ``workflow.namespace``, ``workflow.uid`` and ``pod.name``).
    """

    def __init__(self, repository: JSON | None, *, get_secret: SecretGetter | None = None,
                 substitute: Callable[[PodRequest], KeySubstituter] | None = None,
                 options: DriverOptions | None = None, staging_dir: Path | None = None) -> None:
        self.repository = repository
        self._get_secret = get_secret
        self.redactor = Redactor(get_secret)
        self._substitute = substitute or request_substituter
        self._options = options or DriverOptions()
        self._staging_dir = staging_dir
        self._factories: dict[str, DriverFactory] = {}

    # ---- ArtifactIO ------------------------------------------------------------------------

    @property
    def secret_getter(self) -> SecretGetter | None:
        return self._get_secret

    def handover(self) -> tuple[str, JSON]:
        """Rebuild in the local pod runner: the repository and where Secrets come from."""
        secrets = self._get_secret
        config: JSON = {"repository": self.repository,
                        "secrets": secrets.config() if isinstance(secrets, StoreSecrets) else None}
        return "argoctl.artifacts.io:from_handover", config

    def load_inputs(self, request: PodRequest, resolve: Resolve) -> None:
        """Download every ``template.inputs.artifacts[]`` to ``resolve(path)`` (first error raises)."""
        for artifact in (request.template.get("inputs") or {}).get("artifacts") or ():
            self._load_one(artifact, request, resolve)

    def save_outputs(self, request: PodRequest, resolve: Resolve) -> list[JSON]:
        """Upload every ``template.outputs.artifacts[]`` found at ``resolve(path)``.

        All artifacts are tried; failures are joined with ``; `` into one error whose ``saved``
        holds what was uploaded (Argo's ``SaveArtifacts``). Missing optional ones are left out.
        """
        saved: list[JSON] = []
        failures: list[str] = []
        for artifact in (request.template.get("outputs") or {}).get("artifacts") or ():
            try:
                result = self._save_one(artifact, request, resolve)
            except ArtifactError as err:
                failures.append(self.redactor.redact(err.message))
                continue
            if result is not None:
                saved.append(result)
        if failures:
            raise ArtifactError("; ".join(failures), saved=saved)
        return saved

    # ---- beyond the protocol ---------------------------------------------------------------

    def save_logs(self, request: PodRequest, logs: Mapping[str, Path | str]) -> list[JSON]:
        """``archiveLogs``: upload each container's log file as ``<container>-logs`` =
        ``<archive key>/<container>.log``; returns the artifacts (none when not enabled)."""
        repository = self.repository_for(request)
        if not is_archive_logs(request.template, request.workflow_spec, repository):
            return []
        target_base = self.archive_location_for(request)
        if target_base is None:
            raise ArtifactError("archiveLogs is set but no artifact repository is configured")
        own = request.template.get("archiveLocation")
        full = isinstance(own, dict) and has_location(own)
        out = []
        for container, path in logs.items():
            key = posixpath.join(get_key(target_base), f"{container}.log")
            target = with_key(target_base, key)
            self._upload(Path(path), target, consume=False, name=f"{container}-logs")
            out.append({"name": f"{container}-logs", **_recorded(target, full)})
        return out

    def list_keys(self, artifact: JSON, request: PodRequest) -> list[str]:
        """Keys under an artifact location (data templates' ``artifactPaths``); a key-only or
        bucket-only location is taken from the root of the workflow's repository."""
        location = relocate(artifact, repository_location(self.repository_for(request)))
        kind = location_kind(location)
        assert kind is not None
        base = get_key(location) if kind in KEY_FIELDS else ""
        try:
            keys = self._driver(location).list_keys(location[kind])
        except ArtifactError as err:
            if err.not_found:
                return []
            raise self._wrap(err, f"failed to list artifact {artifact.get('name', '')}", location) from None
        return [posixpath.join(base, key) if base else key for key in keys]

    def download(self, artifact: JSON, dest: Path) -> None:
        """Fetch one recorded artifact (e.g. a node output) to ``dest`` (``argoctl cp``)."""
        location = self._driver_location(artifact, None)
        name = str(artifact.get("name", ""))
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            self._fetch(location, dest, load_strategy(artifact), name)
        except (ArtifactError, OSError) as err:
            raise self._wrap(err, f"artifact {name} failed to load", location) from None

    def delete(self, artifact: JSON) -> None:
        """Remove one recorded artifact from its store (artifact GC); a missing one is fine."""
        location = self._driver_location(artifact, None)
        kind = location_kind(location)
        assert kind is not None
        try:
            self._driver(location).delete(location[kind])
        except ArtifactError as err:
            raise self._wrap(err, f"failed to delete artifact {artifact.get('name', '')}", location) from None

    def repository_for(self, request: PodRequest) -> JSON | None:
        return request.artifact_repository if request.artifact_repository is not None else self.repository

    def archive_location_for(self, request: PodRequest) -> JSON | None:
        return archive_location(request.template, self.repository_for(request),
                                substitute=self._substitute(request))

    # ---- loading ---------------------------------------------------------------------------

    def _load_one(self, artifact: JSON, request: PodRequest, resolve: Resolve) -> None:
        name = str(artifact.get("name", ""))
        if not has_location_or_key(artifact):
            if artifact.get("optional"):
                _debug("ignoring optional artifact %s which was not supplied", name)
                return
            raise ArtifactError(f"required artifact '{name}' not supplied", not_found=True)
        path = clean_artifact_path(name, artifact.get("path"))
        location = self._driver_location(artifact, request)
        dest = Path(resolve(path))
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            self._fetch(location, dest, load_strategy(artifact), name)
            apply_mode(dest, artifact.get("mode"), bool(artifact.get("recurseMode")))
        except ArtifactError as err:
            if err.not_found and artifact.get("optional"):
                _debug("skipping optional input artifact %s that was not found", name)
                return
            raise self._wrap(err, f"artifact {name} failed to load", location) from None
        except OSError as err:
            raise self._wrap(err, f"artifact {name} failed to load", location) from None

    def _fetch(self, location: JSON, dest: Path, strategy: Strategy | None, name: str) -> None:
        kind = location_kind(location)
        assert kind is not None
        body = location[kind]
        driver = self._driver(location)
        unpack = strategy.kind if strategy is not None and strategy.kind != "none" else None
        local = driver.local_path(body)
        if local is not None and local.is_file() and strategy is None and is_tarball(local):
            unpack = "tar"
        if local is not None and local.is_file() and unpack:
            unpack_into(local, unpack, dest)  # read the repository's file in place: no copy
            return
        tmp = dest.parent / f".{dest.name}.{os.urandom(4).hex()}.download"
        try:
            driver.load(body, tmp)
            if strategy is None and is_tarball(tmp):
                unpack = "tar"
            if unpack:
                unpack_into(tmp, unpack, dest)
            else:
                install(tmp, dest)
        finally:
            _remove(tmp)

    # ---- saving ----------------------------------------------------------------------------

    def _save_one(self, artifact: JSON, request: PodRequest, resolve: Resolve) -> JSON | None:
        name = str(artifact.get("name", ""))
        path = clean_artifact_path(name, artifact.get("path"))
        src = Path(resolve(path))
        if not src.exists():
            if artifact.get("optional"):
                _debug("ignoring optional artifact %s which does not exist in path %s", name, path)
                return None
            raise ArtifactError(f"failed to save artifact {name}: {path} no such file or directory",
                                not_found=True)
        result = {**copy.deepcopy(artifact), "path": path}
        if has_location(artifact) or has_key(artifact):  # the artifact says where it goes
            target = self._driver_location(artifact, request)
            self._stage_and_upload(name, path, src, save_strategy(artifact), target, None)
            return result
        base, full = self._archive_base(artifact, request)
        strategy = save_strategy(artifact)
        if strategy.is_default and location_kind(base) == LOCAL:
            # the local repository trades a little disk for speed: gzip -1 (about 10% larger
            # than Argo's -6 on text, twice as fast), and no archive at all for data that
            # does not compress
            strategy = Strategy("tar", LOCAL_GZIP_LEVEL if choose_level(src) else 0)
            if strategy.level == 0:
                # Incompressible data in the local repository: a level-0 tgz costs two passes and
                # saves nothing, so store it as it is and say so (``archive: none``).
                result["archive"] = {"none": {}}
                target = with_key(base, posixpath.join(get_key(base), name))
                self._upload(src, target, consume=False, name=name)
                return {**strip_location(result), **_recorded(target, full)}
        file_name = self._stage_and_upload(name, path, src, strategy, base, get_key(base))
        target = with_key(base, posixpath.join(get_key(base), file_name))
        return {**strip_location(result), **_recorded(target, full)}

    def _archive_base(self, artifact: JSON, request: PodRequest) -> tuple[JSON, bool]:
        """Where a keyless output goes (its key is the directory for the file name), and whether
        the node should record the full location rather than the key alone.

        A partial location of the artifact's own (``s3: {bucket, endpoint}`` without a key)
        keeps its fields over the repository's; Argo would drop them, but they say where the
        user wants the bytes, so argoctl honours them.
        """
        name = artifact.get("name", "")
        base = self.archive_location_for(request)
        own = request.template.get("archiveLocation")
        full = isinstance(own, dict) and has_location(own)
        kind = location_kind(artifact)
        if kind is not None:
            if kind not in KEY_FIELDS:
                raise ArtifactError(f"failed to save artifact {name}: its {kind} location is incomplete")
            fields = dict(base[kind]) if base is not None and location_kind(base) == kind else {
                KEY_FIELDS[kind]: self._substitute(request)(DEFAULT_KEY_FORMAT)}
            fields.update({k: v for k, v in artifact[kind].items() if k != KEY_FIELDS[kind]})
            return {kind: fields}, True
        if base is None:
            raise ArtifactError(
                f"failed to save artifact {name}: it has no location and no artifact repository is configured",
                hint="configure a default artifact repository or give the artifact a location")
        return base, full

    def _stage_and_upload(self, name: str, path: str, src: Path, strategy: Strategy, target: JSON,
                          key_dir: str | None) -> str:
        """Archive ``src`` and upload it to ``target`` (to ``key_dir/<file name>`` when
        ``key_dir`` is given); returns the file name."""
        try:
            staged = stage(name, path, src, strategy, self._staging(target))
        except (OSError, ArtifactError) as err:
            raise self._wrap(err, f"failed to save artifact {name}", target) from None
        try:
            if key_dir is not None:
                target = with_key(target, posixpath.join(key_dir, staged.file_name))
            self._upload(staged.path, target, consume=staged.owned, name=name)
        finally:
            if staged.owned:
                staged.path.unlink(missing_ok=True)
        return staged.file_name

    def _upload(self, src: Path, target: JSON, *, consume: bool, name: str) -> None:
        kind = location_kind(target)
        assert kind is not None
        try:
            self._driver(target).save(src, target[kind], consume=consume)
        except (ArtifactError, OSError) as err:
            raise self._wrap(err, f"failed to save artifact {name}", target) from None
        _debug("saved artifact %s to %s", name, describe_location(target))

    # ---- shared ----------------------------------------------------------------------------

    def _driver_location(self, artifact: JSON, request: PodRequest | None) -> JSON:
        """The complete location of an artifact: its own, or its key in the repository."""
        if has_location(artifact):
            return relocate(artifact, None)
        if request is not None:
            base = self.archive_location_for(request)
        else:
            base = repository_location(self.repository)
        return relocate(artifact, base)

    def _driver(self, location: JSON) -> ArtifactDriver:
        kind = location_kind(location)
        assert kind is not None
        return self._factory().for_location(kind, location[kind])

    def _factory(self) -> DriverFactory:
        root = local_root(self.repository)
        cache_key = str(root)
        factory = self._factories.get(cache_key)
        if factory is None:
            factory = self._factories[cache_key] = DriverFactory(
                self.redactor, options=self._options, local_root=root)
        return factory

    def _staging(self, target: JSON) -> Path:
        kind = location_kind(target)
        assert kind is not None
        staging = self._driver(target).staging_dir() or self._staging_dir
        if staging is None:
            staging = Path(tempfile.gettempdir())
        staging.mkdir(parents=True, exist_ok=True)
        return staging

    def _wrap(self, err: BaseException, what: str, location: JSON) -> ArtifactError:
        reason = short_reason(err)
        message = f"{what} ({describe_location(location)}): {reason}"
        not_found = isinstance(err, ArtifactError) and err.not_found
        return ArtifactError(self.redactor.redact(message), not_found=not_found,
                             hint=err.hint if isinstance(err, ArtifactError) else "")


def _recorded(target: JSON, full: bool) -> JSON:
    """The location a node records: key-only for the repository (Argo), else in full."""
    if full:
        return copy.deepcopy(target)
    kind = location_kind(target)
    assert kind is not None
    return {kind: {KEY_FIELDS[kind]: get_key(target)}}


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()
