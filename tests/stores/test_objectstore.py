"""The S3 store's own guarantees: URL, conditional single-object writes, the index, fallbacks, errors."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from pytest_mock import MockerFixture

from argoctl.errors import ConflictError, ExitCode, StoreError, UsageError
from argoctl.model.ids import fnv32a
from argoctl.stores import s3bucket
from argoctl.stores.objectstore import ObjectStore, S3Config, parse_url
from tests.s3.fixtures import S3Endpoint
from tests.stores.conftest import NOW, workflow

pytestmark = pytest.mark.s3


def _store(endpoint: S3Endpoint, **kwargs: Any) -> ObjectStore:
    return ObjectStore(endpoint.url("arch"), config=endpoint.config(), clock=lambda: NOW, **kwargs)


# -- URL and settings --------------------------------------------------------------------------


def test_url_carries_bucket_prefix_and_settings() -> None:
    bucket, prefix, config = parse_url("s3://my-bucket/team/a/?endpoint=http://minio:9000&region=eu-west-1&insecure=true")
    assert (bucket, prefix) == ("my-bucket", "team/a")
    assert config == S3Config(endpoint_url="http://minio:9000", region="eu-west-1", insecure=True)
    assert parse_url("s3://b") == ("b", "", S3Config())


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("s3://", "not an S3 store URL"),
        ("gs://bucket", "not an S3 store URL"),
        ("s3://key:secret@bucket/p", "credentials do not belong in the store URL"),
        ("s3://bucket?access_key=x", "unknown store URL parameter(s): access_key"),
    ],
)
def test_bad_urls_are_usage_errors(url: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_url(url)
    assert reason in caught.value.message


def test_explicit_settings_win_over_the_url_and_secrets_stay_out_of_repr() -> None:
    store = ObjectStore(
        "s3://b/p?endpoint=http://from-url:1&region=us-east-2",
        config=S3Config(endpoint_url="http://explicit:2", access_key="AKIA-ID", secret_key="TOP-SECRET"),
    )
    assert store.config.endpoint_url == "http://explicit:2"
    assert store.config.region == "us-east-2"
    assert "TOP-SECRET" not in repr(store.config) and "AKIA-ID" not in repr(store.config)


# -- single conditional writes -----------------------------------------------------------------


def _record_put_headers(store: ObjectStore) -> list[dict[str, str]]:
    seen: list[dict[str, str]] = []

    def capture(request: Any, **_: Any) -> None:
        headers = {k.lower(): v.decode() if isinstance(v, bytes) else v for k, v in request.headers.items()}
        seen.append({"url": request.url, **{k: v for k, v in headers.items() if k.startswith("if-")}})

    store._bucket.client.meta.events.register("before-send.s3.PutObject", capture)
    return seen


def test_create_and_update_are_conditional_puts(s3_bucket: S3Endpoint) -> None:
    store = _store(s3_bucket)
    puts = _record_put_headers(store)
    created = store.create_workflow(workflow("cond"))
    store.update_workflow({**created, "status": {"phase": "Running"}})
    workflow_puts = [p for p in puts if "/workflows/cond.json" in p["url"]]
    assert workflow_puts[0].get("if-none-match") == "*"
    assert workflow_puts[1].get("if-match", "").startswith('"')
    index_puts = [p for p in puts if "/index/" in p["url"]]
    assert index_puts[0].get("if-none-match") == "*" and "if-match" in index_puts[1]


def test_keys_follow_the_documented_layout(s3_bucket: S3Endpoint) -> None:
    store = _store(s3_bucket)
    store.create_workflow(workflow("wf"))
    store.put_object("ClusterWorkflowTemplate", {"metadata": {"name": "c"}, "spec": {}})
    store.append_log("wf", "wf-pod", "main", "x")
    store.acquire_lease("wf", "me", 5, NOW)
    keys = s3_bucket.keys()
    shard = fnv32a("wf") % 16
    assert "arch/namespaces/default/workflows/wf.json" in keys
    assert f"arch/namespaces/default/index/v1-16/{shard:02d}.json" in keys
    assert "arch/cluster/objects/ClusterWorkflowTemplate/c.json" in keys
    assert "arch/namespaces/default/leases/wf.json" in keys
    assert any(k.startswith("arch/namespaces/default/logs/wf/wf-pod/main/") for k in keys)


def test_parallel_reads_share_one_client(s3_bucket: S3Endpoint, mocker: MockerFixture) -> None:
    built = mocker.spy(s3bucket, "make_client")
    store = _store(s3_bucket)
    store.list_workflows()
    store.list_workflows()
    assert built.call_count == 1


# -- the index ---------------------------------------------------------------------------------


class _Killed(BaseException):
    """Stands for the process dying between the workflow write and the index write."""


def test_crash_before_the_index_write_is_healed_by_the_next_write_or_reindex(
    s3_bucket: S3Endpoint, mocker: MockerFixture
) -> None:
    store = _store(s3_bucket)
    created = store.create_workflow(workflow("wf"))
    mocker.patch.object(store, "_index_upsert", side_effect=_Killed)
    with pytest.raises(_Killed):
        store.update_workflow({**created, "status": {"phase": "Running"}})
    mocker.stopall()
    reader = _store(s3_bucket)
    assert reader.get_workflow("wf")["status"]["phase"] == "Running"  # the object is whole and new
    assert "status" not in reader.list_workflows()[0]  # the index is one write behind
    assert reader.reindex() == 1
    assert reader.list_workflows()[0]["status"]["phase"] == "Running"
    latest = reader.get_workflow("wf")
    reader.update_workflow({**latest, "status": {"phase": "Succeeded"}})
    assert _store(s3_bucket).list_workflows()[0]["status"]["phase"] == "Succeeded"


def test_a_ghost_index_entry_can_be_deleted(s3_bucket: S3Endpoint) -> None:
    store = _store(s3_bucket)
    store.create_workflow(workflow("ghost"))
    s3_bucket.client().delete_object(Bucket=s3_bucket.bucket, Key="arch/namespaces/default/workflows/ghost.json")
    assert [w["metadata"]["name"] for w in store.list_workflows()] == ["ghost"]
    store.delete_workflow("ghost")
    assert store.list_workflows() == []


def _same_shard_names(count: int) -> list[str]:
    names = (f"wf-{i}" for i in range(10_000))
    return [name for name in names if fnv32a(name) % 16 == 0][:count]


def test_writers_sharing_an_index_shard_lose_no_entry(s3_bucket: S3Endpoint) -> None:
    names = _same_shard_names(16)
    writers = [_store(s3_bucket), _store(s3_bucket)]

    def write(writer: ObjectStore, mine: list[str]) -> None:
        for name in mine:
            writer.create_workflow(workflow(name))

    threads = [threading.Thread(target=write, args=(w, names[i::2])) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(w["metadata"]["name"] for w in _store(s3_bucket).list_workflows()) == sorted(names)


def test_an_older_version_never_overwrites_a_newer_index_entry(s3_bucket: S3Endpoint) -> None:
    store = _store(s3_bucket)
    created = store.create_workflow(workflow("wf"))
    newer = store.update_workflow({**created, "status": {"phase": "Running"}})
    store._index_upsert(created)  # a slow writer's late index update for version 1
    [entry] = store.list_workflows()
    assert entry["metadata"]["resourceVersion"] == newer["metadata"]["resourceVersion"]


# -- servers without conditional writes --------------------------------------------------------


class _NoConditions:
    """A client that answers 501 to If-Match / If-None-Match, as some S3-compatible servers do."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def put_object(self, **kwargs: Any) -> Any:
        self._refuse(kwargs, "PutObject")
        return self._real.put_object(**kwargs)

    def delete_object(self, **kwargs: Any) -> Any:
        self._refuse(kwargs, "DeleteObject")
        return self._real.delete_object(**kwargs)

    @staticmethod
    def _refuse(kwargs: dict[str, Any], operation: str) -> None:
        from botocore.exceptions import ClientError

        if "IfMatch" in kwargs or "IfNoneMatch" in kwargs:
            raise ClientError(
                {"Error": {"Code": "NotImplemented", "Message": "no"}, "ResponseMetadata": {"HTTPStatusCode": 501}},
                operation,
            )


def test_without_conditional_writes_the_store_checks_by_hand_and_warns(
    s3_bucket: S3Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    store = _store(s3_bucket, client=_NoConditions(s3_bucket.client()))
    with caplog.at_level(logging.WARNING):
        created = store.create_workflow(workflow("wf"))
        with pytest.raises(ConflictError, match="already exists"):
            store.create_workflow(workflow("wf"))
        updated = store.update_workflow({**created, "status": {"phase": "Running"}})
        with pytest.raises(ConflictError):
            store.update_workflow({**created, "status": {"phase": "Failed"}})
        store.acquire_lease("wf", "a", 10, NOW)
        store.release_lease("wf", "a")
    assert store.get_workflow("wf") == updated
    assert store.get_lease("wf") is None
    warnings = [r for r in caplog.records if "does not support conditional writes" in r.getMessage()]
    assert len(warnings) == 1


# -- errors ------------------------------------------------------------------------------------


def test_a_missing_bucket_is_a_store_error(s3_bucket: S3Endpoint) -> None:
    store = ObjectStore(f"s3://no-such-bucket-{s3_bucket.bucket[-12:]}/p", config=s3_bucket.config())
    with pytest.raises(StoreError, match="does not exist") as caught:
        store.list_workflows()
    assert caught.value.exit_code == ExitCode.UNAVAILABLE


def test_an_unreachable_endpoint_is_a_store_error() -> None:
    store = ObjectStore(
        "s3://bucket/p", config=S3Config(endpoint_url="http://127.0.0.1:9", access_key="a", secret_key="b")
    )
    with pytest.raises(StoreError, match="cannot read") as caught:
        store.get_workflow("wf")
    assert caught.value.exit_code == ExitCode.UNAVAILABLE


def test_missing_credentials_name_the_fix(s3_bucket: S3Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    store = ObjectStore(s3_bucket.url("p"))
    with pytest.raises(StoreError, match="no usable S3 credentials") as caught:
        store.list_workflows()
    assert "AWS_ACCESS_KEY_ID" in caught.value.hint


def test_credentials_from_the_environment_chain(s3_bucket: S3Endpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in s3_bucket.env().items():
        monkeypatch.setenv(key, value)
    store = ObjectStore(f"s3://{s3_bucket.bucket}/env")  # endpoint and keys from AWS_* variables
    store.create_workflow(workflow("from-env"))
    assert "env/namespaces/default/workflows/from-env.json" in s3_bucket.keys(prefix="env/")
