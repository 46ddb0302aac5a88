"""A self-signed certificate for the in-cluster HTTPS listener (what pods reach through
KUBERNETES_SERVICE_HOST/PORT with the service-account ca.crt), made once per process with the
``openssl`` command; None when openssl is missing."""

from __future__ import annotations

import atexit
import functools
import shutil
import ssl
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Certificate:
    cert_path: str
    key_path: str
    pem: str

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, self.key_path)
        return context


@functools.lru_cache(maxsize=1)
def self_signed_certificate() -> Certificate | None:
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    directory = Path(tempfile.mkdtemp(prefix="fakecluster-tls-"))
    atexit.register(shutil.rmtree, directory, True)
    cert, key = directory / "tls.crt", directory / "tls.key"
    command = [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
               "-keyout", str(key), "-out", str(cert), "-days", "7", "-subj", "/CN=fakecluster",
               "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc"]
    result = subprocess.run(command, capture_output=True, timeout=30, check=False)
    if result.returncode != 0:
        return None
    return Certificate(str(cert), str(key), cert.read_text())
