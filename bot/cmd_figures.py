"""`factbot figures [FILE|-]`: the figure reader alone, for measuring it.

Reads JSON Lines `{"id": ..., "text": ...}` and prints one line per input,
`{"id": ..., "figures": [{"text", "value", "unit", "kind", ...}]}`. A bad
line is reported on standard error and skipped, so one broken record does
not cost a whole evaluation run.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from typing import IO, Iterator

from claims.figures import find_figures
from claims.model import Figure

log = logging.getLogger(__name__)

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "figures", help="list the figures in each text of a JSON Lines file",
        description="Read JSON Lines {\"id\": ..., \"text\": ...} and print the figures found in each text.")
    parser.add_argument("file", nargs="?", default="-", metavar="FILE",
                        help="JSON Lines input, or - for standard input (default)")
    parser.set_defaults(handler=run)


def figure_json(fig: Figure) -> dict:
    return {"text": fig.text, "value": fig.value, "unit": fig.unit, "kind": fig.kind,
            "qualifier": fig.qualifier, "precision": fig.precision, "start": fig.start, "end": fig.end}


def _records(stream: IO[str]) -> Iterator[tuple[object, str]]:
    """(id, text) of each good line; bad lines are reported and skipped."""
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"factbot figures: line {lineno}: not JSON ({exc.msg})", file=sys.stderr)
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            print(f"factbot figures: line {lineno}: no \"text\" string", file=sys.stderr)
            continue
        yield record.get("id"), record["text"]


def run(args: argparse.Namespace) -> int:
    path = getattr(args, "file", "-") or "-"
    try:
        source = contextlib.nullcontext(sys.stdin) if path == "-" else open(path, encoding="utf-8")
    except OSError as exc:
        print(f"factbot figures: cannot read {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    count = 0
    try:
        with source as stream:
            for rid, text in _records(stream):
                figures = [figure_json(f) for f in find_figures(text)]
                sys.stdout.write(json.dumps({"id": rid, "figures": figures}, ensure_ascii=False) + "\n")
                count += 1
    except UnicodeDecodeError as exc:
        print(f"factbot figures: cannot read {path}: not UTF-8 ({exc.reason})", file=sys.stderr)
        return EXIT_BAD_INPUT
    log.info("read figures from %d texts", count)
    return EXIT_OK
