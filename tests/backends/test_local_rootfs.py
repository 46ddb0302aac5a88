"""Which host trees a local pod's root may show (rootfs.program_trees and its rules), and how the
shim resolves a container path inside the pod's root (sandbox.PodRoot.resolve)."""

from __future__ import annotations

from pathlib import Path

from argoctl.backends.local.rootfs import allowed, installation, program_trees
from argoctl.backends.local.sandbox import PodRoot


def _plan(path: str, *aliases: str) -> dict[str, object]:
    return {"containers": [{"env": [["PATH", path]], "aliases": [["x", a] for a in aliases], "root_programs": []}]}


def test_a_program_directory_is_shown_but_never_what_holds_secrets(tmp_path: Path) -> None:
    home, store = tmp_path / "home", tmp_path / "home" / ".argoctl"
    hidden, holders = [str(store), str(home / ".kube")], [str(home)]
    assert not allowed("/", hidden, holders)
    assert not allowed(str(tmp_path), hidden, holders)  # holds the home
    assert not allowed(str(home), hidden, holders)
    assert not allowed(str(store / "bin"), hidden, holders)  # inside the store
    assert not allowed(str(home / ".kube" / "bin"), hidden, holders)
    assert allowed(str(home / "tools" / "bin"), hidden, holders)  # inside the home is fine


def test_installations_of_version_managers_and_virtualenvs(tmp_path: Path) -> None:
    assert installation("/opt/x/.pyenv/versions/3.12/bin") == "/opt/x/.pyenv"
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    assert installation(str(venv / "bin")) == str(venv)
    assert installation(str(tmp_path)) == str(tmp_path)


def test_program_trees_skip_system_directories_and_nest(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    (tools / "bin").mkdir(parents=True)
    (tools / "bin" / "prog").write_text("")
    trees = program_trees(_plan(f"/usr/bin:{tools}:{tools / 'bin'}:/nonexistent", str(tools / "bin" / "prog")),
                          hidden=[str(tmp_path / "store")], holders=[])
    assert trees == [str(tools)]


def test_resolve_follows_links_inside_the_root_only(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "data").mkdir(parents=True)
    (root / "data" / "f").write_text("pod")
    (root / "abs").symlink_to("/data")
    (root / "up").symlink_to("../../../../data")
    (root / "loop").symlink_to("/loop")
    pod = PodRoot(root)
    assert pod.resolve("/abs/f") == str(root / "data" / "f")
    assert pod.resolve("/up/f") == str(root / "data" / "f")
    assert pod.resolve("/data/../../../etc/passwd") == str(root / "etc" / "passwd")
    assert not Path(pod.resolve("/loop/x")).exists()
    assert pod.resolve("/proc/1/environ").startswith(str(root / ".argoctl"))
    assert PodRoot(Path("/")).resolve("/x/../y") == "/x/../y"
