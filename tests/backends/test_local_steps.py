"""Local backend: container and script steps as real processes, in both sandbox modes."""

from __future__ import annotations

from pathlib import Path

from argoctl.backends.images import ImageTable
from argoctl.backends.local.backend import LocalBackend
from argoctl.config import parse_config

from .conftest import run_pod


def test_script_step_result_and_output_parameter(backend: LocalBackend, scratch: str) -> None:
    update = run_pod(backend, {
        "script": {"image": "python:alpine3.23", "command": ["python"],
                   "source": "import sys\nprint('hello')\nprint('noise', file=sys.stderr)\n"
                             "open('out.txt', 'w').write('value\\n\\n')\n",
                   "workingDir": f"{scratch}/w"},
        "outputs": {"parameters": [{"name": "p", "valueFrom": {"path": f"{scratch}/w/out.txt"}}]},
    }, capture_result=True)
    assert update.phase == "Succeeded", update.message
    assert update.outputs is not None
    assert update.outputs["result"] == "hello"  # stdout only, one trailing newline dropped
    assert update.outputs["parameters"] == [
        {"name": "p", "valueFrom": {"path": f"{scratch}/w/out.txt"}, "value": "value\n"}]
    assert update.outputs["exitCode"] == "0"
    logs = backend.read_logs("wf-step")
    assert "hello" in logs and "noise" in logs


def test_script_path_is_appended_to_the_args(backend: LocalBackend) -> None:
    update = run_pod(backend, {"script": {
        "image": "alpine:3.23", "command": ["sh", "-c", 'echo "$1"; . "$1" >/dev/null', "argv0"],
        "source": "echo sourced"}}, capture_result=True)
    assert update.phase == "Succeeded", update.message
    assert update.outputs is not None
    assert update.outputs["result"].endswith("script")


def test_container_args_env_and_working_dir(backend: LocalBackend, scratch: str) -> None:
    update = run_pod(backend, {"container": {
        "image": "busybox", "command": ["sh", "-c"],
        "args": ['echo "$GREETING $(NAME) $ARGO_CONTAINER_NAME $(pwd)"'],
        "env": [{"name": "GREETING", "value": "hi"}, {"name": "NAME", "value": "there"},
                {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
        "workingDir": f"{scratch}/work-dir"}}, capture_result=True)
    assert update.phase == "Succeeded", update.message
    assert update.outputs is not None
    assert update.outputs["result"] == f"hi there main {scratch}/work-dir"


def test_result_not_captured_unless_asked(backend: LocalBackend) -> None:
    update = run_pod(backend, {"container": {"image": "alpine", "command": ["echo", "x"]}})
    assert update.phase == "Succeeded"
    assert update.outputs == {"exitCode": "0"}


def test_failing_step_message_and_exit_code(backend: LocalBackend) -> None:
    update = run_pod(backend, {"container": {"image": "alpine", "command": ["sh", "-c", "echo bad >&2; exit 3"]}})
    assert update.phase == "Failed"
    assert update.message == "main: Error (exit code 3)"
    assert update.outputs == {"exitCode": "3"}
    assert "bad" in backend.read_logs("wf-step")
    pod_dir = backend.run_dir / "wf-step"
    assert (pod_dir / "main.exitcode").read_text() == "3\n"
    assert (pod_dir / "main.stderr").read_text() == "bad\n"
    assert (pod_dir / "main.stdout").read_text() == ""


def test_missing_output_file_uses_default_or_errors(backend: LocalBackend) -> None:
    update = run_pod(backend, {
        "container": {"image": "alpine", "command": ["true"]},
        "outputs": {"parameters": [{"name": "d", "valueFrom": {"path": "/nonexistent/nope", "default": "dflt"}}]},
    })
    assert update.phase == "Succeeded"
    assert update.outputs is not None
    assert update.outputs["parameters"][0]["value"] == "dflt"
    failed = run_pod(backend, {
        "container": {"image": "alpine", "command": ["true"]},
        "outputs": {"parameters": [{"name": "e", "valueFrom": {"path": "/nonexistent/nope"}}]},
    }, name="other")
    assert failed.phase == "Error"
    assert "/nonexistent/nope" in failed.message


def test_command_not_found_fails_like_a_container_that_cannot_start(backend: LocalBackend) -> None:
    update = run_pod(backend, {"container": {"image": "argoproj/argosay:v2", "command": ["exit", "1"]}})
    assert update.phase == "Failed"
    assert update.message.startswith("main: Error (exit code 127)")
    assert 'exec: "exit": executable file not found in $PATH' in update.message


def test_unknown_image_without_command_names_the_config_key(backend: LocalBackend) -> None:
    update = run_pod(backend, {"container": {"image": "foo/bar:1"}})
    assert update.phase == "Error"
    assert update.message.startswith('image "foo/bar:1" has no command and no entry in the image table; '
                                      'add images."foo/bar:1".command to ')


def test_images_that_must_never_run(backend: LocalBackend) -> None:
    bomb = run_pod(backend, {"container": {"image": "debian:9.5-slim", "command": ["bash", "-c", "true"]}})
    assert bomb.phase == "Error"
    assert "debian:9.5-slim" in bomb.message and "fork bomb" in bomb.message
    pull = run_pod(backend, {"container": {"image": "alpine:doesntexist", "command": ["true"]}}, name="pull")
    assert pull.phase == "Error"
    assert pull.message.startswith("ErrImagePull:")


def test_image_default_entrypoints(backend: LocalBackend) -> None:
    argosay = run_pod(backend, {"container": {"image": "argoproj/argosay:v2", "args": ["echo", "hi there"]}},
                      capture_result=True)
    assert argosay.phase == "Succeeded", argosay.message
    assert argosay.outputs is not None and argosay.outputs["result"] == "hi there"
    cow = run_pod(backend, {"container": {"image": "docker/whalesay:latest", "command": ["cowsay", "moo"]}},
                  name="cow")
    assert cow.phase == "Succeeded", cow.message
    assert "< moo >" in backend.read_logs("wf-cow")
    python = run_pod(backend, {"container": {"image": "python:alpine3.23", "command": ["python", "-c",
                                                                                      "print(6*7)"]}},
                     name="py", capture_result=True)
    assert python.outputs is not None and python.outputs["result"] == "42"


def test_alpine_sh_accepts_ash_extensions(backend: LocalBackend) -> None:
    update = run_pod(backend, {"script": {"image": "alpine:3.23", "command": ["sh"],
                                          "source": 'if [[ -n "$RANDOM" ]]; then echo ok; fi\n'}},
                     capture_result=True)
    assert update.phase == "Succeeded", backend.read_logs("wf-step")
    assert update.outputs is not None and update.outputs["result"] == "ok"


def test_tty_gives_a_terminal_on_stdin(backend: LocalBackend) -> None:
    tty = run_pod(backend, {"script": {"image": "alpine:3.23", "command": ["sh"], "tty": True, "stdin": True,
                                       "source": "[ -t 0 ]"}})
    assert tty.phase == "Succeeded"
    plain = run_pod(backend, {"script": {"image": "alpine:3.23", "command": ["sh"], "source": "[ ! -t 0 ]"}},
                    name="plain")
    assert plain.phase == "Succeeded"


def test_init_container_then_main_then_sidecar_stopped(backend: LocalBackend, scratch: str) -> None:
    update = run_pod(backend, {
        "volumes": [{"name": "shared", "emptyDir": {}}],
        "initContainers": [{"name": "init", "image": "alpine", "command": ["sh", "-c", f"echo from-init > {scratch}/data/f"],
                            "mirrorVolumeMounts": True}],
        "sidecars": [{"name": "side", "image": "alpine", "command": ["sleep", "30"]}],
        "container": {"image": "alpine", "command": ["cat", f"{scratch}/data/f"],
                      "volumeMounts": [{"name": "shared", "mountPath": f"{scratch}/data"}]},
    }, capture_result=True)
    assert update.phase == "Succeeded", update.message
    assert update.outputs is not None and update.outputs["result"] == "from-init"


def test_failing_init_container_is_an_error(backend: LocalBackend) -> None:
    update = run_pod(backend, {
        "initContainers": [{"name": "prep", "image": "alpine", "command": ["false"]}],
        "container": {"image": "alpine", "command": ["echo", "never"]},
    })
    assert update.phase == "Error"
    assert update.message == "prep: Error (exit code 1)"
    assert backend.read_logs("wf-step") == ""


def test_user_image_entries_give_the_default_entrypoint(tmp_path: Path) -> None:
    config = parse_config('images:\n  my/tool:1: {command: [echo], args: ["configured"]}\n')
    local = LocalBackend(tmp_path, images=ImageTable.from_config(config), notices=lambda _: None, sandbox="none")
    default = run_pod(local, {"container": {"image": "my/tool:1"}}, capture_result=True)
    assert default.outputs is not None and default.outputs["result"] == "configured"
    with_args = run_pod(local, {"container": {"image": "my/tool:1", "args": ["given"]}}, name="args",
                        capture_result=True)
    assert with_args.outputs is not None and with_args.outputs["result"] == "given"


def test_sidecar_of_an_unemulated_image_without_its_program_is_an_error(backend: LocalBackend) -> None:
    # the main container polls the sidecar forever: without this check the pod never ends
    update = run_pod(backend, {
        "container": {"image": "alpine", "command": ["sh", "-c", "sleep 3"]},
        "sidecars": [{"name": "nginx", "image": "nginx:1.13", "command": ["nginx-not-on-this-host", "-g"]}],
    })
    assert update.phase == "Error"
    assert update.message.startswith('sidecar "nginx": image "nginx:1.13" is not emulated by the local backend')
    assert '"nginx-not-on-this-host" is not on this host' in update.message
