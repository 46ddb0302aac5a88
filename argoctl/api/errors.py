"""The exceptions the Python API raises (all are ``argoctl.errors.ArgoctlError``\\ s)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from argoctl.errors import (
    ArgoctlError,
    ClusterError,
    ExitCode,
    ManifestError,
    StoreError,
    ValidationError,
)

if TYPE_CHECKING:
    from argoctl.api.result import Run


class WorkflowFailed(ArgoctlError):
    """The workflow ended Failed or Error; ``run`` is its ``Run`` (nodes, message, logs())."""

    exit_code = ExitCode.WORKFLOW_FAILED

    def __init__(self, run: Run) -> None:
        self.run = run
        super().__init__(f"workflow {run.name} {run.phase}" + (f": {run.message}" if run.message else ""),
                         hint=f"see its nodes with: run.nodes, its logs with: run.logs() (or argoctl get {run.name})")


class InvalidManifest(ArgoctlError):
    """The workflow cannot be submitted; ``problems`` lists each (``FILE:LINE: path: message``)."""

    def __init__(self, problems: Sequence[str], *, hint: str = "") -> None:
        self.problems = list(problems)
        super().__init__("invalid workflow:\n" + "\n".join(self.problems), hint=hint)


class ClusterUnavailable(ArgoctlError):
    """The cluster or the state store cannot be reached (or refuses the request)."""

    exit_code = ExitCode.UNAVAILABLE


@contextmanager
def translated() -> Iterator[None]:
    """argoctl's internal errors as the API's typed exceptions (others pass unchanged)."""
    try:
        yield
    except ValidationError as err:
        raise InvalidManifest(err.problems) from err
    except ManifestError as err:
        raise InvalidManifest([err.message], hint=err.hint) from err
    except (ClusterError, StoreError) as err:
        raise ClusterUnavailable(err.message, hint=err.hint) from err
