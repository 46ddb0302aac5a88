"""kubectl's client flags over a kubeconfig context (``--cluster``, ``--user``, ``--server``,
``--token``, ``--as``, ...): a small module, so settings can be checked without loading the
kubeconfig machinery."""

from __future__ import annotations

from typing import NamedTuple

from argoctl.errors import UsageError


class Overrides(NamedTuple):
    """kubectl's client flags: each one set replaces the chosen context's field (paths are relative
    to the working directory, as kubectl's flags are). A NamedTuple (immutable, as a frozen
    dataclass, and cheaper to define at start-up)."""

    cluster: str | None = None
    user: str | None = None
    server: str | None = None
    certificate_authority: str | None = None
    insecure_skip_tls_verify: bool | None = None
    tls_server_name: str | None = None
    proxy_url: str | None = None
    token: str | None = None
    username: str | None = None
    password: str | None = None
    client_certificate: str | None = None
    client_key: str | None = None
    impersonate: str | None = None
    impersonate_groups: tuple[str, ...] = ()
    impersonate_uid: str | None = None

    def headers(self) -> tuple[tuple[str, str], ...]:
        """The impersonation headers (``--as``, ``--as-group``, ``--as-uid``)."""
        found = [("Impersonate-User", self.impersonate)] if self.impersonate else []
        found += [("Impersonate-Group", group) for group in self.impersonate_groups]
        found += [("Impersonate-Uid", self.impersonate_uid)] if self.impersonate_uid else []
        if len(found) > 0 and not self.impersonate:
            raise UsageError("--as-group and --as-uid need --as", hint="add --as USER, as kubectl requires")
        return tuple(found)
