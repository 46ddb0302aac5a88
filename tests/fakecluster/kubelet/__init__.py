"""The fake kubelet: runs each pod of the loopback cluster on the host.

Modules: images (image -> host program), env (container environment), volumes (pod volumes as
directories), sandbox (the container's filesystem view: unshare + overlay root, or path rewriting),
logstore (container logs), container (one process group), status (status documents), runner (one
container's life), worker (one pod's life), kubelet (pods from the store, logs, pod faults).
May import the standard library and tests.fakecluster's errors, meta, resources, service and store.
Called by tests.fakecluster.cluster (start/stop, faults) and endpoints (logs).
"""
