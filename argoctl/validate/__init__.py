"""Validation: Argo's rules for Workflow, WorkflowTemplate, ClusterWorkflowTemplate and
CronWorkflow objects, reported as ``FILE:LINE: path: message`` problems (Argo's wording).

Covers names, template types, references (``template``, ``templateRef`` through a
``TemplateSource``, ``onExit``, hooks), steps and DAG structure (unique names, defined and
acyclic dependencies, well-formed ``depends``, targets), arguments, required inputs, enums,
outputs, and every ``{{...}}`` variable Argo checks.

May import: the standard library, ``yaml``, ``argoctl.errors``, ``argoctl.parse``. Called by
``argoctl lint``, ``submit`` (before anything runs), ``template create`` and ``apply``.
"""

from argoctl.validate.context import Problem
from argoctl.validate.lint import LintResult, expand_paths, lint
from argoctl.validate.source import ChainSource, ObjectSource, TemplateSource
from argoctl.validate.workflow import validate_document

__all__ = [
    "ChainSource",
    "LintResult",
    "ObjectSource",
    "Problem",
    "TemplateSource",
    "expand_paths",
    "lint",
    "validate_document",
]
