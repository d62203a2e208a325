"""`factbot bench [--json] [--quick]`: run the benchmarks and print figures
and ratios (a table, or the JSON of CONTRACTS.md with --json).

The work lives in `bot.bench`; this module only parses arguments, so the
benchmarks can also be run from Python (`bot.bench.run_benchmarks`).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="run the benchmarks and print figures and ratios",
        description="Measure figure extraction (against quantulum3), the whole check at 10^3..10^6 facts, "
                    "import and search, side by side in one run. The full run takes a few minutes.")
    parser.add_argument("--json", action="store_true", help="print the results as one JSON object")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes only (seconds, for CI smoke runs); no 10^6 figures")
    parser.add_argument("--profile", type=int, nargs="?", const=5, default=0, metavar="RUNS",
                        help="also profile RUNS checks (default 5) at the largest size and print the hot spots")
    parser.add_argument("--workdir", type=Path, metavar="DIR",
                        help="build the check databases here and keep them (default: a temporary directory)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot import bench

    if args.workdir is not None and not args.workdir.is_dir():
        print(f"factbot bench: --workdir {args.workdir}: not a directory", file=sys.stderr)
        return EXIT_BAD_INPUT
    plan = bench.QUICK if args.quick else bench.FULL
    results = bench.run_benchmarks(plan, workdir=args.workdir, profile_runs=max(0, args.profile or 0))
    sys.stdout.write(bench.render_json(results) if args.json else bench.render_table(results))
    return EXIT_OK
