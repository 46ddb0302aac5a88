"""``python -m argoctl``."""

from argoctl.cli.main import run

if __name__ == "__main__":
    run()
