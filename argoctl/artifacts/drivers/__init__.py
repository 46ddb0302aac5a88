"""Storage drivers behind one protocol (``base.ArtifactDriver``) and the factory that picks one.

``s3`` (boto3, lazily imported), ``http``/``artifactory`` (urllib), ``git`` (git CLI), ``raw``
and ``local`` (argoctl's local-directory repository). ``gcs``, ``azure``, ``oss``, ``hdfs`` and
``plugin`` raise ``NotSupportedError``. Imports only the standard library, ``argoctl.errors``
and the sibling modules; called by ``argoctl.artifacts.io``.
"""

from __future__ import annotations

from pathlib import Path

from argoctl.artifacts.drivers.base import ArtifactDriver, BaseDriver, DriverOptions
from argoctl.artifacts.errors import NotSupportedError, Redactor

__all__ = ["ArtifactDriver", "BaseDriver", "DriverFactory", "DriverOptions"]

SUPPORTED_KINDS = ("s3", "http", "artifactory", "git", "raw", "local")


class DriverFactory:
    """Makes (and caches) one driver per kind for one secret source.

    ``local_root`` is the directory of the ``local`` repository (its location bodies only carry
    keys); ``get_secret`` reads Secret selectors through a shared :class:`Redactor`.
    """

    def __init__(self, redactor: Redactor, *, options: DriverOptions | None = None,
                 local_root: Path | None = None) -> None:
        self.redactor = redactor
        self.options = options or DriverOptions()
        self.local_root = local_root
        self._drivers: dict[str, ArtifactDriver] = {}

    def for_location(self, kind: str, body: dict[str, object]) -> ArtifactDriver:
        """The driver for one location body (a ``local`` body may name its own ``path``)."""
        if kind == "local" and body.get("path"):
            root = Path(str(body["path"])).expanduser()
            cache_key = f"local:{root}"
            driver = self._drivers.get(cache_key)
            if driver is None:
                from argoctl.artifacts.drivers.localdir import LocalDirDriver

                driver = self._drivers[cache_key] = LocalDirDriver(root)
            return driver
        return self.for_kind(kind)

    def for_kind(self, kind: str) -> ArtifactDriver:
        driver = self._drivers.get(kind)
        if driver is None:
            driver = self._drivers[kind] = self._make(kind)
        return driver

    def _make(self, kind: str) -> ArtifactDriver:
        if kind == "s3":
            from argoctl.artifacts.drivers.s3 import S3Driver

            return S3Driver(self.redactor, self.options)
        if kind in ("http", "artifactory"):
            from argoctl.artifacts.drivers.http import HttpDriver

            return HttpDriver(kind, self.redactor, self.options)
        if kind == "git":
            from argoctl.artifacts.drivers.git import GitDriver

            return GitDriver(self.redactor, self.options)
        if kind == "raw":
            from argoctl.artifacts.drivers.raw import RawDriver

            return RawDriver()
        if kind == "local":
            if self.local_root is None:
                raise NotSupportedError("a local repository location needs a local repository "
                                        "(local: {path: DIR}) to be configured")
            from argoctl.artifacts.drivers.localdir import LocalDirDriver

            return LocalDirDriver(self.local_root)
        raise NotSupportedError(
            f"{kind} artifacts are not supported by argoctl (supported: {', '.join(SUPPORTED_KINDS)})")
