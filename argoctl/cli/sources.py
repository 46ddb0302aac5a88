"""A validation ``TemplateSource`` over the store's applied templates (lives in ``argoctl.runtime.sources``)."""

from argoctl.runtime.sources import StoreTemplateSource

__all__ = ["StoreTemplateSource"]
