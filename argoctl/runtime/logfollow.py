"""Following a workflow's pod logs (``argoctl logs -f``, ``submit --log``): print what each pod
has added since the last look until the workflow completes, polling on the injected ``Clock`` of
``argoctl.runtime.supervise``. Which lines to show and how is the caller's: ``lines`` turns a
pod's whole log into the lines to show, ``emit`` prints one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from argoctl.runtime.supervise import POLL_SECONDS, Clock, SystemClock
from argoctl.runtime.workflows import pods, read_log

if TYPE_CHECKING:
    from argoctl.model.workflow import WorkflowState
    from argoctl.runtime.wiring import Wiring


@dataclass(frozen=True)
class LogFilter:
    """Whose logs: one pod (name, node ID or display name) or all, a label selector, a container."""

    pod: str = ""
    selector: str = ""
    container: str = "main"


@dataclass
class LogFollower:
    wiring: Wiring
    clock: Clock = field(default_factory=SystemClock)
    poll: float = POLL_SECONDS

    def stream(self, load: Callable[[], WorkflowState], which: LogFilter, *, lines: Callable[[str], list[str]],
               emit: Callable[[str, str], None], follow: bool) -> WorkflowState:
        """Emit ``(pod, line)`` for each new line of each pod, in start order; once, or with
        ``follow`` until the workflow (as ``load`` reads it) completes; its last state."""
        printed: dict[str, int] = {}
        while True:
            state = load()
            for pod, _ in pods(state, which.pod, which.selector):
                shown = lines(read_log(self.wiring, state, pod, which.container))
                for line in shown[printed.get(pod, 0):]:
                    emit(pod, line)
                printed[pod] = len(shown)
            if not follow or state.completed:
                return state
            self.clock.sleep(self.poll)
