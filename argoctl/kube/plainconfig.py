"""``PlainConfiguration``: what a kubeconfig with a token, token file, client certificate or
username/password says, held without importing the ``kubernetes`` package.

It has the attributes of ``kubernetes.client.Configuration`` that ``argoctl.kube.kubeconfig``
fills (``host``, ``api_key``, ``ssl_ca_cert``, ``ca_cert_data``, ``verify_ssl``,
``tls_server_name``, ``proxy``, ``cert_file``, ``key_file``) and its ``auth_settings()``, so the
code that reads a configuration does not care which it holds. ``to_kubernetes()`` builds the
library's own configuration from it when a request needs urllib3 (writes, watches, logs, a proxy).
``direct()`` says whether the standard library may talk to the server itself: no proxy applies
(the kubernetes client takes one from ``proxy-url`` or, as urllib does, from ``$https_proxy``,
``$http_proxy``, ``$all_proxy`` unless ``$no_proxy`` names the host).
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Mapping
from typing import Any

JSON = dict[str, Any]


class PlainConfiguration:
    """A plain class, not a dataclass: building a dataclass costs a short command about a millisecond."""

    def __init__(self, host: str = "http://localhost", *, proxy: str | None = None) -> None:
        self.host = host
        self.api_key: dict[str, str] = {}
        self.ssl_ca_cert: str | None = None
        self.ca_cert_data: str | None = None
        self.verify_ssl = True
        self.tls_server_name: str | None = None
        self.proxy = proxy  # proxy-url (or --proxy-url); the environment's proxies are read by direct()
        self.cert_file: str | None = None
        self.key_file: str | None = None

    def auth_settings(self) -> JSON:
        """As ``kubernetes.client.Configuration.auth_settings()``."""
        value = self.api_key.get("BearerToken") or self.api_key.get("authorization")
        if value is None:
            return {}
        return {"BearerToken": {"type": "api_key", "in": "header", "key": "authorization", "value": value}}

    def authorization(self) -> str:
        return str(self.auth_settings().get("BearerToken", {}).get("value") or "")

    def direct(self, environ: Mapping[str, str] | None = None) -> bool:
        """True when no proxy stands between us and the server."""
        if self.proxy:
            return False
        env = os.environ if environ is None else environ
        url = urllib.parse.urlsplit(self.host)
        proxy = _env(env, f"{url.scheme}_proxy") or _env(env, "all_proxy")
        return not proxy or _bypassed(url.hostname or "", url.port, _env(env, "no_proxy"))

    def to_kubernetes(self) -> Any:
        """The same settings in a ``kubernetes.client.Configuration``."""
        from argoctl.kube.imports import kubernetes_module

        configuration = kubernetes_module("client.configuration").Configuration()
        configuration.host = self.host
        configuration.api_key = dict(self.api_key)
        for name in ("ssl_ca_cert", "ca_cert_data", "verify_ssl", "tls_server_name", "cert_file", "key_file"):
            setattr(configuration, name, getattr(self, name))
        if self.proxy:
            configuration.proxy = self.proxy
        return configuration


def _env(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name) or environ.get(name.upper()) or ""


def _bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """Whether ``$no_proxy`` names ``host``: ``*``, the host (with or without the port), or a
    domain suffix. Anything this does not recognise counts as not bypassed (the proxy path then
    runs, as before)."""
    host = host.lower()
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.partition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and str(port or "") != entry_port:
            continue
        name = name.lstrip(".")
        if host == name or host.endswith("." + name):
            return True
    return False
