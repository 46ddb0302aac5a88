"""``python -m tests.fakecluster --kubeconfig PATH``: serve a loopback cluster until SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from tests.fakecluster.cluster import FakeCluster


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.fakecluster", description=__doc__)
    parser.add_argument("--kubeconfig", required=True, help="where to write the kubeconfig")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--namespace", action="append", default=[], help="extra namespace to create (repeatable)")
    parser.add_argument("--state-dir", default=None, help="directory for pod volumes and scratch space")
    parser.add_argument("--no-kubelet", action="store_true", help="store pods but never run them")
    parser.add_argument("--lenient-fields", action="store_true", help="accept unknown fields in pods")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    cluster = FakeCluster(port=args.port, state_dir=args.state_dir, kubelet=not args.no_kubelet,
                          strict_fields=not args.lenient_fields)
    cluster.start()
    try:
        for name in args.namespace:
            cluster.create_namespace(name)
        cluster.write_kubeconfig(args.kubeconfig)
        print("ready", flush=True)
        print(f"fakecluster: serving {cluster.url}, kubeconfig {args.kubeconfig}", file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
