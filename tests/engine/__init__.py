"""Engine behaviour tables: manifests + scripted pod outcomes + commands -> nodes, phases, actions.

Tests only: imports ``argoctl.engine``, ``argoctl.model`` and ``argoctl.backends.outputs`` (the
shared output-collection rules). Driven by ``harness.drive``, a virtual-clock loop over
``argoctl.engine.reconcile.step``; no processes, threads or sleeping.
"""
