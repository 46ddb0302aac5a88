"""``App``: a command's terminal I/O, holding the ``Wiring`` (store, backend, kube client, settings)
built below the CLI in ``argoctl.runtime.wiring``. Its configuration methods are one-line delegates."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from argoctl.runtime.settings import BACKEND_ENV, NAMESPACE_ENV, STORE_ENV, GlobalOptions

if TYPE_CHECKING:
    from argoctl.backends.base import Backend
    from argoctl.runtime.wiring import Wiring
    from argoctl.stores.base import Store

JSON = dict[str, Any]
DEFAULT_NAMESPACE = "default"

__all__ = ["BACKEND_ENV", "DEFAULT_NAMESPACE", "NAMESPACE_ENV", "STORE_ENV", "App", "GlobalOptions"]


class App:
    """Created once per invocation by the CLI; its settings are resolved (and validated) at once.
    (A plain class: ``list`` and ``get`` do not import ``dataclasses``.)"""

    def __init__(self, options: GlobalOptions | None = None, stdout: IO[str] | None = None,
                 stderr: IO[str] | None = None, wiring: Wiring | None = None) -> None:
        self.stdout: IO[str] = sys.stdout if stdout is None else stdout
        self.stderr: IO[str] = sys.stderr if stderr is None else stderr
        self._notices_shown: set[str] = set()
        if wiring is None:
            from argoctl.runtime.wiring import Wiring

            self.options = GlobalOptions() if options is None else options
            self.wiring: Wiring = Wiring.from_options(self.options, notices=self.notice)
        else:
            self.wiring = wiring
            self.options = wiring.options

    # ---- output ----------------------------------------------------------------------------

    def out(self, text: str = "", *, end: str = "\n") -> None:
        self.stdout.write(text + end)
        self.stdout.flush()

    def err(self, text: str, *, end: str = "\n") -> None:
        self.stderr.write(text + end)
        self.stderr.flush()

    def notice(self, text: str) -> None:
        """A one-time diagnostic line on stderr."""
        if text not in self._notices_shown:
            self._notices_shown.add(text)
            self.err(text if text.startswith("notice:") else f"notice: {text}")

    @property
    def stdout_tty(self) -> bool:
        return bool(getattr(self.stdout, "isatty", lambda: False)())

    @property
    def color(self) -> bool:
        if self.options.no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
            return False
        return self.stdout_tty

    def now(self) -> datetime:
        return datetime.now(UTC)

    # ---- configuration: delegates to the wiring --------------------------------------------

    @property
    def namespace(self) -> str:
        return self.wiring.namespace

    def kube_client(self) -> Any:
        return self.wiring.kube_client()

    @property
    def home(self) -> Path:
        return self.wiring.home

    @property
    def backend_name(self) -> str:
        return self.wiring.backend_name

    def _kubernetes_chosen(self) -> bool:
        return self.wiring.kubernetes_chosen()

    def store(self) -> Store:
        return self.wiring.store()

    def run_dir(self) -> Path:
        return self.wiring.run_dir()

    def artifact_io(self) -> Any:
        return self.wiring.artifact_io()

    def artifact_io_for(self, state: Any) -> Any:
        return self.wiring.artifact_io_for(state)

    def artifact_deleter(self, state: Any) -> Callable[[JSON], None]:
        return self.wiring.artifact_deleter(state)

    def backend(self) -> Backend:
        return self.wiring.backend()
