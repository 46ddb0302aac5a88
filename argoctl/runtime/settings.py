"""The global options every command takes, and the settings they resolve to.

``GLOBAL_FLAGS`` is the one table of them: the CLI installs it on every verb (so the options work
before or after the verb), the detached driver parses its argv with it, and
``argoctl.runtime.wiring.child_invocation`` writes it back for a child argoctl. ``resolve`` turns
what was typed (``GlobalOptions``) plus the environment into a frozen ``Settings``, validated
before a command runs: a bad value is one ``UsageError`` (exit 2) naming the option.

Precedence, as kubectl and argo: a flag, else its environment variable (``ARGOCTL_NAMESPACE``,
``ARGOCTL_BACKEND``, ``ARGOCTL_STORE``), else the kubeconfig, else the default. The kubeconfig
flags (``--cluster``, ``--user``, ``--server``, ``--token``, ...) override the chosen context's
fields (``argoctl.kube.config.Overrides``). Given twice, the last value wins.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argoctl.errors import UsageError

if TYPE_CHECKING:
    import argparse

    from argoctl.kube.overrides import Overrides

BACKEND_ENV = "ARGOCTL_BACKEND"
STORE_ENV = "ARGOCTL_STORE"
NAMESPACE_ENV = "ARGOCTL_NAMESPACE"
TOKEN_ENV = "ARGOCTL_TOKEN"  # how a parent hands --token to a child (never on a command line)
PASSWORD_ENV = "ARGOCTL_PASSWORD"  # likewise --password
LOG_LEVELS = ("debug", "info", "warn", "error")
LOG_FORMATS = ("text", "json")


# the records here are plain classes, not dataclasses or NamedTuples: ``list`` and ``get`` import
# this module, and importing ``dataclasses`` (which imports ``inspect``), or building a class per
# record (code compiled for each), costs a short command a good part of its time


class Flag:
    """One global option: its names, the ``GlobalOptions`` field it fills, and its kind
    (``value``, ``values`` (repeatable), ``float``, ``int`` or ``flag``)."""

    __slots__ = ("dest", "help", "kind", "metavar", "names")

    def __init__(self, names: tuple[str, ...], dest: str, kind: str, help: str, metavar: str = "<str>") -> None:
        self.names, self.dest, self.kind, self.help, self.metavar = names, dest, kind, help, metavar

    def __repr__(self) -> str:
        return f"Flag({self.names!r}, {self.dest!r}, {self.kind!r})"


GLOBAL_FLAGS: tuple[Flag, ...] = (
    Flag(("-n", "--namespace"), "namespace", "value",
         "Namespace (env ARGOCTL_NAMESPACE; default: the context's, else default)"),
    Flag(("--kubeconfig",), "kubeconfig", "value", "Path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config)"),
    Flag(("--context",), "context", "value", "The name of the kubeconfig context to use"),
    Flag(("--cluster",), "cluster", "value", "The name of the kubeconfig cluster to use"),
    Flag(("--user",), "user", "value", "The name of the kubeconfig user to use"),
    Flag(("--as",), "impersonate", "value", "Username to impersonate for the operation"),
    Flag(("--as-group",), "impersonate_group", "values", "Group to impersonate (repeatable)"),
    Flag(("--as-uid",), "impersonate_uid", "value", "UID to impersonate for the operation"),
    Flag(("--token",), "token", "value", "Bearer token for authentication to the API server"),
    Flag(("--server",), "server", "value", "The address and port of the Kubernetes API server"),
    Flag(("--certificate-authority",), "certificate_authority", "value",
         "Path to a cert file for the certificate authority"),
    Flag(("--client-certificate",), "client_certificate", "value", "Path to a client certificate file for TLS"),
    Flag(("--client-key",), "client_key", "value", "Path to a client key file for TLS"),
    Flag(("--insecure-skip-tls-verify",), "insecure_skip_tls_verify", "flag",
         "Do not check the server's certificate (insecure)"),
    Flag(("--tls-server-name",), "tls_server_name", "value", "Server name to validate the server certificate with"),
    Flag(("--proxy-url",), "proxy_url", "value", "Connect to the API server through this proxy"),
    Flag(("--request-timeout",), "request_timeout", "value",
         "Give up on one API request after this long, e.g. 30s (0: the defaults)"),
    Flag(("--disable-compression",), "disable_compression", "flag",
         "Opt out of response compression (argoctl never asks for it)"),
    Flag(("--username",), "username", "value", "Username for basic authentication to the API server"),
    Flag(("--password",), "password", "value", "Password for basic authentication to the API server"),
    Flag(("--qps",), "qps", "float", "Kubernetes client QPS limit (default 20; 0: no limit)", "<float>"),
    Flag(("--burst",), "burst", "int", "Kubernetes client burst (default 30)", "<int>"),
    Flag(("--backend",), "backend", "value", "kubernetes, docker, local or auto (env ARGOCTL_BACKEND)"),
    Flag(("--store",), "store", "value",
         "State store URL: file:///dir, s3://bucket/prefix, configmap (env ARGOCTL_STORE)"),
    Flag(("-v", "--verbose"), "verbose", "flag", "Verbose: tracebacks on errors (--loglevel debug)"),
    Flag(("--loglevel",), "loglevel", "value", "debug|info|warn|error (default info)"),
    Flag(("--log-format",), "log_format", "value", "text|json (default text)"),
    Flag(("--no-color",), "no_color", "flag", "Disable colour"),
)

# argo's options that only concern argo-server: accepted by the parser, refused with the reason
ARGO_SERVER_FLAGS: tuple[Flag, ...] = (
    Flag(("-s", "--argo-server"), "argo_server", "value", "argo-server only"),
    Flag(("--argo-base-href",), "argo_base_href", "value", "argo-server only"),
    Flag(("--argo-http1",), "argo_http1", "flag", "argo-server only"),
    Flag(("-H", "--header"), "header", "values", "argo-server only"),
    Flag(("-k", "--insecure-skip-verify"), "insecure_skip_verify", "flag", "argo-server only"),
    Flag(("-e", "--secure"), "secure", "flag", "argo-server only"),
    Flag(("--instanceid",), "instanceid", "value", "argo-server only (controller instance IDs)"),
    Flag(("--gloglevel",), "gloglevel", "value", "argo-server only (the controller's glog level)"),
)
ARGO_SERVER_WHY = "argoctl talks to no Argo Server or controller: it runs workflows itself"


# each option's default (the flags' dests, then what the CLI records itself)
_OPTION_DEFAULTS: dict[str, Any] = {
    "namespace": None,
    "kubeconfig": None,
    "context": None,
    "backend": None,
    "store": None,
    "verbose": False,
    "no_color": False,
    "qps": 20.0,
    "burst": 30,
    "cluster": None,
    "user": None,
    "impersonate": None,
    "impersonate_group": (),
    "impersonate_uid": None,
    "token": None,
    "server": None,
    "certificate_authority": None,
    "client_certificate": None,
    "client_key": None,
    "insecure_skip_tls_verify": False,
    "tls_server_name": None,
    "proxy_url": None,
    "request_timeout": None,
    "disable_compression": False,
    "username": None,
    "password": None,
    "loglevel": None,
    "log_format": None,
    "argo_server_only": (),
}
_OPTION_NAMES = tuple(_OPTION_DEFAULTS)


class GlobalOptions:
    """The global options as typed (None: not given); immutable (``replace`` makes a copy)."""

    namespace: str | None
    kubeconfig: str | None
    context: str | None
    backend: str | None
    store: str | None
    verbose: bool
    no_color: bool
    qps: float
    burst: int
    cluster: str | None
    user: str | None
    impersonate: str | None
    impersonate_group: tuple[str, ...]
    impersonate_uid: str | None
    token: str | None
    server: str | None
    certificate_authority: str | None
    client_certificate: str | None
    client_key: str | None
    insecure_skip_tls_verify: bool
    tls_server_name: str | None
    proxy_url: str | None
    request_timeout: str | None
    disable_compression: bool
    username: str | None
    password: str | None
    loglevel: str | None
    log_format: str | None
    argo_server_only: tuple[str, ...]  # the argo-server flags given (each an error)

    __slots__ = _OPTION_NAMES

    def __init__(self, **given: Any) -> None:
        unknown = given.keys() - _OPTION_DEFAULTS.keys()
        if unknown:
            raise TypeError(f"GlobalOptions has no option(s) {sorted(unknown)}")
        for name, default in _OPTION_DEFAULTS.items():
            object.__setattr__(self, name, given.get(name, default))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"GlobalOptions is immutable: use replace({name}=...)")

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _OPTION_NAMES}

    def replace(self, **changes: Any) -> GlobalOptions:
        return GlobalOptions(**{**self.values(), **changes})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GlobalOptions) and self.values() == other.values()

    def __hash__(self) -> int:
        return hash(tuple(self.values().values()))

    def __repr__(self) -> str:
        changed = ", ".join(f"{name}={value!r}" for name, value in self.values().items()
                            if value != _OPTION_DEFAULTS[name] and name not in ("token", "password"))
        return f"GlobalOptions({changed})"

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> GlobalOptions:
        """From ``{dest: value}`` (unknown keys: argo-server flags, recorded by name)."""
        refused = tuple(_flag_name(dest) for dest, value in values.items()
                        if dest not in _OPTION_DEFAULTS and value not in (None, False, (), []))
        kept: dict[str, Any] = {dest: (tuple(value) if isinstance(value, list) else value)
                                for dest, value in values.items() if dest in _OPTION_DEFAULTS and value is not None}
        return cls(**{**kept, "argo_server_only": refused})


def _flag_name(dest: str) -> str:
    return next((f.names[-1] for f in ARGO_SERVER_FLAGS if f.dest == dest), dest)


class Settings:
    """What a command runs with, resolved and validated (see the module docstring)."""

    __slots__ = ("backend", "environ", "home", "namespace", "options", "overrides", "request_timeout", "store_url")

    def __init__(self, options: GlobalOptions, namespace: str | None, backend: str | None, store_url: str | None,
                 request_timeout: float | None, overrides: Overrides, home: Path,
                 environ: Mapping[str, str] | None = None) -> None:
        self.options = options
        self.namespace = namespace  # explicit (-n or $ARGOCTL_NAMESPACE); None: the context's, else default
        self.backend = backend  # explicit and valid; None: chosen by what is configured
        self.store_url = store_url
        self.request_timeout = request_timeout  # seconds; None: the client's defaults
        self.overrides = overrides
        self.home = home
        self.environ: Mapping[str, str] = {} if environ is None else environ

    def __repr__(self) -> str:  # the environment (tokens, passwords) stays out of it
        return (f"Settings(namespace={self.namespace!r}, backend={self.backend!r}, store_url={self.store_url!r}, "
                f"home={self.home!r})")

    @property
    def verbose(self) -> bool:
        return self.options.verbose or self.options.loglevel == "debug"


BACKENDS = ("local", "kubernetes", "docker", "auto")  # what --backend accepts


def check_backend(chosen: str | None, source: str = "--backend") -> str | None:
    """The backend name ``chosen`` (lower-cased), None when none was chosen or ``auto`` (chosen by
    what is configured); UsageError if unknown."""
    name = (chosen or "").strip().lower()
    if not name or name == "auto":
        return None
    if name not in BACKENDS:
        raise UsageError(f"unknown backend {name!r} (from {source})",
                         hint="use --backend local, docker, kubernetes or auto")
    return name


def resolve(options: GlobalOptions, environ: Mapping[str, str] | None = None) -> Settings:
    """Validate ``options`` against ``environ`` (default ``os.environ``); UsageError on a bad one."""
    from argoctl.kube.overrides import Overrides
    from argoctl.stores.factory import check_url, default_home

    env = dict(os.environ if environ is None else environ)
    if options.argo_server_only:
        flag = options.argo_server_only[0]
        raise UsageError(f"{flag}: {ARGO_SERVER_WHY}", hint=f"drop {flag}")
    backend = check_backend(options.backend or env.get(BACKEND_ENV), "--backend" if options.backend else BACKEND_ENV)
    store = options.store or env.get(STORE_ENV) or None
    if store:
        check_url(store)
    _check_choice("--loglevel", options.loglevel, LOG_LEVELS)
    _check_choice("--log-format", options.log_format, LOG_FORMATS)
    if options.qps < 0 or options.burst < 1:
        raise UsageError("--qps must be 0 (no limit) or more and --burst at least 1", hint="e.g. --qps 20 --burst 30")
    overrides = Overrides(
        cluster=options.cluster, user=options.user, server=options.server,
        certificate_authority=options.certificate_authority,
        insecure_skip_tls_verify=True if options.insecure_skip_tls_verify else None,
        tls_server_name=options.tls_server_name, proxy_url=options.proxy_url,
        token=options.token or env.get(TOKEN_ENV) or None, username=options.username,
        password=options.password or env.get(PASSWORD_ENV) or None,
        client_certificate=options.client_certificate, client_key=options.client_key,
        impersonate=options.impersonate, impersonate_groups=options.impersonate_group,
        impersonate_uid=options.impersonate_uid)
    overrides.headers()  # --as-group/--as-uid without --as
    return Settings(options=options, namespace=options.namespace or env.get(NAMESPACE_ENV) or None,
                    backend=backend, store_url=store, request_timeout=parse_timeout(options.request_timeout),
                    overrides=overrides, home=default_home(env), environ=env)


def _check_choice(flag: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value.lower() not in allowed:
        raise UsageError(f"invalid {flag} {value!r}", hint=f"use one of {'|'.join(allowed)}")


_DURATION = r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)"  # compiled by ``re`` when used
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_timeout(text: str | None) -> float | None:
    """``--request-timeout``: a Go duration (``30s``, ``1m30s``) or plain seconds; 0 is None."""
    if text is None or text.strip() in ("", "0"):
        return None
    value = text.strip()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value)
    elif re.fullmatch(f"(?:{_DURATION})+", value):
        seconds = sum(float(n) * _UNITS[unit] for n, unit in re.findall(_DURATION, value))
    else:
        raise UsageError(f"invalid --request-timeout {text!r}",
                         hint="use a duration such as 30s, 2m or 1h (0 keeps the defaults)")
    return seconds or None


def argument_parser(prog: str) -> argparse.ArgumentParser:
    """An argparse parser that knows every global option (for ``argoctl.runtime.detached``)."""
    import argparse

    parser = argparse.ArgumentParser(prog=prog)
    for flag in (*GLOBAL_FLAGS, *ARGO_SERVER_FLAGS):
        if flag.kind == "flag":
            parser.add_argument(*flag.names, dest=flag.dest, action="store_true", default=None)
        elif flag.kind == "values":
            parser.add_argument(*flag.names, dest=flag.dest, action="append", default=None)
        else:
            kind: Any = {"float": float, "int": int}.get(flag.kind, str)
            parser.add_argument(*flag.names, dest=flag.dest, type=kind, default=None)
    return parser


def options_from(namespace: argparse.Namespace, skip: Sequence[str] = ()) -> GlobalOptions:
    """The ``GlobalOptions`` an ``argument_parser`` parse produced."""
    return GlobalOptions.from_values({k: v for k, v in vars(namespace).items() if k not in skip})
