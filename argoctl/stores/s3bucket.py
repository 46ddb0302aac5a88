"""S3 connection settings and a thin bucket client: get/put/delete/list with conditions, errors mapped.

boto3 and botocore are imported here, lazily, on first use. Client errors become argoctl errors
(``StoreError`` for an unreachable endpoint, a missing bucket, refused credentials) or the
module's ``PreconditionFailed`` for a lost conditional write. Called by ``objectstore`` only.
"""

from __future__ import annotations

import logging
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from argoctl import patience
from argoctl.errors import StoreError, UsageError
from argoctl.patience import Outage

_log = logging.getLogger(__name__)
_DELETE_BATCH = 1000  # DeleteObjects limit


class PreconditionFailed(Exception):
    """A conditional write lost: the object exists (create) or changed (update/delete)."""


class _Missing(Exception):
    """404: no such key."""


class _Unsupported(Exception):
    """501: the server does not implement a conditional header."""


@dataclass(frozen=True, slots=True)
class S3Config:
    """Explicit connection settings; ``None`` leaves a setting to the AWS chain."""

    endpoint_url: str | None = None
    region: str | None = None
    insecure: bool = False  # plain HTTP for a scheme-less endpoint, no TLS verification for https
    access_key: str | None = field(default=None, repr=False)
    secret_key: str | None = field(default=None, repr=False)
    session_token: str | None = field(default=None, repr=False)

    def over(self, base: S3Config) -> S3Config:
        """These settings where set, ``base`` elsewhere."""
        changes = {name: getattr(self, name) for name in CONFIG_FIELDS if getattr(self, name) not in (None, False)}
        return replace(base, **changes)


CONFIG_FIELDS = ("endpoint_url", "region", "insecure", "access_key", "secret_key", "session_token")


def parse_url(url: str) -> tuple[str, str, S3Config]:
    """``s3://bucket/prefix?endpoint=..&region=..&insecure=..`` → bucket, prefix, settings."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise UsageError(f"not an S3 store URL: {url!r}", hint="use s3://BUCKET[/PREFIX]")
    if parts.username or parts.password:
        raise UsageError("credentials do not belong in the store URL", hint="use the AWS environment or config")
    query = dict(urllib.parse.parse_qsl(parts.query))
    unknown = sorted(set(query) - {"endpoint", "region", "insecure"})
    if unknown:
        raise UsageError(f"unknown store URL parameter(s): {', '.join(unknown)}", hint="known: endpoint, region, insecure")
    config = S3Config(
        endpoint_url=query.get("endpoint") or None,
        region=query.get("region") or None,
        insecure=query.get("insecure", "").lower() in ("1", "true", "yes"),
    )
    return parts.netloc, parts.path.strip("/"), config


def make_client(settings: Mapping[str, Any]) -> Any:
    """A boto3 S3 client from explicit settings, the rest from the standard AWS chain."""
    import boto3
    from botocore.config import Config

    endpoint = settings.get("endpoint_url")
    insecure = bool(settings.get("insecure"))
    if endpoint and "://" not in endpoint:
        endpoint = f"{'http' if insecure else 'https'}://{endpoint}"
    session = boto3.session.Session(
        aws_access_key_id=settings.get("access_key"),
        aws_secret_access_key=settings.get("secret_key"),
        aws_session_token=settings.get("session_token"),
        region_name=settings.get("region"),
    )
    config = Config(
        retries={"mode": "standard", "max_attempts": 3},
        connect_timeout=5,
        read_timeout=60,
        max_pool_connections=16,
        s3={"addressing_style": "path"} if endpoint else {},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    verify = False if insecure and endpoint and endpoint.startswith("https://") else None
    return session.client("s3", endpoint_url=endpoint, verify=verify, config=config)


class Bucket:
    """One bucket; every key passed in is the full key."""

    def __init__(self, name: str, settings: Mapping[str, Any], *, client: Any = None) -> None:
        self.name = name
        self.conditional = True  # False after the server refused a conditional header (501)
        self._settings = dict(settings)
        self._client = client
        self._client_lock = threading.Lock()

    @property
    def client(self) -> Any:
        if self._client is None:
            with self._client_lock:  # parallel reads must not each build a client
                if self._client is None:
                    self._client = make_client(self._settings)
        return self._client

    def get(self, key: str) -> tuple[bytes, str] | None:
        """Body and ETag, or None if there is no such key."""
        try:
            response = self._call("read", key, self.client.get_object, Key=key)
            return response["Body"].read(), str(response["ETag"])
        except _Missing:
            return None

    def etag(self, key: str) -> str | None:
        try:
            return str(self._call("read", key, self.client.head_object, Key=key)["ETag"])
        except _Missing:
            return None

    def exists(self, key: str) -> bool:
        return self.etag(key) is not None

    def put(self, key: str, body: bytes, *, if_match: str | None = None, create_only: bool = False) -> str:
        """One PutObject; the new ETag. ``create_only``: If-None-Match: *; ``if_match``: If-Match."""
        conditions: dict[str, str] = {}
        if create_only:
            conditions["IfNoneMatch"] = "*"
        elif if_match:
            conditions["IfMatch"] = if_match
        if conditions and not self.conditional:
            self._check_by_hand(key, if_match=if_match, create_only=create_only)
            conditions = {}
        try:
            response = self._call("write", key, self.client.put_object, Key=key, Body=body, **conditions)
        except _Unsupported:
            self._give_up_conditions()
            return self.put(key, body, if_match=if_match, create_only=create_only)
        except _Missing:  # If-Match on a key that is gone
            raise PreconditionFailed(key) from None
        return str(response["ETag"])

    def delete(self, key: str, *, if_match: str | None = None) -> None:
        """Delete ``key`` (absent is fine); with ``if_match`` only if its ETag still matches."""
        conditions = {"IfMatch": if_match} if if_match and self.conditional else {}
        if if_match and not self.conditional:
            self._check_by_hand(key, if_match=if_match, create_only=False)
        try:
            self._call("delete", key, self.client.delete_object, Key=key, **conditions)
        except _Unsupported:
            self._give_up_conditions()
            self.delete(key, if_match=if_match)
        except _Missing:
            if if_match:
                raise PreconditionFailed(key) from None

    def delete_many(self, keys: list[str]) -> None:
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = [{"Key": key} for key in keys[start : start + _DELETE_BATCH]]
            self._call("delete", batch[0]["Key"], self.client.delete_objects,
                       Delete={"Objects": batch, "Quiet": True})

    def keys(self, prefix: str) -> list[str]:
        found: list[str] = []
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.name, Prefix=prefix):
                found.extend(str(item["Key"]) for item in page.get("Contents", []))
        except Exception as err:
            raise _mapped(err, "list", prefix, self.name) from err
        return found

    def _check_by_hand(self, key: str, *, if_match: str | None, create_only: bool) -> None:
        current = self.etag(key)
        if (create_only and current is not None) or (if_match and current != if_match):
            raise PreconditionFailed(key)

    def _give_up_conditions(self) -> None:
        if self.conditional:
            _log.warning(
                "the S3 endpoint does not support conditional writes (If-Match/If-None-Match); "
                "falling back to check-then-write, which two concurrent writers can race"
            )
        self.conditional = False

    def _call(self, action: str, key: str, operation: Callable[..., Any], **kwargs: Any) -> Any:
        """One call; in a driver, transient faults (5xx, throttling, resets, timeouts) outlasting
        botocore's own few tries are retried for as long as ``argoctl.patience`` allows."""
        outage = Outage(f"the S3 endpoint of bucket {self.name!r}", patience.current())
        attempt = 0
        try:
            while True:
                try:
                    return operation(Bucket=self.name, **kwargs)
                except Exception as err:
                    mapped = _mapped(err, action, key, self.name)
                    if not (patience.is_driving() and _transient(err)):
                        raise mapped from err
                    if outage.policy.gives_up(attempt, outage.elapsed()):
                        raise mapped from err
                    delay = outage.policy.delay(attempt, None)
                    outage.wait_for(delay, str(err))
                    time.sleep(delay)
                    attempt += 1
        finally:
            outage.end()


def _transient(err: Exception) -> bool:
    """A fault that may heal: no answer (connection, timeout), a 5xx, or throttling."""
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(err, ConnectionError | HTTPClientError):
        return True
    if not isinstance(err, ClientError):
        return False
    code = str(err.response.get("Error", {}).get("Code", ""))
    status = int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    return (status >= 500 and status != 501) or status == 429 or code in _THROTTLING


_THROTTLING = frozenset({"SlowDown", "Throttling", "ThrottlingException", "RequestTimeout", "RequestLimitExceeded"})


def _mapped(err: Exception, action: str, key: str, bucket: str) -> Exception:
    """The argoctl (or module-private) error for a boto3/botocore error; others pass through."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, PartialCredentialsError

    where = f"s3://{bucket}/{key}"
    if isinstance(err, NoCredentialsError | PartialCredentialsError):
        return StoreError(
            f"no usable S3 credentials to {action} {where}",
            hint="set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or the store config",
        )
    if isinstance(err, BotoCoreError):
        return StoreError(f"cannot {action} {where}: {err}", hint="check the S3 endpoint and the network")
    if not isinstance(err, ClientError):
        return err
    code = str(err.response.get("Error", {}).get("Code", ""))
    status = int(err.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
    if status == 412 or code in ("PreconditionFailed", "ConditionalRequestConflict"):
        return PreconditionFailed(key)
    if code in ("NoSuchKey", "NotFound") or (status == 404 and code != "NoSuchBucket"):
        return _Missing(key)
    if status == 501 or code == "NotImplemented":
        return _Unsupported(key)
    if code == "NoSuchBucket":
        return StoreError(f"the bucket {bucket!r} does not exist", hint="create it, or fix the store URL")
    if status == 403:
        return StoreError(f"permission denied to {action} {where} ({code})", hint="check the S3 credentials and policy")
    return StoreError(f"cannot {action} {where}: {code or status}", hint="check the S3 endpoint and credentials")
