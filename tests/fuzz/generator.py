"""Malformed manifests for the fuzz suite: seeded mutations of real Workflows.

Seeds are the Workflow documents of the conformance corpus (when it is beside the repository)
and the project's own examples (the seed pipeline). Each case applies one to three mutations:
wrong types, removed and extra (misspelt) fields, deep nesting, huge counts, bad expressions,
broken metadata, and raw-text damage (cut, duplicated keys, tabs, aliases). The same seed number
always gives the same case.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "conformance" / "cases"
JSON = dict[str, Any]

WRONG_VALUES: list[Any] = [
    None, "", "x", "{{", "{{steps.", "{{tasks.a}}", "{{=", 0, -1, 2**70, 1.5, float("inf"), True, [], {}, [None],
    {"a": None}, ["x"], [[]], [{}], {"name": None}, {"name": {"a": 1}}, "a" * 300, "\u00e9\u0000x",
]
BAD_EXPRESSIONS = [
    "{{", "{{}}", "{{=}}", "{{= 1 +}}", "{{=jsonpath(}}", "{{=sprig.nope()}}", "{{steps..x}}", "{{=[[[}}",
    "{{inputs.parameters.}}", "((a", "a &&", "!", "a.Succeded", "{{=" + "(" * 300 + "1" + ")" * 300 + "}}",
    "(" * 400 + "a" + ")" * 400, "1 ==", "'unterminated", "{{workflow.parameters.nope}}",
]
DEEP = "DEEP-NESTING-"
EXPRESSION_FIELDS = ("when", "depends", "value", "template", "withParam", "args", "command", "source")


@dataclass(frozen=True)
class Case:
    seed: int
    origin: str
    mutations: tuple[str, ...]
    text: str  # the manifest file content


def seed_documents() -> list[tuple[str, JSON]]:
    """``(origin, Workflow object)`` for every seed manifest."""
    paths = sorted((REPO / "examples").glob("*.yaml"))
    if CORPUS.is_dir():
        paths += sorted(p for p in CORPUS.glob("*/*.yaml"))
    seeds: list[tuple[str, JSON]] = []
    for path in paths:
        try:
            documents = list(yaml.safe_load_all(path.read_text()))
        except yaml.YAMLError:
            continue
        for document in documents:
            if isinstance(document, dict) and document.get("kind") == "Workflow":
                seeds.append((str(path.relative_to(path.parents[1])), document))
    return seeds


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _parent(obj: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        obj = obj[key]
    return obj


def _pick(rng: random.Random, obj: JSON, *, containers: bool = False) -> tuple[Any, ...] | None:
    paths = [p for p in _paths(obj)[1:] if not containers or isinstance(_parent(obj, p)[p[-1]], dict | list)]
    return rng.choice(paths) if paths else None


def wrong_type(rng: random.Random, obj: JSON) -> str:
    path = _pick(rng, obj)
    if path is None:
        return "none"
    _parent(obj, path)[path[-1]] = copy.deepcopy(rng.choice(WRONG_VALUES))
    return f"wrong-type {path}"


def remove_field(rng: random.Random, obj: JSON) -> str:
    path = _pick(rng, obj)
    if path is None:
        return "none"
    parent = _parent(obj, path)
    del parent[path[-1]]
    return f"remove {path}"


def extra_field(rng: random.Random, obj: JSON) -> str:
    dicts = [p for p in _paths(obj) if isinstance(_parent(obj, p)[p[-1]] if p else obj, dict)]
    path = rng.choice(dicts)
    target = _parent(obj, path)[path[-1]] if path else obj
    keys = list(target) or ["field"]
    key = rng.choice(keys)
    typo = key[:-1] if len(key) > 2 and rng.random() < 0.5 else key + rng.choice("sxz")
    target[typo] = copy.deepcopy(rng.choice(WRONG_VALUES))
    return f"extra {path}+{typo}"


def deep_nesting(rng: random.Random, obj: JSON) -> str:
    path = _pick(rng, obj)
    if path is None:
        return "none"
    depth = rng.choice([50, 300, 2000])
    shape = rng.choice(["list", "map"])
    _parent(obj, path)[path[-1]] = f"{DEEP}{depth}-{shape}"  # written out as flow YAML by make_case
    return f"deep {path} x{depth}"


def huge_count(rng: random.Random, obj: JSON) -> str:
    templates = obj.get("spec", {}).get("templates") if isinstance(obj.get("spec"), dict) else None
    holders = [t for t in templates if isinstance(t, dict)] if isinstance(templates, list) else []
    choice = rng.randrange(4)
    if choice == 0 and holders:
        holder = rng.choice(holders)
        holder["steps"] = [[{"name": "many", "template": str(holder.get("name")),
                             "withSequence": {"count": str(rng.choice([10**8, 10**12, 51, 5000]))}}]]
        holder.pop("dag", None)
        holder.pop("container", None)
        holder.pop("script", None)
        return "huge withSequence"
    if choice == 1 and holders:
        holder = rng.choice(holders)
        holder["steps"] = [[{"name": "many", "template": str(holder.get("name")),
                             "withItems": list(range(rng.choice([51, 2000])))}]]
        for key in ("dag", "container", "script"):
            holder.pop(key, None)
        return "huge withItems"
    if choice == 2:
        spec = obj.setdefault("spec", {}) if isinstance(obj.get("spec", {}), dict) else {}
        spec["arguments"] = {"parameters": [{"name": f"p{i}", "value": "v"} for i in range(rng.choice([300, 1500]))]}
        return "many parameters"
    if isinstance(obj.get("spec"), dict):
        obj["spec"]["templates"] = [copy.deepcopy(holders[0]) if holders else {"name": "t"} for _ in range(100)]
    return "many duplicate templates"


def bad_expression(rng: random.Random, obj: JSON) -> str:
    candidates = [p for p in _paths(obj)[1:] if isinstance(p[-1], str) and p[-1] in EXPRESSION_FIELDS]
    if not candidates:
        candidates = [p for p in _paths(obj)[1:] if isinstance(_parent(obj, p)[p[-1]], str)]
    if not candidates:
        return "none"
    path = rng.choice(candidates)
    _parent(obj, path)[path[-1]] = rng.choice(BAD_EXPRESSIONS)
    return f"expression {path}"


def broken_metadata(rng: random.Random, obj: JSON) -> str:
    choice = rng.randrange(6)
    if choice == 0:
        obj["metadata"] = rng.choice(["a-string", ["a", "list"], 7, None])
    elif choice == 1:
        obj["metadata"] = {}
    elif choice == 2:
        obj["metadata"] = {"name": rng.choice(["x" * 64, "Upper-Case", "bad_name", "-dash", 12])}
    elif choice == 3:
        obj["metadata"] = {"generateName": "ok-", "labels": rng.choice([{"a": 1}, ["x"], "s", {"a": None}])}
    elif choice == 4:
        obj["spec"] = rng.choice(["string", [], None, 3])
    else:
        obj.pop("spec", None)
    return f"metadata#{choice}"


MUTATIONS: list[Callable[[random.Random, JSON], str]] = [
    wrong_type, wrong_type, remove_field, extra_field, deep_nesting, huge_count, bad_expression, bad_expression,
    broken_metadata,
]


def _text_damage(rng: random.Random, text: str, obj: JSON) -> tuple[str, str]:
    choice = rng.randrange(6)
    if choice == 0:
        return text[: rng.randrange(len(text) + 1)], "cut"
    if choice == 1:
        lines = text.splitlines()
        index = rng.randrange(len(lines)) if lines else 0
        return "\n".join([*lines[: index + 1], *lines[index:]]), "duplicate line"
    if choice == 2:
        return text.replace("  ", "\t", 1), "tab"
    if choice == 3:
        return text + "\n---\n" + rng.choice(["[1, 2", "x: &a [*a]", "- - - -", "{{", "!!python/object:os.system x"]), \
            "bad second document"
    if choice == 4:
        return json.dumps(obj, default=str)[: -rng.randrange(1, 4)], "cut json"
    return "\t" + text, "leading tab"


def _deep_flow(match: re.Match[str]) -> str:
    depth = int(match.group(1))
    if match.group(2) == "list":
        return "[" * depth + "x" + "]" * depth
    return "{a: " * depth + "x" + "}" * depth


def _mutate(rng: random.Random, obj: JSON) -> str:
    """One mutation; one that does not fit what earlier mutations left is skipped (a generator
    limit, not a finding)."""
    mutation = rng.choice(MUTATIONS)
    try:
        return mutation(rng, obj)
    except (TypeError, KeyError, IndexError, AttributeError):
        return f"skipped {mutation.__name__}"


def make_case(seed: int, seeds: list[tuple[str, JSON]]) -> Case:
    rng = random.Random(seed)
    origin, original = seeds[rng.randrange(len(seeds))]
    obj = copy.deepcopy(original)
    applied = [_mutate(rng, obj) for _ in range(rng.randint(1, 3))]
    text = yaml.safe_dump(obj, sort_keys=False, width=200, allow_unicode=True)
    text = re.sub(DEEP + r"(\d+)-(list|map)", _deep_flow, text)
    if rng.random() < 0.1:
        text, damage = _text_damage(rng, text, obj)
        applied.append(damage)
    return Case(seed, origin, tuple(applied), text)
