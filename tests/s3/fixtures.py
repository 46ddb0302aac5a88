"""A real S3-compatible server on loopback (moto's server) for tests and benchmarks.

Use from any test package's conftest::

    from tests.s3.fixtures import s3_server, s3_bucket  # noqa: F401  (pytest fixtures)

``s3_server`` (one per test process) is the running server; ``s3_bucket`` (one per test) is a
fresh, empty bucket on it, as an ``S3Endpoint`` with the endpoint URL, credentials, region, a
store URL builder and a boto3 client. ``LoopbackS3`` starts and stops a server outside pytest
(benchmarks). Requests are served one at a time, so moto's check-then-write of conditional puts is
atomic, as it is on a real S3.
"""

from __future__ import annotations

import logging
import threading
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

ACCESS_KEY = "argoctl-test-key"
SECRET_KEY = "argoctl-test-secret"
REGION = "us-east-1"

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class _Serialized:
    """WSGI middleware: one request at a time, body included; ``fail_next`` answers the next
    requests with an S3 error instead (fault injection)."""

    def __init__(self, app: WSGIApp) -> None:
        self._app = app
        self._lock = threading.Lock()
        self.failures: list[int] = []  # statuses for the next requests, in order

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        with self._lock:
            if self.failures:
                status = self.failures.pop(0)
                environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                start_response(f"{status} Injected", [("Content-Type", "application/xml")])
                code = "SlowDown" if status == 503 else "InternalError"
                return [f"<Error><Code>{code}</Code><Message>injected</Message></Error>".encode()]
            return list(self._app(environ, start_response))


class LoopbackS3:
    """moto's threaded server on 127.0.0.1 and a free port, with serialised request handling."""

    def __init__(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)

    def start(self) -> LoopbackS3:
        self._server.start()
        # the werkzeug server reads ``.app`` on every request: serialise moto behind it
        wsgi_server = self._server._server
        assert wsgi_server is not None
        self._serialized = _Serialized(wsgi_server.app)
        wsgi_server.app = self._serialized
        return self

    def fail_next(self, count: int, status: int = 503) -> None:
        """Answer the next ``count`` requests with ``status`` (503 SlowDown, 500 InternalError)."""
        self._serialized.failures.extend([status] * count)

    def pending_faults(self) -> int:
        return len(self._serialized.failures)

    def clear_faults(self) -> None:
        self._serialized.failures.clear()

    def stop(self) -> None:
        self._server.stop()

    @property
    def endpoint_url(self) -> str:
        host, port = self._server.get_host_and_port()
        return f"http://{host}:{port}"

    def client(self) -> Any:
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def new_bucket(self, stem: str = "argoctl-test") -> S3Endpoint:
        name = f"{stem}-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=name)
        return S3Endpoint(self.endpoint_url, ACCESS_KEY, SECRET_KEY, REGION, name, self)


@dataclass(frozen=True)
class S3Endpoint:
    endpoint_url: str
    access_key: str
    secret_key: str = field(repr=False)
    region: str
    bucket: str
    server: LoopbackS3 = field(repr=False)

    def url(self, prefix: str = "") -> str:
        """``s3://bucket/prefix?endpoint=...&region=...`` (credentials go by env or config)."""
        query = urllib.parse.urlencode({"endpoint": self.endpoint_url, "region": self.region})
        path = f"/{prefix.strip('/')}" if prefix.strip("/") else ""
        return f"s3://{self.bucket}{path}?{query}"

    def env(self) -> dict[str, str]:
        """Environment for a subprocess (or monkeypatch) that should reach this bucket."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT_URL_S3": self.endpoint_url,
        }

    def config(self) -> Any:
        """An ``argoctl.stores.objectstore.S3Config`` with the explicit settings."""
        from argoctl.stores.objectstore import S3Config

        return S3Config(
            endpoint_url=self.endpoint_url, region=self.region, access_key=self.access_key,
            secret_key=self.secret_key,
        )

    def client(self) -> Any:
        return self.server.client()

    def keys(self, prefix: str = "") -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


@pytest.fixture(scope="session")
def s3_server() -> Iterator[LoopbackS3]:
    server = LoopbackS3().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_server: LoopbackS3) -> S3Endpoint:
    return s3_server.new_bucket()
