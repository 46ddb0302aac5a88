"""Parsing: manifest files (YAML or JSON, multi-document, ``-`` for stdin) → ``Document``s,
and plain values → YAML/JSON text.

A ``Document`` keeps the user's object exactly (plain dicts and lists, unknown fields kept so
they round-trip) plus the line of every field, so later layers can report
``FILE:LINE: path: message``. YAML is read with ``yaml.SafeLoader`` node events only.

May import: the standard library, ``yaml``, ``argoctl.errors``. Called by validation, the
stores (``apply``), the runtime and the CLI (``submit``, ``lint``, ``apply``, ``-o yaml|json``).
"""

from argoctl.parse.document import Document, FieldPath, format_path, get_field
from argoctl.parse.dump import dump_json, dump_yaml
from argoctl.parse.loader import (
    API_VERSION,
    ARGO_KINDS,
    STDIN_NAME,
    load_documents,
    parse_documents,
    parse_documents_raw,
    read_text,
)
from argoctl.parse.params import parameter_text, parse_parameter_file, split_parameter

__all__ = [
    "API_VERSION",
    "ARGO_KINDS",
    "STDIN_NAME",
    "Document",
    "FieldPath",
    "dump_json",
    "dump_yaml",
    "format_path",
    "get_field",
    "load_documents",
    "parameter_text",
    "parse_documents",
    "parse_documents_raw",
    "parse_parameter_file",
    "read_text",
    "split_parameter",
]
