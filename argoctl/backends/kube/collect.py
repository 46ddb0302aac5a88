"""Outputs of a finished pod, from the wrapper's bundle (``helper.py``).

The bundle is read from the main container's termination message; when it did not fit (the
message says ``overflow``, or the kubelet cut it: no ``end`` section), from the
``argoctl-outputs`` container's log, which the caller fetches through ``read_overflow``.
Parameters, ``result`` and ``exitCode`` then follow Argo's rules in
``argoctl.backends.outputs``; output artifacts (``Bundle.artifacts``, gzipped tars in base64)
are saved by the caller (``podartifacts.py``). Pure apart from the ``read_overflow`` callback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from argoctl.backends import outputs as rules
from argoctl.backends.kube.podspec import PodInfo

JSON = dict[str, Any]
OVERFLOW_LOST = "the outputs of this pod were lost: its outputs container log could not be read ({why})"


@dataclass(frozen=True, slots=True)
class Bundle:
    """A parsed bundle: parameter name → content (None when the file was missing), the result,
    output artifact name → gzipped tar in base64 (None when its path did not exist)."""

    complete: bool
    overflow: bool = False
    exit_code: int | None = None
    parameters: dict[str, str | None] = field(default_factory=dict)
    result: str | None = None
    artifacts: dict[str, str | None] = field(default_factory=dict)


def parse_bundle(text: str, nonce: str) -> Bundle | None:
    """The bundle framed by ``nonce`` in ``text``; None when ``text`` holds none."""
    head = f"@@{nonce} "
    start = text.find(head)
    if not nonce or start < 0:
        return None
    sections = text[start + len(head):].split(f"\n{head}")
    first, _, _ = sections[0].partition("\n")
    words = first.split()
    if words[:1] == ["overflow"]:
        return Bundle(complete=False, overflow=True)
    if words[:1] != ["begin"]:
        return None
    exit_code = int(words[1]) if len(words) > 1 and words[1].lstrip("-").isdigit() else None
    parameters: dict[str, str | None] = {}
    artifacts: dict[str, str | None] = {}
    result: str | None = None
    complete = False
    for section in sections[1:]:
        header, _, content = section.partition("\n")
        kind, _, name = header.partition(" ")
        if kind == "param":
            parameters[name] = content
        elif kind == "missing":
            parameters[name] = None
        elif kind == "artifact":
            artifacts[name] = content
        elif kind == "noartifact":
            artifacts[name] = None
        elif kind == "result":
            result = content
        elif kind == "end":
            complete = True
    return Bundle(complete=complete, exit_code=exit_code, parameters=parameters, result=result,
                  artifacts=artifacts)


def bundle_from_termination(message: str, info: PodInfo) -> Bundle | None:
    """The bundle of the main container's termination message, if complete."""
    bundle = parse_bundle(message, info.nonce)
    return bundle if bundle is not None and bundle.complete else None


def outputs_from_bundle(info: PodInfo, bundle: Bundle | None, exit_code: int | None) -> tuple[JSON, str | None]:
    """Argo's outputs (and the first collection error) for a pod whose bundle is ``bundle``."""
    paths: dict[str, str | None] = {}
    for parameter in info.parameters:
        path = (parameter.get("valueFrom") or {}).get("path")
        if path is not None and bundle is not None:
            paths[str(path)] = bundle.parameters.get(str(parameter.get("name", "")))

    def read_file(path: str) -> bytes | None:
        content = paths.get(path)
        return None if content is None else content.encode("utf-8", errors="surrogateescape")

    stdout = (bundle.result or "") if bundle is not None else ""
    return rules.collect_outputs(info.outputs_template, read_file=read_file,
                                 stdout=stdout.encode("utf-8", errors="surrogateescape"),
                                 exit_code=exit_code, capture_result=info.capture and bundle is not None)


def read_bundle(info: PodInfo, main_message: str, read_overflow: Callable[[], str]) -> tuple[Bundle | None, str | None]:
    """The finished pod's bundle: from the termination message, else the outputs container's log.

    ``read_overflow()`` returns that log (it may raise; the error names why outputs are lost).
    Returns (bundle or None when the pod wrote none, the error that lost it or None).
    """
    if not info.nonce or not main_message.strip():  # no bundle wanted, or the wrapper was killed
        return None, None
    bundle = bundle_from_termination(main_message, info)
    if bundle is None:
        try:
            bundle = parse_bundle(read_overflow(), info.nonce)
        except Exception as err:
            return None, OVERFLOW_LOST.format(why=getattr(err, "message", None) or err)
        if bundle is None or not bundle.complete:
            return None, OVERFLOW_LOST.format(why="no complete outputs in it")
    return bundle, None


def collect(info: PodInfo, main_message: str, exit_code: int | None,
            read_overflow: Callable[[], str]) -> tuple[JSON | None, str | None]:
    """Outputs of a finished pod (None when the main container never ran) and the first error."""
    outputs, error, _ = collect_bundle(info, main_message, exit_code, read_overflow)
    return outputs, error


def collect_bundle(info: PodInfo, main_message: str, exit_code: int | None,
                   read_overflow: Callable[[], str]) -> tuple[JSON | None, str | None, Bundle | None]:
    """``collect``, and the bundle the outputs came from (for its artifacts)."""
    if exit_code is None:
        return None, None, None
    bundle, lost = read_bundle(info, main_message, read_overflow)
    if lost:
        return {"exitCode": str(exit_code)}, lost, None
    outputs, error = outputs_from_bundle(info, bundle, exit_code)
    return outputs, error, bundle
