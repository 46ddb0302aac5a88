# fish completion for argoctl
# Generated from the command tree by `python -m argoctl.cli.generate --write`; do not edit.
# Put it in ~/.config/fish/completions/argoctl.fish, or run: argoctl completion fish | source

function __argoctl_is_command --description 'Whether $argv[1] is a command path'
    contains -- $argv[1] \
        'argoctl' \
        'argoctl apply' \
        'argoctl auth' \
        'argoctl auth can-i' \
        'argoctl cluster-template' \
        'argoctl cluster-template create' \
        'argoctl cluster-template delete' \
        'argoctl cluster-template get' \
        'argoctl cluster-template lint' \
        'argoctl cluster-template list' \
        'argoctl completion' \
        'argoctl cp' \
        'argoctl cron' \
        'argoctl cron create' \
        'argoctl cron delete' \
        'argoctl cron get' \
        'argoctl cron lint' \
        'argoctl cron list' \
        'argoctl delete' \
        'argoctl get' \
        'argoctl lint' \
        'argoctl list' \
        'argoctl logs' \
        'argoctl node' \
        'argoctl node set' \
        'argoctl resubmit' \
        'argoctl resume' \
        'argoctl retry' \
        'argoctl stop' \
        'argoctl submit' \
        'argoctl suspend' \
        'argoctl template' \
        'argoctl template create' \
        'argoctl template delete' \
        'argoctl template get' \
        'argoctl template lint' \
        'argoctl template list' \
        'argoctl terminate' \
        'argoctl version' \
        'argoctl wait' \
        'argoctl watch'
end

function __argoctl_value_options --description 'The options of a command path that take a value'
    switch $argv[1]
        case 'argoctl'
            printf '%s\n' --namespace -n --kubeconfig --context --backend --store --qps --burst
        case 'argoctl apply'
            printf '%s\n' --filename -f
        case 'argoctl cluster-template get'
            printf '%s\n' --output -o --query
        case 'argoctl cluster-template list'
            printf '%s\n' --output -o
        case 'argoctl cp'
            printf '%s\n' --artifact-name --template-name --node-id --path
        case 'argoctl cron get'
            printf '%s\n' --output -o --query
        case 'argoctl cron list'
            printf '%s\n' --output -o
        case 'argoctl delete'
            printf '%s\n' --older --selector -l
        case 'argoctl get'
            printf '%s\n' --output -o --query --node-field-selector --status
        case 'argoctl list'
            printf '%s\n' --output -o --selector -l --status --since --prefix --query
        case 'argoctl logs'
            printf '%s\n' --container -c --since --tail
        case 'argoctl node set'
            printf '%s\n' --output-parameter -p --phase --message -m --node-field-selector
        case 'argoctl resubmit'
            printf '%s\n' --parameter -p --output -o
        case 'argoctl resume'
            printf '%s\n' --node-field-selector
        case 'argoctl retry'
            printf '%s\n' --node-field-selector --parameter -p --output -o
        case 'argoctl stop'
            printf '%s\n' --node-field-selector --message
        case 'argoctl submit'
            printf '%s\n' --from --parameter -p --parameter-file -f --entrypoint --name --generate-name --labels -l --serviceaccount --priority --scheduled-time --output -o --query --node-field-selector --status --driver
        case 'argoctl template get'
            printf '%s\n' --output -o --query
        case 'argoctl template list'
            printf '%s\n' --output -o
        case 'argoctl watch'
            printf '%s\n' --output -o --node-field-selector --status
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

complete -c argoctl -f
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a apply -d 'Store templates, cron workflows, ConfigMaps and Secrets from files.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a auth -d 'Check what argoctl may do in the cluster.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a cluster-template -d 'Manage cluster workflow templates.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a completion -d 'Print the shell completion script (bash, zsh or fish).'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a cp -d 'Copy a workflow\'s output artifacts to a local directory.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a cron -d 'Manage cron workflows.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a delete -d 'Delete workflows (running ones are terminated).'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a get -d 'Show a workflow: its status tree, or -o json|yaml the whole object.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a lint -d 'Validate manifests without running them (exit 2 on any problem).'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a list -d 'List workflows: unfinished first, newest first.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a logs -d 'Print the logs of a workflow\'s pods (archived logs once pods are gone).'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a node -d 'Act on a workflow\'s nodes.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a resubmit -d 'Submit a workflow again as a new workflow.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a resume -d 'Resume suspended workflows and suspend steps.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a retry -d 'Retry failed workflows: failed steps and what follows them run again.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a stop -d 'Stop workflows: kill running pods, still run exit handlers.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a submit -d 'Submit workflows from files (or --from a stored template) and run them.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a suspend -d 'Suspend workflows: start no new steps until resumed.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a template -d 'Manage workflow templates.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a terminate -d 'Terminate workflows: kill everything, no exit handlers.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a version -d 'Print the version.'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a wait -d 'Wait for workflows to finish (taking them over if their driver is gone).'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -a watch -d 'Watch a workflow\'s progress until it finishes (taking it over if needed).'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l namespace -s n -x -d 'Namespace (default: default)'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l kubeconfig -r -F -d 'Path to the kubeconfig file'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l context -x -d 'Kubeconfig context to use'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l backend -x -a 'local kubernetes' -d 'kubernetes or local (env ARGOCTL_BACKEND)'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l store -x -d 'State store URL: file:///dir, s3://bucket/prefix (env ARGOCTL_STORE)'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l verbose -s v -d 'Show tracebacks on errors'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l no-color -d 'Disable colour'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l qps -x -d 'Kubernetes client QPS limit'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l burst -x -d 'Kubernetes client burst'
complete -c argoctl -n '__argoctl_at \'argoctl\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl apply\'' -l filename -s f -r -F -d 'Manifest file (- for stdin)'
complete -c argoctl -n '__argoctl_at \'argoctl apply\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl apply\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl auth\'' -a can-i -d 'Check every permission argoctl needs in the namespace (exit 3 if one is...'
complete -c argoctl -n '__argoctl_at \'argoctl auth\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl auth can-i\'' -l quiet -s q -d 'Print only what is missing'
complete -c argoctl -n '__argoctl_at \'argoctl auth can-i\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template\'' -a create -d 'Create cluster workflow templates from files (validated first).'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template\'' -a delete -d 'Delete cluster workflow templates.'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template\'' -a get -d 'Show a cluster workflow template.'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template\'' -a lint -d 'Validate cluster workflow template files.'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template\'' -a list -d 'List cluster workflow templates.'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template create\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template create\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template create\'' -F
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template delete\'' -l all
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template delete\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template delete\'' -a '(__argoctl_names cluster-template list)'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template get\'' -l output -s o -x
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template get\'' -l query -x -d 'JMESPath expression applied to -o json|yaml'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template get\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template get\'' -a '(__argoctl_names cluster-template list)'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template lint\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template lint\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template lint\'' -F
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template list\'' -l output -s o -x -a 'name json yaml wide' -d 'Output format: name|json|yaml|wide'
complete -c argoctl -n '__argoctl_at \'argoctl cluster-template list\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl completion\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl completion\'' -a 'bash zsh fish'
complete -c argoctl -n '__argoctl_at \'argoctl cp\'' -l artifact-name -x -d 'Only this artifact'
complete -c argoctl -n '__argoctl_at \'argoctl cp\'' -l template-name -x -d 'Only nodes of this template'
complete -c argoctl -n '__argoctl_at \'argoctl cp\'' -l node-id -x -d 'Only this node'
complete -c argoctl -n '__argoctl_at \'argoctl cp\'' -l path -x -d 'Path below DIR for each artifact'
complete -c argoctl -n '__argoctl_at \'argoctl cp\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cp\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl cron\'' -a create -d 'Create cron workflows from files (validated first).'
complete -c argoctl -n '__argoctl_at \'argoctl cron\'' -a delete -d 'Delete cron workflows.'
complete -c argoctl -n '__argoctl_at \'argoctl cron\'' -a get -d 'Show a cron workflow.'
complete -c argoctl -n '__argoctl_at \'argoctl cron\'' -a lint -d 'Validate cron workflow files.'
complete -c argoctl -n '__argoctl_at \'argoctl cron\'' -a list -d 'List cron workflows.'
complete -c argoctl -n '__argoctl_at \'argoctl cron\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cron create\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl cron create\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cron create\'' -F
complete -c argoctl -n '__argoctl_at \'argoctl cron delete\'' -l all
complete -c argoctl -n '__argoctl_at \'argoctl cron delete\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cron delete\'' -a '(__argoctl_names cron list)'
complete -c argoctl -n '__argoctl_at \'argoctl cron get\'' -l output -s o -x
complete -c argoctl -n '__argoctl_at \'argoctl cron get\'' -l query -x -d 'JMESPath expression applied to -o json|yaml'
complete -c argoctl -n '__argoctl_at \'argoctl cron get\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cron get\'' -a '(__argoctl_names cron list)'
complete -c argoctl -n '__argoctl_at \'argoctl cron lint\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl cron lint\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl cron lint\'' -F
complete -c argoctl -n '__argoctl_at \'argoctl cron list\'' -l output -s o -x -a 'name json yaml wide' -d 'Output format: name|json|yaml|wide'
complete -c argoctl -n '__argoctl_at \'argoctl cron list\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl delete\'' -l all -d 'Delete every workflow in the namespace'
complete -c argoctl -n '__argoctl_at \'argoctl delete\'' -l completed -d 'Delete finished workflows'
complete -c argoctl -n '__argoctl_at \'argoctl delete\'' -l older -x -d 'Delete workflows finished longer ago than this, e.g. 1d'
complete -c argoctl -n '__argoctl_at \'argoctl delete\'' -l selector -s l -x -d 'Label selector, e.g. app=x,team!=y'
complete -c argoctl -n '__argoctl_at \'argoctl delete\'' -l dry-run
complete -c argoctl -n '__argoctl_at \'argoctl delete\'' -l force -d 'Delete even if artifact GC fails'
complete -c argoctl -n '__argoctl_at \'argoctl delete\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl delete\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl get\'' -l output -s o -x -a 'name json yaml wide short' -d 'name|json|yaml|wide|short'
complete -c argoctl -n '__argoctl_at \'argoctl get\'' -l query -x -d 'JMESPath expression applied to -o json|yaml'
complete -c argoctl -n '__argoctl_at \'argoctl get\'' -l node-field-selector -x -d 'Select nodes, e.g. displayName=step1'
complete -c argoctl -n '__argoctl_at \'argoctl get\'' -l status -x -d 'Only nodes of these phases, e.g. Failed,Error'
complete -c argoctl -n '__argoctl_at \'argoctl get\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl get\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl lint\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl lint\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl lint\'' -F
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l output -s o -x -a 'name json yaml wide' -d 'Output format: name|json|yaml|wide'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l selector -s l -x -d 'Label selector, e.g. app=x,team!=y'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l status -x -d 'Only these phases, e.g. Failed,Error'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l running -d 'Only unfinished workflows'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l completed -d 'Only finished workflows'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l since -x -d 'Only workflows created in this duration, e.g. 1h'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l prefix -x -d 'Only names with this prefix'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l no-headers -d 'Omit the header row'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l query -x -d 'JMESPath expression applied to -o json|yaml'
complete -c argoctl -n '__argoctl_at \'argoctl list\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl logs\'' -l container -s c -x
complete -c argoctl -n '__argoctl_at \'argoctl logs\'' -l follow -s f -d 'Keep printing until the workflow ends'
complete -c argoctl -n '__argoctl_at \'argoctl logs\'' -l since -x -d 'Only lines newer than this duration'
complete -c argoctl -n '__argoctl_at \'argoctl logs\'' -l tail -x -d 'Only the last N lines of each pod'
complete -c argoctl -n '__argoctl_at \'argoctl logs\'' -l timestamps
complete -c argoctl -n '__argoctl_at \'argoctl logs\'' -l no-prefix -d 'Do not prefix lines with the pod name'
complete -c argoctl -n '__argoctl_at \'argoctl logs\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl logs\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl node\'' -a set -d 'Set output parameters, phase or message of suspend nodes.'
complete -c argoctl -n '__argoctl_at \'argoctl node\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl node set\'' -l output-parameter -s p -x -d 'NAME=VALUE'
complete -c argoctl -n '__argoctl_at \'argoctl node set\'' -l phase -x -d 'Succeeded or Failed'
complete -c argoctl -n '__argoctl_at \'argoctl node set\'' -l message -s m -x
complete -c argoctl -n '__argoctl_at \'argoctl node set\'' -l node-field-selector -x -d 'Select nodes, e.g. displayName=step1'
complete -c argoctl -n '__argoctl_at \'argoctl node set\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl node set\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl resubmit\'' -l memoized -d 'Keep the outputs of succeeded steps'
complete -c argoctl -n '__argoctl_at \'argoctl resubmit\'' -l parameter -s p -x -d 'Input parameter NAME=VALUE'
complete -c argoctl -n '__argoctl_at \'argoctl resubmit\'' -l wait -s w
complete -c argoctl -n '__argoctl_at \'argoctl resubmit\'' -l watch
complete -c argoctl -n '__argoctl_at \'argoctl resubmit\'' -l output -s o -x -a 'name json yaml wide' -d 'Output format: name|json|yaml|wide'
complete -c argoctl -n '__argoctl_at \'argoctl resubmit\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl resubmit\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl resume\'' -l node-field-selector -x -d 'Select nodes, e.g. displayName=step1'
complete -c argoctl -n '__argoctl_at \'argoctl resume\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl resume\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl retry\'' -l restart-successful -d 'Also re-run succeeded nodes matching --node-field-selector'
complete -c argoctl -n '__argoctl_at \'argoctl retry\'' -l node-field-selector -x -d 'Select nodes, e.g. displayName=step1'
complete -c argoctl -n '__argoctl_at \'argoctl retry\'' -l parameter -s p -x -d 'Input parameter NAME=VALUE'
complete -c argoctl -n '__argoctl_at \'argoctl retry\'' -l wait -s w
complete -c argoctl -n '__argoctl_at \'argoctl retry\'' -l watch
complete -c argoctl -n '__argoctl_at \'argoctl retry\'' -l output -s o -x -a 'name json yaml wide' -d 'Output format: name|json|yaml|wide'
complete -c argoctl -n '__argoctl_at \'argoctl retry\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl retry\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl stop\'' -l node-field-selector -x -d 'Select nodes, e.g. displayName=step1'
complete -c argoctl -n '__argoctl_at \'argoctl stop\'' -l message -x -d 'Message for the stopped suspend nodes'
complete -c argoctl -n '__argoctl_at \'argoctl stop\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl stop\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l from -x -d 'workflowtemplate/NAME, clusterworkflowtemplate/NAME or cronworkflow/NAME'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l parameter -s p -x -d 'Input parameter NAME=VALUE'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l parameter-file -s f -r -F -d 'YAML/JSON file of parameters'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l entrypoint -x -d 'Override spec.entrypoint'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l name -x -d 'Override metadata.name'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l generate-name -x -d 'Override metadata.generateName'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l labels -s l -x -d 'Extra labels KEY=VALUE,...'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l serviceaccount -x -d 'Run pods with this service account'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l priority -x -d 'Workflow priority'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l scheduled-time -x -d 'RFC3339 time for workflow.scheduledTime'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l watch -d 'Drive in the foreground and show progress'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l wait -s w -d 'Wait quietly until the workflow ends'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l log -d 'Print the pods\' logs while waiting'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l output -s o -x -a 'name json yaml wide' -d 'Output format: name|json|yaml|wide'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l query -x -d 'JMESPath expression applied to -o json|yaml'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l dry-run -d 'Print the workflow without creating it'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l node-field-selector -x -d 'Select nodes, e.g. displayName=step1'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l status -x -d 'With --watch: only show nodes of these phases'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l driver -x -d 'Who runs the engine: local (a process on this machine) or pod (a driver pod in the cluster)'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl submit\'' -F
complete -c argoctl -n '__argoctl_at \'argoctl suspend\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl suspend\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl template\'' -a create -d 'Create workflow templates from files (validated first).'
complete -c argoctl -n '__argoctl_at \'argoctl template\'' -a delete -d 'Delete workflow templates.'
complete -c argoctl -n '__argoctl_at \'argoctl template\'' -a get -d 'Show a workflow template.'
complete -c argoctl -n '__argoctl_at \'argoctl template\'' -a lint -d 'Validate workflow template files.'
complete -c argoctl -n '__argoctl_at \'argoctl template\'' -a list -d 'List workflow templates.'
complete -c argoctl -n '__argoctl_at \'argoctl template\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl template create\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl template create\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl template create\'' -F
complete -c argoctl -n '__argoctl_at \'argoctl template delete\'' -l all
complete -c argoctl -n '__argoctl_at \'argoctl template delete\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl template delete\'' -a '(__argoctl_names template list)'
complete -c argoctl -n '__argoctl_at \'argoctl template get\'' -l output -s o -x
complete -c argoctl -n '__argoctl_at \'argoctl template get\'' -l query -x -d 'JMESPath expression applied to -o json|yaml'
complete -c argoctl -n '__argoctl_at \'argoctl template get\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl template get\'' -a '(__argoctl_names template list)'
complete -c argoctl -n '__argoctl_at \'argoctl template lint\'' -l strict -l no-strict -d 'Reject unknown fields in manifests, as argo does (--strict=false to accept them)'
complete -c argoctl -n '__argoctl_at \'argoctl template lint\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl template lint\'' -F
complete -c argoctl -n '__argoctl_at \'argoctl template list\'' -l output -s o -x -a 'name json yaml wide' -d 'Output format: name|json|yaml|wide'
complete -c argoctl -n '__argoctl_at \'argoctl template list\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl terminate\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl terminate\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl version\'' -l short
complete -c argoctl -n '__argoctl_at \'argoctl version\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl wait\'' -l ignore-not-found
complete -c argoctl -n '__argoctl_at \'argoctl wait\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl wait\'' -a '(__argoctl_names list)'
complete -c argoctl -n '__argoctl_at \'argoctl watch\'' -l output -s o -x -a 'name json yaml wide' -d 'Output format: name|json|yaml|wide'
complete -c argoctl -n '__argoctl_at \'argoctl watch\'' -l node-field-selector -x -d 'Select nodes, e.g. displayName=step1'
complete -c argoctl -n '__argoctl_at \'argoctl watch\'' -l status -x -d 'Only nodes of these phases'
complete -c argoctl -n '__argoctl_at \'argoctl watch\'' -l help -s h -d 'Show the help and exit'
complete -c argoctl -n '__argoctl_at \'argoctl watch\'' -a '(__argoctl_names list)'
