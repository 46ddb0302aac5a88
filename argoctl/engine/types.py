"""Events the engine consumes, actions it emits, and the read-only environment it sees."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from argoctl.engine.memos import EngineMemos
from argoctl.expr.sources import Randomness
from argoctl.model.pods import PodRequest, PodUpdate

JSON = dict[str, Any]


# ---- events -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resume:
    """``argoctl resume``: clear ``spec.suspend`` and succeed active suspend nodes."""

    node_field_selector: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class Suspend:
    """``argoctl suspend``: stop scheduling new nodes."""


@dataclass(frozen=True, slots=True)
class Shutdown:
    """``argoctl stop`` (``Stop``) or ``argoctl terminate`` (``Terminate``)."""

    strategy: str
    node_field_selector: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class SetNode:
    """``argoctl node set``: outputs, phase and message of active suspend nodes."""

    node_field_selector: str
    output_parameters: Mapping[str, str] = field(default_factory=dict)
    phase: str = ""
    message: str = ""


Event = PodUpdate | Resume | Suspend | Shutdown | SetNode


# ---- actions ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RunPod:
    request: PodRequest


@dataclass(frozen=True, slots=True)
class KillPod:
    pod_name: str
    node_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class SaveMemo:
    """Store a memoization cache entry (a ConfigMap key)."""

    config_map: str
    key: str
    entry: JSON


@dataclass(frozen=True, slots=True)
class WakeAt:
    """Call ``step`` again no later than this time even if nothing happens."""

    at: datetime


Action = RunPod | KillPod | SaveMemo | WakeAt


# ---- environment --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LockWaiter:
    """A holder key queued for a lock in another workflow, with what orders the queue."""

    holder: str
    priority: int = 0
    created: str = ""


@dataclass(frozen=True, slots=True)
class EngineEnv:
    """What the engine may read besides the workflow: a snapshot the runtime took for it.

    ``config_maps`` maps a ConfigMap name to its ``data``; ``pod_env`` adds environment to every
    pod; ``default_artifact_repository`` is the resolved repository config, if any.
    """

    config_maps: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    config_map_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # referenced WorkflowTemplates / ClusterWorkflowTemplates: "namespaced/<name>" or
    # "cluster/<name>" -> the object's ``spec``
    workflow_templates: Mapping[str, JSON] = field(default_factory=dict)
    default_artifact_repository: JSON | None = None
    # what Argo records in status.artifactRepositoryRef, or why no repository could be resolved
    artifact_repository_ref: JSON | None = None
    artifact_repository_error: str = ""
    max_stack_depth: int = 100
    # the most items one withItems/withParam/withSequence may expand to (ARGOCTL_MAX_LOOP_ITEMS)
    max_loop_items: int = 100_000
    # synchronization locks held / waited for by OTHER workflows: lock key -> holder keys
    lock_holders: Mapping[str, Sequence[str]] = field(default_factory=dict)
    lock_waiters: Mapping[str, Sequence[LockWaiter]] = field(default_factory=dict)
    # what expression functions draw randomness from (randAlpha, uuidv4, ...): the runtime supplies
    # the system's; None (simulate, tests) seeds one from the step's inputs, so equal steps agree
    random: Randomness | None = None
    # node name -> node ID per workflow name, kept across steps by whoever keeps this env (a cache
    # of a pure function: an ID depends only on the two names)
    node_ids: MutableMapping[str, dict[str, str]] = field(default_factory=dict)
    # the engine's other caches between steps (globals, processed templates, node indexes): kept
    # here, not in the engine, with the same rule (caches of pure functions; a fresh one only
    # costs time)
    memos: EngineMemos = field(default_factory=EngineMemos, compare=False, repr=False)
