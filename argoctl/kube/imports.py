"""Import parts of the ``kubernetes`` package without running its ``__init__``.

``kubernetes/__init__.py`` imports every subpackage (config loaders, dynamic client, stream,
watch, informer, ...): about 230 ms. argoctl needs the client ``Configuration``, the REST
transport and the kubeconfig loader only. When nothing has imported ``kubernetes`` yet, the
package is registered as a lazy module whose attributes import the matching submodule on first
use (``kubernetes.watch`` still works for anyone who needs it later in the same process).
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType

from argoctl.errors import ClusterError

_LOCK = threading.Lock()


def kubernetes_module(submodule: str) -> ModuleType:
    """``kubernetes.<submodule>``, imported without the package's eager ``__init__``."""
    with _LOCK:
        if "kubernetes" not in sys.modules:
            _register_lazy_package()
    return importlib.import_module(f"kubernetes.{submodule}")


def _register_lazy_package() -> None:
    spec = importlib.util.find_spec("kubernetes")
    if spec is None or spec.submodule_search_locations is None:
        raise ClusterError("the kubernetes Python package is not installed",
                           hint="pip install kubernetes (argoctl's own dependency)")
    package = importlib.util.module_from_spec(spec)

    def attribute(name: str) -> object:
        if name.startswith("__") and name != "__version__":
            raise AttributeError(name)
        if name == "__version__":
            return importlib.import_module("kubernetes.client").__version__
        try:
            return importlib.import_module(f"kubernetes.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module 'kubernetes' has no attribute {name!r}") from None

    package.__getattr__ = attribute  # type: ignore[method-assign]  # PEP 562 module __getattr__
    sys.modules["kubernetes"] = package
