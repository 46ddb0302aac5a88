"""The pure engine: ``step(state, events, now=...) -> (state, actions)``.

No I/O, no clock reads, no randomness. Imports ``argoctl.model``, ``argoctl.expr``,
``argoctl.errors`` and the standard library only. Called by ``argoctl.runtime``.
"""
