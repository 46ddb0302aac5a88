"""The S3 store in a driver rides out an outage longer than botocore's own three tries
(``argoctl.patience``); a command still gives up with a StoreError (exit 3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from argoctl import patience
from argoctl.errors import ExitCode, StoreError
from argoctl.stores.s3bucket import Bucket
from tests.s3.fixtures import S3Endpoint

pytestmark = pytest.mark.s3


@pytest.fixture
def bucket(s3_bucket: S3Endpoint) -> Iterator[Bucket]:
    settings = {"endpoint_url": s3_bucket.endpoint_url, "region": s3_bucket.region,
                "access_key": s3_bucket.access_key, "secret_key": s3_bucket.secret_key}
    yield Bucket(s3_bucket.bucket, settings)
    s3_bucket.server.clear_faults()


def test_a_driver_rides_out_more_failures_than_botocore_retries(bucket: Bucket, s3_bucket: S3Endpoint,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    s3_bucket.server.fail_next(7, status=503)
    with patience.driving():
        bucket.put("k", b"v")
    s3_bucket.server.fail_next(5, status=500)
    with patience.driving():
        assert bucket.get("k") is not None
    assert bucket.get("k") == (b"v", bucket.etag("k"))
    assert capsys.readouterr().err.count("notice:") <= 2


def test_a_command_gives_up_after_botocores_tries(bucket: Bucket, s3_bucket: S3Endpoint) -> None:
    s3_bucket.server.fail_next(6, status=500)
    with pytest.raises(StoreError) as caught:
        bucket.put("k", b"v")
    assert caught.value.exit_code == ExitCode.UNAVAILABLE
    assert s3_bucket.server.pending_faults() > 0  # gave up before the server healed


def test_errors_that_cannot_heal_are_not_retried(bucket: Bucket, s3_bucket: S3Endpoint) -> None:
    missing = Bucket("no-such-bucket-here", bucket._settings)
    with patience.driving(), pytest.raises(StoreError, match="does not exist"):
        missing.put("k", b"v")
