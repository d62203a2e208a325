"""`factbot review list|decide|history|add-source` and `factbot export claimreview`.

The moderator review queue from the shell. Thin on purpose: everything
that decides anything is in sources.review and sources.claimreview, which
the Discord bot calls too.

Exit codes: 0 done; 1 the item was already decided (nothing changed: the
command did not do what was asked, but the input was fine); 2 bad input
(unknown review id or verdict, unusable database or output file). Errors
are one line on standard error.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import config as config_mod
from bot.cliutil import CommandFailed, current_user, positive_int

if TYPE_CHECKING:
    import sqlite_utils


EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
VERDICTS = ("supported", "contradicted", "unverified", "disputed")  # claims.model.VERDICTS, without importing it

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `review` and `export` with their sub-commands to the top-level parser."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="PATH", help="database file (default: database.path in bot.toml)")
    common.add_argument("--config", metavar="FILE", help="configuration file (default: ./bot.toml if present)")

    review = subparsers.add_parser("review", help="the moderator review queue: list, decide, history",
                                   description="Claims whose automatic verdict needs a moderator: contradicted, "
                                               "disputed, low-confidence, or disputed by a reader.")
    sub = review.add_subparsers(dest="review_command", metavar="SUBCOMMAND")
    sub.required = True

    p = sub.add_parser("list", parents=[common], help="open review items (all with --all)")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--all", action="store_true", help="decided items too")
    p.add_argument("--limit", type=positive_int, metavar="N", help="at most N items")
    p.set_defaults(handler=_handler(cmd_list, "review list"))

    p = sub.add_parser("decide", parents=[common], help="record a moderator's verdict on an item",
                       description="Record a verdict (audit-logged). An item is decided once: deciding it again "
                                   "changes nothing and exits 1.")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--verdict", required=True, choices=VERDICTS)
    p.add_argument("--note", metavar="TEXT", help="why (kept in the audit log, published as the rating explanation)")
    p.add_argument("--by", metavar="NAME", help="moderator (default: your login name)")
    p.set_defaults(handler=_handler(cmd_decide, "review decide"))

    p = sub.add_parser("history", parents=[common], help="the audit log of decisions, sources and disputes")
    p.add_argument("id", type=int, nargs="?", metavar="ID", help="only this item")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.add_argument("--limit", type=positive_int, metavar="N", help="the newest N entries")
    p.set_defaults(handler=_handler(cmd_history, "review history"))

    p = sub.add_parser("add-source", parents=[common], help="add the source that settles an item as a fact",
                       description="Store a reference fact for the item's claim (entity, metric and period "
                                   "default to the claim's). It does not decide the item.")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--value", required=True, help="plain number in base units (18513000000, not 18.51 billion)")
    p.add_argument("--unit", required=True, help="ISO currency, %%, pp, points, rank or a plural noun")
    p.add_argument("--source", required=True, help="who publishes the figure")
    p.add_argument("--url", help="link to the source")
    p.add_argument("--period", help="as the source gives it (default: the claim's)")
    p.add_argument("--entity", help="default: the claim's subject")
    p.add_argument("--metric", help="default: the best evidence's metric, else the claim's")
    p.add_argument("--qualifier", default="exact", choices=("exact", "approx", "over", "under"))
    p.add_argument("--published", metavar="YYYY-MM-DD", help="when the source published it")
    p.add_argument("--note", metavar="TEXT")
    p.add_argument("--by", metavar="NAME", help="moderator (default: your login name)")
    p.set_defaults(handler=_handler(cmd_add_source, "review add-source"))

    export = subparsers.add_parser("export", help="publish reviewed verdicts (schema.org ClaimReview)")
    sub = export.add_subparsers(dest="export_command", metavar="FORMAT")
    sub.required = True
    p = sub.add_parser("claimreview", parents=[common], help="moderator-reviewed verdicts as ClaimReview JSON-LD",
                       description="Print a JSON list of schema.org ClaimReview objects, one per moderator "
                                   "decision; `factbot sources import` reads it back.")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(handler=_handler(cmd_export, "export claimreview"))




def _handler(func: Callable[[argparse.Namespace, "sqlite_utils.Database", config_mod.Config], int],
             name: str) -> Callable[[argparse.Namespace], int]:
    """Open the configuration and database for `func`; turn expected failures into one-line errors."""
    def run(args: argparse.Namespace) -> int:
        try:
            with _database(args) as (db, cfg):
                return func(args, db, cfg)
        except CommandFailed as exc:
            print(f"factbot {name}: {exc}", file=sys.stderr)
            return exc.code
        except sqlite3.Error as exc:
            print(f"factbot {name}: database error: {exc}", file=sys.stderr)
            return EXIT_FAILED
    run.__doc__ = func.__doc__
    return run


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[tuple["sqlite_utils.Database", config_mod.Config]]:
    from sources.db import DatabaseOpenError, open_db
    try:
        cfg = config_mod.load(args.config)
    except config_mod.ConfigError as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    try:
        db = open_db(args.db or cfg.db_path)
    except DatabaseOpenError as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    try:
        yield db, cfg
    finally:
        db.close()


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


# -- factbot check integration -------------------------------------------------------

def after_check(db: "sqlite_utils.Database", report: dict[str, Any], input_name: str, cfg: config_mod.Config, *,
                queue: bool = True) -> dict[str, Any]:
    """What `factbot check` does after the verdicts: give remembered claims the
    moderators' verdict, queue what needs a moderator, and return the JSON
    report (a new dict).

    Review is an addition to the check, not part of it: if the database
    refuses (read-only, locked too long), the check still reports, with a
    warning, and the claims keep their automatic verdicts.
    """
    from sources import review
    try:
        report = review.apply_reviews_to_dict(db, report)
    except sqlite3.Error as exc:
        print(f"factbot: warning: moderator decisions not applied: {exc}", file=sys.stderr)
        report = dict(report)
        for claim in report.get("claims") or []:
            claim.setdefault("reviewed", False)
    if queue and cfg.get("review", "queue_on_check"):
        try:
            review.enqueue_from_result(db, report, input_name, by="factbot check",
                                       min_confidence=cfg.get("review", "min_confidence"))
        except sqlite3.Error as exc:
            print(f"factbot: warning: claims not queued for review: {exc}", file=sys.stderr)
    return report


# -- review list ---------------------------------------------------------------------

def _describe_claim(claim: dict[str, Any]) -> str:
    where = " · ".join(str(x) for x in (claim.get("subject"), claim.get("metric"), claim.get("period")) if x)
    return f"{claim.get('quote')!r}  {where}".rstrip()


def _print_item(item: dict[str, Any]) -> None:
    claim = item["claim"]
    confidence = claim.get("confidence")
    auto = f"{claim.get('verdict')}" + (f" ({confidence:.2f})" if isinstance(confidence, (int, float)) else "")
    print(f"#{item['id']}  {item['status']}  {item['reason']}  queued {item['queued_at']} by {item['queued_by']}")
    print(f"    {_describe_claim(claim)}  — automatic: {auto}")
    print(f"    {claim.get('sentence')}")
    print(f"    why: {item['why']}")
    article = item["article"]
    label = article.get("title") or article.get("input")
    where = article.get("url") or article.get("input")
    print(f"    article: {label}" + (f" <{where}>" if where and where != label else ""))
    if item["disputes"]:
        print(f"    disputed by {len(item['disputes'])} reader(s), last: {item['disputes'][-1]['reason']}")
    decision = item.get("decision")
    if decision:
        note = f": {decision['note']}" if decision.get("note") else ""
        print(f"    decided: {decision['verdict']} by {decision['by']} at {decision['at']}{note}")


def cmd_list(args: argparse.Namespace, db: "sqlite_utils.Database", cfg: config_mod.Config) -> int:
    """Print the open review items, oldest first (or every item with --all)."""
    from sources.review import list_items
    items = list_items(db, status=None if args.all else "open", limit=args.limit)
    if args.json:
        _print_json(items)
        return EXIT_OK
    if not items:
        print("no review items" if args.all else "no open review items")
        return EXIT_OK
    for item in items:
        _print_item(item)
        print()
    return EXIT_OK


# -- review decide -------------------------------------------------------------------

def cmd_decide(args: argparse.Namespace, db: "sqlite_utils.Database", cfg: config_mod.Config) -> int:
    """Record the verdict; exit 1 without changing anything when the item was already decided."""
    from sources.review import AlreadyDecided, InvalidVerdict, ReviewError, UnknownReview, decide
    try:
        decision = decide(db, args.id, args.verdict, args.by or current_user(), args.note)
    except (UnknownReview, InvalidVerdict) as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    except AlreadyDecided as exc:
        raise CommandFailed(f"{exc}; nothing changed", EXIT_FAILED) from None
    except ReviewError as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    change = "confirms" if decision.verdict == decision.auto_verdict else "overrides"
    print(f"review #{decision.review_id}: {decision.verdict} by {decision.by} "
          f"({change} the automatic verdict {decision.auto_verdict})")
    return EXIT_OK


# -- review history ------------------------------------------------------------------

def _state(value: dict[str, Any] | None) -> str:
    if not value:
        return "-"
    if "fact_id" in value:
        number = value.get("value")
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        return (f"fact {value['fact_id']} ({value.get('outcome')}): {value.get('entity')} — {value.get('metric')}"
                f" = {number} {value.get('unit')}, {value.get('source')}")
    return str(value.get("verdict", "-"))


def cmd_history(args: argparse.Namespace, db: "sqlite_utils.Database", cfg: config_mod.Config) -> int:
    """Print the audit log, oldest first."""
    from sources.review import UnknownReview, history
    try:
        entries = history(db, args.id, limit=args.limit)
    except UnknownReview as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    if args.json:
        _print_json(entries)
        return EXIT_OK
    if not entries:
        print("no review history")
        return EXIT_OK
    for e in entries:
        note = f"  note: {e['note']}" if e.get("note") else ""
        if e["action"] == "decide":
            what = f"{_state(e['before'])} -> {_state(e['after'])}"
        elif e["action"] == "add_source":
            what = _state(e["after"])
        else:
            what = f"verdict was {_state(e['before'])}"
        print(f"{e['at']}  #{e['review_id']}  {e['action']:<10} by {e['who']}: {what}{note}")
    return EXIT_OK


# -- review add-source ----------------------------------------------------------------

def cmd_add_source(args: argparse.Namespace, db: "sqlite_utils.Database", cfg: config_mod.Config) -> int:
    """Store the moderator's source as a reference fact for the item's claim."""
    from sources.review import ReviewError, UnknownReview, add_source
    try:
        added = add_source(db, args.id, args.value, args.unit, args.period, args.source, args.url,
                           args.by or current_user(), entity=args.entity, metric=args.metric, qualifier=args.qualifier,
                           published=args.published, note=args.note)
    except (UnknownReview, ReviewError) as exc:
        raise CommandFailed(str(exc), EXIT_BAD_INPUT) from None
    print(f"review #{added.review_id}: source {added.outcome} as fact {added.fact_id} "
          f"(see `factbot sources show {added.fact_id}`)")
    return EXIT_OK


# -- export claimreview ----------------------------------------------------------------

def cmd_export(args: argparse.Namespace, db: "sqlite_utils.Database", cfg: config_mod.Config) -> int:
    """Print (or write to --out) the ClaimReview JSON-LD list of moderator decisions."""
    from sources.claimreview import export_claimreviews
    reviews = export_claimreviews(db, newsroom=cfg.get("review", "newsroom"),
                                  newsroom_url=cfg.get("review", "newsroom_url") or None)
    text = json.dumps(reviews, ensure_ascii=False, indent=1) + "\n"
    if not args.out or args.out == "-":
        sys.stdout.write(text)
        return EXIT_OK
    _write_file(Path(args.out), text)
    print(f"wrote {len(reviews)} ClaimReview(s) to {args.out}", file=sys.stderr)
    return EXIT_OK


def _write_file(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader (a web server
    publishing the file) never sees half an export."""
    if path.is_dir():
        raise CommandFailed(f"{path}: is a directory", EXIT_BAD_INPUT)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandFailed(f"{path}: directory {directory} does not exist", EXIT_BAD_INPUT)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        try:
            os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide the export from the web server
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise CommandFailed(f"{path}: cannot write: {exc.strerror or exc}", EXIT_BAD_INPUT) from None
