# bash completion for argoctl
# Generated from the command tree by `python -m argoctl.cli.generate --write`; do not edit.
# Load it with: source <(argoctl completion bash)

_argoctl_commands() {  # the subcommands of a command path
    case "$1" in
        "argoctl") echo 'apply archive auth cluster-template completion convert cp cron delete get lint list logs node resubmit resume retry stop submit suspend template terminate version wait watch' ;;
        "argoctl archive") echo 'delete get list list-label-keys list-label-values resubmit retry' ;;
        "argoctl auth") echo 'can-i token' ;;
        "argoctl cluster-template") echo 'create delete get lint list update' ;;
        "argoctl cron") echo 'backfill create delete get lint list resume run suspend trigger update' ;;
        "argoctl node") echo 'set' ;;
        "argoctl template") echo 'create delete get lint list update' ;;
    esac
}

_argoctl_options() {  # the options of a command path (non-empty for every command)
    case "$1" in
        "argoctl") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl apply") echo '--filename -f --object --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl archive") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl archive delete") echo '--uid --name -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl archive get") echo '--uid --name --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl archive list") echo '--output -o --selector -l --chunk-size -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl archive list-label-keys") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl archive list-label-values") echo '--selector -l -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl archive resubmit") echo '--uid --name --memoized --parameter -p --priority --selector -l --field-selector --wait -w --watch --log --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl archive retry") echo '--uid --name --restart-successful --node-field-selector --parameter -p --selector -l --field-selector --wait -w --watch --log --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl auth") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl auth can-i") echo '--quiet -q -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl auth token") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cluster-template") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cluster-template create") echo '--output -o --object --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cluster-template delete") echo '--all -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cluster-template get") echo '--output -o --query -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cluster-template lint") echo '--output -o --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cluster-template list") echo '--output -o --selector -l --all-namespaces -A -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cluster-template update") echo '--output -o --object --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl completion") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl convert") echo '--output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cp") echo '--artifact-name --template-name --node-id --path -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron backfill") echo '--start --end --format --argname --maxworkflowcount --name --parallel -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron create") echo '--schedule --parameter -p --parameter-file -f --name --generate-name --entrypoint --labels -l --serviceaccount --output -o --strict --no-strict --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron delete") echo '--all -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron get") echo '--output -o --query -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron lint") echo '--strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron list") echo '--output -o --selector -l --all-namespaces -A -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron resume") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron run") echo '--once -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron suspend") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron trigger") echo '--scheduled-time --wait -w --job --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl cron update") echo '--parameter -p --parameter-file -f --name --generate-name --entrypoint --labels -l --serviceaccount --output -o --strict --no-strict --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl delete") echo '--all --all-namespaces -A --completed --older --prefix --status --resubmitted --selector -l --field-selector --query-chunk-size --dry-run --force -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl get") echo '--output -o --query --node-field-selector --status --no-utf8 -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl lint") echo '--output -o --kinds --offline --object --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl list") echo '--output -o --selector -l --field-selector --status --running --completed --older --since --prefix --resubmitted --all-namespaces -A --chunk-size --no-headers --query -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl logs") echo '--container -c --follow -f --grep --previous -p --selector -l --since --since-time --tail --timestamps --no-prefix -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl node") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl node set") echo '--output-parameter -p --phase --message -m --node-field-selector -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl resubmit") echo '--memoized --parameter -p --priority --selector -l --field-selector --wait -w --watch --log --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl resume") echo '--node-field-selector -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl retry") echo '--restart-successful --node-field-selector --parameter -p --selector -l --field-selector --wait -w --watch --log --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl stop") echo '--node-field-selector --message --selector -l --field-selector --dry-run -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl submit") echo '--from --parameter -p --parameter-file -f --entrypoint --name --generate-name --labels -l --serviceaccount --priority --scheduled-time --watch --wait -w --log --output -o --query --dry-run --server-dry-run --object --node-field-selector --status --driver --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl suspend") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl template") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl template create") echo '--output -o --object --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl template delete") echo '--all -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl template get") echo '--output -o --query -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl template lint") echo '--output -o --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl template list") echo '--output -o --selector -l --all-namespaces -A -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl template update") echo '--output -o --object --strict --no-strict -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl terminate") echo '--selector -l --field-selector --dry-run -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl version") echo '--short -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl wait") echo '--ignore-not-found -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
        "argoctl watch") echo '--output -o --node-field-selector --status -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --insecure-skip-tls-verify --tls-server-name --proxy-url --request-timeout --disable-compression --username --password --qps --burst --backend --store -v --verbose --loglevel --log-format --no-color --help -h' ;;
    esac
}

_argoctl_value_options() {  # the options of a command path that take a value
    case "$1" in
        "argoctl") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl apply") echo '--filename -f --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl archive") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl archive delete") echo '--uid --name -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl archive get") echo '--uid --name --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl archive list") echo '--output -o --selector -l --chunk-size -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl archive list-label-keys") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl archive list-label-values") echo '--selector -l -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl archive resubmit") echo '--uid --name --parameter -p --priority --selector -l --field-selector --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl archive retry") echo '--uid --name --node-field-selector --parameter -p --selector -l --field-selector --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl auth") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl auth can-i") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl auth token") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cluster-template") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cluster-template create") echo '--output -o --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cluster-template delete") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cluster-template get") echo '--output -o --query -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cluster-template lint") echo '--output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cluster-template list") echo '--output -o --selector -l -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cluster-template update") echo '--output -o --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl completion") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl convert") echo '--output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cp") echo '--artifact-name --template-name --node-id --path -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron backfill") echo '--start --end --format --argname --maxworkflowcount --name -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron create") echo '--schedule --parameter -p --parameter-file -f --name --generate-name --entrypoint --labels -l --serviceaccount --output -o --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron delete") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron get") echo '--output -o --query -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron lint") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron list") echo '--output -o --selector -l -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron resume") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron run") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron suspend") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron trigger") echo '--scheduled-time --job --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl cron update") echo '--parameter -p --parameter-file -f --name --generate-name --entrypoint --labels -l --serviceaccount --output -o --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl delete") echo '--older --prefix --status --selector -l --field-selector --query-chunk-size -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl get") echo '--output -o --query --node-field-selector --status -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl lint") echo '--output -o --kinds --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl list") echo '--output -o --selector -l --field-selector --status --older --since --prefix --chunk-size --query -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl logs") echo '--container -c --grep --selector -l --since --since-time --tail -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl node") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl node set") echo '--output-parameter -p --phase --message -m --node-field-selector -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl resubmit") echo '--parameter -p --priority --selector -l --field-selector --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl resume") echo '--node-field-selector -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl retry") echo '--node-field-selector --parameter -p --selector -l --field-selector --output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl stop") echo '--node-field-selector --message --selector -l --field-selector -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl submit") echo '--from --parameter -p --parameter-file -f --entrypoint --name --generate-name --labels -l --serviceaccount --priority --scheduled-time --output -o --query --object --node-field-selector --status --driver -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl suspend") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl template") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl template create") echo '--output -o --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl template delete") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl template get") echo '--output -o --query -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl template lint") echo '--output -o -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl template list") echo '--output -o --selector -l -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl template update") echo '--output -o --object -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl terminate") echo '--selector -l --field-selector -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl version") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl wait") echo '-n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
        "argoctl watch") echo '--output -o --node-field-selector --status -n --namespace --kubeconfig --context --cluster --user --as --as-group --as-uid --token --server --certificate-authority --client-certificate --client-key --tls-server-name --proxy-url --request-timeout --username --password --qps --burst --backend --store --loglevel --log-format' ;;
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
        "argoctl cron backfill") echo 'objects:cron' ;;
        "argoctl cron create") echo 'files' ;;
        "argoctl cron delete") echo 'objects:cron' ;;
        "argoctl cron get") echo 'objects:cron' ;;
        "argoctl cron lint") echo 'files' ;;
        "argoctl cron resume") echo 'objects:cron' ;;
        "argoctl cron suspend") echo 'objects:cron' ;;
        "argoctl cron trigger") echo 'objects:cron' ;;
        "argoctl cron update") echo 'files' ;;
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
        "argoctl --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl apply --filename") echo 'files' ;;
        "argoctl apply -f") echo 'files' ;;
        "argoctl apply --kubeconfig") echo 'files' ;;
        "argoctl apply --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl archive --kubeconfig") echo 'files' ;;
        "argoctl archive --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl archive delete --kubeconfig") echo 'files' ;;
        "argoctl archive delete --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl archive get --output") echo 'words:json yaml wide name' ;;
        "argoctl archive get -o") echo 'words:json yaml wide name' ;;
        "argoctl archive get --kubeconfig") echo 'files' ;;
        "argoctl archive get --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl archive list --output") echo 'words:name json yaml wide' ;;
        "argoctl archive list -o") echo 'words:name json yaml wide' ;;
        "argoctl archive list --kubeconfig") echo 'files' ;;
        "argoctl archive list --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl archive list-label-keys --kubeconfig") echo 'files' ;;
        "argoctl archive list-label-keys --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl archive list-label-values --kubeconfig") echo 'files' ;;
        "argoctl archive list-label-values --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl archive resubmit --output") echo 'words:name json yaml wide' ;;
        "argoctl archive resubmit -o") echo 'words:name json yaml wide' ;;
        "argoctl archive resubmit --kubeconfig") echo 'files' ;;
        "argoctl archive resubmit --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl archive retry --output") echo 'words:name json yaml wide' ;;
        "argoctl archive retry -o") echo 'words:name json yaml wide' ;;
        "argoctl archive retry --kubeconfig") echo 'files' ;;
        "argoctl archive retry --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl auth --kubeconfig") echo 'files' ;;
        "argoctl auth --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl auth can-i --kubeconfig") echo 'files' ;;
        "argoctl auth can-i --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl auth token --kubeconfig") echo 'files' ;;
        "argoctl auth token --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cluster-template --kubeconfig") echo 'files' ;;
        "argoctl cluster-template --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cluster-template create --output") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template create -o") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template create --kubeconfig") echo 'files' ;;
        "argoctl cluster-template create --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cluster-template delete --kubeconfig") echo 'files' ;;
        "argoctl cluster-template delete --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cluster-template get --kubeconfig") echo 'files' ;;
        "argoctl cluster-template get --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cluster-template lint --output") echo 'words:simple pretty' ;;
        "argoctl cluster-template lint -o") echo 'words:simple pretty' ;;
        "argoctl cluster-template lint --kubeconfig") echo 'files' ;;
        "argoctl cluster-template lint --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cluster-template list --output") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template list -o") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template list --kubeconfig") echo 'files' ;;
        "argoctl cluster-template list --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cluster-template update --output") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template update -o") echo 'words:name json yaml wide' ;;
        "argoctl cluster-template update --kubeconfig") echo 'files' ;;
        "argoctl cluster-template update --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl completion --kubeconfig") echo 'files' ;;
        "argoctl completion --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl convert --output") echo 'words:json yaml' ;;
        "argoctl convert -o") echo 'words:json yaml' ;;
        "argoctl convert --kubeconfig") echo 'files' ;;
        "argoctl convert --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cp --kubeconfig") echo 'files' ;;
        "argoctl cp --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron --kubeconfig") echo 'files' ;;
        "argoctl cron --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron backfill --kubeconfig") echo 'files' ;;
        "argoctl cron backfill --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron create --parameter-file") echo 'files' ;;
        "argoctl cron create -f") echo 'files' ;;
        "argoctl cron create --output") echo 'words:name json yaml wide' ;;
        "argoctl cron create -o") echo 'words:name json yaml wide' ;;
        "argoctl cron create --kubeconfig") echo 'files' ;;
        "argoctl cron create --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron delete --kubeconfig") echo 'files' ;;
        "argoctl cron delete --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron get --output") echo 'words:name json yaml wide' ;;
        "argoctl cron get -o") echo 'words:name json yaml wide' ;;
        "argoctl cron get --kubeconfig") echo 'files' ;;
        "argoctl cron get --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron lint --kubeconfig") echo 'files' ;;
        "argoctl cron lint --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron list --output") echo 'words:wide name json yaml' ;;
        "argoctl cron list -o") echo 'words:wide name json yaml' ;;
        "argoctl cron list --kubeconfig") echo 'files' ;;
        "argoctl cron list --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron resume --kubeconfig") echo 'files' ;;
        "argoctl cron resume --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron run --kubeconfig") echo 'files' ;;
        "argoctl cron run --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron suspend --kubeconfig") echo 'files' ;;
        "argoctl cron suspend --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron trigger --output") echo 'words:name json yaml wide' ;;
        "argoctl cron trigger -o") echo 'words:name json yaml wide' ;;
        "argoctl cron trigger --kubeconfig") echo 'files' ;;
        "argoctl cron trigger --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl cron update --parameter-file") echo 'files' ;;
        "argoctl cron update -f") echo 'files' ;;
        "argoctl cron update --output") echo 'words:name json yaml wide' ;;
        "argoctl cron update -o") echo 'words:name json yaml wide' ;;
        "argoctl cron update --kubeconfig") echo 'files' ;;
        "argoctl cron update --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl delete --kubeconfig") echo 'files' ;;
        "argoctl delete --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl get --output") echo 'words:name json yaml wide short dot mermaid' ;;
        "argoctl get -o") echo 'words:name json yaml wide short dot mermaid' ;;
        "argoctl get --kubeconfig") echo 'files' ;;
        "argoctl get --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl lint --output") echo 'words:simple pretty' ;;
        "argoctl lint -o") echo 'words:simple pretty' ;;
        "argoctl lint --kubeconfig") echo 'files' ;;
        "argoctl lint --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl list --output") echo 'words:name json yaml wide' ;;
        "argoctl list -o") echo 'words:name json yaml wide' ;;
        "argoctl list --kubeconfig") echo 'files' ;;
        "argoctl list --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl logs --kubeconfig") echo 'files' ;;
        "argoctl logs --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl node --kubeconfig") echo 'files' ;;
        "argoctl node --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl node set --kubeconfig") echo 'files' ;;
        "argoctl node set --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl resubmit --output") echo 'words:name json yaml wide' ;;
        "argoctl resubmit -o") echo 'words:name json yaml wide' ;;
        "argoctl resubmit --kubeconfig") echo 'files' ;;
        "argoctl resubmit --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl resume --kubeconfig") echo 'files' ;;
        "argoctl resume --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl retry --output") echo 'words:name json yaml wide' ;;
        "argoctl retry -o") echo 'words:name json yaml wide' ;;
        "argoctl retry --kubeconfig") echo 'files' ;;
        "argoctl retry --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl stop --kubeconfig") echo 'files' ;;
        "argoctl stop --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl submit --parameter-file") echo 'files' ;;
        "argoctl submit -f") echo 'files' ;;
        "argoctl submit --output") echo 'words:name json yaml wide' ;;
        "argoctl submit -o") echo 'words:name json yaml wide' ;;
        "argoctl submit --kubeconfig") echo 'files' ;;
        "argoctl submit --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl suspend --kubeconfig") echo 'files' ;;
        "argoctl suspend --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl template --kubeconfig") echo 'files' ;;
        "argoctl template --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl template create --output") echo 'words:name json yaml wide' ;;
        "argoctl template create -o") echo 'words:name json yaml wide' ;;
        "argoctl template create --kubeconfig") echo 'files' ;;
        "argoctl template create --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl template delete --kubeconfig") echo 'files' ;;
        "argoctl template delete --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl template get --kubeconfig") echo 'files' ;;
        "argoctl template get --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl template lint --output") echo 'words:simple pretty' ;;
        "argoctl template lint -o") echo 'words:simple pretty' ;;
        "argoctl template lint --kubeconfig") echo 'files' ;;
        "argoctl template lint --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl template list --output") echo 'words:name json yaml wide' ;;
        "argoctl template list -o") echo 'words:name json yaml wide' ;;
        "argoctl template list --kubeconfig") echo 'files' ;;
        "argoctl template list --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl template update --output") echo 'words:name json yaml wide' ;;
        "argoctl template update -o") echo 'words:name json yaml wide' ;;
        "argoctl template update --kubeconfig") echo 'files' ;;
        "argoctl template update --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl terminate --kubeconfig") echo 'files' ;;
        "argoctl terminate --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl version --kubeconfig") echo 'files' ;;
        "argoctl version --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl wait --kubeconfig") echo 'files' ;;
        "argoctl wait --backend") echo 'words:local kubernetes docker auto' ;;
        "argoctl watch --output") echo 'words:name json yaml wide' ;;
        "argoctl watch -o") echo 'words:name json yaml wide' ;;
        "argoctl watch --kubeconfig") echo 'files' ;;
        "argoctl watch --backend") echo 'words:local kubernetes docker auto' ;;
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
