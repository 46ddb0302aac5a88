"""A DAG with conditions: one branch runs, the other is skipped, a `depends` join follows."""

from hera.workflows import DAG, Parameter, Workflow, script


@script()
def decide(threshold: int) -> None:
    print("heads" if threshold > 5 else "tails")


@script()
def heads() -> None:
    print("it was heads")


@script()
def tails() -> None:
    print("it was tails")


@script()
def report() -> None:
    print("done")


with Workflow(
    generate_name="hera-conditions-", entrypoint="main", arguments=Parameter(name="threshold", value="7")
) as w:
    with DAG(name="main"):
        d = decide(arguments={"threshold": "{{workflow.parameters.threshold}}"})
        h = heads(when=f"{d.result} == heads")
        t = tails(when=f"{d.result} == tails")
        report(depends="heads || tails")
        d >> [h, t]
