"""The loopback API server never acts on half a request: a client killed between its headers and
the end of its body (a SIGKILLed driver mid-write) leaves the object as it was, as a real API
server does. It once replaced the object with an empty one, which the kill matrix caught."""

from __future__ import annotations

import json
import socket
import time
import urllib.parse
import urllib.request

from tests.fakecluster.fixtures import ClusterHandle

CMS = "/api/v1/namespaces/default/configmaps"


def test_a_truncated_body_changes_nothing(api_server: ClusterHandle) -> None:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"k": "v"}}
    created = urllib.request.Request(api_server.url + CMS, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(created).read()
    url = urllib.parse.urlsplit(api_server.url)
    for sent in (b"", b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "da'):
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80)) as sock:
            sock.sendall(f"PUT {CMS}/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         f"Content-Length: 500\r\n\r\n".encode() + sent)
        time.sleep(0.2)  # the server thread sees the end of the stream
        stored = api_server.server.store.get(("", "configmaps"), "default", "x")
        assert stored is not None and stored["data"] == {"k": "v"}
    assert api_server.server.requests.count("update", "configmaps") == 0
