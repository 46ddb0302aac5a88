"""``python -m argoctl.runtime.detached NAME --namespace NS``: a driver with no terminal.

It drives the workflow to completion, or exits quietly when another live driver holds it.
"""

from __future__ import annotations

import argparse
import sys

from argoctl.errors import ArgoctlError, ConflictError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="argoctl-driver")
    parser.add_argument("name")
    parser.add_argument("--namespace", default="default")
    args = parser.parse_args(argv)
    from argoctl.cli.app import App, GlobalOptions
    from argoctl.runtime.driver import Driver

    app = App(GlobalOptions(namespace=args.namespace))
    driver = Driver(app.store(), app.backend(), notices=app.notice, artifact_deleter=app.artifact_deleter)
    try:
        state = driver.run(args.name)
    except ConflictError as exc:
        sys.stderr.write(f"driver: {exc.message}\n")
        return 0
    except ArgoctlError as exc:
        sys.stderr.write(f"driver: error: {exc.render()}\n")
        return int(exc.exit_code)
    sys.stderr.write(f"driver: {state.name} {state.phase}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
