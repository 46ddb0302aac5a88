"""``python -m tests.containerengine --socket PATH``: serve the test engine, print ``ready``."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
from pathlib import Path

from tests.containerengine import ContainerEngine, unavailable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--socket", required=True, help="where to serve the Docker Engine API")
    args = parser.parse_args()
    why = unavailable()
    if why:
        print(f"error: {why}", file=sys.stderr)
        return 2
    directory = Path(tempfile.mkdtemp(prefix="argoctl-engine-"))
    engine = ContainerEngine(directory, Path(args.socket)).start()
    print("ready", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        assert engine.process is not None
        engine.process.wait()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        engine.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
