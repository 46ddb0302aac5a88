"""Hand a workflow to a detached driver process that outlives the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argoctl.runtime.wiring import Wiring


def log_path(home: Path, namespace: str, name: str) -> Path:
    return home / "namespaces" / namespace / "drivers" / f"{name}.log"


def spawn(name: str, wiring: Wiring) -> int:
    """Start ``python -m argoctl.runtime.detached`` in its own session with this command's
    settings (``child_invocation``); returns its pid."""
    from argoctl.runtime.wiring import child_invocation

    child = child_invocation(wiring)
    log = log_path(wiring.home, wiring.namespace, name)
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **child.env}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a fresh interpreter per workflow: reuse compiled modules
    env.setdefault("PYTHONPYCACHEPREFIX", str(wiring.home / ".pycache"))
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "argoctl.runtime.detached", *child.args, name],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env, start_new_session=True,
            close_fds=True,
        )
    return proc.pid
