"""The ``gradkit`` command line."""

from __future__ import annotations

import argparse
import sys


def _demo(_: argparse.Namespace) -> int:
    from gradkit import demo

    demo.run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gradkit", description="Compute, check and show gradients.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="a tour of gradkit on its seed examples").set_defaults(run=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gradkit`` console script."""
    arguments = build_parser().parse_args(argv)
    return arguments.run(arguments)


if __name__ == "__main__":
    sys.exit(main())
