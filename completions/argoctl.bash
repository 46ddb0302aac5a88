# bash completion for argoctl
# Generated from the command tree by `python -m argoctl.cli.generate --write`; do not edit.
# Load it with: source <(argoctl completion bash)

_argoctl_commands() {  # the subcommands of a command path
    case "$1" in
        "argoctl") echo 'apply auth cluster-template completion cp cron delete get lint list logs node resubmit resume retry stop submit suspend template terminate version wait watch' ;;
        "argoctl auth") echo 'can-i' ;;
        "argoctl cluster-template") echo 'create delete get lint list' ;;
        "argoctl cron") echo 'create delete get lint list' ;;
        "argoctl node") echo 'set' ;;
        "argoctl template") echo 'create delete get lint list' ;;
    esac
}

_argoctl_options() {  # the options of a command path (non-empty for every command)
    case "$1" in
        "argoctl") echo '--namespace -n --kubeconfig --context --backend --store --verbose -v --no-color --qps --burst --help -h' ;;
        "argoctl apply") echo '--filename -f --strict --no-strict --help -h' ;;
        "argoctl auth") echo '--help -h' ;;
        "argoctl auth can-i") echo '--quiet -q --help -h' ;;
        "argoctl cluster-template") echo '--help -h' ;;
        "argoctl cluster-template create") echo '--strict --no-strict --help -h' ;;
        "argoctl cluster-template delete") echo '--all --help -h' ;;
        "argoctl cluster-template get") echo '--output -o --query --help -h' ;;
        "argoctl cluster-template lint") echo '--strict --no-strict --help -h' ;;
        "argoctl cluster-template list") echo '--output -o --help -h' ;;
        "argoctl completion") echo '--help -h' ;;
        "argoctl cp") echo '--artifact-name --template-name --node-id --path --help -h' ;;
        "argoctl cron") echo '--help -h' ;;
        "argoctl cron create") echo '--strict --no-strict --help -h' ;;
        "argoctl cron delete") echo '--all --help -h' ;;
        "argoctl cron get") echo '--output -o --query --help -h' ;;
        "argoctl cron lint") echo '--strict --no-strict --help -h' ;;
        "argoctl cron list") echo '--output -o --help -h' ;;
        "argoctl delete") echo '--all --completed --older --selector -l --dry-run --force --help -h' ;;
        "argoctl get") echo '--output -o --query --node-field-selector --status --help -h' ;;
        "argoctl lint") echo '--strict --no-strict --help -h' ;;
        "argoctl list") echo '--output -o --selector -l --status --running --completed --since --prefix --no-headers --query --help -h' ;;
        "argoctl logs") echo '--container -c --follow -f --since --tail --timestamps --no-prefix --help -h' ;;
        "argoctl node") echo '--help -h' ;;
        "argoctl node set") echo '--output-parameter -p --phase --message -m --node-field-selector --help -h' ;;
        "argoctl resubmit") echo '--memoized --parameter -p --wait -w --watch --output -o --help -h' ;;
        "argoctl resume") echo '--node-field-selector --help -h' ;;
        "argoctl retry") echo '--restart-successful --node-field-selector --parameter -p --wait -w --watch --output -o --help -h' ;;
        "argoctl stop") echo '--node-field-selector --message --help -h' ;;
        "argoctl submit") echo '--from --parameter -p --parameter-file -f --entrypoint --name --generate-name --labels -l --serviceaccount --priority --scheduled-time --watch --wait -w --log --output -o --query --dry-run --node-field-selector --status --driver --strict --no-strict --help -h' ;;
        "argoctl suspend") echo '--help -h' ;;
        "argoctl template") echo '--help -h' ;;
        "argoctl template create") echo '--strict --no-strict --help -h' ;;
        "argoctl template delete") echo '--all --help -h' ;;
        "argoctl template get") echo '--output -o --query --help -h' ;;
        "argoctl template lint") echo '--strict --no-strict --help -h' ;;
        "argoctl template list") echo '--output -o --help -h' ;;
        "argoctl terminate") echo '--help -h' ;;
        "argoctl version") echo '--short --help -h' ;;
        "argoctl wait") echo '--ignore-not-found --help -h' ;;
        "argoctl watch") echo '--output -o --node-field-selector --status --help -h' ;;
    esac
}

_argoctl_value_options() {  # the options of a command path that take a value
    case "$1" in
        "argoctl") echo '--namespace -n --kubeconfig --context --backend --store --qps --burst' ;;
        "argoctl apply") echo '--filename -f' ;;
        "argoctl cluster-template get") echo '--output -o --query' ;;
        "argoctl cluster-template list") echo '--output -o' ;;
        "argoctl cp") echo '--artifact-name --template-name --node-id --path' ;;
        "argoctl cron get") echo '--output -o --query' ;;
        "argoctl cron list") echo '--output -o' ;;
        "argoctl delete") echo '--older --selector -l' ;;
        "argoctl get") echo '--output -o --query --node-field-selector --status' ;;
        "argoctl list") echo '--output -o --selector -l --status --since --prefix --query' ;;
        "argoctl logs") echo '--container -c --since --tail' ;;
        "argoctl node set") echo '--output-parameter -p --phase --message -m --node-field-selector' ;;
        "argoctl resubmit") echo '--parameter -p --output -o' ;;
        "argoctl resume") echo '--node-field-selector' ;;
        "argoctl retry") echo '--node-field-selector --parameter -p --output -o' ;;
        "argoctl stop") echo '--node-field-selector --message' ;;
        "argoctl submit") echo '--from --parameter -p --parameter-file -f --entrypoint --name --generate-name --labels -l --serviceaccount --priority --scheduled-time --output -o --query --node-field-selector --status --driver' ;;
        "argoctl template get") echo '--output -o --query' ;;
        "argoctl template list") echo '--output -o' ;;
        "argoctl watch") echo '--output -o --node-field-selector --status' ;;
    esac
}

_argoctl_argument() {  # what the positional arguments of a command are
    case "$1" in
        "argoctl cluster-template create") echo 'files' ;;
        "argoctl cluster-template delete") echo 'objects:cluster-template' ;;
        "argoctl cluster-template get") echo 'objects:cluster-template' ;;
        "argoctl cluster-template lint") echo 'files' ;;
        "argoctl completion") echo 'words:bash zsh fish' ;;
        "argoctl cp") echo 'workflows' ;;
        "argoctl cron create") echo 'files' ;;
        "argoctl cron delete") echo 'objects:cron' ;;
        "argoctl cron get") echo 'objects:cron' ;;
        "argoctl cron lint") echo 'files' ;;
        "argoctl delete") echo 'workflows' ;;
        "argoctl get") echo 'workflows' ;;
        "argoctl lint") echo 'files' ;;
        "argoctl logs") echo 'workflows' ;;
        "argoctl node set") echo 'workflows' ;;
        "argoctl resubmit") echo 'workflows' ;;
        "argoctl resume") echo 'workflows' ;;
        "argoctl retry") echo 'workflows' ;;
        "argoctl stop") echo 'workflows' ;;
        "argoctl submit") echo 'files' ;;
        "argoctl suspend") echo 'workflows' ;;
        "argoctl template create") echo 'files' ;;
        "argoctl template delete") echo 'objects:template' ;;
        "argoctl template get") echo 'objects:template' ;;
        "argoctl template lint") echo 'files' ;;
        "argoctl terminate") echo 'workflows' ;;
        "argoctl wait") echo 'workflows' ;;
        "argoctl watch") echo 'workflows' ;;
    esac
}

_argoctl_option_value() {  # what the value of an option is
    case "$1" in
        "argoctl --kubeconfig") echo 'files' ;;
        "argoctl --backend") echo 'words:local kubernetes' ;;
        "argoctl apply --filename") echo 'files' ;;
        "argoctl apply -f") echo 'files' ;;
        "argoctl cluster-template list --output") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template list -o") echo 'words:name json yaml wide' ;;
        "argoctl cron list --output") echo 'words:name json yaml wide' ;;
        "argoctl cron list -o") echo 'words:name json yaml wide' ;;
        "argoctl get --output") echo 'words:name json yaml wide short' ;;
        "argoctl get -o") echo 'words:name json yaml wide short' ;;
        "argoctl list --output") echo 'words:name json yaml wide' ;;
        "argoctl list -o") echo 'words:name json yaml wide' ;;
        "argoctl resubmit --output") echo 'words:name json yaml wide' ;;
        "argoctl resubmit -o") echo 'words:name json yaml wide' ;;
        "argoctl retry --output") echo 'words:name json yaml wide' ;;
        "argoctl retry -o") echo 'words:name json yaml wide' ;;
        "argoctl submit --parameter-file") echo 'files' ;;
        "argoctl submit -f") echo 'files' ;;
        "argoctl submit --output") echo 'words:name json yaml wide' ;;
        "argoctl submit -o") echo 'words:name json yaml wide' ;;
        "argoctl template list --output") echo 'words:name json yaml wide' ;;
        "argoctl template list -o") echo 'words:name json yaml wide' ;;
        "argoctl watch --output") echo 'words:name json yaml wide' ;;
        "argoctl watch -o") echo 'words:name json yaml wide' ;;
    esac
}

_argoctl_reply() {  # complete $2 from a kind: files, workflows, objects:GROUP or words:A B C
    case "$1" in
        files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$2")) ;;
        workflows) COMPREPLY=($(compgen -W "$(argoctl list -o name 2>/dev/null)" -- "$2")) ;;
        objects:*) COMPREPLY=($(compgen -W "$(argoctl "${1#objects:}" list -o name 2>/dev/null)" -- "$2")) ;;
        words:*) COMPREPLY=($(compgen -W "${1#words:}" -- "$2")) ;;
    esac
}

_argoctl() {
    local cur="${COMP_WORDS[COMP_CWORD]}" cmdpath="argoctl" pending="" word i
    COMPREPLY=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${COMP_WORDS[i]}"
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
}

complete -F _argoctl argoctl
