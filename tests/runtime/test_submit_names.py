"""Workflow names from generateName, as the API server makes them (submit and resubmit alike)."""

from __future__ import annotations

from datetime import UTC, datetime

from argoctl.runtime.submit import SubmitOptions, prepare
from argoctl.stores.records import generated_name

LONG = "global-parameter-from-configmap-referenced-as-local-variable-"  # 61 characters


def test_submit_cuts_a_long_generate_name_so_the_name_fits_a_label() -> None:
    manifest = {"metadata": {"generateName": LONG}, "spec": {"entrypoint": "main", "templates": [{"name": "main"}]}}
    name = prepare(manifest, SubmitOptions(), namespace="argo", now=datetime(2030, 1, 1, tzinfo=UTC))["metadata"]["name"]
    assert len(name) == 63 and name.startswith(LONG[:58])


def test_short_prefixes_are_kept_whole() -> None:
    name = generated_name("hello-world-")
    assert name.startswith("hello-world-") and len(name) == len("hello-world-") + 5
    assert set(name[-5:]) <= set("bcdfghjklmnpqrstvwxz2456789")
