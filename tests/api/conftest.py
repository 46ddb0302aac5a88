"""The API tests use the plugin users enable (``argoctl.testing``): its fixture, re-exported."""

from argoctl.testing import argoctl_client  # noqa: F401  (the fixture under test)
