"""Benchmarks: one script per measure, each runnable with one command and printing its figures as
ratios against a baseline measured in the same run (see benchmarks/README.md).

May import ``argoctl`` and, for loopback servers, ``tests`` fixtures. Called by people and CI by
hand, and by the smoke tests in ``tests/benchmarks`` and ``tests/artifacts`` (quick modes only).
"""
