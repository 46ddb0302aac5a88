"""The error tree and the process exit codes.

Errors are raised low, carry enough context to name the file, the field and the fix, and are
printed once, as ``error: ...``, by the CLI edge (``argoctl.cli.main``).
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Documented exit codes (README, man pages)."""

    OK = 0
    WORKFLOW_FAILED = 1  # the workflow ended Failed or Error (submit --wait/--watch, wait, watch)
    USAGE = 2  # bad input: invalid manifest, lint errors, unknown flag
    UNAVAILABLE = 3  # cluster or store unreachable, or permission denied
    INTERRUPTED = 130


class ArgoctlError(Exception):
    """Root of every error argoctl raises on purpose."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        """The text after ``error: `` (may span lines)."""
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class UsageError(ArgoctlError):
    """Bad flags or arguments."""


class ManifestError(ArgoctlError):
    """A manifest that cannot be read or parsed (file, line and field path in the message)."""

    def __init__(
        self, message: str, *, file: str = "", line: int | None = None, path: str = "", hint: str = ""
    ) -> None:
        self.file = file
        self.line = line
        self.path = path
        where = file
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        prefix = ": ".join(p for p in (where, path) if p)
        super().__init__(f"{prefix}: {message}" if prefix else message, hint=hint)


class ValidationError(ArgoctlError):
    """One or more lint problems; ``problems`` holds ``FILE:LINE: path: message`` lines."""

    def __init__(self, problems: list[str], *, title: str = "") -> None:
        self.problems = problems
        body = "\n".join(problems) if problems else "invalid manifest"
        super().__init__(f"{title}\n{body}" if title else body)


class ExpressionError(ArgoctlError):
    """An expression that cannot be parsed or evaluated.

    ``language`` is ``when``, ``{{= }}`` or ``depends``; the message quotes the expression and
    points at the position when one is known.
    """

    def __init__(
        self, message: str, *, expression: str = "", language: str = "", position: int | None = None,
        hint: str = "",
    ) -> None:
        self.expression = expression
        self.language = language
        self.position = position
        self.reason = message
        super().__init__(message, hint=hint)


class NotFoundError(ArgoctlError):
    """A workflow, template or object that does not exist."""


class ConflictError(ArgoctlError):
    """A write lost a race (resourceVersion mismatch, lease held by another driver)."""


class StoreError(ArgoctlError):
    """The state store or archive cannot be reached or written."""

    exit_code = ExitCode.UNAVAILABLE


class BackendError(ArgoctlError):
    """The backend (Kubernetes, local processes) failed to carry out an action."""

    exit_code = ExitCode.UNAVAILABLE


class ClusterError(BackendError):
    """A Kubernetes API error mapped to a clear message; ``status`` is the HTTP status."""

    def __init__(self, message: str, *, status: int = 0, transient: bool = False, hint: str = "") -> None:
        self.status = status
        self.transient = transient
        super().__init__(message, hint=hint)


class InterruptedByUser(ArgoctlError):
    exit_code = ExitCode.INTERRUPTED


class UnresolvedVariableError(ExpressionError):
    """A ``{{tag}}`` with a strict prefix (``steps.``/``tasks.``) that has no value yet."""
