"""Smoke tests: each benchmark runs in its quick mode and prints its figures (no timing asserted)."""
