"""``ClusterSecrets``: artifact credentials read from the workflow namespace's Secrets (pod mode),
as Argo's executor reads them. Needs ``get`` on ``secrets`` only when a repository or artifact
names a Secret (the README's RBAC section says so); values are read once and kept in memory."""

from __future__ import annotations

import base64
from typing import Any

from argoctl.artifacts.errors import ArtifactError
from argoctl.errors import ClusterError, NotFoundError
from argoctl.kube import paths


class ClusterSecrets:
    """``get_secret(name, key)`` over the Secrets of ``namespace`` on the cluster ``client`` reaches."""

    def __init__(self, client: Any, namespace: str) -> None:
        self.client = client
        self.namespace = namespace
        self._data: dict[str, dict[str, str]] = {}

    def __call__(self, name: str, key: str) -> str:
        data = self._data.get(name)
        if data is None:
            try:
                secret = self.client.get(paths.item(self.namespace, "secrets", name))
            except NotFoundError:
                raise ArtifactError(f'secret "{name}" not found in namespace "{self.namespace}"') from None
            except ClusterError as err:
                raise ArtifactError(f'secret "{name}" could not be read: {err.message}', hint=err.hint) from None
            data = {k: base64.b64decode(str(v)).decode() for k, v in (secret.get("data") or {}).items()}
            data.update({k: str(v) for k, v in (secret.get("stringData") or {}).items()})
            self._data[name] = data
        if key not in data:
            raise ArtifactError(f'secret "{name}" has no key "{key}"')
        return data[key]
