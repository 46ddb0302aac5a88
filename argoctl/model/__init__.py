"""The typed, immutable model: Argo's names, node identity and phases, the workflow state.

Imports nothing but the standard library and ``argoctl.errors``. Called by every layer above.
Spec objects (templates, steps, tasks) stay the JSON-shaped dicts the user wrote, so unknown
fields round-trip; status objects (``Node``, ``WorkflowState``) are frozen dataclasses whose
``to_wire()`` gives Argo's JSON shape.
"""

INTERNAL_KEY = "x-argoctl"  # argoctl's own bookkeeping in a stored workflow's status and nodes
