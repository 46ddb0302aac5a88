"""Artifact errors and secret redaction.

Every failure of this layer is an :class:`ArtifactError` (a ``BackendError``, so a node whose
artifacts cannot be moved ends in ``Error``). ``not_found`` marks "the object is not there",
which an ``optional`` artifact tolerates; any other failure is an error even when optional.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from argoctl.errors import BackendError

SecretGetter = Callable[[str, str], str]
REDACTED = "******"
# Shorter values are not redacted: replacing "a" everywhere would shred the message and a
# one-character secret protects nothing anyway.
_MIN_REDACT_LEN = 3


class ArtifactError(BackendError):
    """An artifact could not be loaded, saved, listed or deleted.

    ``saved`` holds the output artifacts that were uploaded before another one failed, so a
    caller can still record (and later garbage-collect) them.
    """

    def __init__(self, message: str, *, not_found: bool = False, hint: str = "",
                 saved: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message, hint=hint)
        self.not_found = not_found
        self.saved: list[dict[str, Any]] = list(saved or [])


class NotSupportedError(ArtifactError):
    """A location kind or option argoctl does not implement."""


class Redactor:
    """Remembers every secret value handed out, and blanks them from text.

    Wraps a ``get_secret(name, key)`` callable; drivers call :meth:`get` and error paths call
    :meth:`redact` on any text that may echo a library message.
    """

    def __init__(self, get_secret: SecretGetter | None) -> None:
        self._get_secret = get_secret
        self._values: set[str] = set()

    def get(self, selector: Any, *, what: str) -> str:
        """The value of a ``{name, key}`` Secret selector; ``what`` names it in errors."""
        if not isinstance(selector, dict) or not selector.get("name") or not selector.get("key"):
            raise ArtifactError(f"{what}: a secret selector needs both name and key")
        name, key = str(selector["name"]), str(selector["key"])
        if self._get_secret is None:
            raise ArtifactError(f"{what}: cannot read secret {name}/{key}: no secret source is configured")
        try:
            value = self._get_secret(name, key)
        except ArtifactError:
            raise
        except Exception as err:  # any lookup failure: name it without echoing values
            raise ArtifactError(
                f"{what}: cannot read secret {name}/{key}: {self.redact(_short(err))}") from None
        self.remember([value])
        return value

    def remember(self, values: Iterable[str]) -> None:
        self._values.update(v for v in values if isinstance(v, str) and len(v) >= _MIN_REDACT_LEN)

    def redact(self, text: str) -> str:
        for value in sorted(self._values, key=len, reverse=True):
            text = text.replace(value, REDACTED)
        return text


def _short(err: BaseException) -> str:
    text = str(err) or type(err).__name__
    return text.strip().splitlines()[0] if text.strip() else type(err).__name__


def short_reason(err: BaseException) -> str:
    """The first line of an exception's text (library messages can span pages)."""
    if isinstance(err, ArtifactError):
        return err.message
    return _short(err)
