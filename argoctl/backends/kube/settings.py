"""Settings of the Kubernetes backend: environment first, then the ``kubernetes:`` section of the
config file (``argoctl.config.config_path()``)::

    kubernetes:
      helperImage: busybox:1.37-musl   # ARGOCTL_HELPER_IMAGE; any image with a static /bin/busybox
      imagePullGrace: 60               # ARGOCTL_IMAGE_PULL_GRACE; seconds before a pull failure is an Error
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from argoctl.backends.kube.podspec import DEFAULT_HELPER_IMAGE
from argoctl.errors import UsageError

HELPER_IMAGE_ENV = "ARGOCTL_HELPER_IMAGE"
PULL_GRACE_ENV = "ARGOCTL_IMAGE_PULL_GRACE"
DEFAULT_PULL_GRACE = 60.0


@dataclass(frozen=True, slots=True)
class KubeSettings:
    helper_image: str = DEFAULT_HELPER_IMAGE
    image_pull_grace: float = DEFAULT_PULL_GRACE


def _section(environ: Mapping[str, str]) -> Mapping[str, Any]:
    import yaml

    from argoctl.config import config_path

    path = config_path(environ)
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, yaml.YAMLError) as err:
        raise UsageError(f"{path}: cannot read the config file: {err}") from err
    section = loaded.get("kubernetes") if isinstance(loaded, dict) else None
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise UsageError(f"{path}: kubernetes: expected a mapping")
    return section


def _grace(value: Any, where: str) -> float:
    try:
        grace = float(value)
    except (TypeError, ValueError) as err:
        raise UsageError(f"{where}: expected a number of seconds, got {value!r}") from err
    if grace < 0:
        raise UsageError(f"{where}: must not be negative")
    return grace


def load_settings(environ: Mapping[str, str] | None = None) -> KubeSettings:
    env = os.environ if environ is None else environ
    section = _section(env)
    image = env.get(HELPER_IMAGE_ENV) or section.get("helperImage") or DEFAULT_HELPER_IMAGE
    if env.get(PULL_GRACE_ENV):
        grace = _grace(env[PULL_GRACE_ENV], PULL_GRACE_ENV)
    elif section.get("imagePullGrace") is not None:
        grace = _grace(section["imagePullGrace"], "kubernetes.imagePullGrace")
    else:
        grace = DEFAULT_PULL_GRACE
    return KubeSettings(helper_image=str(image), image_pull_grace=grace)
