"""Stores keep workflow state, archives, applied objects, logs and leases.

``base`` is the protocol; ``local`` keeps everything under ``$ARGOCTL_HOME``; ``configmap``
(Kubernetes) and ``objectstore`` (S3-compatible) implement the same protocol.
May import ``argoctl.model`` and ``argoctl.errors``. Called by ``argoctl.runtime`` and the CLI.
"""
