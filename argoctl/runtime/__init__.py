"""The one impure loop: submit, drive (engine step -> persist -> act -> wait), leases, detach.

May import every layer below it (model, parse, expr, validate, engine, backends, stores).
Called by the CLI.
"""
