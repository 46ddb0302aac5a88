"""The http and artifactory drivers against a loopback HTTP server."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from argoctl.artifacts import ArtifactError, RepositoryArtifactIO
from tests.artifacts.conftest import FAST, PodFS, closed_port, inputs, make_request, outputs

USER, PASSWORD = "robot", "pa55-w0rd-xyz"
SECRETS = {("http-cred", "user"): USER, ("http-cred", "password"): PASSWORD}


class Server:
    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {"/files/hello.txt": b"hello over http\n"}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.fail_with: int | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _record(self) -> bool:
                server.requests.append((self.command, self.path, dict(self.headers)))
                if server.fail_with is not None:
                    self.send_response(server.fail_with)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return False
                if self.path.startswith("/private/") and self.headers.get("Authorization") != \
                        "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode():
                    self.send_response(401)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return False
                return True

            def _reply(self, code: int, body: bytes = b"") -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def do_GET(self) -> None:
                if self._record():
                    data = server.objects.get(self.path)
                    self._reply(200, data) if data is not None else self._reply(404)

            do_HEAD = do_GET

            def do_PUT(self) -> None:
                if self._record():
                    server.objects[self.path] = self.rfile.read(int(self.headers["Content-Length"]))
                    self._reply(201)

            def do_DELETE(self) -> None:
                if self._record():
                    self._reply(204) if server.objects.pop(self.path, None) is not None else self._reply(404)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def http_server() -> Iterator[Server]:
    server = Server()
    thread = threading.Thread(target=server.httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


@pytest.fixture
def io() -> RepositoryArtifactIO:
    return RepositoryArtifactIO(None, get_secret=lambda name, key: SECRETS[(name, key)], options=FAST)


def test_get_with_headers(io: RepositoryArtifactIO, http_server: Server, consumer: PodFS) -> None:
    art = {"name": "f", "path": "/in/hello.txt",
           "http": {"url": f"{http_server.base}/files/hello.txt", "headers": [{"name": "X-Trace", "value": "42"}]}}
    io.load_inputs(make_request(inputs(art)), consumer)
    assert consumer.path("/in/hello.txt").read_text() == "hello over http\n"
    assert http_server.requests[-1][2].get("X-Trace") == "42"


def test_basic_auth_from_secrets(io: RepositoryArtifactIO, http_server: Server, consumer: PodFS) -> None:
    http_server.objects["/private/x"] = b"secret data"
    auth = {"basicAuth": {"usernameSecret": {"name": "http-cred", "key": "user"},
                          "passwordSecret": {"name": "http-cred", "key": "password"}}}
    art = {"name": "x", "path": "/in/x", "http": {"url": f"{http_server.base}/private/x", "auth": auth}}
    io.load_inputs(make_request(inputs(art)), consumer)
    assert consumer.path("/in/x").read_bytes() == b"secret data"
    unauthenticated = {"name": "x", "path": "/in/y", "http": {"url": f"{http_server.base}/private/x"}}
    with pytest.raises(ArtifactError, match="401"):
        io.load_inputs(make_request(inputs(unauthenticated)), consumer)


def test_artifactory_put_get_delete(io: RepositoryArtifactIO, http_server: Server,
                                    producer: PodFS, consumer: PodFS) -> None:
    location = {"url": f"{http_server.base}/private/repo/out.tgz",
                "usernameSecret": {"name": "http-cred", "key": "user"},
                "passwordSecret": {"name": "http-cred", "key": "password"}}
    producer.write("/out/result.txt", "42\n")
    saved = io.save_outputs(make_request(outputs({"name": "out", "path": "/out/result.txt",
                                                   "artifactory": location})), producer)
    assert saved[0]["artifactory"] == location
    assert "/private/repo/out.tgz" in http_server.objects
    io.load_inputs(make_request(inputs({**saved[0], "path": "/in/result.txt"})), consumer)
    assert consumer.path("/in/result.txt").read_text() == "42\n"  # auto-detected tgz
    io.delete(saved[0])
    assert "/private/repo/out.tgz" not in http_server.objects
    for _, _, headers in http_server.requests:
        assert PASSWORD not in str(headers.get("X-Trace", ""))


def test_not_found_is_optional_friendly(io: RepositoryArtifactIO, http_server: Server, consumer: PodFS) -> None:
    url = f"{http_server.base}/files/missing.txt"
    with pytest.raises(ArtifactError) as info:
        io.load_inputs(make_request(inputs({"name": "m", "path": "/in/m", "http": {"url": url}})), consumer)
    assert info.value.not_found and "404" in info.value.message and url in info.value.message
    io.load_inputs(make_request(inputs({"name": "m", "path": "/in/m", "optional": True, "http": {"url": url}})),
                   consumer)
    assert not consumer.path("/in/m").exists()


def test_server_error_is_not_optional(io: RepositoryArtifactIO, http_server: Server, consumer: PodFS) -> None:
    http_server.fail_with = 500
    art = {"name": "m", "path": "/in/m", "optional": True, "http": {"url": f"{http_server.base}/files/hello.txt"}}
    with pytest.raises(ArtifactError, match="loading content failed with reason: 500"):
        io.load_inputs(make_request(inputs(art)), consumer)


def test_unreachable_host_names_artifact_and_url(io: RepositoryArtifactIO, consumer: PodFS) -> None:
    url = f"http://127.0.0.1:{closed_port()}/doesnt-exist.txt?token=abc123"
    with pytest.raises(ArtifactError) as info:
        io.load_inputs(make_request(inputs({"name": "doesnt-exist", "path": "/this/doesnt/matter",
                                            "http": {"url": url}})), consumer)
    text = info.value.message
    assert text.startswith("artifact doesnt-exist failed to load (http://127.0.0.1:")
    assert "refused" in text.lower() and "abc123" not in text


def test_unsupported_auth_and_directories(io: RepositoryArtifactIO, http_server: Server, producer: PodFS,
                                          consumer: PodFS) -> None:
    art = {"name": "o", "path": "/in/o", "http": {"url": f"{http_server.base}/x", "auth": {"oauth2": {"x": 1}}}}
    with pytest.raises(ArtifactError, match="oauth2 is not supported"):
        io.load_inputs(make_request(inputs(art)), consumer)
    producer.write("/out/d/f", "f")
    out = {"name": "d", "path": "/out/d", "archive": {"none": {}}, "http": {"url": f"{http_server.base}/d"}}
    with pytest.raises(ArtifactError, match="only be saved from a file"):
        io.save_outputs(make_request(outputs(out)), producer)
