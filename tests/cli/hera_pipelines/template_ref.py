"""A WorkflowTemplate and a Workflow that calls it with templateRef (choose one with --object)."""

from hera.workflows import Container, Parameter, Step, Steps, Workflow, WorkflowTemplate
from hera.workflows import models as m

with WorkflowTemplate(name="hera-greeter", entrypoint="greet") as greeter:
    Container(
        name="greet", image="alpine:3.19", command=["sh", "-c"],
        args=["echo hello {{inputs.parameters.who}}"], inputs=[Parameter(name="who")],
    )

with Workflow(generate_name="hera-use-greeter-", entrypoint="main") as w:
    with Steps(name="main"):
        Step(name="call", template_ref=m.TemplateRef(name="hera-greeter", template="greet"),
             arguments={"who": "hera"})
