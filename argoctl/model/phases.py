"""Node and workflow phases and node types, with Argo's predicates (argo-semantics §5.1, §5.2)."""

from __future__ import annotations

from typing import Final

PENDING: Final = "Pending"
RUNNING: Final = "Running"
SUCCEEDED: Final = "Succeeded"
SKIPPED: Final = "Skipped"
FAILED: Final = "Failed"
ERROR: Final = "Error"
OMITTED: Final = "Omitted"

COMPLETED_PHASES: Final = frozenset({SUCCEEDED, FAILED, ERROR})
FULFILLED_PHASES: Final = frozenset({SUCCEEDED, FAILED, ERROR, SKIPPED, OMITTED})
UNSUCCESSFUL_PHASES: Final = frozenset({FAILED, ERROR})

# the labels a stored workflow carries its phase in (label selectors find workflows by them)
LABEL_PHASE: Final = "workflows.argoproj.io/phase"
LABEL_COMPLETED: Final = "workflows.argoproj.io/completed"

# node types
POD: Final = "Pod"
CONTAINER: Final = "Container"
STEPS: Final = "Steps"
STEP_GROUP: Final = "StepGroup"
DAG: Final = "DAG"
TASK_GROUP: Final = "TaskGroup"
RETRY: Final = "Retry"
SKIPPED_TYPE: Final = "Skipped"
SUSPEND: Final = "Suspend"
HTTP: Final = "HTTP"
PLUGIN: Final = "Plugin"

# node types counted by status.progress
PROGRESS_TYPES: Final = frozenset({POD, CONTAINER, HTTP, PLUGIN, SUSPEND})
# execution (leaf) node types that `argo retry` restarts
EXECUTION_TYPES: Final = frozenset({POD, CONTAINER, HTTP, PLUGIN})


def is_fulfilled(phase: str) -> bool:
    return phase in FULFILLED_PHASES


def is_completed(phase: str) -> bool:
    return phase in COMPLETED_PHASES


def workflow_phase_of(root_phase: str) -> str:
    """The workflow phase that a root node phase maps to."""
    if root_phase in (SUCCEEDED, SKIPPED, OMITTED):
        return SUCCEEDED
    return root_phase
