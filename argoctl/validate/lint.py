"""``argoctl lint``: validate every Argo object in files and directories."""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass

from argoctl.errors import ManifestError
from argoctl.parse import ARGO_KINDS, Document, load_documents
from argoctl.validate.context import Problem
from argoctl.validate.source import ChainSource, ObjectSource, TemplateSource
from argoctl.validate.workflow import validate_document

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
NO_ERRORS = "no linting errors found!"
NOTHING_TO_LINT = "found nothing to lint in the specified paths, failing..."


@dataclass(frozen=True)
class LintResult:
    problems: tuple[Problem, ...]
    linted: int  # Argo objects validated
    documents: tuple[Document, ...] = ()  # the Argo objects read

    @property
    def ok(self) -> bool:
        return self.linted > 0 and not self.problems

    @property
    def text(self) -> str:
        """One ``FILE:LINE: path: message`` per line, or Argo's closing sentence."""
        if self.problems:
            return "\n".join(str(problem) for problem in self.problems)
        return NO_ERRORS if self.linted else NOTHING_TO_LINT


def lint(
    paths: list[str],
    *,
    source: TemplateSource | None = None,
    stdin_text: str | None = None,
    kinds: Collection[str] | None = None,
    strict: bool = True,
) -> LintResult:
    """Lint files (``-`` for stdin) and directories (their ``*.yaml|yml|json``, recursively);
    with ``kinds``, only objects of those kinds (``argo lint --kinds``).

    ``strict`` (argo's default) makes unknown fields problems. Templates referenced with ``templateRef``/``workflowTemplateRef`` are looked up among the
    linted objects first, then in ``source``.
    """
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in expand_paths(paths):
        try:
            documents.extend(load_documents(path, stdin_text=stdin_text))
        except ManifestError as exc:
            problems.append(_problem_from_error(exc, path))
    linted_source: TemplateSource = ObjectSource(doc.obj for doc in documents)
    if source is not None:
        linted_source = ChainSource(linted_source, source)
    linted = 0
    for document in documents:
        if document.kind in ARGO_KINDS and (kinds is None or document.kind in kinds):
            linted += 1
            problems.extend(validate_document(
                document, source=linted_source, require_arguments=False, strict=strict,
            ))
    argo = tuple(d for d in documents if d.kind in ARGO_KINDS)
    return LintResult(tuple(problems), linted, argo)


def expand_paths(paths: list[str]) -> list[str]:
    """Files as given; directories replaced by their manifest files, sorted."""
    files: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                files.extend(os.path.join(root, name) for name in sorted(names) if name.endswith(MANIFEST_SUFFIXES))
        else:
            files.append(path)
    return files


def _problem_from_error(exc: ManifestError, path: str) -> Problem:
    """A load error as a lint problem (the error's text without its ``FILE:LINE: path:`` prefix)."""
    where = exc.file
    if exc.line is not None:
        where = f"{where}:{exc.line}" if where else f"line {exc.line}"
    prefix = ": ".join(part for part in (where, exc.path) if part)
    message = exc.message.removeprefix(f"{prefix}: ") if prefix else exc.message
    if exc.hint:
        message = f"{message} (hint: {exc.hint})"
    return Problem(exc.file or path, exc.line or 1, exc.path, message)
