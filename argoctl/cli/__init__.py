"""The command-line edge: typer wiring (one module per verb), the ``App`` context that owns all
I/O, and the error edge that prints ``error: ...`` once with a documented exit code.

May import every layer. Only this package and ``argoctl.render`` import typer/rich. Heavy
layers (engine, stores, backends, kubernetes) are imported inside the commands that use them, and
a run registers only its verb's command module (``main.modules_for``). ``--help`` and ``version``
are answered by ``fast`` from the generated ``helptext`` without importing typer at all.
"""
