"""The kubeconfig that points a client at the fake server (plain HTTP, a static token)."""

from __future__ import annotations

import json
import os
from pathlib import Path

CONTEXT = "fakecluster"
USER = "fake-user"
TOKEN = "fakecluster-token"


def kubeconfig_document(url: str, namespace: str = "default", context: str = CONTEXT) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": context, "cluster": {"server": url}}],
        "users": [{"name": USER, "user": {"token": TOKEN}}],
        "contexts": [{"name": context, "context": {"cluster": context, "user": USER, "namespace": namespace}}],
        "current-context": context,
        "preferences": {},
    }


def write_kubeconfig(path: str | os.PathLike[str], url: str, namespace: str = "default",
                     context: str = CONTEXT) -> Path:
    """Write the kubeconfig (JSON, which is YAML too) with mode 0600; returns its path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(kubeconfig_document(url, namespace, context), indent=2) + "\n")
    os.chmod(target, 0o600)
    return target
