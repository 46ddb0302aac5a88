# bash completion for argoctl
# Generated from the command tree by `python -m argoctl.cli.generate --write`; do not edit.
# Load it with: source <(argoctl completion bash)

_argoctl_commands() {  # the subcommands of a command path
    case "$1" in
        "argoctl") echo 'apply archive auth cluster-template completion convert cp cron delete get lint list logs node resubmit resume retry stop submit suspend template terminate version wait watch' ;;
        "argoctl archive") echo 'delete get list list-label-keys list-label-values resubmit retry' ;;
        "argoctl auth") echo 'can-i token' ;;
        "argoctl cluster-template") echo 'create delete get lint list update' ;;
        "argoctl cron") echo 'create delete get lint list' ;;
        "argoctl node") echo 'set' ;;
        "argoctl template") echo 'create delete get lint list update' ;;
    esac
}

_argoctl_options() {  # the options of a command path (non-empty for every command)
    case "$1" in
        "argoctl") echo '--namespace -n --kubeconfig --context --backend --store --verbose -v --no-color --qps --burst --help -h' ;;
        "argoctl apply") echo '--filename -f --help -h' ;;
        "argoctl archive") echo '--help -h' ;;
        "argoctl archive delete") echo '--uid --name --help -h' ;;
        "argoctl archive get") echo '--uid --name --output -o --help -h' ;;
        "argoctl archive list") echo '--output -o --selector -l --chunk-size --help -h' ;;
        "argoctl archive list-label-keys") echo '--help -h' ;;
        "argoctl archive list-label-values") echo '--selector -l --help -h' ;;
        "argoctl archive resubmit") echo '--uid --name --memoized --parameter -p --priority --selector -l --field-selector --wait -w --watch --log --output -o --help -h' ;;
        "argoctl archive retry") echo '--uid --name --restart-successful --node-field-selector --parameter -p --selector -l --field-selector --wait -w --watch --log --output -o --help -h' ;;
        "argoctl auth") echo '--help -h' ;;
        "argoctl auth can-i") echo '--quiet -q --help -h' ;;
        "argoctl auth token") echo '--help -h' ;;
        "argoctl cluster-template") echo '--help -h' ;;
        "argoctl cluster-template create") echo '--output -o --help -h' ;;
        "argoctl cluster-template delete") echo '--all --help -h' ;;
        "argoctl cluster-template get") echo '--output -o --query --help -h' ;;
        "argoctl cluster-template lint") echo '--output -o --help -h' ;;
        "argoctl cluster-template list") echo '--output -o --selector -l --all-namespaces -A --help -h' ;;
        "argoctl cluster-template update") echo '--output -o --help -h' ;;
        "argoctl completion") echo '--help -h' ;;
        "argoctl convert") echo '--output -o --help -h' ;;
        "argoctl cp") echo '--artifact-name --template-name --node-id --path --help -h' ;;
        "argoctl cron") echo '--help -h' ;;
        "argoctl cron create") echo '--output -o --help -h' ;;
        "argoctl cron delete") echo '--all --help -h' ;;
        "argoctl cron get") echo '--output -o --query --help -h' ;;
        "argoctl cron lint") echo '--output -o --help -h' ;;
        "argoctl cron list") echo '--output -o --selector -l --all-namespaces -A --help -h' ;;
        "argoctl delete") echo '--all --all-namespaces -A --completed --older --prefix --status --resubmitted --selector -l --field-selector --query-chunk-size --dry-run --force --help -h' ;;
        "argoctl get") echo '--output -o --query --node-field-selector --status --no-utf8 --help -h' ;;
        "argoctl lint") echo '--output -o --kinds --offline --help -h' ;;
        "argoctl list") echo '--output -o --selector -l --field-selector --status --running --completed --older --since --prefix --resubmitted --all-namespaces -A --chunk-size --no-headers --query --help -h' ;;
        "argoctl logs") echo '--container -c --follow -f --grep --previous -p --selector -l --since --since-time --tail --timestamps --no-prefix --help -h' ;;
        "argoctl node") echo '--help -h' ;;
        "argoctl node set") echo '--output-parameter -p --phase --message -m --node-field-selector --help -h' ;;
        "argoctl resubmit") echo '--memoized --parameter -p --priority --selector -l --field-selector --wait -w --watch --log --output -o --help -h' ;;
        "argoctl resume") echo '--node-field-selector --help -h' ;;
        "argoctl retry") echo '--restart-successful --node-field-selector --parameter -p --selector -l --field-selector --wait -w --watch --log --output -o --help -h' ;;
        "argoctl stop") echo '--node-field-selector --message --selector -l --field-selector --dry-run --help -h' ;;
        "argoctl submit") echo '--from --parameter -p --parameter-file -f --entrypoint --name --generate-name --labels -l --serviceaccount --priority --scheduled-time --watch --wait -w --log --output -o --query --dry-run --server-dry-run --node-field-selector --status --driver --help -h' ;;
        "argoctl suspend") echo '--help -h' ;;
        "argoctl template") echo '--help -h' ;;
        "argoctl template create") echo '--output -o --help -h' ;;
        "argoctl template delete") echo '--all --help -h' ;;
        "argoctl template get") echo '--output -o --query --help -h' ;;
        "argoctl template lint") echo '--output -o --help -h' ;;
        "argoctl template list") echo '--output -o --selector -l --all-namespaces -A --help -h' ;;
        "argoctl template update") echo '--output -o --help -h' ;;
        "argoctl terminate") echo '--selector -l --field-selector --dry-run --help -h' ;;
        "argoctl version") echo '--short --help -h' ;;
        "argoctl wait") echo '--ignore-not-found --help -h' ;;
        "argoctl watch") echo '--output -o --node-field-selector --status --help -h' ;;
    esac
}

_argoctl_value_options() {  # the options of a command path that take a value
    case "$1" in
        "argoctl") echo '--namespace -n --kubeconfig --context --backend --store --qps --burst' ;;
        "argoctl apply") echo '--filename -f' ;;
        "argoctl archive delete") echo '--uid --name' ;;
        "argoctl archive get") echo '--uid --name --output -o' ;;
        "argoctl archive list") echo '--output -o --selector -l --chunk-size' ;;
        "argoctl archive list-label-values") echo '--selector -l' ;;
        "argoctl archive resubmit") echo '--uid --name --parameter -p --priority --selector -l --field-selector --output -o' ;;
        "argoctl archive retry") echo '--uid --name --node-field-selector --parameter -p --selector -l --field-selector --output -o' ;;
        "argoctl cluster-template create") echo '--output -o' ;;
        "argoctl cluster-template get") echo '--output -o --query' ;;
        "argoctl cluster-template lint") echo '--output -o' ;;
        "argoctl cluster-template list") echo '--output -o --selector -l' ;;
        "argoctl cluster-template update") echo '--output -o' ;;
        "argoctl convert") echo '--output -o' ;;
        "argoctl cp") echo '--artifact-name --template-name --node-id --path' ;;
        "argoctl cron create") echo '--output -o' ;;
        "argoctl cron get") echo '--output -o --query' ;;
        "argoctl cron lint") echo '--output -o' ;;
        "argoctl cron list") echo '--output -o --selector -l' ;;
        "argoctl delete") echo '--older --prefix --status --selector -l --field-selector --query-chunk-size' ;;
        "argoctl get") echo '--output -o --query --node-field-selector --status' ;;
        "argoctl lint") echo '--output -o --kinds' ;;
        "argoctl list") echo '--output -o --selector -l --field-selector --status --older --since --prefix --chunk-size --query' ;;
        "argoctl logs") echo '--container -c --grep --selector -l --since --since-time --tail' ;;
        "argoctl node set") echo '--output-parameter -p --phase --message -m --node-field-selector' ;;
        "argoctl resubmit") echo '--parameter -p --priority --selector -l --field-selector --output -o' ;;
        "argoctl resume") echo '--node-field-selector' ;;
        "argoctl retry") echo '--node-field-selector --parameter -p --selector -l --field-selector --output -o' ;;
        "argoctl stop") echo '--node-field-selector --message --selector -l --field-selector' ;;
        "argoctl submit") echo '--from --parameter -p --parameter-file -f --entrypoint --name --generate-name --labels -l --serviceaccount --priority --scheduled-time --output -o --query --node-field-selector --status --driver' ;;
        "argoctl template create") echo '--output -o' ;;
        "argoctl template get") echo '--output -o --query' ;;
        "argoctl template lint") echo '--output -o' ;;
        "argoctl template list") echo '--output -o --selector -l' ;;
        "argoctl template update") echo '--output -o' ;;
        "argoctl terminate") echo '--selector -l --field-selector' ;;
        "argoctl watch") echo '--output -o --node-field-selector --status' ;;
    esac
}

_argoctl_argument() {  # what the positional arguments of a command are
    case "$1" in
        "argoctl cluster-template create") echo 'files' ;;
        "argoctl cluster-template delete") echo 'objects:cluster-template' ;;
        "argoctl cluster-template get") echo 'objects:cluster-template' ;;
        "argoctl cluster-template lint") echo 'files' ;;
        "argoctl cluster-template update") echo 'files' ;;
        "argoctl completion") echo 'words:bash zsh fish' ;;
        "argoctl convert") echo 'files' ;;
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
        "argoctl retry") echo 'workflows' ;;
        "argoctl submit") echo 'files' ;;
        "argoctl template create") echo 'files' ;;
        "argoctl template delete") echo 'objects:template' ;;
        "argoctl template get") echo 'objects:template' ;;
        "argoctl template lint") echo 'files' ;;
        "argoctl template update") echo 'files' ;;
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
        "argoctl archive get --output") echo 'words:json yaml wide name' ;;
        "argoctl archive get -o") echo 'words:json yaml wide name' ;;
        "argoctl archive list --output") echo 'words:name json yaml wide' ;;
        "argoctl archive list -o") echo 'words:name json yaml wide' ;;
        "argoctl archive resubmit --output") echo 'words:name json yaml wide' ;;
        "argoctl archive resubmit -o") echo 'words:name json yaml wide' ;;
        "argoctl archive retry --output") echo 'words:name json yaml wide' ;;
        "argoctl archive retry -o") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template create --output") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template create -o") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template lint --output") echo 'words:simple pretty' ;;
        "argoctl cluster-template lint -o") echo 'words:simple pretty' ;;
        "argoctl cluster-template list --output") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template list -o") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template update --output") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template update -o") echo 'words:name json yaml wide' ;;
        "argoctl convert --output") echo 'words:json yaml' ;;
        "argoctl convert -o") echo 'words:json yaml' ;;
        "argoctl cron create --output") echo 'words:name json yaml wide' ;;
        "argoctl cron create -o") echo 'words:name json yaml wide' ;;
        "argoctl cron lint --output") echo 'words:simple pretty' ;;
        "argoctl cron lint -o") echo 'words:simple pretty' ;;
        "argoctl cron list --output") echo 'words:name json yaml wide' ;;
        "argoctl cron list -o") echo 'words:name json yaml wide' ;;
        "argoctl get --output") echo 'words:name json yaml wide short' ;;
        "argoctl get -o") echo 'words:name json yaml wide short' ;;
        "argoctl lint --output") echo 'words:simple pretty' ;;
        "argoctl lint -o") echo 'words:simple pretty' ;;
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
        "argoctl template create --output") echo 'words:name json yaml wide' ;;
        "argoctl template create -o") echo 'words:name json yaml wide' ;;
        "argoctl template lint --output") echo 'words:simple pretty' ;;
        "argoctl template lint -o") echo 'words:simple pretty' ;;
        "argoctl template list --output") echo 'words:name json yaml wide' ;;
        "argoctl template list -o") echo 'words:name json yaml wide' ;;
        "argoctl template update --output") echo 'words:name json yaml wide' ;;
        "argoctl template update -o") echo 'words:name json yaml wide' ;;
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
