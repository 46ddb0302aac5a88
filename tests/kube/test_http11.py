"""``argoctl.kube.http11``, the HTTP/1.1 reader of the fast read path, over a socket pair: the
framings an API server uses (Content-Length, chunked, to the close), what it sends, and broken answers."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from argoctl.kube.http11 import Connection, ProtocolError, exchange


@pytest.fixture
def pair() -> Iterator[tuple[Connection, socket.socket]]:
    ours, theirs = socket.socketpair()
    connection = Connection(ours)
    yield connection, theirs
    connection.close()
    theirs.close()


def answer(theirs: socket.socket, raw: bytes, *, close: bool = False) -> None:
    theirs.sendall(raw)
    if close:
        theirs.shutdown(socket.SHUT_WR)


def test_a_sized_answer_and_what_was_sent(pair: tuple[Connection, socket.socket]) -> None:
    connection, theirs = pair
    answer(theirs, b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
    status, body, head, reusable = exchange(connection, "GET", "/api/v1/x?a=b", "127.0.0.1:6443",
                                            [("Impersonate-Group", "a"), ("Impersonate-Group", "b")])
    assert (status, body, reusable, head.get("content-type")) == (200, b"{}", True, "application/json")
    sent = theirs.recv(65536).decode()
    assert sent.startswith("GET /api/v1/x?a=b HTTP/1.1\r\nHost: 127.0.0.1:6443\r\n") and sent.endswith("\r\n\r\n")
    assert sent.count("Impersonate-Group: ") == 2


def test_a_chunked_answer_with_extensions_and_trailers(pair: tuple[Connection, socket.socket]) -> None:
    connection, theirs = pair
    answer(theirs, b"HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nRetry-After: 3\r\n\r\n"
                   b"3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: t\r\n\r\n")
    status, body, head, reusable = exchange(connection, "GET", "/", "h", [])
    assert (status, body, reusable, head.get("retry-after")) == (404, b"abcde", True, "3")


@pytest.mark.parametrize(("raw", "reusable"), [
    (b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc", False),
    (b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nabc", False),
    (b"HTTP/1.1 200 OK\r\n\r\nabc", False),  # no length: the body ends with the connection
])
def test_answers_that_end_the_connection(pair: tuple[Connection, socket.socket], raw: bytes, reusable: bool) -> None:
    connection, theirs = pair
    answer(theirs, raw, close=True)
    assert exchange(connection, "GET", "/", "h", [])[1:4:2] == (b"abc", reusable)


@pytest.mark.parametrize(("raw", "message"), [
    (b"", "Remote end closed connection without response"),
    (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "IncompleteRead(3 bytes read, 7 more expected)"),
    (b"SSH-2.0-OpenSSH\r\n\r\n", "b'SSH-2.0-OpenSSH\\r\\n'"),
    (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalid chunk size b'zz\\r\\n'"),
])
def test_broken_answers(pair: tuple[Connection, socket.socket], raw: bytes, message: str) -> None:
    connection, theirs = pair
    answer(theirs, raw, close=True)
    with pytest.raises(ProtocolError) as caught:
        exchange(connection, "GET", "/", "h", [])
    assert str(caught.value) == message


def test_a_line_break_in_a_header_is_refused_without_echoing_it(pair: tuple[Connection, socket.socket]) -> None:
    connection, _ = pair
    with pytest.raises(ValueError) as caught:
        exchange(connection, "GET", "/", "h", [("authorization", "Bearer secret\r\nX: y")])
    assert "secret" not in str(caught.value)
