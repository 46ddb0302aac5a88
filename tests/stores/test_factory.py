"""``open_store`` and ``default_home``: which store a URL names, and where the local store lives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from argoctl.errors import ExitCode, UsageError
from argoctl.stores.factory import default_home, open_store
from argoctl.stores.local import LocalStore
from argoctl.stores.objectstore import ObjectStore, S3Config

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"ARGOCTL_HOME": "/srv/argoctl", "XDG_DATA_HOME": "/x", "HOME": "/home/u"}, "/srv/argoctl"),
        ({"XDG_DATA_HOME": "/data", "HOME": "/home/u"}, "/data/argoctl"),
        ({"XDG_DATA_HOME": "relative/ignored", "HOME": "/home/u"}, "/home/u/.local/share/argoctl"),
        ({"ARGOCTL_HOME": "", "HOME": "/home/u"}, "/home/u/.local/share/argoctl"),
    ],
)
def test_default_home(environ: dict[str, str], expected: str) -> None:
    assert default_home(environ) == Path(expected)


def test_none_opens_the_local_store_at_the_default_home(tmp_path: Path) -> None:
    store = open_store(None, namespace="ns1", environ={"ARGOCTL_HOME": str(tmp_path)})
    assert isinstance(store, LocalStore)
    assert (store.home, store.namespace) == (tmp_path, "ns1")


def test_file_url_opens_a_local_store(tmp_path: Path) -> None:
    store = open_store(f"file://{tmp_path}/a%20dir", namespace="default")
    assert isinstance(store, LocalStore) and store.home == tmp_path / "a dir"
    assert isinstance(open_store(f"file://localhost{tmp_path}", namespace="default"), LocalStore)


def test_s3_url_opens_an_object_store_with_explicit_settings() -> None:
    store = open_store("s3://bucket/prefix?region=eu-west-1", namespace="ns", s3=S3Config(endpoint_url="http://e:1"))
    assert isinstance(store, ObjectStore)
    assert store.namespace == "ns"
    assert (store.config.endpoint_url, store.config.region) == ("http://e:1", "eu-west-1")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("configmap://argo", "takes no host or path"),
        ("file://relative/dir", "not a local store URL"),
        ("gs://bucket", "gs:// stores are not supported"),
        ("ftp://host/x", "unknown store"),
        ("/plain/path", "unknown store"),
    ],
)
def test_other_urls_are_usage_errors(url: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        open_store(url, namespace="default")
    assert reason in caught.value.message
    assert caught.value.exit_code == ExitCode.USAGE
    assert caught.value.hint


def test_opening_stores_imports_neither_boto3_nor_kubernetes(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from argoctl.stores.factory import open_store\n"
        f"open_store('file://{tmp_path}', namespace='default').list_workflows()\n"
        "open_store('s3://bucket/p', namespace='default')\n"
        "print(sorted(m for m in ('boto3', 'botocore', 'kubernetes') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    assert out.stdout.strip() == "[]"
