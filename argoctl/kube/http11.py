"""One HTTP/1.1 request and its whole answer on a socket, for ``argoctl.kube.fasthttp``.

``http.client`` would do, but it imports the ``email`` package to parse headers (about a tenth
of a short command's time). An API server's answer to a GET is simple: a status line, headers,
and a body sized by ``Content-Length`` or sent ``chunked`` (or, failing both, up to the close).
Malformed answers raise ``ProtocolError`` with ``http.client``'s wording.
"""

from __future__ import annotations

import socket
from typing import BinaryIO

MAX_LINE = 65536
MAX_HEADERS = 100


class ProtocolError(OSError):
    """The server's answer is not HTTP/1.1 as expected (or was cut short)."""


class Headers:
    """Response headers: ``get`` by any case (the last of a repeated header wins)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs
        self._by_name = {name.lower(): value for name, value in pairs}

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._by_name.get(name.lower(), default)


class Connection:
    """A connected (possibly TLS-wrapped) socket and its buffered reader."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.rfile: BinaryIO = sock.makefile("rb")

    def close(self) -> None:
        self.rfile.close()
        self.sock.close()


def exchange(connection: Connection, method: str, target: str, host: str,
             headers: list[tuple[str, str]]) -> tuple[int, bytes, Headers, bool]:
    """Send the request; returns (status, body, headers, whether the connection may be reused)."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Accept-Encoding: identity"]
    for name, value in headers:
        if any(c in name + value for c in "\r\n\0"):
            raise ValueError(f"invalid header {name!r}: a line break in it")  # the value may be a secret
        lines.append(f"{name}: {value}")
    connection.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    rfile = connection.rfile
    status_line = _line(rfile)
    if not status_line:
        raise ProtocolError("Remote end closed connection without response")
    version, _, rest = status_line.partition(b" ")
    code = rest[:3]
    if not version.startswith(b"HTTP/") or not code.isdigit():
        raise ProtocolError(repr(status_line))
    head = Headers(_headers(rfile))
    reusable = version == b"HTTP/1.1" and (head.get("connection") or "").lower() != "close"
    status = int(code)
    if status in (204, 304) or status < 200:
        return status, b"", head, reusable
    if "chunked" in (head.get("transfer-encoding") or "").lower():
        return status, _chunked(rfile), head, reusable
    length = head.get("content-length")
    if length is None:
        return status, rfile.read(), head, False
    try:
        size = int(length)
    except ValueError:
        raise ProtocolError(f"invalid Content-Length {length!r}") from None
    return status, _exact(rfile, size), head, reusable


def _line(rfile: BinaryIO) -> bytes:
    line = rfile.readline(MAX_LINE + 1)
    if len(line) > MAX_LINE:
        raise ProtocolError(f"got more than {MAX_LINE} bytes when reading line")
    return line


def _headers(rfile: BinaryIO) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    while True:
        line = _line(rfile)
        if line in (b"\r\n", b"\n", b""):
            return pairs
        name, colon, value = line.decode("latin-1").partition(":")
        if not colon:
            raise ProtocolError(f"invalid header line {line!r}")
        pairs.append((name.strip(), value.strip()))
        if len(pairs) > MAX_HEADERS:
            raise ProtocolError(f"got more than {MAX_HEADERS} headers")


def _exact(rfile: BinaryIO, size: int) -> bytes:
    data = rfile.read(size)
    if len(data) < size:
        raise ProtocolError(f"IncompleteRead({len(data)} bytes read, {size - len(data)} more expected)")
    return data


def _chunked(rfile: BinaryIO) -> bytes:
    chunks: list[bytes] = []
    while True:
        line = _line(rfile)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise ProtocolError(f"invalid chunk size {line!r}") from None
        if size == 0:
            while _line(rfile) not in (b"\r\n", b"\n", b""):  # trailers
                pass
            return b"".join(chunks)
        chunks.append(_exact(rfile, size))
        _line(rfile)  # the CRLF after the chunk
