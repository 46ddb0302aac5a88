"""``s3``: any S3-compatible store through boto3 (imported on first use, ~130 ms).

Location fields: ``endpoint`` (``host:port``; ``insecure: true`` means plain http),
``bucket``, ``key``, ``region``, ``accessKeySecret`` / ``secretKeySecret`` /
``sessionTokenSecret`` (read through ``get_secret``), ``useSDKCreds`` or no secrets at all
(the standard AWS credential chain), ``roleARN`` (assumed through STS), ``caSecret`` (a CA
bundle), ``addressingStyle`` (``path`` for custom endpoints, else virtual-hosted),
``createBucketIfNotPresent`` and ``encryptionOptions {enableEncryption, kmsKeyId}``.

A key that is not an object but prefixes objects is a directory (Argo's rule); directories are
saved object by object, and removed again if one upload fails.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from argoctl.artifacts.drivers.base import JSON, BaseDriver, DriverOptions
from argoctl.artifacts.drivers.s3errors import describe_error, is_missing
from argoctl.artifacts.errors import ArtifactError, NotSupportedError, Redactor

_CLIENT_FIELDS = ("endpoint", "region", "insecure", "addressingStyle", "accessKeySecret", "secretKeySecret",
                  "sessionTokenSecret", "roleARN", "useSDKCreds", "caSecret")


class S3Driver(BaseDriver):
    kind = "s3"

    def __init__(self, redactor: Redactor, options: DriverOptions) -> None:
        self._redactor = redactor
        self._options = options
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._ca_dir: tempfile.TemporaryDirectory[str] | None = None

    # ---- protocol --------------------------------------------------------------------------

    def load(self, location: JSON, dest: Path) -> None:
        bucket, key = _bucket_key(location)
        client = self._client(location)
        try:
            client.download_file(bucket, key, str(dest), Config=self._transfer())
            return
        except Exception as err:
            if not is_missing(err):
                raise self._error("failed to get file", location, err) from None
        keys = self._list_keys(client, location, bucket, _dir_prefix(key))
        if not keys:
            raise ArtifactError("key not found", not_found=True)
        dest.mkdir(parents=True)
        for rel in keys:
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                client.download_file(bucket, _dir_prefix(key) + rel, str(target), Config=self._transfer())
            except Exception as err:
                raise self._error("failed to get directory", location, err) from None

    def save(self, src: Path, location: JSON, *, consume: bool = False) -> None:
        bucket, key = _bucket_key(location)
        client = self._client(location)
        self._ensure_bucket(client, location, bucket)
        extra = _encryption_args(location)
        if not src.is_dir():
            try:
                client.upload_file(str(src), bucket, key, ExtraArgs=extra or None, Config=self._transfer())
            except Exception as err:
                raise self._error("failed to put file", location, err) from None
            return
        done: list[str] = []
        try:
            for path, rel in _files_under(src):
                client.upload_file(str(path), bucket, _dir_prefix(key) + rel, ExtraArgs=extra or None,
                                   Config=self._transfer())
                done.append(_dir_prefix(key) + rel)
        except Exception as err:
            self._delete_keys(client, bucket, done)
            raise self._error("failed to put directory", location, err) from None

    def delete(self, location: JSON) -> None:
        bucket, key = _bucket_key(location)
        client = self._client(location)
        try:
            if key.endswith("/"):
                keys = [_dir_prefix(key) + rel for rel in self._list_keys(client, location, bucket, key)]
                self._delete_keys(client, bucket, keys, strict=True)
            else:
                client.delete_object(Bucket=bucket, Key=key)
        except ArtifactError:
            raise
        except Exception as err:
            raise self._error("failed to delete", location, err) from None

    def exists(self, location: JSON) -> bool:
        bucket, key = _bucket_key(location)
        client = self._client(location)
        try:
            client.head_object(Bucket=bucket, Key=key)
            return True
        except Exception as err:
            if not is_missing(err):
                raise self._error("failed to check", location, err) from None
        return bool(self._list_keys(client, location, bucket, _dir_prefix(key), limit=1))

    def list_keys(self, location: JSON) -> list[str]:
        bucket, key = _bucket_key(location)
        client = self._client(location)
        keys = self._list_keys(client, location, bucket, _dir_prefix(key))
        if keys:
            return keys
        if self.exists(location):
            return [key.rsplit("/", 1)[-1]]
        raise ArtifactError(f"no key found of name {key}", not_found=True)

    # ---- helpers ---------------------------------------------------------------------------

    def _error(self, action: str, location: JSON, err: BaseException) -> ArtifactError:
        text, not_found = describe_error(err, location)
        return ArtifactError(self._redactor.redact(f"{action}: {text}"), not_found=not_found)

    def _list_keys(self, client: Any, location: JSON, bucket: str, prefix: str, limit: int = 0) -> list[str]:
        out: list[str] = []
        try:
            pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for page in pages:
                for obj in page.get("Contents") or ():
                    name = str(obj["Key"])
                    if not name.endswith("/"):  # "folder" placeholder objects
                        out.append(name[len(prefix):])
                    if limit and len(out) >= limit:
                        return out
        except Exception as err:
            if is_missing(err):
                return []
            raise self._error("failed to list directory", location, err) from None
        return sorted(out)

    def _delete_keys(self, client: Any, bucket: str, keys: list[str], strict: bool = False) -> None:
        for start in range(0, len(keys), 1000):
            batch = [{"Key": k} for k in keys[start:start + 1000]]
            try:
                client.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
            except Exception:
                if strict:
                    raise

    def _ensure_bucket(self, client: Any, location: JSON, bucket: str) -> None:
        if location.get("createBucketIfNotPresent") is None:  # {} asks for it too
            return
        try:
            client.head_bucket(Bucket=bucket)
            return
        except Exception as err:
            if not is_missing(err):
                raise self._error("failed to check bucket", location, err) from None
        region = str(location.get("region") or "")
        args: dict[str, Any] = {"Bucket": bucket}
        if region and region != "us-east-1":
            args["CreateBucketConfiguration"] = {"LocationConstraint": region}
        try:
            client.create_bucket(**args)
        except Exception as err:
            if "BucketAlreadyOwnedByYou" not in str(err) and "BucketAlreadyExists" not in str(err):
                raise self._error(f"failed to create bucket {bucket}", location, err) from None

    def _transfer(self) -> Any:
        from boto3.s3.transfer import TransferConfig

        return TransferConfig(multipart_threshold=64 << 20, multipart_chunksize=16 << 20, max_concurrency=4)

    def _client(self, location: JSON) -> Any:
        cache_key = repr([(f, location.get(f)) for f in _CLIENT_FIELDS])
        with self._lock:
            client = self._clients.get(cache_key)
            if client is None:
                client = self._clients[cache_key] = self._new_client(location)
            return client

    def _new_client(self, location: JSON) -> Any:
        import boto3
        from botocore.config import Config

        session = boto3.session.Session(region_name=str(location.get("region") or "us-east-1"),
                                        **self._credentials(location))
        opts = self._options
        config = Config(connect_timeout=opts.connect_timeout, read_timeout=opts.read_timeout,
                        retries={"total_max_attempts": opts.max_attempts, "mode": "standard"},
                        s3={"addressing_style": _addressing(location)}, signature_version="s3v4")
        if location.get("roleARN"):
            session = self._assume_role(session, location, config)
        return session.client("s3", endpoint_url=_endpoint_url(location), config=config,
                              verify=self._verify(location))

    def _credentials(self, location: JSON) -> dict[str, str]:
        if location.get("useSDKCreds") or not (location.get("accessKeySecret") or location.get("secretKeySecret")):
            return {}
        creds = {
            "aws_access_key_id": self._redactor.get(location.get("accessKeySecret"), what="s3 access key"),
            "aws_secret_access_key": self._redactor.get(location.get("secretKeySecret"), what="s3 secret key"),
        }
        if location.get("sessionTokenSecret"):
            creds["aws_session_token"] = self._redactor.get(location["sessionTokenSecret"], what="s3 session token")
        return creds

    def _assume_role(self, session: Any, location: JSON, config: Any) -> Any:
        import boto3

        try:
            sts = session.client("sts", endpoint_url=os.environ.get("AWS_ENDPOINT_URL_STS"), config=config)
            creds = sts.assume_role(RoleArn=str(location["roleARN"]), RoleSessionName="argoctl")["Credentials"]
        except Exception as err:
            raise self._error(f"failed to assume role {location['roleARN']}", location, err) from None
        self._redactor.remember([creds["SecretAccessKey"], creds["SessionToken"]])
        return boto3.session.Session(
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"], region_name=session.region_name)

    def _verify(self, location: JSON) -> bool | str:
        if not location.get("caSecret"):
            return True
        bundle = self._redactor.get(location["caSecret"], what="s3 CA certificate")
        if self._ca_dir is None:
            self._ca_dir = tempfile.TemporaryDirectory(prefix="argoctl-ca-")
        path = Path(self._ca_dir.name) / f"ca-{abs(hash(bundle))}.pem"
        path.write_text(bundle)
        return str(path)


def _bucket_key(location: JSON) -> tuple[str, str]:
    bucket, key = str(location.get("bucket") or ""), str(location.get("key") or "")
    if not bucket or not key:
        raise ArtifactError(f"s3 location needs a bucket and a key (bucket={bucket!r}, key={key!r})")
    if (location.get("encryptionOptions") or {}).get("serverSideCustomerKeySecret"):
        raise NotSupportedError("s3 encryptionOptions.serverSideCustomerKeySecret (SSE-C) is not supported")
    return bucket, key


def _dir_prefix(key: str) -> str:
    return key.rstrip("/") + "/"


def _endpoint_url(location: JSON) -> str | None:
    endpoint = str(location.get("endpoint") or "")
    if not endpoint:
        return None
    if "://" in endpoint:
        return endpoint
    return ("http://" if location.get("insecure") else "https://") + endpoint


def _addressing(location: JSON) -> str:
    style = str(location.get("addressingStyle") or "").lower()
    if style in ("path", "virtual"):
        return style
    endpoint = str(location.get("endpoint") or "")
    return "virtual" if not endpoint or endpoint.endswith("amazonaws.com") else "path"


def _encryption_args(location: JSON) -> dict[str, str]:
    enc = location.get("encryptionOptions") or {}
    if not enc.get("enableEncryption"):
        return {}
    if enc.get("kmsKeyId"):
        return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": str(enc["kmsKeyId"])}
    return {"ServerSideEncryption": "AES256"}


def _files_under(root: Path) -> Iterator[tuple[Path, str]]:
    for dirpath, _dirs, files in os.walk(root):
        for name in sorted(files):
            path = Path(dirpath) / name
            if not path.is_symlink():  # S3 has no symlinks (Argo skips them too)
                yield path, path.relative_to(root).as_posix()
