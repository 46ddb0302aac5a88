"""Global options: accepted before or after the verb, listed in every command's help under
"Global options" (held against argo's inherited options), validated before anything runs, and the
argo-server-only ones refused with the reason."""

from __future__ import annotations

import re

import pytest

from argoctl.cli import helptext
from tests.cli.conftest import MANIFESTS, Cli

# argo v4, docs/cli/argo_*.md, "Options inherited from parent commands" (the same for every verb)
ARGO_INHERITED = (
    "--argo-base-href", "--argo-http1", "-s/--argo-server", "--as", "--as-group", "--as-uid",
    "--certificate-authority", "--client-certificate", "--client-key", "--cluster", "--context",
    "--disable-compression", "--gloglevel", "-H/--header", "--insecure-skip-tls-verify",
    "-k/--insecure-skip-verify", "--instanceid", "--kubeconfig", "--log-format", "--loglevel",
    "-n/--namespace", "--password", "--proxy-url", "--request-timeout", "-e/--secure", "--server",
    "--tls-server-name", "--token", "--user", "--username", "-v/--verbose",
)
# only argo-server (or its controller) has a use for these: argoctl refuses them, saying why
ARGO_SERVER_ONLY = ("--argo-base-href", "--argo-http1", "-s/--argo-server", "-H/--header",
                    "-k/--insecure-skip-verify", "-e/--secure", "--instanceid", "--gloglevel")
# argoctl's own, on every verb as well
ARGOCTL_GLOBALS = ("--qps", "--burst", "--backend", "--store", "--no-color")
EXPECTED = tuple(o for o in ARGO_INHERITED if o not in ARGO_SERVER_ONLY) + ARGOCTL_GLOBALS


def _global_section(text: str) -> set[str]:
    """The option names listed under "Global options:" in a help text."""
    _, found, rest = text.partition("\nGlobal options:\n")
    assert found, "no Global options section"
    names: set[str] = set()
    for line in rest.splitlines():
        if line and not line.startswith(" "):
            break
        names.update(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", line.split("  ")[1] if line.startswith("  ") else ""))
    return names


@pytest.mark.parametrize("path", sorted(helptext.HELP), ids=lambda p: " ".join(p) or "argoctl")
def test_every_help_lists_argos_inherited_options(path: tuple[str, ...]) -> None:
    listed = _global_section(helptext.HELP[path])
    own = set(re.findall(r"(?<![\w-])(--?[a-z][\w-]*)", helptext.HELP[path].partition("\nGlobal options:\n")[0]))
    missing = [o for o in EXPECTED if not (set(o.split("/")) & (listed | own))]
    assert not missing, f"argoctl {' '.join(path)} --help lacks {missing}"
    refused = [o for o in ARGO_SERVER_ONLY if set(o.split("/")) & listed]
    assert not refused, refused


def test_the_typer_rendered_help_has_the_section_too(cli: Cli) -> None:
    narrow = cli("get", "--help", env={"COLUMNS": "60"})  # too narrow for the help cache
    assert narrow.returncode == 0 and "Global options:" in narrow.stdout and "--kubeconfig" in narrow.stdout


@pytest.mark.parametrize("flag", ARGO_SERVER_ONLY)
def test_argo_server_flags_are_refused_with_the_reason(cli: Cli, flag: str) -> None:
    name = flag.split("/")[-1]
    takes_value = name not in ("--argo-http1", "--insecure-skip-verify", "--secure")
    result = cli("list", name, *(["x"] if takes_value else []))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"error: {name}: argoctl talks to no Argo Server"), result.stderr


def test_options_after_the_verb_win_like_kubectl(cli: Cli) -> None:
    cli.ok("submit", str(MANIFESTS / "steps.yaml"), "--wait", "-n", "team", "--name", "placed")
    assert cli.ok("list", "-n", "team", "-o", "name").split() == ["placed"]
    assert cli.ok("-n", "elsewhere", "list", "-o", "name", "--namespace", "team").split() == ["placed"]
    assert "placed" not in cli.ok("list", "-o", "name")  # the default namespace
    assert "placed" in cli.ok("get", "placed", "--no-color", "-n", "team")
    assert cli.ok("get", "placed", "-o", "name", env={"ARGOCTL_NAMESPACE": "team"}).strip() == "placed"


@pytest.mark.parametrize(("args", "env", "message"), [
    (("submit", "WF"), {"ARGOCTL_BACKEND": "k8s"}, "error: unknown backend 'k8s' (from ARGOCTL_BACKEND)"),
    (("submit", "WF", "--backend", "docker-ish"), {}, "error: unknown backend 'docker-ish' (from --backend)"),
    (("submit", "WF", "--store", "ftp://host/x"), {}, "error: unknown store 'ftp://host/x'"),
    (("submit", "WF"), {"ARGOCTL_STORE": "gs://bucket"}, "error: gs:// stores are not supported"),
    (("submit", "WF", "--request-timeout", "ten"), {}, "error: invalid --request-timeout 'ten'"),
    (("submit", "WF", "--loglevel", "loud"), {}, "error: invalid --loglevel 'loud'"),
    (("submit", "WF", "--as-uid", "7"), {}, "error: --as-group and --as-uid need --as"),
    (("--qps", "-1", "submit", "WF"), {}, "error: --qps must be 0 (no limit) or more and --burst at least 1"),
    (("submit", "WF", "--burst", "0"), {}, "error: --qps must be 0 (no limit) or more and --burst at least 1"),
])
def test_bad_settings_stop_the_command_before_it_runs(cli: Cli, args: tuple[str, ...], env: dict[str, str],
                                                      message: str) -> None:
    argv = [str(MANIFESTS / "steps.yaml") if a == "WF" else a for a in args]
    result = cli(*argv, env=env)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.splitlines()[0] == message or result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
    assert "steps-" not in cli.ok("list", "-o", "name")  # nothing was submitted
