"""`factbot sources import|search|show|remove`: the reference-fact database from the shell.

Thin on purpose: parsing arguments and printing. Everything that decides
anything lives in `sources/`, which the Discord bot reuses. Exit codes:
0 done, 1 failed (or --strict refused the file), 2 bad input (unreadable
file, unknown id, unusable database). Errors are one line on stderr.
"""
from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from bot import config as config_mod
from bot.cliutil import CommandFailed, current_user, positive_int

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
PROGRESS_MIN_LINES = 5000

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `sources` and its sub-commands to the top-level parser."""
    sources = subparsers.add_parser("sources", help="import, search, show and remove reference facts",
                                    description="Manage the reference facts claims are checked against.")
    sub = sources.add_subparsers(dest="sources_command", metavar="SUBCOMMAND")
    sub.required = True

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="database file (default: database.path in bot.toml)")
    common.add_argument("--config", metavar="FILE", help="configuration file (default: ./bot.toml if present)")

    p = sub.add_parser("import", parents=[common], help="add facts from CSV, JSON Lines or ClaimReview JSON-LD",
                       description="Import reference facts. Re-importing the same rows changes nothing; bad rows "
                                   "are reported with their line number and skipped.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--strict", action="store_true",
                   help="all or nothing: if any row has a problem, write nothing and exit 1")
    p.add_argument("--by", metavar="NAME", help="recorded as added_by (default: your login name)")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("search", parents=[common], help="find facts by fuzzy entity and metric text")
    p.add_argument("query", metavar="QUERY", nargs="+")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--limit", type=positive_int, default=10, metavar="N", help="at most N results (default 10)")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("show", parents=[common], help="a fact with its provenance and history")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("remove", parents=[common], help="delete a fact, keeping an audit record")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--by", metavar="NAME", help="who removes it (default: your login name)")
    p.add_argument("--note", metavar="TEXT", help="why")
    p.set_defaults(handler=cmd_remove)




def _error(args: argparse.Namespace, message: str) -> None:
    print(f"factbot sources {args.sources_command}: {message}", file=sys.stderr)


def _handler(func: Callable[[argparse.Namespace, sqlite_utils.Database], int]) -> Callable[[argparse.Namespace], int]:
    """Open the database for `func` and turn expected failures into one-line errors."""
    def run(args: argparse.Namespace) -> int:
        try:
            with _database(args) as db:
                return func(args, db)
        except CommandFailed as exc:
            _error(args, str(exc))
            return exc.code
        except sqlite3.Error as exc:
            _error(args, f"database error: {exc}")
            return EXIT_FAILED
    run.__doc__ = func.__doc__
    return run


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[sqlite_utils.Database]:
    from sources.db import DatabaseOpenError, open_db
    try:
        path = args.db or config_mod.load(args.config).db_path
    except config_mod.ConfigError as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    try:
        db = open_db(path)
    except DatabaseOpenError as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    try:
        yield db
    finally:
        db.close()


# -- import ---------------------------------------------------------------------

def _progress() -> Callable[[int, int], None] | None:
    """A progress line on stderr, only for people watching a long import."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total >= PROGRESS_MIN_LINES:
            print(f"\rimporting: {done:,} of ~{total:,} lines", end="", file=sys.stderr, flush=True)
    return show


@_handler
def cmd_import(args: argparse.Namespace, db: sqlite_utils.Database) -> int:
    """Import FILE; print the summary on stdout and one line per problem on stderr."""
    from sources.importer import ImportAborted, SourceImportError, import_file
    progress = _progress()
    try:
        report = import_file(db, args.file, strict=args.strict, added_by=args.by or current_user(), progress=progress)
    except ImportAborted as exc:
        raise CommandFailed(str(exc), EXIT_FAILED) from None
    except SourceImportError as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    finally:
        if progress:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
    if report.encoding not in ("utf-8", "ascii"):
        print(f"note: {args.file} is not UTF-8; read it as {report.encoding}", file=sys.stderr)
    if report.ignored_columns:
        print(f"note: ignored unknown column(s): {', '.join(report.ignored_columns)}", file=sys.stderr)
    for line, reason in report.problems:
        print(f"{line}: {reason}", file=sys.stderr)
    print(report.summary())
    if not report.written:
        print(f"strict: {len(report.problems)} row(s) had problems; nothing was written", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


# -- search ---------------------------------------------------------------------

def format_value(value: float) -> str:
    """Base-unit numbers readable at a glance: 18,513,000,000 / -11.1."""
    if value.is_integer() and abs(value) < 1e18:
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1e18 else f"{value:,}"


def _clip(text: str | None, width: int) -> str:
    text = text or ""
    return text if len(text) <= width else text[: width - 1] + "…"


def _fact_json(fact: Any, score: float | None = None) -> dict[str, Any]:
    data = {"id": fact.id, "entity": fact.entity, "metric": fact.metric, "value": fact.value, "unit": fact.unit,
            "qualifier": fact.qualifier, "period": fact.period, "region": fact.region, "source": fact.source,
            "url": fact.url, "published": fact.published}
    return data if score is None else {"score": score, **data}


@_handler
def cmd_search(args: argparse.Namespace, db: sqlite_utils.Database) -> int:
    """Print the best matches for QUERY as a table (or JSON)."""
    from sources.search import search
    query = " ".join(args.query)
    hits = search(db, query, limit=args.limit)
    if args.json:
        print(json.dumps([_fact_json(h.fact, h.score) for h in hits], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not hits:
        print(f"no facts match {query!r}", file=sys.stderr)
        return EXIT_OK
    header = ("score", "id", "entity", "metric", "value", "unit", "period", "source")
    rows = [(f"{h.score:.2f}", str(h.fact.id), _clip(h.fact.entity, 28), _clip(h.fact.metric, 44),
             format_value(h.fact.value), h.fact.unit, _clip(h.fact.period, 28), _clip(h.fact.source, 40))
            for h in hits]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    right = {0, 1, 4}
    for row in [header, *rows]:
        cells = [cell.rjust(w) if i in right else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths))]
        print("  ".join(cells).rstrip())
    return EXIT_OK


# -- show / remove --------------------------------------------------------------

def _describe(row: dict[str, Any]) -> str:
    period = f" ({row['period']})" if row.get("period") else ""
    return f"{row.get('entity', '?')} — {row['metric']}{period}"


def _print_fact(row: dict[str, Any], aliases: list[str]) -> None:
    span = ""
    if row.get("period_start"):
        span = f"  [{row['period_start']} .. {row['period_end']}" + (f", {row['fiscal']}" if row.get("fiscal") else "") + "]"
    fields = [
        ("value", f"{format_value(row['value'])} {row['unit']} ({row['qualifier']})"),
        ("period", (row.get("period") or "-") + span),
        ("region", row.get("region") or "-"),
        ("source", row["source"]),
        ("url", row.get("url") or "-"),
        ("published", row.get("published") or "-"),
        ("note", row.get("note") or "-"),
        ("added", f"{row['added_at']} by {row['added_by']}"),
    ]
    if aliases:
        fields.append(("aliases", ", ".join(aliases)))
    for name, value in fields:
        print(f"  {name:<10} {value}")


@_handler
def cmd_show(args: argparse.Namespace, db: sqlite_utils.Database) -> int:
    """Print a fact, its older versions and its audit trail (also for removed facts)."""
    from sources.store import UnknownFact, show_fact
    try:
        shown = show_fact(db, args.id)
    except UnknownFact as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    if args.json:
        print(json.dumps(shown, ensure_ascii=False, indent=1))
        return EXIT_OK
    fact = shown["fact"]
    if fact is not None:
        print(f"fact {args.id}: {_describe(fact)}")
        _print_fact(fact, shown["aliases"])
    else:
        removal = next((a for a in reversed(shown["audit"]) if a["action"] == "remove"), None)
        if removal:
            print(f"fact {args.id} was removed {removal['at']} by {removal['who']}"
                  + (f": {removal['note']}" if removal.get("note") else ""))
            print(f"as it was: {_describe(removal['row'])}")
            _print_fact(removal["row"], [])
    if shown["history"]:
        print(f"history ({len(shown['history'])} older version(s)):")
        for old in shown["history"]:
            print(f"  {old['replaced_at']} replaced by {old['replaced_by']}: {old['why']}")
    if shown["audit"]:
        print("audit:")
        for entry in shown["audit"]:
            note = f": {entry['note']}" if entry.get("note") else ""
            print(f"  {entry['at']} {entry['action']} by {entry['who']}{note}")
    return EXIT_OK


@_handler
def cmd_remove(args: argparse.Namespace, db: sqlite_utils.Database) -> int:
    """Delete a fact and record who, when, why and what it was."""
    from sources.store import UnknownFact, remove_fact
    try:
        old = remove_fact(db, args.id, by=args.by or current_user(), note=args.note)
    except UnknownFact as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    print(f"removed fact {args.id}: {_describe(old)} (audit kept; see `factbot sources show {args.id}`)")
    return EXIT_OK
