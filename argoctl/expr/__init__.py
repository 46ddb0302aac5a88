"""The expression languages: ``{{...}}`` substitution, ``when`` (govaluate), ``{{= }}`` (expr-lang
with Argo's extras and sprig), and ``depends``.

Pure: imports only the standard library and ``argoctl.errors``. Called by the engine, validation and
the backends. Nothing here uses Python's ``eval``/``exec``/``compile``: the three languages have
hand-written parsers (govaluate's own token-state lexer and planner; a precedence-climbing parser for
expr-lang, which measured 2.5x faster than a lark LALR grammar for the same expressions), compiled
once per text (``functools.lru_cache``) into trees of closures.

Public API (the engine relies on these names and signatures):

``substitute(text, variables, *, strict_prefixes=(), json_escape=False) -> str``
    Replace ``{{name}}`` and ``{{= expr }}`` tags in ``text``. ``variables`` is Argo's flat map
    (``"workflow.name" -> "wf-1"``, ``"steps.a.outputs.result" -> "x"``); values are ``str``, or
    ``None`` for an absent optional output, or dicts for artifacts. Simple tags missing from the
    map are left verbatim unless they start with one of ``strict_prefixes`` (then
    ``ExpressionError("failed to resolve {{tag}}")``); ``strict_prefixes=("",)`` makes every tag
    strict (Argo's ``allowUnresolved=false``). Expression tags are evaluated with expr-lang over
    ``variables`` expanded into nested maps; a tag whose identifiers are not (yet) defined, or that
    needs a late-bound variable (``item``, ``retries``, ``lastRetry.*``, ``workflow.status``,
    ``workflow.failures``), is left verbatim for a later pass; with no strict prefix any failing or
    nil expression is left verbatim too, as Argo does (a syntax error always fails). With
    ``json_escape`` the replacement is escaped for insertion inside a JSON string and the expression
    text is JSON-unescaped first (what Argo does when it substitutes a serialized template). One
    pass: a substituted value is never scanned again.

``substitute_object(obj, variables, *, strict_prefixes=()) -> obj``
    ``json.dumps`` the object, substitute with ``json_escape=True``, ``json.loads`` it back (the same
    object is returned when nothing changed).

``evaluate_when(text) -> bool``
    govaluate semantics on the already substituted ``when`` text ("" is true). Text still holding a
    tag (``{{item}}``) fails with "Invalid token: '{{'": Argo then defers the ``when`` to each loop
    item when the step/task expands, and fails the node otherwise.

``evaluate(expression, env) -> Any`` and ``evaluate_bool(expression, env) -> bool``
    expr-lang (v1.17) with Argo's function map; ``env`` is the flat variable map (expanded here).
    An optional keyword ``language=`` names the site in errors (default ``{{= }}``).

``evaluate_depends(expression, results) -> bool``, ``depends_task_names(expression) -> list[str]``
    Enhanced depends; ``results`` maps a task name to ``{"Succeeded": bool, "Failed": bool,
    "Errored": bool, "Skipped": bool, "Omitted": bool, "Daemoned": bool, "AnySucceeded": bool,
    "AllFailed": bool}``. ``evaluate_depends`` expands a bare ``task`` to
    ``(task.Succeeded || task.Skipped || task.Daemoned)``; for a task with ``continueOn`` call
    ``expand_depends(expression, {"task": {"error": bool, "failed": bool}})`` first (the expanded text
    evaluates the same way). ``validate_depends(expression)`` rejects unknown results.

Helpers: ``parse_with_param(text) -> list`` (a ``withParam`` value; ``ExpressionError`` "withParam value
could not be parsed as a JSON list: <first 200 chars>"), ``expand_sequence(*, start=None, end=None,
count=None, format="") -> list[str]`` (``withSequence`` items, Go ``Sprintf`` formatting), ``is_missing_variable(err) -> bool`` (Argo's
``IsMissingVariableErr``: the step/task must be requeued, not failed), ``build_env(flat)`` (the expanded
environment), ``json_escape(text)``; the text of Go-formatted globals:
``creation_timestamp_variables(datetime) -> dict`` (``workflow.creationTimestamp[.RFC3339|.s|.<strftime char>]``),
``failures_variable(list_of_failed_nodes) -> str`` (``workflow.failures``, Go-quoted JSON, ``"null"`` when
empty) and ``duration_variable(seconds) -> str`` (``workflow.duration``).

Time and randomness: ``now()``, sprig's ``now``/``ago``/``rand*``/``shuffle``/``uuidv4``/``randBytes``
read the ``Sources`` the caller installed with ``argoctl.expr.sources.using(...)`` (the engine's
step does; ``argoctl.sources.using_system()`` for the real ones); with none installed they fail.

Errors: every failure is ``argoctl.errors.ExpressionError`` with ``language`` (``when``, ``{{= }}``,
``depends``, ``withParam``), ``expression``, ``position`` (when known) and a ``hint`` for the known traps.
The first line of the message is Argo's own text (what a node message shows); when a position is known,
the following lines repeat the expression with a caret under the position.

Layout: ``substitute`` (tags), ``when`` + ``govaluate/`` (``when``), ``exprlang/`` (expr-lang lexer,
parser, closure compiler, runtime, builtins), ``functions`` (the one function registry: expr builtins,
``asInt``/``asFloat``/``toJson``/``jsonpath``, ``sprig/``), ``env`` (expansion), ``depends``,
``gofmt``/``gojson``/``gotime`` (Go value formats), ``diagnostics`` (errors and hints).
"""

from __future__ import annotations

from argoctl.errors import ArgoctlError

# bound here at once: these modules share their names with a function of theirs, and importing a
# submodule binds its name on the package (so a lazy binding could be the module, not the function)
from argoctl.expr.evaluate import evaluate, evaluate_bool
from argoctl.expr.substitute import parse_with_param, substitute, substitute_object

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: typing need not be imported here
if TYPE_CHECKING:
    from argoctl.expr.depends import depends_task_names, evaluate_depends, expand_depends, validate_depends
    from argoctl.expr.env import build_env
    from argoctl.expr.gofmt import json_escape
    from argoctl.expr.sequence import expand_sequence
    from argoctl.expr.variables import creation_timestamp_variables, duration_variable, failures_variable
    from argoctl.expr.when import evaluate_when

# the other names: their module is imported when one of them is first used, so a workflow without
# ``when``, ``depends``, loops or ``{{= }}`` never loads those languages and tables (start-up time);
# ``evaluate`` and ``substitute`` load expr-lang and the function tables at their first expression
_HOMES = {
    "depends_task_names": "depends", "evaluate_depends": "depends", "expand_depends": "depends",
    "validate_depends": "depends", "build_env": "env", "json_escape": "gofmt", "expand_sequence": "sequence",
    "evaluate_when": "when", "creation_timestamp_variables": "variables", "duration_variable": "variables",
    "failures_variable": "variables",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "build_env",
    "creation_timestamp_variables",
    "depends_task_names",
    "duration_variable",
    "evaluate",
    "evaluate_bool",
    "evaluate_depends",
    "evaluate_when",
    "expand_depends",
    "expand_sequence",
    "failures_variable",
    "is_missing_variable",
    "json_escape",
    "parse_with_param",
    "substitute",
    "substitute_object",
    "validate_depends",
]


def is_missing_variable(error: BaseException) -> bool:
    """Whether ``error`` means "a variable is not available yet" (requeue) rather than a failure."""
    message = error.message if isinstance(error, ArgoctlError) else str(error)
    return "failed to resolve {{" in message or " is missing" in message or "variable not in env" in message
