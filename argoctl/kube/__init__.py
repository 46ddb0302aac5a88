"""Kubernetes API access: kubeconfig loading, a raw-JSON REST client, RBAC data and preflight.

The only package that imports ``kubernetes``, and only lazily inside functions (through
``argoctl.kube.imports``), so ``argoctl --help`` and local-backend commands never pay for it; nor
do ``list`` and ``get`` when the kubeconfig holds a token or client certificate
(``plainconfig``, ``fasthttp``, ``http11``: GETs over the standard library's sockets).
Responses are plain JSON dicts, never the generated model classes (slow to import and to
deserialize). May import ``argoctl.errors`` and the standard library; called by
``argoctl.stores.configmap``, ``argoctl.backends.kube`` and the CLI (``App.kube_client()``).
"""
