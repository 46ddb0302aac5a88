"""A loopback Kubernetes cluster for tests: a fake API server over HTTP on 127.0.0.1 and a fake
kubelet that runs each pod's containers as local processes.

Layers (each imports only those above it in this list):
  errors, meta, resources, selectors, patching   plain helpers, no I/O
  store                                          objects, resourceVersion, event history, watchers
  admission, validation                          defaults and checks of the real API server
  service                                        Kubernetes semantics on the store (GC, preconditions)
  kubelet/                                       runs pods: images, env, volumes, sandbox, processes
  routing, faults, watch, tables, endpoints      the HTTP API's meaning
  tls, server                                    the HTTP/1.1 transport (http.server; HTTPS for pods)
  cluster, kubeconfig, fixtures, __main__        composition, pytest fixture, standalone entry
  helpers                                        builders and `kubernetes` client shortcuts for tests

Only the standard library and ``kubernetes-validate`` (with its jsonschema/referencing) are
imported; pytest in fixtures.py, and the `kubernetes` client lazily in helpers.py.
Callers: tests (through the ``fake_cluster`` fixture or ``FakeCluster``), and anyone running
``python -m tests.fakecluster --kubeconfig PATH``.
"""

from tests.fakecluster.cluster import FakeCluster

__all__ = ["FakeCluster"]
