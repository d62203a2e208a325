"""`factbot check FILE|URL|-`: check an article from the command line.

Exit 0 when the check ran (whatever the verdicts), 2 with a one-line
reason on standard error when the input is unusable.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import sys
from dataclasses import dataclass
from datetime import date

from bot import config as config_mod
from bot.inputs import InputError, read_file
from bot.checker import check_report
from bot.report import render_report

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check the figures and rankings in an article",
                       description="Check an article (a .txt/.md/.html file, an http(s) URL, or - for "
                                   "standard input) against the reference facts.")
    p.add_argument("target", help="file, URL or - for standard input")
    p.add_argument("--db", help="fact database (default: database.path in bot.toml)")
    p.add_argument("--json", action="store_true", help="print the JSON report")
    p.add_argument("--published", help="article date YYYY-MM-DD, resolves 'last year', 'the first quarter'")
    p.add_argument("--config", help="configuration file (default: ./bot.toml)")
    p.add_argument("--no-queue", action="store_true", help="do not queue claims for moderator review")
    p.set_defaults(handler=run)


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--published {text!r}: not a date, use YYYY-MM-DD (e.g. 2025-02-14)") from None


def fail(message: str) -> int:
    print(f"factbot: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    try:
        cfg = config_mod.load(args.config)
    except config_mod.ConfigError as exc:
        return fail(str(exc))
    from sources.db import DatabaseOpenError, open_db
    from sources.lookup import FactIndex
    try:
        published = parse_date(args.published) if args.published else None
        db = open_db(args.db or cfg.db_path)
    except InputError as exc:
        return fail(str(exc))
    except DatabaseOpenError as exc:
        return fail(str(exc))
    try:
        article = load_article(args.target, cfg, db)
    except InputError as exc:
        return fail(str(exc))
    published = published or article.published
    report = check_report(db, FactIndex(db), article.text, name=args.target, published=published,
                          max_claims=cfg.get("check", "max_claims"), title=article.title)
    from bot.cmd_review import after_check  # moderator decisions and the review queue
    report = after_check(db, report, args.target, cfg, queue=not args.no_queue)
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_report(report, colour=sys.stdout.isatty()))
    return 0


@dataclass(frozen=True)
class Loaded:
    text: str
    title: str | None = None
    published: date | None = None


def load_article(target: str, cfg: config_mod.Config, db=None) -> Loaded:
    """Text, title and date of what the user named: a link goes through the
    guarded intake, an HTML file through the same main-text extraction."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", target):
        return _read_url(target, cfg, db)
    doc = read_file(target)
    if doc.html:
        return _from_html(doc.text, target)
    return Loaded(doc.text)


def _from_html(html: str, name: str) -> Loaded:
    from bot.intake import FetchError, FetchedPage, extract_article
    page = FetchedPage(url=name, final_url=name, status=200, content_type="text/html", charset="utf-8",
                       text=html, raw_size=len(html))
    try:
        art = extract_article(page)
    except FetchError as exc:
        raise InputError(f"{name}: {exc.reason}") from None
    return Loaded(art.text, art.title, art.published)


def _read_url(url: str, cfg: config_mod.Config, db) -> Loaded:
    from bot.intake import FetchError, read_article
    try:
        art = asyncio.run(read_article(url, cfg, db))
    except FetchError as exc:
        raise InputError(f"{url}: {exc.reason}") from None
    return Loaded(art.text, art.title, art.published)
