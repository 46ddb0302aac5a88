"""Is there a Docker Engine API here? ``find_engine`` pings the candidate endpoints.

Candidates, first answering wins: ``DOCKER_HOST`` (unix:// or tcp://; when it is set, only it),
``/var/run/docker.sock``, Podman's rootful socket ``/run/podman/podman.sock`` and the user's
``$XDG_RUNTIME_DIR/podman/podman.sock``. A socket file alone is not enough (a ``docker`` CLI or a
stale socket is no engine): the endpoint must answer ``GET /_ping`` within ``timeout`` seconds.
Standard library only; the docker SDK is not imported.
"""

from __future__ import annotations

import os
import socket
import urllib.parse

PING = b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
DEFAULT_SOCKETS = ("/var/run/docker.sock", "/run/podman/podman.sock")


def candidates(environ: dict[str, str] | None = None) -> list[str]:
    """The endpoints to try, as URLs (``unix:///path`` or ``tcp://host:port``)."""
    env = dict(os.environ) if environ is None else environ
    host = env.get("DOCKER_HOST", "").strip()
    if host:
        return [host]
    found = [f"unix://{path}" for path in DEFAULT_SOCKETS]
    runtime = env.get("XDG_RUNTIME_DIR", "").strip()
    if runtime:
        found.append(f"unix://{runtime}/podman/podman.sock")
    return found


def _connect(url: str, timeout: float) -> socket.socket | None:
    parsed = urllib.parse.urlparse(url)
    try:
        if parsed.scheme in ("unix", ""):
            path = parsed.path or url
            if not os.path.exists(path):
                return None
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(path)
            return sock
        if parsed.scheme in ("tcp", "http"):
            return socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 2375), timeout)
    except OSError:
        return None
    return None  # https and ssh endpoints are not probed: name them with --backend docker


def answers(url: str, timeout: float = 1.0) -> bool:
    """Whether a Docker Engine API answers ``/_ping`` at ``url``."""
    sock = _connect(url, timeout)
    if sock is None:
        return False
    with sock:
        try:
            sock.sendall(PING)
            head = sock.recv(64)
        except OSError:
            return False
    return head.startswith(b"HTTP/") and b" 200" in head.split(b"\r\n", 1)[0]


def find_engine(environ: dict[str, str] | None = None, timeout: float = 1.0) -> str | None:
    """The URL of the first engine that answers, or None."""
    for url in candidates(environ):
        if answers(url, timeout):
            return url
    return None


def auto_notice(engine: str | None, backend_env: str) -> str:
    """The one line ``auto`` prints on stderr about its choice."""
    if engine:
        return (f"notice: no Kubernetes cluster configured; running workflows as containers on the engine at "
                f"{engine} (set {backend_env}=docker to silence this, {backend_env}=local for host processes)")
    return ("notice: no Kubernetes cluster configured; running workflows as local processes "
            f"(set {backend_env}=local to silence this)")
