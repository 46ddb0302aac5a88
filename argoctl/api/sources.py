"""What ``argoctl.run`` and ``Client.submit`` accept as a workflow: a path (YAML, JSON or a Hera
``.py`` file), a manifest mapping, or an object with Hera's ``to_dict()``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from argoctl.api.errors import InvalidManifest
from argoctl.parse.document import Document

JSON = dict[str, Any]


@runtime_checkable
class HasToDict(Protocol):
    """Anything serialising itself to a manifest the way Hera's ``Workflow`` does."""

    def to_dict(self) -> Any: ...


WorkflowLike = str | os.PathLike[str] | Mapping[str, Any] | HasToDict


def documents(workflow: WorkflowLike) -> list[Document]:
    """The documents of ``workflow`` (InvalidManifest when it is none of the accepted kinds)."""
    from argoctl.parse import load_documents

    if isinstance(workflow, str | os.PathLike):
        return load_documents(os.fspath(workflow))
    if isinstance(workflow, Mapping):
        return [_document(workflow, "<manifest>")]
    if isinstance(workflow, HasToDict):
        manifest = workflow.to_dict()
        if not isinstance(manifest, Mapping):
            raise InvalidManifest([f"{type(workflow).__name__}.to_dict() returned a {type(manifest).__name__}, "
                                   "not a mapping"])
        return [_document(manifest, f"<{type(workflow).__name__}>")]
    raise InvalidManifest([f"cannot run a {type(workflow).__name__}"],
                          hint="give a file path, a manifest dict, or a Hera Workflow (anything with to_dict())")


def _document(manifest: Mapping[str, Any], label: str) -> Document:
    obj: JSON = dict(manifest)
    obj.setdefault("apiVersion", "argoproj.io/v1alpha1")
    obj.setdefault("kind", "Workflow")
    return Document(obj, label, 0)


def single(documents: list[Document], label: str) -> list[Document]:
    """``documents`` when they hold exactly one object; InvalidManifest otherwise."""
    if len(documents) != 1:
        raise InvalidManifest([f"{label}: {len(documents)} objects where one workflow was expected"],
                              hint="give a file with one Workflow (a Hera file: name it with object=...)")
    return documents
