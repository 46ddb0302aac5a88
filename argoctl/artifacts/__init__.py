"""Artifacts: move a pod's input and output artifacts between its filesystem and a repository.

What it does: drivers for ``s3`` (boto3, lazy), ``http``/``artifactory`` (urllib), ``git`` (git
CLI), ``raw`` and ``local`` (argoctl's directory repository, local mode's default under
``$ARGOCTL_HOME/artifacts``); Argo's archive strategies (tgz default, none, zip); repository
resolution (``artifactRepositoryRef``, the ``artifact-repositories`` ConfigMap, templates'
``archiveLocation``, key formats, ``archiveLogs``); and ``RepositoryArtifactIO``, the
``ArtifactIO`` that backends call around the main container.

May import: the standard library, ``yaml``, ``boto3`` (inside the s3 driver only),
``argoctl.errors`` and ``argoctl.model``. Never the engine, backends, stores or CLI.
Called by: the local backend and the Kubernetes backend (``load_inputs`` / ``save_outputs`` /
``save_logs``), the runtime (``resolve_repository``), the engine (``has_location_or_key``,
``append_to_key`` for ``subPath``) and ``argoctl cp`` / artifact GC (``download`` / ``delete``).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing need not be imported here
if TYPE_CHECKING:
    from argoctl.artifacts.drivers import DriverFactory, DriverOptions
    from argoctl.artifacts.drivers.base import ArtifactDriver
    from argoctl.artifacts.errors import ArtifactError, NotSupportedError, Redactor, SecretGetter
    from argoctl.artifacts.io import RepositoryArtifactIO
    from argoctl.artifacts.locations import (
        LOCATION_KINDS,
        append_to_key,
        clean_artifact_path,
        describe_location,
        get_key,
        has_key,
        has_location,
        has_location_or_key,
        location_kind,
    )
    from argoctl.artifacts.repository import (
        DEFAULT_CONFIGMAP,
        DEFAULT_KEY_FORMAT,
        DEFAULT_REPOSITORY_ANNOTATION,
        ResolvedRepository,
        archive_location,
        default_local_repository,
        is_archive_logs,
        key_substituter,
        resolve_repository,
    )

# each name's module is imported on first use: a workflow without artifacts does not load the
# drivers, the archive formats or the repository rules (start-up time)
_HOMES = {
    "DriverFactory": "argoctl.artifacts.drivers",
    "DriverOptions": "argoctl.artifacts.drivers",
    "ArtifactDriver": "argoctl.artifacts.drivers.base",
    "ArtifactError": "argoctl.artifacts.errors",
    "NotSupportedError": "argoctl.artifacts.errors",
    "Redactor": "argoctl.artifacts.errors",
    "SecretGetter": "argoctl.artifacts.errors",
    "RepositoryArtifactIO": "argoctl.artifacts.io",
    "LOCATION_KINDS": "argoctl.artifacts.locations",
    "append_to_key": "argoctl.artifacts.locations",
    "clean_artifact_path": "argoctl.artifacts.locations",
    "describe_location": "argoctl.artifacts.locations",
    "get_key": "argoctl.artifacts.locations",
    "has_key": "argoctl.artifacts.locations",
    "has_location": "argoctl.artifacts.locations",
    "has_location_or_key": "argoctl.artifacts.locations",
    "location_kind": "argoctl.artifacts.locations",
    "DEFAULT_CONFIGMAP": "argoctl.artifacts.repository",
    "DEFAULT_KEY_FORMAT": "argoctl.artifacts.repository",
    "DEFAULT_REPOSITORY_ANNOTATION": "argoctl.artifacts.repository",
    "ResolvedRepository": "argoctl.artifacts.repository",
    "archive_location": "argoctl.artifacts.repository",
    "default_local_repository": "argoctl.artifacts.repository",
    "is_archive_logs": "argoctl.artifacts.repository",
    "key_substituter": "argoctl.artifacts.repository",
    "resolve_repository": "argoctl.artifacts.repository",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_CONFIGMAP",
    "DEFAULT_KEY_FORMAT",
    "DEFAULT_REPOSITORY_ANNOTATION",
    "LOCATION_KINDS",
    "ArtifactDriver",
    "ArtifactError",
    "DriverFactory",
    "DriverOptions",
    "NotSupportedError",
    "Redactor",
    "RepositoryArtifactIO",
    "ResolvedRepository",
    "SecretGetter",
    "append_to_key",
    "archive_location",
    "clean_artifact_path",
    "default_local_repository",
    "describe_location",
    "get_key",
    "has_key",
    "has_location",
    "has_location_or_key",
    "is_archive_logs",
    "key_substituter",
    "location_kind",
    "resolve_repository",
]
