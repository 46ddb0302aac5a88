"""The minimal RBAC argoctl needs in a namespace, as data; the manifest made from it; a preflight.

``deploy/rbac.yaml`` is generated from ``RULES`` (``python -m argoctl.kube.rbac > deploy/rbac.yaml``;
a test keeps the two in step). ``preflight`` asks the API server (SelfSubjectAccessReview) about
every verb of every rule and names what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from argoctl.kube.errors import forbidden_text
from argoctl.kube.paths import ResourcePath

if TYPE_CHECKING:
    from argoctl.kube.client import KubeClient

JSON = dict[str, Any]
ROLE_NAME = "argoctl"
SERVICE_ACCOUNT = "argoctl"
_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"


@dataclass(frozen=True, slots=True)
class Rule:
    """One Role rule: ``verbs`` on ``resource`` (``pods/log`` names a subresource) of ``group``."""

    group: str
    resource: str
    verbs: tuple[str, ...]
    why: str

    def target(self, namespace: str) -> ResourcePath:
        resource, _, subresource = self.resource.partition("/")
        return ResourcePath(group=self.group, resource=resource, namespace=namespace, subresource=subresource)


RULES: tuple[Rule, ...] = (
    Rule("", "pods", ("create", "get", "list", "watch", "delete"), "run each step as a pod and watch it"),
    Rule("", "pods/log", ("get",), "read step logs and outputs"),
    Rule("", "configmaps", ("create", "get", "list", "watch", "update", "patch", "delete"),
         "keep workflow state, templates, commands and archived logs"),
    Rule("coordination.k8s.io", "leases", ("create", "get", "update", "delete"), "one driver per workflow"),
    Rule("", "events", ("create",), "report workflow and step events"),
    Rule("batch", "cronjobs", ("create", "get", "list", "update", "delete"),
         "one CronJob per CronWorkflow schedule (Kubernetes schedules the runs)"),
    Rule("batch", "jobs", ("get", "list", "delete"), "the jobs those CronJobs start"),
)


@dataclass(frozen=True, slots=True)
class Check:
    rule: Rule
    verb: str
    allowed: bool
    reason: str = ""

    @property
    def name(self) -> str:
        group = f".{self.rule.group}" if self.rule.group else ""
        return f"{self.verb} {self.rule.resource}{group}"


def role(namespace: str | None = None, name: str = ROLE_NAME) -> JSON:
    metadata: JSON = {"name": name, "labels": {"app.kubernetes.io/managed-by": "argoctl"}}
    if namespace:
        metadata["namespace"] = namespace
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": metadata,
            "rules": [{"apiGroups": [rule.group], "resources": [rule.resource], "verbs": list(rule.verbs)}
                      for rule in RULES]}


def manifest_documents() -> list[JSON]:
    """The Role, and a ServiceAccount bound to it for drivers that run in the cluster (``--driver pod``)."""
    labels = {"app.kubernetes.io/managed-by": "argoctl"}
    account: JSON = {"apiVersion": "v1", "kind": "ServiceAccount",
                     "metadata": {"name": SERVICE_ACCOUNT, "labels": labels}}
    binding: JSON = {
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
        "metadata": {"name": ROLE_NAME, "labels": labels},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": ROLE_NAME},
        "subjects": [{"kind": "ServiceAccount", "name": SERVICE_ACCOUNT}],
    }
    return [role(), account, binding]


def manifest() -> str:
    """``deploy/rbac.yaml``: apply with ``kubectl apply -n NAMESPACE -f deploy/rbac.yaml``."""
    import yaml

    header = ("# The minimal permissions argoctl needs in one namespace (generated from argoctl/kube/rbac.py:\n"
              "#   python -m argoctl.kube.rbac > deploy/rbac.yaml).\n"
              "# kubectl apply -n NAMESPACE -f deploy/rbac.yaml\n"
              "# kubectl create rolebinding argoctl-$USER -n NAMESPACE --role=argoctl --user=YOUR-USER\n")
    body = "---\n".join(yaml.safe_dump(doc, sort_keys=False, default_flow_style=False)
                        for doc in manifest_documents())
    return header + "---\n" + body


def check_all(client: KubeClient, namespace: str) -> list[Check]:
    """One SelfSubjectAccessReview per verb of every rule."""
    checks: list[Check] = []
    for rule in RULES:
        target = rule.target(namespace)
        for verb in rule.verbs:
            attributes = {"namespace": namespace, "verb": verb, "group": rule.group, "resource": target.resource}
            if target.subresource:
                attributes["subresource"] = target.subresource
            review = client.create(_REVIEWS, {"apiVersion": "authorization.k8s.io/v1",
                                              "kind": "SelfSubjectAccessReview",
                                              "spec": {"resourceAttributes": attributes}})
            status = review.get("status") or {}
            checks.append(Check(rule, verb, bool(status.get("allowed")), str(status.get("reason") or "")))
    return checks


def missing(checks: list[Check], namespace: str) -> list[str]:
    return [forbidden_text(check.verb, check.rule.target(namespace)) for check in checks if not check.allowed]


def preflight(client: KubeClient, namespace: str) -> list[str]:
    """What argoctl may not do in ``namespace``, one message per missing verb (empty: all is well)."""
    return missing(check_all(client, namespace), namespace)


if __name__ == "__main__":
    print(manifest(), end="")
