"""Small builders and client shortcuts for tests that use the loopback cluster."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


def pod_manifest(name: str, command: list[str] | None = None, *, image: str = "busybox",
                 restart_policy: str = "Never", labels: dict[str, str] | None = None, **spec: Any) -> JSON:
    container: JSON = {"name": "main", "image": image}
    if command is not None:
        container["command"] = command
    body: JSON = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels or {}},
                  "spec": {"restartPolicy": restart_policy, "containers": [container], **spec}}
    return body


def is_done(pod: JSON) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def main_state(pod: JSON, name: str = "main") -> JSON:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return dict(next((s["state"] for s in statuses if s["name"] == name), {}))


def terminated(pod: JSON, name: str = "main") -> JSON:
    state = main_state(pod, name)
    assert "terminated" in state, state
    return dict(state["terminated"])


def api_status(error: Any) -> JSON:
    """The Status body of a kubernetes ApiException."""
    import json

    return dict(json.loads(error.body))


def raw_call(api_client: Any, method: str, path: str, body: Any = None,
             headers: dict[str, str] | None = None) -> tuple[int, Any]:
    """One request through the client's transport, answered as (status, parsed JSON or text)."""
    import json

    header_params = {"Accept": "application/json", **(headers or {})}
    if body is not None:
        header_params.setdefault("Content-Type", "application/json")
    method, url, header_params, body, _ = api_client.param_serialize(
        method, path, header_params=header_params, body=body, auth_settings=["BearerToken"])
    response = api_client.call_api(method, url, header_params=header_params, body=body)
    response.read()
    text = response.data.decode()
    try:
        return response.status, json.loads(text)
    except ValueError:
        return response.status, text


def api(kind: str, api_client: Any) -> Any:
    """``kubernetes.client.<kind>(api_client)``, untyped (tests pass plain dicts as bodies)."""
    from kubernetes import client

    return getattr(client, kind)(api_client)


def client_for(kubeconfig_path: str) -> Any:
    from kubernetes import config

    return config.new_client_from_config(config_file=kubeconfig_path)  # type: ignore[no-untyped-call]


def new_watch() -> Any:
    from kubernetes import watch

    return watch.Watch()  # type: ignore[no-untyped-call]
