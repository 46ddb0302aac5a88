"""Control-flow signals inside the engine (Argo's ErrParallelismReached & co.)."""

from __future__ import annotations

from argoctl.model.node import Node


class EngineSignal(Exception):
    """Base of the signals ``execute_template`` raises to its caller."""


class ParallelismReached(EngineSignal):
    """No new node may start now; try again on the next step."""


class TimeoutExceeded(EngineSignal):
    """A template ``timeout`` passed while the node was still pending."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NodeFailure(EngineSignal):
    """``executeTemplate`` failed; ``node`` is already marked Error with ``message``."""

    def __init__(self, node: Node | None, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
