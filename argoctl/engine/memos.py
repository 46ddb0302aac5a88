"""``EngineMemos``: what the engine keeps between steps to skip work it did before (the last
globals per workflow, processed templates, each workflow's node index). It lives in the
``EngineEnv`` of whoever steps the workflow (``EngineEnv.memos``), like the node-ID cache, so the
engine keeps no state of its own between calls; every entry is a cache of a pure function, checked
against its inputs on use, so a fresh one changes no result, only the time a step takes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from argoctl.engine.args import ArgsMemo
from argoctl.engine.nodeindex import NodeIndex
from argoctl.model.node import Node


class EngineMemos:
    """The memo tables of one engine environment (mutable; never persisted or compared)."""

    __slots__ = ("args", "carried", "globals")

    def __init__(self) -> None:
        # workflow name -> (every value the globals were computed from, the globals)
        self.globals: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
        self.args = ArgsMemo()
        # (namespace, name) -> (the node mapping a step handed back, its index)
        self.carried: dict[tuple[str, str], tuple[Mapping[str, Node], NodeIndex]] = {}
