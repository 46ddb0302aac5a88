"""Hand a workflow to a detached driver process that outlives the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def log_path(home: Path, namespace: str, name: str) -> Path:
    return home / "namespaces" / namespace / "drivers" / f"{name}.log"


def spawn(name: str, *, namespace: str, home: Path, store_url: str | None, backend: str) -> int:
    """Start ``python -m argoctl.runtime.detached`` in its own session; returns its pid."""
    log = log_path(home, namespace, name)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["ARGOCTL_HOME"] = str(home)
    env["ARGOCTL_BACKEND"] = backend
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a fresh interpreter per workflow: reuse compiled modules
    env.setdefault("PYTHONPYCACHEPREFIX", str(home / ".pycache"))
    if store_url:
        env["ARGOCTL_STORE"] = store_url
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "argoctl.runtime.detached", name, "--namespace", namespace],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env, start_new_session=True,
            close_fds=True,
        )
    return proc.pid
