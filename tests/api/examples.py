"""Examples of the Python API as users write them; ``test_examples_typecheck`` runs
``mypy --strict`` over this file (it is not run: nothing here is collected by pytest)."""

from __future__ import annotations

from pathlib import Path

import argoctl
from argoctl import Client, InvalidManifest, Run, WorkflowFailed


def notebook(pipeline: Path) -> dict[str, str]:
    """The README's notebook example: run, read outputs, look at a failure."""
    try:
        run: Run = argoctl.run(pipeline, parameters={"epochs": 3, "lr": "0.01"}, backend="local")
    except WorkflowFailed as failed:
        for name, node in failed.run.nodes.items():
            if node.phase != "Succeeded":
                print(name, node.phase, node.message)
        print(failed.run.logs())
        raise
    except InvalidManifest as invalid:
        print("\n".join(invalid.problems))
        raise
    accuracy: str = run.nodes["train"].outputs.parameters["accuracy"]
    return {"accuracy": accuracy, **run.outputs.parameters}


class Pipeline:
    """Any object with ``to_dict()`` (a Hera ``Workflow``) is accepted."""

    def to_dict(self) -> dict[str, object]:
        return {"metadata": {"generateName": "p-"}, "spec": {"entrypoint": "main", "templates": []}}


def background() -> str:
    run = argoctl.run(Pipeline(), wait=False)
    if not run.refresh().done:
        run.stop(wait=False)
    finished: Run = run.wait(check=False)
    if finished.phase == "Failed":
        finished.retry(parameters={"epochs": "1"})
    return finished.message


def cluster(kubeconfig: str) -> list[str]:
    client = Client(kubeconfig=kubeconfig, context="dev", namespace="ml", backend="kubernetes",
                    on_notice=lambda text: None)
    run = client.submit({"metadata": {"name": "x"}, "spec": {}}, labels={"team": "ml"}, wait=False)
    again = client.resubmit(run.name, memoized=True)
    client.retry(again.name, restart_successful=True, node_field_selector="displayName=train")
    logs: str = client.logs(run.name, "train", container="main")
    client.delete(run.name, force=True)
    names: list[str] = [r.name for r in client.list(selector="team=ml")]
    return [logs, client.get(again.name).phase, *names]
