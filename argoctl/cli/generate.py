"""Shell completions, man pages and the help cache generated from the typer command tree.

``python -m argoctl.cli.generate --write`` rewrites ``completions/``, ``man/`` and
``argoctl/cli/helptext.py`` (the help texts ``argoctl.cli.fast`` prints without typer); ``--check``
exits 1 when they are stale (a test does the same). ``argoctl completion SHELL`` prints the same
scripts. Imported only by the ``completion`` verb, this script and tests, never at ``--help``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argoctl import __version__

HEADER = "Generated from the command tree by `python -m argoctl.cli.generate --write`; do not edit."
OBJECT_GROUPS = ("template", "cluster-template", "cron")
FILE_OPTIONS = ("filename", "parameter_file", "kubeconfig")
FILE_ARGUMENTS = ("files", "paths")
ARGUMENT_WORDS = {"shell": ("bash", "zsh", "fish")}
OPTION_WORDS = {"backend": ("local", "kubernetes", "docker", "auto")}
METAVARS = {"output": "FORMAT", "parameter": "NAME=VALUE", "output_parameter": "NAME=VALUE", "query": "JMESPATH",
            "node_field_selector": "SELECTOR", "selector": "SELECTOR", "labels": "KEY=VALUE,...",
            "filename": "FILE", "parameter_file": "FILE", "kubeconfig": "FILE", "namespace": "NAMESPACE",
            "store": "URL", "since": "DURATION", "older": "DURATION", "container": "CONTAINER",
            "from_": "KIND/NAME", "entrypoint": "TEMPLATE", "name": "NAME", "generate_name": "PREFIX",
            "serviceaccount": "NAME", "scheduled_time": "TIME", "status": "PHASES", "phase": "PHASE",
            "message": "TEXT", "context": "CONTEXT", "prefix": "PREFIX", "backend": "BACKEND",
            "driver": "DRIVER"}
_ARGUMENT_HELP = {"": "", "files": "Manifest files", "workflows": "Workflow names",
                  **{f"objects:{g}": "Names of stored objects" for g in ("template", "cluster-template", "cron")}}
_PIPE_LIST = re.compile(r"\b([a-z]+(?:\|[a-z]+)+)\b")


@dataclass(frozen=True, slots=True)
class OptionSpec:
    names: tuple[str, ...]
    help: str
    metavar: str = ""  # empty for a flag
    value_kind: str = ""  # "", "files" or "words:a b c"


@dataclass(frozen=True, slots=True)
class ArgumentSpec:
    name: str
    help: str
    many: bool
    required: bool
    kind: str  # "", "files", "workflows", "objects:GROUP" or "words:a b c"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    path: tuple[str, ...]  # ("argoctl", "template", "get")
    help: str
    short_help: str
    options: tuple[OptionSpec, ...]
    arguments: tuple[ArgumentSpec, ...]
    subcommands: tuple[tuple[str, str], ...]  # (name, short help)

    @property
    def key(self) -> str:
        return " ".join(self.path)

    @property
    def value_options(self) -> list[str]:
        return [name for o in self.options if o.metavar for name in o.names]


# ---- the command tree ------------------------------------------------------------------------


def root_command() -> Any:
    """The click command behind ``argoctl``."""
    import typer

    from argoctl.cli.globalopts import install_all
    from argoctl.cli.root import new_app

    return install_all(typer.main.get_command(new_app()))


def _children(command: Any) -> dict[str, Any]:
    found = getattr(command, "commands", None) or {}
    return {name: sub for name, sub in sorted(found.items()) if not getattr(sub, "hidden", False)}


def _option(param: Any) -> OptionSpec:
    names = tuple(param.opts) + tuple(param.secondary_opts)
    help_text = " ".join((param.help or "").split())
    if param.is_flag or param.count:
        return OptionSpec(names, help_text)
    kind = ""
    if param.name in FILE_OPTIONS:
        kind = "files"
    elif param.name in OPTION_WORDS:
        kind = "words:" + " ".join(OPTION_WORDS[param.name])
    elif param.name == "output" and (found := _PIPE_LIST.search(help_text)):
        kind = "words:" + found.group(1).replace("|", " ")
    type_name = type(param.type).__name__.lower()
    default = "N" if "int" in type_name else "NUMBER" if "float" in type_name else "VALUE"
    return OptionSpec(names, help_text, METAVARS.get(param.name, default), kind)


def _argument(param: Any, path: tuple[str, ...]) -> ArgumentSpec:
    kind = ""
    if param.name in FILE_ARGUMENTS:
        kind = "files"
    elif param.name in ARGUMENT_WORDS:
        kind = "words:" + " ".join(ARGUMENT_WORDS[param.name])
    elif param.name in ("name", "names"):
        kind = f"objects:{path[1]}" if len(path) > 1 and path[1] in OBJECT_GROUPS else "workflows"
    help_text = " ".join((getattr(param, "help", None) or "").split())
    return ArgumentSpec(param.name, help_text, param.nargs == -1, bool(param.required), kind)


def command_tree(root: Any) -> list[CommandSpec]:
    """Every visible command, parents before children, siblings sorted by name (with the global
    options, which are installed on the whole tree first)."""
    from argoctl.cli.globalopts import install_all

    install_all(root)

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[CommandSpec]:
        options = [_option(p) for p in command.params if p.param_type_name == "option" and (
            not p.hidden or getattr(p, "argoctl_global", "") == "global")]
        options.append(OptionSpec(("--help", "-h"), "Show the help and exit"))
        arguments = tuple(_argument(p, path) for p in command.params if p.param_type_name == "argument")
        children = _children(command)
        subcommands = tuple((name, sub.get_short_help_str(80)) for name, sub in children.items())
        yield CommandSpec(path, " ".join((command.help or "").split()), command.get_short_help_str(300),
                          tuple(options), arguments, subcommands)
        for name, sub in children.items():
            yield from walk(sub, (*path, name))

    return list(walk(root, ("argoctl",)))


# ---- bash ------------------------------------------------------------------------------------


def _case(function: str, comment: str, rows: list[tuple[str, str]], shell: str = "bash") -> str:
    """A shell function that maps its first argument to a value with one case line per key."""
    if shell == "zsh":
        body = [f"    ({_sq(key)}) {value} ;;" for key, value in rows] + ["    (*) reply=() REPLY='' ;;"]
        return "\n".join([f"{function}() {{  # {comment}", "  case $1 in", *body, "  esac", "}"])
    body = [f'        "{key}") echo {_sq(value)} ;;' for key, value in rows if value]
    return "\n".join([f"{function}() {{  # {comment}", '    case "$1" in', *body, "    esac", "}"])


def _sq(text: str) -> str:
    """Single-quoted for sh and zsh."""
    return "'" + text.replace("'", "'\\''") + "'"


def _bash_values(tree: list[CommandSpec]) -> list[tuple[str, str]]:
    return [(f"{c.key} {name}", o.value_kind) for c in tree for o in c.options if o.value_kind for name in o.names]


def bash(root: Any) -> str:
    tree = command_tree(root)
    tables = [
        _case("_argoctl_commands", "the subcommands of a command path",
              [(c.key, " ".join(n for n, _ in c.subcommands)) for c in tree]),
        _case("_argoctl_options", "the options of a command path (non-empty for every command)",
              [(c.key, " ".join(n for o in c.options for n in o.names)) for c in tree]),
        _case("_argoctl_value_options", "the options of a command path that take a value",
              [(c.key, " ".join(c.value_options)) for c in tree]),
        _case("_argoctl_argument", "what the positional arguments of a command are",
              [(c.key, c.arguments[0].kind) for c in tree if c.arguments]),
        _case("_argoctl_option_value", "what the value of an option is", _bash_values(tree)),
    ]
    return f"""# bash completion for argoctl
# {HEADER}
# Load it with: source <(argoctl completion bash)

{chr(10).join(f"{t}{chr(10)}" for t in tables)}
_argoctl_reply() {{  # complete $2 from a kind: files, workflows, objects:GROUP or words:A B C
    case "$1" in
        files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$2")) ;;
        workflows) COMPREPLY=($(compgen -W "$(argoctl list -o name 2>/dev/null)" -- "$2")) ;;
        objects:*) COMPREPLY=($(compgen -W "$(argoctl "${{1#objects:}}" list -o name 2>/dev/null)" -- "$2")) ;;
        words:*) COMPREPLY=($(compgen -W "${{1#words:}}" -- "$2")) ;;
    esac
}}

_argoctl() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" cmdpath="argoctl" pending="" word i
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        if [[ -n $pending ]]; then
            pending=""
        elif [[ $word == -* ]]; then
            [[ $word != *=* && " $(_argoctl_value_options "$cmdpath") " == *" $word "* ]] && pending="$word"
        elif [[ -n $(_argoctl_options "$cmdpath $word") ]]; then
            cmdpath="$cmdpath $word"
        fi
    done
    if [[ -n $pending ]]; then
        _argoctl_reply "$(_argoctl_option_value "$cmdpath $pending")" "$cur"
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_argoctl_options "$cmdpath")" -- "$cur"))
    elif [[ -n $(_argoctl_commands "$cmdpath") ]]; then
        COMPREPLY=($(compgen -W "$(_argoctl_commands "$cmdpath")" -- "$cur"))
    else
        _argoctl_reply "$(_argoctl_argument "$cmdpath")" "$cur"
    fi
}}

complete -F _argoctl argoctl
"""


# ---- zsh -------------------------------------------------------------------------------------


def _zsh_pairs(pairs: list[tuple[str, str]]) -> str:
    items = [_sq(f"{name.replace(':', chr(92) + ':')}:{text}" if text else name) for name, text in pairs]
    return f"reply=({' '.join(items)})"


def zsh(root: Any) -> str:
    tree = command_tree(root)
    tables = [
        _case("_argoctl_commands", "subcommands as name:description",
              [(c.key, _zsh_pairs(list(c.subcommands))) for c in tree if c.subcommands], "zsh"),
        _case("_argoctl_options", "options as name:description (non-empty for every command)",
              [(c.key, _zsh_pairs([(n, o.help) for o in c.options for n in o.names])) for c in tree], "zsh"),
        _case("_argoctl_value_options", "the options that take a value",
              [(c.key, f"reply=({' '.join(c.value_options)})") for c in tree if c.value_options], "zsh"),
        _case("_argoctl_argument", "what the positional arguments are",
              [(c.key, f"REPLY={_sq(c.arguments[0].kind)}") for c in tree if c.arguments and c.arguments[0].kind],
              "zsh"),
        _case("_argoctl_option_value", "what the value of an option is",
              [(key, f"REPLY={_sq(kind)}") for key, kind in _bash_values(tree)], "zsh"),
    ]
    return f"""#compdef argoctl
# zsh completion for argoctl
# {HEADER}
# Put it on $fpath as _argoctl, or load it with: source <(argoctl completion zsh)

{chr(10).join(f"{t}{chr(10)}" for t in tables)}
_argoctl_reply() {{  # complete from a kind: files, workflows, objects:GROUP or words:A B C
  local -a names
  case $1 in
    (files) _files ;;
    (workflows) names=(${{(f)"$(argoctl list -o name 2>/dev/null)"}}); compadd -a names ;;
    (objects:*) names=(${{(f)"$(argoctl ${{1#objects:}} list -o name 2>/dev/null)"}}); compadd -a names ;;
    (words:*) compadd -- ${{=1#words:}} ;;
  esac
}}

_argoctl() {{
  local cmdpath=argoctl pending='' word REPLY i
  local -a reply
  for (( i = 2; i < CURRENT; i++ )); do
    word=${{words[i]}}
    if [[ -n $pending ]]; then
      pending=''
    elif [[ $word == -* ]]; then
      _argoctl_value_options $cmdpath
      [[ $word != *=* ]] && (( ${{reply[(Ie)$word]}} )) && pending=$word
    else
      _argoctl_options "$cmdpath $word"
      (( ${{#reply}} )) && cmdpath="$cmdpath $word"
    fi
  done
  if [[ -n $pending ]]; then
    _argoctl_option_value "$cmdpath $pending"
    _argoctl_reply $REPLY
  elif [[ $PREFIX == -* ]]; then
    _argoctl_options $cmdpath
    _describe -t options option reply
  else
    _argoctl_commands $cmdpath
    if (( ${{#reply}} )); then
      _describe -t commands command reply
    else
      _argoctl_argument $cmdpath
      _argoctl_reply $REPLY
    fi
  fi
}}

if [[ ${{zsh_eval_context[-1]}} == loadautofunc ]]; then
  _argoctl "$@"
else
  compdef _argoctl argoctl
fi
"""


# ---- fish ------------------------------------------------------------------------------------


def _fq(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish_option(command: CommandSpec, option: OptionSpec) -> str:
    parts = [f"complete -c argoctl -n {_fq('__argoctl_at ' + _sq(command.key))}"]
    for name in option.names:
        parts.append(f"-l {name[2:]}" if name.startswith("--") else f"-s {name[1:]}")
    if option.value_kind == "files":
        parts.append("-r -F")
    elif option.value_kind.startswith("words:"):
        parts.append(f"-x -a {_fq(option.value_kind[6:])}")
    elif option.metavar:
        parts.append("-x")
    return " ".join([*parts, f"-d {_fq(option.help)}"] if option.help else parts)


def _fish_argument(command: CommandSpec, kind: str) -> str:
    head = f"complete -c argoctl -n {_fq('__argoctl_at ' + _sq(command.key))}"
    if kind == "files":
        return f"{head} -F"
    if kind == "workflows":
        return f"{head} -a '(__argoctl_names list)'"
    if kind.startswith("objects:"):
        return f"{head} -a '(__argoctl_names {kind[8:]} list)'"
    return f"{head} -a {_fq(kind[6:])}"


def fish(root: Any) -> str:
    tree = command_tree(root)
    known = " \\\n        ".join(_sq(c.key) for c in tree)
    values = "\n".join(f"        case {_sq(c.key)}\n            printf '%s\\n' {' '.join(c.value_options)}"
                       for c in tree if c.value_options)
    lines = [f"""# fish completion for argoctl
# {HEADER}
# Put it in ~/.config/fish/completions/argoctl.fish, or run: argoctl completion fish | source

function __argoctl_is_command --description 'Whether $argv[1] is a command path'
    contains -- $argv[1] \\
        {known}
end

function __argoctl_value_options --description 'The options of a command path that take a value'
    switch $argv[1]
{values}
    end
end

function __argoctl_path --description 'The command path before the cursor'
    set -l words (commandline -opc)
    set -e words[1]
    set -l cmdpath argoctl
    set -l pending 0
    for word in $words
        if test $pending = 1
            set pending 0
        else if string match -q -- '-*' $word
            if not string match -q -- '*=*' $word; and contains -- $word (__argoctl_value_options $cmdpath)
                set pending 1
            end
        else if __argoctl_is_command "$cmdpath $word"
            set cmdpath "$cmdpath $word"
        end
    end
    echo $cmdpath
end

function __argoctl_at --description 'Whether the cursor is right after command path $argv[1]'
    test (__argoctl_path) = $argv[1]
end

function __argoctl_names --description 'Names of workflows or stored objects'
    argoctl $argv -o name 2>/dev/null
end

complete -c argoctl -f"""]
    for command in tree:
        for name, text in command.subcommands:
            lines.append(f"complete -c argoctl -n {_fq('__argoctl_at ' + _sq(command.key))} -a {name} -d {_fq(text)}")
        lines.extend(_fish_option(command, option) for option in command.options)
        if command.arguments and command.arguments[0].kind:
            lines.append(_fish_argument(command, command.arguments[0].kind))
    return "\n".join(lines) + "\n"


def completions(root: Any) -> dict[str, str]:
    """``{file name under completions/: script}``."""
    return {"argoctl.bash": bash(root), "_argoctl": zsh(root), "argoctl.fish": fish(root)}


# ---- man pages -------------------------------------------------------------------------------


def _roff(text: str) -> str:
    """Text for a roff body line: backslashes, hyphens and leading dots or quotes escaped."""
    escaped = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + escaped if escaped.startswith((".", "'")) else escaped


EXIT_STATUS = [
    ("0", "success"),
    ("1", "the workflow ended Failed or Error (submit --wait or --watch, wait, watch, retry --wait)"),
    ("2", "bad input or usage: an invalid manifest, lint errors, an unknown flag"),
    ("3", "the cluster or the store is unreachable, or permission was denied"),
    ("130", "interrupted (a watched workflow keeps running in a detached driver)"),
]
ENVIRONMENT = [
    ("ARGOCTL_HOME", "state, logs and the local artifact repository (default: $XDG_DATA_HOME/argoctl)"),
    ("ARGOCTL_BACKEND", "local or kubernetes (default: kubernetes when a kubeconfig is found, else local)"),
    ("ARGOCTL_STORE", "the state store: file:///DIR or s3://BUCKET/PREFIX"),
    ("ARGOCTL_NAMESPACE", "the namespace when -n is not given (default: default)"),
    ("NO_COLOR", "disable colour"),
]


def _tagged(items: list[tuple[str, str]], bold: bool = True) -> list[str]:
    lines: list[str] = []
    for tag, text in items:
        lines += [".TP", f".B {tag}" if bold else tag] + ([text] if text else [])
    return lines


def _synopsis(command: CommandSpec) -> str:
    words = [f"\\fB{_roff(command.key)}\\fR", "[\\fIOPTIONS\\fR]"]
    if command.subcommands:
        words.append("\\fICOMMAND\\fR")
    for arg in command.arguments:
        name = f"\\fI{arg.name.upper()}\\fR" + ("..." if arg.many else "")
        words.append(name if arg.required else f"[{name}]")
    return " ".join(words)


def _option_tag(option: OptionSpec) -> str:
    names = ", ".join(f"\\fB{_roff(n)}\\fR" for n in option.names)
    return f"{names} \\fI{_roff(option.metavar)}\\fR" if option.metavar else names


def man_page(command: CommandSpec, root: CommandSpec) -> str:
    title = "\\-".join(command.path).upper()
    lines = [f'.TH {title} 1 "" "argoctl {__version__}" "argoctl manual"', ".nh", ".ad l", ".SH NAME",
             f"{_roff('-'.join(command.path))} \\- {_roff(command.short_help)}", ".SH SYNOPSIS",
             _synopsis(command), ".SH DESCRIPTION", _roff(command.help)]
    if command.arguments:
        lines += [".SH ARGUMENTS", *_tagged([(f"\\fI{a.name.upper()}\\fR", _roff(a.help or _ARGUMENT_HELP.get(a.kind, "")))
                                            for a in command.arguments], bold=False)]
    lines += [".SH OPTIONS", *_tagged([(_option_tag(o), _roff(o.help)) for o in command.options], bold=False)]
    if command.subcommands:
        lines += [".SH COMMANDS", *_tagged([(f"\\fB{_roff(n)}\\fR", _roff(text)) for n, text in command.subcommands],
                                           bold=False)]
    if command is root:
        lines += [".SH ENVIRONMENT", *_tagged([(n, _roff(t)) for n, t in ENVIRONMENT])]
        lines += [".SH FILES", ".TP", ".I $XDG_CONFIG_HOME/argoctl/config.yaml",
                  _roff("images without a command mapped to local programs (images: {IMAGE: {command: [...]}})")]
    else:
        lines += [".SH GLOBAL OPTIONS", "Given before the command; see", ".BR argoctl (1)."]
    lines += [".SH EXIT STATUS", *_tagged([(code, _roff(text)) for code, text in EXIT_STATUS])]
    lines += [".SH SEE ALSO", _see_also(command, root)]
    return "\n".join(lines) + "\n"


def _see_also(command: CommandSpec, root: CommandSpec) -> str:
    if command is root:
        pages = [f"argoctl\\-{_roff(name)}" for name, _ in root.subcommands]
    else:
        pages = ["argoctl"]
        if len(command.path) > 2:
            pages.append(_roff("-".join(command.path[:-1])))
        pages += [_roff("-".join((*command.path, name))) for name, _ in command.subcommands]
    return ",\n".join(f".BR {page} (1)" for page in pages)


def man_pages(root: Any) -> dict[str, str]:
    """``{file name under man/: roff text}``: ``argoctl.1`` plus one page per command and group."""
    tree = command_tree(root)
    return {"-".join(c.path) + ".1": man_page(c, tree[0]) for c in tree}


# ---- the help cache --------------------------------------------------------------------------

HELP_WIDTH = 78  # click's help width on a terminal of 80 columns or more, or on no terminal
HELP_MODULE = "argoctl/cli/helptext.py"


def help_texts(root: Any) -> tuple[dict[tuple[str, ...], str], list[tuple[str, ...]]]:
    """``({command path: its --help text}, [paths of the groups that print it when given no
    arguments])`` for every command, hidden ones included, rendered by click as ``argoctl`` would."""
    texts: dict[tuple[str, ...], str] = {}
    no_args: list[tuple[str, ...]] = []

    def walk(command: Any, ctx: Any, path: tuple[str, ...]) -> None:
        texts[path] = ctx.get_help()
        if getattr(command, "no_args_is_help", False):
            no_args.append(path)
        for name in command.list_commands(ctx) if hasattr(command, "list_commands") else ():
            sub = command.get_command(ctx, name)
            walk(sub, sub.context_class(sub, info_name=name, parent=ctx, **sub.context_settings), (*path, name))

    walk(root, root.context_class(root, info_name="argoctl", terminal_width=HELP_WIDTH, **root.context_settings), ())
    return texts, no_args


def help_module(root: Any) -> str:
    """The source of ``argoctl/cli/helptext.py``."""
    texts, no_args = help_texts(root)
    entries = "".join(f"    {path!r}: {text!r},\n" for path, text in texts.items())
    groups = "".join(f"    {path!r},\n" for path in no_args)
    return f'''"""The help text of every command, as click prints it {HELP_WIDTH} columns wide.

{HEADER}
Printed by ``argoctl.cli.fast`` without importing typer.
"""

# the commands that print their help (on stderr) when given no arguments
NO_ARGS_IS_HELP: frozenset[tuple[str, ...]] = frozenset({{
{groups}}})

HELP: dict[tuple[str, ...], str] = {{
{entries}}}
'''


# ---- files on disk ---------------------------------------------------------------------------


def expected_files(root: Any | None = None) -> dict[str, str]:
    """``{path relative to the repository: text}`` of every generated file."""
    command = root_command() if root is None else root
    files = {f"completions/{name}": text for name, text in completions(command).items()}
    files.update({f"man/{name}": text for name, text in man_pages(command).items()})
    files[HELP_MODULE] = help_module(command)
    return files


def stale_files(repo: Path, root: Any | None = None) -> list[str]:
    """Generated files that are missing or differ, plus stray ones under ``man/``."""
    expected = expected_files(root)
    stale = [p for p, text in expected.items() if not (repo / p).is_file() or (repo / p).read_text() != text]
    stray = [f"man/{p.name}" for p in sorted((repo / "man").glob("*.1")) if f"man/{p.name}" not in expected]
    return stale + stray


def write_files(repo: Path, root: Any | None = None) -> list[str]:
    """Write every generated file (and remove stray man pages); the paths written."""
    expected = expected_files(root)
    for stray in (repo / "man").glob("*.1"):
        if f"man/{stray.name}" not in expected:
            stray.unlink()
    for path, text in expected.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    return sorted(expected)


def main(argv: list[str] | None = None, out: Callable[[str], object] = print) -> int:
    """``python -m argoctl.cli.generate [--write|--check] [REPO]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    mode = args.pop(0) if args and args[0] in ("--write", "--check") else "--check"
    repo = Path(args[0]) if args else Path(__file__).resolve().parents[2]
    if mode == "--write":
        for path in write_files(repo):
            out(f"wrote {path}")
        return 0
    stale = stale_files(repo)
    for path in stale:
        out(f"stale: {path} (regenerate with: python -m argoctl.cli.generate --write)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
