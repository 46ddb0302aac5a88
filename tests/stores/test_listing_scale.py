"""Listing 1,000 workflows: correct results from both stores; the time is printed, never asserted."""

from __future__ import annotations

import time
from typing import Any, cast

import pytest

from tests.stores.conftest import StoreFactory, workflow

COUNT = 1000


def test_list_1000_workflows(store_factory: StoreFactory, request: pytest.FixtureRequest,
                             capsys: pytest.CaptureFixture[str]) -> None:
    writer = store_factory()
    for i in range(COUNT):
        phase = "Succeeded" if i % 4 else "Failed"
        labels = {"workflows.argoproj.io/phase": phase, "workflows.argoproj.io/completed": "true"}
        writer.create_workflow(workflow(f"wf-{i:04d}", labels=labels, phase=phase, nodes=5))
    reader = store_factory()  # a fresh process would start with nothing cached
    reader.list_workflows({"no": "match"})  # connect and warm up, as a CLI does once
    started = time.perf_counter()
    everything = reader.list_workflows()
    elapsed = time.perf_counter() - started
    failed = cast(Any, reader).list_workflows("workflows.argoproj.io/phase in (Failed,Error)")
    assert len(everything) == COUNT
    assert [w["metadata"]["name"] for w in everything] == [f"wf-{i:04d}" for i in range(COUNT)]
    assert len(failed) == COUNT // 4
    assert all(w["status"]["phase"] == "Failed" for w in failed)
    store_kind = request.node.callspec.params["store_factory"]
    request.node.user_properties.append(("list_1000_seconds", elapsed))
    with capsys.disabled():
        print(f"\n[figure] {store_kind} store: listing {COUNT} workflows took {elapsed * 1000:.0f} ms")
