"""Secret values for artifact credentials, read from the store's Secret objects (local mode)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from argoctl.artifacts.errors import ArtifactError

JSON = dict[str, Any]


class StoreSecrets:
    """``get_secret(name, key)`` over ``argoctl apply``-ed Secrets in one namespace."""

    def __init__(self, home: str, namespace: str) -> None:
        self.home = home
        self.namespace = namespace

    def config(self) -> JSON:
        return {"home": self.home, "namespace": self.namespace}

    def get_object(self, kind: str, name: str) -> JSON | None:
        """A stored Secret or ConfigMap of the namespace, or None (the local backend's secret
        env variables and volumes)."""
        from argoctl.errors import ArgoctlError
        from argoctl.stores.local import LocalStore

        try:
            return dict(LocalStore(Path(self.home), self.namespace).get_object(kind, name))
        except (ArgoctlError, OSError):
            return None

    def __call__(self, name: str, key: str) -> str:
        from argoctl.errors import NotFoundError
        from argoctl.stores.local import LocalStore

        try:
            secret = LocalStore(Path(self.home), self.namespace).get_object("Secret", name)
        except NotFoundError:
            raise ArtifactError(f'secret "{name}" not found in namespace "{self.namespace}"') from None
        if key in (secret.get("stringData") or {}):
            return str(secret["stringData"][key])
        data = secret.get("data") or {}
        if key not in data:
            raise ArtifactError(f'secret "{name}" has no key "{key}"')
        return base64.b64decode(str(data[key])).decode()
