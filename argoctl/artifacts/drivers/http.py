"""``http`` and ``artifactory``: GET to load, PUT to save, DELETE to delete (urllib, no extra deps).

``http`` takes ``url``, ``headers[] {name, value}`` and ``auth.basicAuth {usernameSecret,
passwordSecret}``; ``artifactory`` takes ``url``, ``usernameSecret``, ``passwordSecret``.
OAuth2 and client-certificate auth are not supported. A 404 is "not found" (an optional
artifact may be missing); other non-2xx answers are errors quoting the status.
"""

from __future__ import annotations

import base64
import os
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from argoctl.artifacts.drivers.base import JSON, BaseDriver, DriverOptions
from argoctl.artifacts.errors import ArtifactError, NotSupportedError, Redactor, short_reason
from argoctl.artifacts.locations import safe_url

_CHUNK = 1 << 20
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class HttpDriver(BaseDriver):
    def __init__(self, kind: str, redactor: Redactor, options: DriverOptions) -> None:
        self.kind = kind
        self._redactor = redactor
        self._options = options

    # ---- protocol --------------------------------------------------------------------------

    def load(self, location: JSON, dest: Path) -> None:
        url = self._url(location)
        tmp = dest.with_name(dest.name + ".part")
        try:
            with self._open(location, "GET", url) as resp, open(tmp, "wb") as out:
                shutil.copyfileobj(resp, out, _CHUNK)
            os.replace(tmp, dest)
        except OSError as err:
            raise ArtifactError(self._redactor.redact(f"failed to download: {short_reason(err)}")) from None
        finally:
            tmp.unlink(missing_ok=True)

    def save(self, src: Path, location: JSON, *, consume: bool = False) -> None:
        url = self._url(location)
        if not src.is_file():
            raise NotSupportedError(f"{self.kind} artifacts can only be saved from a file, and {src.name} is a "
                                    "directory (use the default tar archive)")
        size = src.stat().st_size
        with open(src, "rb") as body:
            self._open(location, "PUT", url, body=body, size=size).close()

    def delete(self, location: JSON) -> None:
        url = self._url(location)
        try:
            self._open(location, "DELETE", url).close()
        except ArtifactError as err:
            if not err.not_found:
                raise

    def exists(self, location: JSON) -> bool:
        try:
            self._open(location, "HEAD", self._url(location)).close()
        except ArtifactError as err:
            if err.not_found:
                return False
            raise
        return True

    # ---- helpers ---------------------------------------------------------------------------

    def _url(self, location: JSON) -> str:
        url = str(location.get("url") or "")
        if not url.startswith(("http://", "https://")):
            raise ArtifactError(f"{self.kind} location needs an http(s) url, got {safe_url(url)!r}")
        return url

    def _headers(self, location: JSON) -> dict[str, str]:
        headers: dict[str, str] = {}
        for header in location.get("headers") or ():
            if isinstance(header, dict) and header.get("name"):
                headers[str(header["name"])] = str(header.get("value") or "")
        self._redactor.remember(headers.values())
        user_sel, pass_sel = self._basic_auth_selectors(location)
        if user_sel is not None and pass_sel is not None:
            user = self._redactor.get(user_sel, what=f"{self.kind} username")
            password = self._redactor.get(pass_sel, what=f"{self.kind} password")
            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            self._redactor.remember([token])
            headers["Authorization"] = f"Basic {token}"
        return headers

    def _basic_auth_selectors(self, location: JSON) -> tuple[Any, Any]:
        if self.kind == "artifactory":
            return location.get("usernameSecret"), location.get("passwordSecret")
        auth = location.get("auth") or {}
        for unsupported in ("oauth2", "clientCert"):
            if auth.get(unsupported):
                raise NotSupportedError(f"http artifact auth.{unsupported} is not supported by argoctl")
        basic = auth.get("basicAuth") or {}
        return basic.get("usernameSecret"), basic.get("passwordSecret")

    def _open(self, location: JSON, method: str, url: str, *, body: Any = None, size: int = 0) -> Any:
        headers = self._headers(location)
        if body is not None:
            headers["Content-Length"] = str(size)
        attempt = 0
        while True:
            attempt += 1
            if body is not None:
                body.seek(0)
            request = urllib.request.Request(url, data=body, headers=headers, method=method)
            try:
                return urllib.request.urlopen(request, timeout=self._options.connect_timeout)
            except urllib.error.HTTPError as err:
                err.close()
                if err.code == 404:
                    raise ArtifactError(f"{err.code} {err.reason}", not_found=True) from None
                if err.code not in _RETRY_STATUSES or attempt >= self._options.max_attempts:
                    raise ArtifactError(self._redactor.redact(
                        f"{_verb(method)} failed with reason: {err.code} {err.reason}")) from None
            except (urllib.error.URLError, OSError) as err:
                if attempt >= self._options.max_attempts:
                    reason = err.reason if isinstance(err, urllib.error.URLError) else err
                    raise ArtifactError(self._redactor.redact(f"{_verb(method)} failed: {reason}")) from None
            time.sleep(min(0.2 * 2 ** (attempt - 1), 2.0))


def _verb(method: str) -> str:
    return {"GET": "loading content", "PUT": "saving", "DELETE": "deleting",
            "HEAD": "checking"}.get(method, method)
