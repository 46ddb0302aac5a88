"""argoctl: run Argo Workflows manifests with no Argo controller.

Layers (each imports only from the layers listed before it):
errors, model -> parse -> expr -> validate -> engine -> backends, stores -> runtime -> render -> cli.
Only ``argoctl.kube`` and ``argoctl.backends.kube`` import ``kubernetes``, lazily.
"""

__version__ = "0.1.0"
