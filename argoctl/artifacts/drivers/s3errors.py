"""boto3/botocore exceptions turned into short, credential-free reasons.

botocore is only looked at through class names and error codes, so importing this module does
not import boto3.
"""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]
_MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound", "NoSuchBucket"})
_CONNECT_ERRORS = frozenset({
    "EndpointConnectionError", "ConnectTimeoutError", "ConnectionClosedError", "ReadTimeoutError",
    "ProxyConnectionError", "SSLError", "ConnectionError",
})


def error_code(err: BaseException) -> str:
    response = getattr(err, "response", None)
    if isinstance(response, dict):
        return str((response.get("Error") or {}).get("Code") or "")
    return ""


def is_missing(err: BaseException) -> bool:
    """The key (or, for listings, the bucket) is not there."""
    return error_code(_root(err)) in _MISSING_CODES


def _root(err: BaseException) -> BaseException:
    """boto3 wraps a ClientError in S3UploadFailedError; the wrapped one carries the code."""
    seen = 0
    while not error_code(err) and seen < 5:
        inner = err.__cause__ or err.__context__
        if inner is None:
            break
        err, seen = inner, seen + 1
    return err


def describe_error(err: BaseException, location: JSON) -> tuple[str, bool]:
    """``(reason, not_found)`` for an exception raised by boto3."""
    endpoint = location.get("endpoint") or "the AWS default endpoint"
    if {cls.__name__ for cls in type(err).__mro__} & _CONNECT_ERRORS:
        return f"cannot reach endpoint {endpoint}: {_first_line(err)}", False
    err = _root(err)
    code = error_code(err)
    if code in ("404", "NoSuchKey", "NotFound"):
        return "key not found", True
    if code == "NoSuchBucket":
        return f"bucket {location.get('bucket', '')!r} does not exist", False
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403", "ExpiredToken"):
        return f"access denied by {endpoint} ({code}): check the credentials and the bucket policy", False
    names = {cls.__name__ for cls in type(err).__mro__}
    if "NoCredentialsError" in names or "PartialCredentialsError" in names:
        return ("no S3 credentials: give accessKeySecret/secretKeySecret, or configure the AWS SDK "
                "credential chain (useSDKCreds)"), False
    if names & _CONNECT_ERRORS:
        return f"cannot reach endpoint {endpoint}: {_first_line(err)}", False
    if code:
        message = (getattr(err, "response", {}).get("Error") or {}).get("Message") or ""
        return f"{code}: {message}".rstrip(": "), False
    return _first_line(err), False


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
