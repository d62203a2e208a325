"""The `factbot` command line: a thin layer that parses arguments and hands
them to one module per command group, so each feature's CLI sits beside it."""
from __future__ import annotations

import argparse
import logging
import sys

from bot import cmd_check, cmd_figures, cmd_run, cmd_sources
from bot import cmd_review
from bot import cmd_bench

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error, which is our "bad input" code too;
    this only makes the message a single clear line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"factbot: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factbot", description="Check figures and rankings in news articles against reference facts.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to standard error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    cmd_check.register(sub)
    cmd_sources.register(sub)
    cmd_figures.register(sub)
    cmd_bench.register(sub)
    cmd_run.register(sub)
    cmd_review.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.handler(args) or 0)
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print("factbot: interrupted", file=sys.stderr)
        return 130
