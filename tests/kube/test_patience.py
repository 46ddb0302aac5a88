"""Drivers ride out transient API faults (``argoctl.patience``): in a driver, 5xx, 429 (with its
Retry-After), resets and refused connections are retried with capped back-off for minutes, with
one notice on stderr; errors that cannot heal end at once. A command still gives up in seconds.

The client's sleeps are recorded, not slept (``clientfixtures.sleeps``), so minutes of back-off
take no time here."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from argoctl import patience
from argoctl.errors import ClusterError, ConflictError, ExitCode, NotFoundError
from argoctl.kube import paths
from argoctl.kube.client import KubeClient
from tests.fakecluster.fixtures import ClusterHandle
from tests.fakecluster.kubeconfig import write_kubeconfig
from tests.kube.clientfixtures import ClientFactory

CMS = paths.collection("default", "configmaps")
CM = f"{CMS}/kube-root-ca.crt"


@pytest.fixture
def patient(make_client: ClientFactory) -> KubeClient:
    """A client with no fixed policy: it follows ``argoctl.patience``."""
    return make_client(retry=None)


def cm(name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}}


def test_a_driver_rides_out_a_long_outage(patient: KubeClient, api_server: ClusterHandle,
                                          sleeps: list[float], capsys: pytest.CaptureFixture[str]) -> None:
    api_server.server.faults.fail_next(40, status=503, verb="get")
    with patience.driving():
        assert patient.get(CM)["metadata"]["name"] == "kube-root-ca.crt"
    assert len(sleeps) == 40
    assert max(sleeps) <= 15.0 * 1.2  # capped back-off
    assert sum(sleeps) > 300  # minutes, where a command gives up after about 3 s
    err = capsys.readouterr().err
    assert err.count("notice:") == 1, err  # one line per outage, however long
    assert f"the Kubernetes API server at {api_server.url} is failing" in err
    assert "503" in err and "retrying for up to 10m00s" in err


def test_a_driver_gives_up_when_its_patience_is_spent(patient: KubeClient, api_server: ClusterHandle,
                                                      sleeps: list[float], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(patience.PATIENCE_ENV, "60")
    api_server.server.faults.fail_next(None, status=500, verb="get")
    with patience.driving(), pytest.raises(ClusterError) as caught:
        patient.get(CM)
    assert caught.value.transient and caught.value.exit_code == ExitCode.UNAVAILABLE
    assert 60 <= sum(sleeps) < 60 + 15 * 1.2


def test_retry_after_is_honoured_beyond_a_commands_cap(patient: KubeClient, api_server: ClusterHandle,
                                                       sleeps: list[float]) -> None:
    api_server.server.faults.throttle_next(2, retry_after=45, verb="list")
    with patience.driving():
        assert patient.list(CMS)["kind"] == "ConfigMapList"
    assert sleeps == [45.0, 45.0]


@pytest.mark.parametrize("status", [401, 403])
def test_errors_that_cannot_heal_end_at_once(patient: KubeClient, api_server: ClusterHandle,
                                              sleeps: list[float], status: int) -> None:
    api_server.server.faults.fail_next(None, status=status, verb="get")
    with patience.driving(), pytest.raises(ClusterError) as caught:
        patient.get(CM)
    assert caught.value.status == status and not caught.value.transient
    assert caught.value.exit_code == ExitCode.UNAVAILABLE
    assert sleeps == []


def test_a_missing_namespace_ends_at_once(patient: KubeClient, sleeps: list[float]) -> None:
    with patience.driving(), pytest.raises(NotFoundError):
        patient.get(paths.collection("no-such-namespace", "configmaps") + "/x")
    assert sleeps == []


def test_a_driver_repeats_a_named_create_a_command_does_not(patient: KubeClient, api_server: ClusterHandle) -> None:
    faults, requests = api_server.server.faults, api_server.server.requests
    requests.reset()
    faults.fail_next(1, status=503, verb="create")
    with pytest.raises(ClusterError):
        patient.create(CMS, cm("by-a-command"))
    faults.fail_next(3, status=503, verb="create")
    faults.reset_next(2, verb="create")
    with patience.driving():
        assert patient.create(CMS, cm("by-a-driver"))["metadata"]["name"] == "by-a-driver"
    assert requests.count("create", "configmaps") == 1 + 6


def test_a_driver_adopts_its_own_create_whose_answer_was_lost(patient: KubeClient, api_server: ClusterHandle) -> None:
    faults = api_server.server.faults
    patient.create(CMS, cm("lost-answer"))  # as if the server had processed the try answered 503
    faults.fail_next(1, status=503, verb="create")
    with patience.driving():
        assert patient.create(CMS, cm("lost-answer"))["data"] == {"k": "v"}
    other = {**cm("lost-answer"), "data": {"k": "someone else's"}}
    faults.fail_next(1, status=503, verb="create")
    with patience.driving(), pytest.raises(ConflictError):
        patient.create(CMS, other)
    generated = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "g-"}}
    faults.fail_next(1, status=503, verb="create")
    with patience.driving(), pytest.raises(ClusterError):  # a repeat could make a second object
        patient.create(CMS, generated)


def test_a_command_gives_up_in_seconds(patient: KubeClient, api_server: ClusterHandle, sleeps: list[float],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    api_server.server.faults.fail_next(None, status=502, verb="get")
    with pytest.raises(ClusterError) as caught:
        patient.get(CM)
    assert caught.value.transient
    assert len(sleeps) == patience.COMMAND.attempts - 1 and sum(sleeps) < 5  # type: ignore[operator]
    assert "notice:" not in capsys.readouterr().err  # a short blip is not announced


def test_a_driver_waits_for_a_server_that_is_not_up_yet(tmp_path: Path, sleeps: list[float],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(patience.PATIENCE_ENV, "120")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_kubeconfig(tmp_path / "kubeconfig", f"http://127.0.0.1:{port}")
    client = KubeClient.from_kubeconfig(str(config), sleep=sleeps.append)
    with patience.driving(), pytest.raises(ClusterError) as caught:
        client.list(CMS)
    assert "cannot reach the Kubernetes API server" in caught.value.message
    assert sum(sleeps) >= 120 and len(sleeps) > 10


def test_backoff_policies() -> None:
    assert patience.current() == patience.COMMAND
    with patience.driving():
        policy = patience.current()
        with patience.driving():
            assert patience.current() == policy
        assert policy.attempts is None and policy.patience == patience.DEFAULT_DRIVER_PATIENCE
    assert patience.current() == patience.COMMAND
    assert not policy.gives_up(1000, 599.0) and policy.gives_up(1000, 600.0)
    assert all(policy.delay(n, None) <= 15 * 1.2 for n in range(200))  # no overflow, capped
    assert policy.delay(3, 90.0) == 60.0  # a Retry-After is honoured up to a minute
