"""The API requests a command reads with (GET) over the standard library's sockets
(``argoctl.kube.http11``), used when the configuration is a ``PlainConfiguration`` that needs no
proxy: no ``kubernetes``, urllib3 or ``http.client`` import, no pool manager to build (together
about 60 ms of a short command).

Connections are kept alive and shared between threads (an idle list under a lock); one that the
server closed while idle is dropped before use (as urllib3 does); a failure is left to the
client's retry policy, as with urllib3 (``retries=False``). TLS follows the kubeconfig: the CA file or
data (else the system's store), ``insecure-skip-tls-verify``, ``tls-server-name``, a client
certificate and key. Failures raise ``Unsent`` (the connection was never made) or ``Broken``
(after it was), with the text of the socket's error, as the urllib3 path reports it, so the ``error:`` lines stay the same.
"""

from __future__ import annotations

import select
import socket
import threading
import urllib.parse
from typing import TYPE_CHECKING

from argoctl.kube.http11 import Connection, Headers, exchange
from argoctl.kube.plainconfig import PlainConfiguration

if TYPE_CHECKING:
    import ssl  # imported when a server speaks TLS (a few ms a plain-HTTP command need not pay)


class Unsent(OSError):
    """The connection to the server could not be made: the request was not sent."""


class Broken(OSError):
    """The connection failed after it was made (reset, closed, timed out)."""


class Reply:
    """An answer read whole (a plain class: a dataclass costs start-up time)."""

    def __init__(self, status: int, data: bytes, headers: Headers) -> None:
        self.status, self.data, self.headers = status, data, headers

    def release_conn(self) -> None:
        """Nothing to give back: the answer was read whole (as urllib3's response has it)."""


class StdlibTransport:
    """GET requests to one API server; thread-safe."""

    def __init__(self, configuration: PlainConfiguration) -> None:
        url = urllib.parse.urlsplit(configuration.host)
        self.configuration = configuration
        self.https = url.scheme == "https"
        self.host = url.hostname or "localhost"
        self.port = url.port or (443 if self.https else 80)
        self.prefix = url.path.rstrip("/")
        self._context: ssl.SSLContext | None = None
        self._idle: list[Connection] = []
        default_port = 443 if self.https else 80
        self.host_header = url.netloc.rpartition("@")[2] if url.port not in (None, default_port) else (
            f"[{self.host}]" if ":" in self.host else self.host)
        self._lock = threading.Lock()

    def request(self, method: str, target: str, headers: list[tuple[str, str]], *, connect_timeout: float | None,
                read_timeout: float | None) -> Reply:
        """One request, its whole answer read; ``Unsent`` or ``Broken`` when the connection fails."""
        connection = self._take() or self._connect(connect_timeout)
        try:
            connection.sock.settimeout(read_timeout)
            status, data, head, reusable = exchange(connection, method, self.prefix + target, self.host_header,
                                                    headers)
        except OSError as err:  # ProtocolError, TimeoutError and ssl.SSLError are OSErrors
            connection.close()
            raise Broken(str(err)) from err
        except BaseException:
            connection.close()
            raise
        if reusable:
            with self._lock:
                self._idle.append(connection)
        else:
            connection.close()
        return Reply(status, data, head)

    def clear(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    def _take(self) -> Connection | None:
        """An idle kept-alive connection the server has not closed, if there is one."""
        with self._lock:
            while self._idle:
                connection = self._idle.pop()
                if not _dropped(connection.sock):
                    return connection
                connection.close()
        return None

    def _connect(self, timeout: float | None) -> Connection:
        # an ASCII host name goes to getaddrinfo as bytes: a str is IDNA-encoded first, which
        # imports encodings.idna, stringprep and unicodedata (a few ms of a short command)
        host: str | bytes = self.host.encode() if self.host.isascii() else self.host
        try:
            sock = socket.create_connection((host, self.port), timeout)  # type: ignore[arg-type]  # bytes work
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError as err:
            raise Unsent(str(err)) from err
        if self.https:
            server_name = self.configuration.tls_server_name or self.host
            try:
                sock = self._tls().wrap_socket(sock, server_hostname=server_name)
            except OSError as err:  # ssl.SSLError is an OSError
                sock.close()
                raise Broken(str(err)) from err
        return Connection(sock)

    def _tls(self) -> ssl.SSLContext:
        if self._context is None:
            import ssl

            config = self.configuration
            context = ssl.create_default_context(cafile=config.ssl_ca_cert, cadata=config.ca_cert_data)
            if not config.verify_ssl:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            if config.cert_file:
                context.load_cert_chain(config.cert_file, config.key_file)
            self._context = context
        return self._context


def _dropped(sock: socket.socket) -> bool:
    """An idle keep-alive connection that is readable was closed by the server (or is broken)."""
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)
