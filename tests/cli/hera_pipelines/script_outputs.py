"""Scripts with outputs: a result, an output parameter read from a file, used by the next steps."""

from hera.workflows import Parameter, Steps, Workflow, script
from hera.workflows import models as m


@script(outputs=[Parameter(name="count", value_from=m.ValueFrom(path="/tmp/count"))])
def produce() -> None:
    with open("/tmp/count", "w") as handle:
        handle.write("41")
    print("produced")


@script()
def consume(count: int, said: str) -> None:
    print(f"{said}: {count + 1}")


with Workflow(generate_name="hera-outputs-", entrypoint="main") as w:
    with Steps(name="main"):
        p = produce()
        consume(arguments={"count": p.get_parameter("count").value, "said": p.result})
