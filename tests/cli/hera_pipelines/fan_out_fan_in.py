"""Fan-out and fan-in: one task emits a list, a task runs per item, a last one sums their results."""

from hera.workflows import DAG, Workflow, script


@script()
def generate() -> None:
    import json
    import sys

    json.dump([{"value": i} for i in range(1, 4)], sys.stdout)


@script()
def square(value: int) -> None:
    print(value * value)


@script()
def total(values: list) -> None:  # the loop's results arrive as a JSON list of strings
    print(sum(int(v) for v in values))


with Workflow(generate_name="hera-fan-out-", entrypoint="main") as w:
    with DAG(name="main"):
        g = generate()
        s = square(with_param=g.result, arguments={"value": "{{item.value}}"})
        t = total(arguments={"values": s.result})
        g >> s >> t
