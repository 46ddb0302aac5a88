"""``python -m argoctl.runtime.detached NAME [GLOBAL OPTIONS]``: a driver with no terminal.

It takes the global options of the command that started it (``argoctl.runtime.wiring.child_invocation``
writes them), drives the workflow to completion, or exits quietly when another live driver holds it.
"""

from __future__ import annotations

import sys

from argoctl.errors import ArgoctlError, ConflictError


def _notice(text: str) -> None:
    sys.stderr.write(f"driver: {text}\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    from argoctl.runtime.settings import argument_parser, options_from

    parser = argument_parser("argoctl-driver")
    parser.add_argument("name")
    args = parser.parse_args(argv)
    try:
        from argoctl.runtime.driver import Driver
        from argoctl.runtime.wiring import Wiring

        wiring = Wiring.from_options(options_from(args, skip=("name",)), notices=_notice)
        driver = Driver(wiring.store(), wiring.backend(), notices=wiring.notices,
                        artifact_deleter=wiring.artifact_deleter)
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
