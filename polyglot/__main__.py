"""`python -m polyglot` and the console script."""
import sys

from polyglot.cli import main


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
