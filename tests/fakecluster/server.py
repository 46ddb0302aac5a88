"""The HTTP/1.1 front: a ThreadingHTTPServer whose handler parses each request, applies the
injected transport faults, counts it, asks the endpoints for an answer and writes it (JSON,
or a chunked stream for watches and followed logs)."""

from __future__ import annotations

import json
import logging
import select
import socket
import ssl
import struct
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from tests.fakecluster import errors
from tests.fakecluster.endpoints import Response
from tests.fakecluster.errors import ApiError
from tests.fakecluster.faults import RequestRecord
from tests.fakecluster.routing import RequestInfo, parse_request

if TYPE_CHECKING:
    from tests.fakecluster.cluster import FakeCluster

LOG = logging.getLogger("fakecluster")


class _Truncated(Exception):
    """The connection ended before the request body did."""


class ApiHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], cluster: FakeCluster) -> None:
        self.cluster = cluster
        super().__init__(address, ApiHandler)


class ApiHandler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stall)
    protocol_version = "HTTP/1.1"
    server: ApiHTTPServer
    server_version = "fakecluster"

    def setup(self) -> None:
        """TLS handshakes happen here, in the connection's thread, not in the accept loop."""
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(10)
            self.request.do_handshake()
            self.request.settimeout(None)
        super().setup()

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        LOG.debug("%s " + format, self.address_string(), *args)

    def _read_body(self) -> bytes:
        """The request body; ``_Truncated`` when the client went away before sending all of it."""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length)
            if len(body) < length:
                raise _Truncated
            return body
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return b""

    def _client_alive(self) -> bool:
        """False once the client closed its end (checked between stream events)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if readable:
                return bool(self.connection.recv(1, socket.MSG_PEEK) != b"")
        except (OSError, ValueError):
            return False
        return True

    def _serve(self) -> None:
        cluster = self.server.cluster
        try:
            body = self._read_body()
        except _Truncated:  # a killed client: the API server never acts on half a request
            self.close_connection = True
            return
        info = parse_request(self.command, self.path)
        decision = cluster.faults.decide(info)
        if decision.delay:
            time.sleep(decision.delay)
        rule = decision.rule
        if rule is not None and rule.action == "reset":
            self._record(info, 0)
            self._reset()
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            if rule is not None and rule.action == "status":
                raise errors.server_error(rule.status, rule.message, rule.retry_after)
            if rule is not None and rule.action == "forbid":
                raise errors.forbidden(info.verb, info.resource, info.group, info.namespace, info.name)
            drop = rule if rule is not None and rule.action == "drop_watch" else None
            response = cluster.endpoints.handle(info, headers, body, drop, self._client_alive)
        except ApiError as error:
            response = Response(error.code, error.status_body(), headers=error.headers)
        except Exception as error:  # report, never hang the client
            LOG.error("fakecluster: %s %s failed:\n%s", self.command, self.path, traceback.format_exc())
            response = Response(500, ApiError(500, "InternalError", f"fakecluster bug: {error!r}").status_body())
        self._record(info, response.code)
        if response.stream is not None:
            self._send_stream(response)
        else:
            self._send(response)

    def _record(self, info: RequestInfo, code: int) -> None:
        self.server.cluster.requests.add(RequestRecord(info.verb, info.resource, info.group, info.namespace,
                                                       info.name, info.path, code,
                                                       in_cluster=isinstance(self.request, ssl.SSLSocket)))

    def _send(self, response: Response) -> None:
        body = response.body if isinstance(response.body, bytes) else json.dumps(response.body).encode()
        self.send_response(response.code)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_stream(self, response: Response) -> None:
        assert response.stream is not None
        faults = self.server.cluster.faults
        if response.watch is not None:
            faults.register_stream(response.watch)
        self.send_response(response.code)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()
        try:
            for chunk in response.stream:
                if chunk:
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                    self.wfile.flush()
            if response.watch is not None and response.watch.dropped.is_set() and response.watch.abrupt:
                self._reset()
                return
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True
        finally:
            close = getattr(response.stream, "close", None)
            if close is not None:
                close()
            if response.watch is not None:
                faults.unregister_stream(response.watch)

    def _reset(self) -> None:
        """Close the connection with a TCP reset (SO_LINGER 0)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
