"""The pure engine: ``step(state, events, now=...) -> (state, actions)``.

No I/O, no clock reads, no randomness: the time is ``now`` and expression functions draw from
``EngineEnv.random`` (installed for the step through ``argoctl.expr.sources``). Imports ``argoctl.model``, ``argoctl.expr``,
``argoctl.errors`` and the standard library only. Called by ``argoctl.runtime``.
"""
