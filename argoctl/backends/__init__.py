"""Backends turn the engine's ``RunPod``/``KillPod`` actions into work and report ``PodUpdate``s.

``base`` holds the small protocol every backend implements; ``local`` runs pods as local
processes; ``docker`` runs them as containers on a Docker Engine API (the only importer of
``docker``, lazily); ``kube`` creates real Pods (the only backend that imports ``kubernetes``, lazily).
May import ``argoctl.model``, ``argoctl.errors``, ``argoctl.expr`` (for output collection).
Called by ``argoctl.runtime``.
"""
