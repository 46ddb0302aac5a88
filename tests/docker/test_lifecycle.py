"""Pod lifecycle on a real engine: adoption after a driver restart, kill, deadline, podGC,
init containers and sidecars, volumes and artifacts."""

from __future__ import annotations

import time
from pathlib import Path

from argoctl.backends.docker import naming
from argoctl.backends.docker.backend import DEADLINE_MESSAGE
from argoctl.backends.docker.containers import plan_pod
from tests.docker.conftest import Harness, container


def _ledger(tmp: Path) -> tuple[dict[str, object], Path]:
    """A hostPath volume where every run of the step appends one line."""
    tmp.mkdir(exist_ok=True)
    return {"name": "ledger", "hostPath": {"path": str(tmp)}}, tmp / "runs"


def test_restarted_driver_adopts_a_running_pod_and_never_starts_it_again(harness: Harness, tmp_path: Path) -> None:
    volume, ledger = _ledger(tmp_path / "ledger")
    template = container("busybox", "sh", "-c", "echo run >> /ledger/runs; sleep 6; echo done",
                         volumeMounts=[{"name": "ledger", "mountPath": "/ledger"}])
    template["volumes"] = [volume]
    request = harness.request(template, capture_result=True)
    harness.backend.start(request)
    harness.until_phase(request, "Running")
    harness.backend.close()  # the driver dies; its container keeps running
    second = harness.new_backend()
    adopted = second.adopt([request])
    assert [u.phase for u in adopted] == ["Running"]
    second.start(request)  # starting what exists adopts it
    update = harness.until_done(request, backend=second)
    assert (update.phase, update.outputs["result"]) == ("Succeeded", "done")
    assert ledger.read_text() == "run\n"
    second.close()


def test_finished_pod_is_reported_from_its_record_not_run_again(harness: Harness, tmp_path: Path) -> None:
    volume, ledger = _ledger(tmp_path / "ledger")
    template = container("busybox", "sh", "-c", "echo run >> /ledger/runs; echo out",
                         volumeMounts=[{"name": "ledger", "mountPath": "/ledger"}])
    template["volumes"] = [volume]
    request = harness.request(template, capture_result=True)
    first = harness.run(request)
    harness.backend.remove(request.pod_name)
    second = harness.new_backend()
    assert second.adopt([request])[0].outputs == first.outputs
    second.close()
    third = harness.new_backend()  # a driver that starts it again: the recorded outcome, no new run
    third.start(request)
    assert harness.until_done(request, backend=third).outputs == first.outputs
    assert ledger.read_text() == "run\n"
    third.close()


def test_a_created_but_never_started_container_is_created_afresh(harness: Harness) -> None:
    request = harness.request(container("busybox", "echo", "fresh"), capture_result=True)
    infra, main = plan_pod(request, harness.namespace)
    main.command = ["stale"]  # what a driver that died before placing inputs might have left
    assert infra.network is not None and main.network_of == infra.engine_name
    harness.backend.engine.ensure_network(infra.network, {naming.LABEL_NAMESPACE: harness.namespace})
    harness.backend.engine.create(infra)
    harness.backend.engine.create(main)
    update = harness.run(request)
    assert (update.phase, update.outputs["result"]) == ("Succeeded", "fresh")


def test_kill_sends_sigterm_and_reports_the_reason(harness: Harness) -> None:
    request = harness.request(container("busybox", "sh", "-c", "sleep 300"))
    harness.backend.start(request)
    harness.until_phase(request, "Running")
    started = time.monotonic()
    harness.backend.kill(request.pod_name, reason="Stopped with strategy 'Terminate'")
    update = harness.until_done(request)
    assert (update.phase, update.message) == ("Failed", "Stopped with strategy 'Terminate'")
    assert time.monotonic() - started < 30  # SIGTERM reached sleep (the engine's init forwards it)


def test_sigkill_follows_after_the_grace_period(harness: Harness) -> None:
    backend = harness.backend = harness.new_backend(kill_grace=1.0)
    request = harness.request(container("busybox", "sh", "-c", "trap '' TERM; while true; do sleep 1; done"))
    backend.start(request)
    harness.until_phase(request, "Running")
    backend.kill(request.pod_name, reason="stopped")
    update = harness.until_done(request)
    assert update.phase == "Failed" and update.outputs == {"exitCode": "137"}


def test_active_deadline_kills_the_pod(harness: Harness) -> None:
    deadline = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 2))
    update = harness.run(harness.request(container("busybox", "sleep", "300"), deadline=deadline))
    assert (update.phase, update.message) == ("Failed", DEADLINE_MESSAGE)


def test_pod_gc_removes_containers_and_keeps_logs(harness: Harness) -> None:
    request = harness.request(container("busybox", "echo", "kept"), workflow_spec={
        "podMetadata": {"labels": {"team": "a"}}})
    harness.run(request)
    harness.backend.remove(request.pod_name, selector={"matchLabels": {"team": "b"}})
    assert harness.backend.engine.containers(naming.pod_filter(harness.namespace, request.pod_name))
    harness.backend.remove(request.pod_name, selector={"matchLabels": {"team": "a"}})
    assert not harness.backend.engine.containers(naming.pod_filter(harness.namespace, request.pod_name))
    assert harness.backend.read_logs(request.pod_name) == "kept\n"


def test_pod_gc_after_a_driver_restart_removes_the_empty_dir_volumes(harness: Harness) -> None:
    template = container("busybox", "sh", "-c", "echo x > /scratch/f", volumeMounts=[{"name": "s", "mountPath": "/scratch"}])
    template["volumes"] = [{"name": "s", "emptyDir": {}}]
    request = harness.request(template)
    assert harness.run(request).phase == "Succeeded"
    volume_filter = naming.pod_filter(harness.namespace, request.pod_name)
    assert len(harness.backend.engine.volumes(volume_filter)) == 1
    harness.backend.close()
    harness.backend = harness.new_backend()  # knows nothing of the pod but its labels
    harness.backend.remove(request.pod_name)
    assert harness.backend.engine.volumes(volume_filter) == []


def test_init_containers_then_main_share_an_empty_dir(harness: Harness) -> None:
    template = container("busybox", "cat", "/work/a", "/work/b",
                         volumeMounts=[{"name": "work", "mountPath": "/work"}])
    mounts = [{"name": "work", "mountPath": "/work"}]
    template["initContainers"] = [
        {"name": "one", "image": "busybox", "command": ["sh", "-c", "echo 1 > /work/a"], "volumeMounts": mounts},
        {"name": "two", "image": "busybox", "command": ["sh", "-c", "cat /work/a; echo 2 > /work/b"],
         "volumeMounts": mounts}]
    template["volumes"] = [{"name": "work", "emptyDir": {}}]
    request = harness.request(template, capture_result=True)
    update = harness.run(request)
    assert (update.phase, update.outputs["result"]) == ("Succeeded", "1\n2")
    assert harness.backend.read_logs(request.pod_name, "two") == "1\n"


def test_failed_init_container_fails_the_pod_before_main(harness: Harness) -> None:
    template = container("busybox", "echo", "never")
    template["initContainers"] = [{"name": "setup", "image": "busybox", "command": ["sh", "-c", "exit 4"]}]
    update = harness.run(harness.request(template))
    assert (update.phase, update.message) == ("Error", "setup: Error (exit code 4)")


def test_sidecar_shares_the_network_and_is_stopped_after_main(harness: Harness) -> None:
    template = container("busybox", "sh", "-c",
                         "for i in $(seq 50); do wget -q -O - http://127.0.0.1:8080/ && exit 0; sleep 0.2; done; exit 1")
    template["sidecars"] = [{"name": "web", "image": "busybox", "command": [
        "sh", "-c", "mkdir -p /www && echo served > /www/index.html && httpd -f -p 8080 -h /www"]}]
    update = harness.run(harness.request(template, capture_result=True))
    assert (update.phase, update.outputs["result"]) == ("Succeeded", "served")


def test_a_claim_persists_across_pods(harness: Harness) -> None:
    volumes = [{"name": "data", "persistentVolumeClaim": {"claimName": "shared"}}]
    mounts = [{"name": "data", "mountPath": "/data"}]
    writer = container("busybox", "sh", "-c", "echo kept > /data/f", volumeMounts=mounts)
    reader = container("busybox", "cat", "/data/f", volumeMounts=mounts)
    writer["volumes"] = reader["volumes"] = volumes
    assert harness.run(harness.request(writer)).phase == "Succeeded"
    update = harness.run(harness.request(reader, capture_result=True))
    assert update.outputs["result"] == "kept"


def test_daemon_reports_its_ip_and_serves_other_pods(harness: Harness) -> None:
    daemon = container("busybox", "sh", "-c", "mkdir /w && echo up > /w/index.html && httpd -f -p 8080 -h /w")
    daemon["daemon"] = True
    request = harness.request(daemon)
    harness.backend.start(request)
    running = harness.until_phase(request, "Running")
    assert running.daemoned and running.pod_ip
    client = container("busybox", "sh", "-c",
                       f"for i in $(seq 50); do wget -q -O - http://{running.pod_ip}:8080/ && exit 0; sleep 0.2; done")
    client_request = harness.request(client, capture_result=True)
    update = harness.run(client_request)
    assert update.outputs["result"] == "up"
    harness.backend.kill(request.pod_name, reason="daemon done")
    assert harness.until_done(request).phase == "Failed"
    network = naming.network_name(harness.namespace, "wf")
    assert network in harness.podman("inspect", "--format", "{{json .NetworkSettings.Networks}}",
                                     naming.container_name(harness.namespace, request.pod_name, "main"))
    harness.backend.remove(request.pod_name)
    assert harness.podman("network", "ls", "-q", "--filter", f"name=^{network}$").strip() == network  # in use
    harness.backend.remove(client_request.pod_name)  # the workflow's last pod: its network goes too
    assert harness.podman("network", "ls", "-q", "--filter", f"name=^{network}$").strip() == ""


def test_input_and_output_artifacts_cross_the_archive_api(harness: Harness, tmp_path: Path) -> None:
    producer = container("busybox", "sh", "-c", "mkdir -p /out/d && echo a > /out/d/a && echo b > /out/b")
    producer["outputs"] = {"artifacts": [{"name": "tree", "path": "/out"}]}
    produced = harness.run(harness.request(producer))
    assert produced.phase == "Succeeded", produced.message
    artifact = produced.outputs["artifacts"][0]
    consumer = container("busybox", "sh", "-c", "cat /in/d/a /in/b")
    consumer["inputs"] = {"artifacts": [dict(artifact, path="/in")]}
    update = harness.run(harness.request(consumer, capture_result=True))
    assert (update.phase, update.outputs["result"]) == ("Succeeded", "a\nb"), update.message


def _claim_pods(harness: Harness, strategy: str | None) -> tuple[str, list[str]]:
    """Two pods of workflow ``wf`` sharing a ``volumeClaimTemplates`` claim; its volume name."""
    spec: dict[str, object] = {"volumeClaimTemplates": [{"metadata": {"name": "work"}, "spec": {}}]}
    if strategy:
        spec["volumeClaimGC"] = {"strategy": strategy}
    mounts = [{"name": "work", "mountPath": "/work"}]
    pods = []
    for command in ("echo kept > /work/f", "cat /work/f"):
        request = harness.request(container("busybox", "sh", "-c", command, volumeMounts=mounts),
                                  workflow_spec=spec, capture_result=True)
        assert harness.run(request).phase == "Succeeded"
        pods.append(request.pod_name)
    return naming.volume_name(harness.namespace, "pvc", "wf-work"), pods


def _volume_exists(harness: Harness, name: str) -> bool:
    return harness.podman("volume", "ls", "-q", "--filter", f"name=^{name}$").strip() == name


def test_claim_template_volume_goes_with_the_workflow_once_its_pods_are_removed(harness: Harness) -> None:
    volume, pods = _claim_pods(harness, None)
    harness.backend.workflow_completed("wf", "Succeeded")  # its stopped containers still mount it
    assert _volume_exists(harness, volume)
    harness.backend.remove(pods[0])
    assert _volume_exists(harness, volume)
    harness.backend.remove(pods[1])  # the workflow's last pod: the volume goes with it
    assert not _volume_exists(harness, volume)


def test_claim_template_volume_is_removed_at_completion_when_no_pod_is_left(harness: Harness) -> None:
    volume, pods = _claim_pods(harness, "OnWorkflowCompletion")
    for pod in pods:
        harness.backend.remove(pod)
    assert _volume_exists(harness, volume)  # podGC alone never deletes a claim
    harness.backend.workflow_completed("wf", "Failed")
    assert not _volume_exists(harness, volume)


def test_claim_template_volume_of_a_failed_workflow_stays_by_default(harness: Harness) -> None:
    volume, pods = _claim_pods(harness, None)  # OnWorkflowSuccess
    for pod in pods:
        harness.backend.remove(pod)
    harness.backend.workflow_completed("wf", "Failed")
    assert _volume_exists(harness, volume)
