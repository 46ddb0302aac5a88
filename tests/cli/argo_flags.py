"""Each argo verb's OWN options (the "Options" section of argo v4's CLI reference, docs/cli in
argoproj/argo-workflows; not "Options inherited from parent commands", which are the global options)
for the verbs argoctl has. ``(short, long)``; ``""`` when argo has no short form. ``-h/--help`` left out.

The cron verbs are kept by the cron verbs' own tests; server, sync and executor-plugin talk to
argo-server or its ConfigMaps only and are not argoctl verbs.
"""

from __future__ import annotations

ARGO_FLAGS: dict[str, tuple[tuple[str, str], ...]] = {
    "archive": (),
    "archive delete": (("", "--name"), ("", "--uid")),
    "archive get": (("", "--name"), ("-o", "--output"), ("", "--uid")),
    "archive list": (("", "--chunk-size"), ("-o", "--output"), ("-l", "--selector")),
    "archive list-label-keys": (),
    "archive list-label-values": (("-l", "--selector"),),
    "archive resubmit": (("", "--field-selector"), ("", "--log"), ("", "--memoized"), ("", "--name"), ("-o", "--output"), ("-p", "--parameter"), ("", "--priority"), ("-l", "--selector"), ("", "--uid"), ("-w", "--wait"), ("", "--watch")),
    "archive retry": (("", "--field-selector"), ("", "--log"), ("", "--name"), ("", "--node-field-selector"), ("-o", "--output"), ("-p", "--parameter"), ("", "--restart-successful"), ("-l", "--selector"), ("", "--uid"), ("-w", "--wait"), ("", "--watch")),
    "auth": (),
    "auth token": (),
    "cluster-template": (),
    "cluster-template create": (("-o", "--output"), ("", "--strict")),
    "cluster-template delete": (("", "--all"),),
    "cluster-template get": (("-o", "--output"),),
    "cluster-template lint": (("-o", "--output"), ("", "--strict")),
    "cluster-template list": (("-o", "--output"),),
    "cluster-template update": (("-o", "--output"), ("", "--strict")),
    "completion": (),
    "convert": (("", "--no-color"), ("-o", "--output")),
    "cp": (("", "--artifact-name"), ("-n", "--namespace"), ("", "--node-id"), ("", "--path"), ("", "--template-name")),
    "delete": (("", "--all"), ("-A", "--all-namespaces"), ("", "--completed"), ("", "--dry-run"), ("", "--field-selector"), ("", "--force"), ("", "--older"), ("", "--prefix"), ("", "--query-chunk-size"), ("", "--resubmitted"), ("-l", "--selector"), ("", "--status")),
    "get": (("", "--no-color"), ("", "--no-utf8"), ("", "--node-field-selector"), ("-o", "--output"), ("", "--status")),
    "lint": (("", "--kinds"), ("", "--no-color"), ("", "--offline"), ("-o", "--output"), ("", "--strict")),
    "list": (("-A", "--all-namespaces"), ("", "--chunk-size"), ("", "--completed"), ("", "--field-selector"), ("", "--no-headers"), ("", "--older"), ("-o", "--output"), ("", "--prefix"), ("", "--resubmitted"), ("", "--running"), ("-l", "--selector"), ("", "--since"), ("", "--status")),
    "logs": (("-c", "--container"), ("-f", "--follow"), ("", "--grep"), ("", "--no-color"), ("-p", "--previous"), ("-l", "--selector"), ("", "--since"), ("", "--since-time"), ("", "--tail"), ("", "--timestamps")),
    "node": (("-m", "--message"), ("", "--node-field-selector"), ("-p", "--output-parameter"), ("", "--phase")),
    "resubmit": (("", "--field-selector"), ("", "--log"), ("", "--memoized"), ("-o", "--output"), ("-p", "--parameter"), ("", "--priority"), ("-l", "--selector"), ("-w", "--wait"), ("", "--watch")),
    "resume": (("", "--node-field-selector"),),
    "retry": (("", "--field-selector"), ("", "--log"), ("", "--node-field-selector"), ("-o", "--output"), ("-p", "--parameter"), ("", "--restart-successful"), ("-l", "--selector"), ("-w", "--wait"), ("", "--watch")),
    "stop": (("", "--dry-run"), ("", "--field-selector"), ("", "--message"), ("", "--node-field-selector"), ("-l", "--selector")),
    "submit": (("", "--dry-run"), ("", "--entrypoint"), ("", "--from"), ("", "--generate-name"), ("-l", "--labels"), ("", "--log"), ("", "--name"), ("", "--node-field-selector"), ("-o", "--output"), ("-p", "--parameter"), ("-f", "--parameter-file"), ("", "--priority"), ("", "--scheduled-time"), ("", "--server-dry-run"), ("", "--serviceaccount"), ("", "--status"), ("", "--strict"), ("-w", "--wait"), ("", "--watch")),
    "suspend": (),
    "template": (),
    "template create": (("-o", "--output"), ("", "--strict")),
    "template delete": (("", "--all"),),
    "template get": (("-o", "--output"),),
    "template lint": (("-o", "--output"), ("", "--strict")),
    "template list": (("-A", "--all-namespaces"), ("-o", "--output"), ("-l", "--selector")),
    "template update": (("-o", "--output"), ("", "--strict")),
    "terminate": (("", "--dry-run"), ("", "--field-selector"), ("-l", "--selector")),
    "version": (("", "--short"),),
    "wait": (("", "--ignore-not-found"),),
    "watch": (("", "--node-field-selector"), ("", "--status")),
}
