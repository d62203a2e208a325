"""Caches in the bot's SQLite database: articles by link, results by content.

A popular link is posted many times in a short while; fetching it once per
`cache_ttl_seconds` spares the site and keeps a burst of posts from turning
the bot into a load generator. Check results are cached by what was checked
(content hash) and by which engine checked it, so the same article under two
links is checked once and an engine upgrade invalidates old results.

`db` is a `sqlite3.Connection` or anything with a `.conn` attribute holding
one (a `sqlite_utils.Database`, as `sources.db.open_db` may return). The
tables come from sources/migrations/0010_fetch_cache.sql; if the migration
runner has not applied it, it is applied here (it only creates tables).
"""
from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from yarl import URL

from bot.intake.article import Article
from sources.db import write_transaction
from sources.store import utc_iso

log = logging.getLogger(__name__)

MIGRATION = "0010_fetch_cache.sql"
# Query parameters that only say where a click came from: links differing
# only in them are one page.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_NAMES = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid"})


def connection(db: Any) -> sqlite3.Connection:
    """The raw sqlite3 connection behind `db`."""
    return getattr(db, "conn", db)


def _migration_sql() -> str:
    try:
        return importlib.resources.files("sources.migrations").joinpath(MIGRATION).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):  # running from an unusual layout
        return (Path(__file__).resolve().parents[2] / "sources" / "migrations" / MIGRATION).read_text("utf-8")


def ensure_schema(db: Any) -> None:
    """Create the cache tables if the migration runner has not."""
    conn = connection(db)
    found = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('fetch_cache', 'check_results')")}
    if len(found) < 2:
        log.info("creating cache tables from %s", MIGRATION)
        conn.executescript(_migration_sql())



def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def normalise_url(url: str) -> str:
    """The cache key for a link: scheme and host lower-cased, default port,
    fragment and tracking parameters dropped, empty path made "/"."""
    parsed = URL(url.strip())
    host = (parsed.raw_host or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    if not parsed.is_default_port() and parsed.explicit_port is not None:
        host = f"{host}:{parsed.explicit_port}"
    kept = [(k, v) for k, v in parsed.query.items()
            if not (k.lower().startswith(_TRACKING_PREFIXES) or k.lower() in _TRACKING_NAMES)]
    query = parsed.raw_query_string if len(kept) == len(parsed.query) else URL("/").with_query(kept).raw_query_string
    return f"{parsed.scheme}://{host}{parsed.raw_path or '/'}" + (f"?{query}" if query else "")


def get_cached_article(db: Any, url: str, ttl_seconds: int, now: dt.datetime | None = None) -> Article | None:
    """The article read from `url` less than `ttl_seconds` ago, else None."""
    if ttl_seconds <= 0:
        return None
    ensure_schema(db)
    cutoff = utc_iso((now or _now()) - dt.timedelta(seconds=ttl_seconds))
    row = connection(db).execute(
        "SELECT article FROM fetch_cache WHERE url = ? AND fetched_at > ?", (normalise_url(url), cutoff)
    ).fetchone()
    if row is None:
        return None
    try:
        return Article.from_json(row[0])
    except (TypeError, ValueError, KeyError):  # written by an older Article: refetch
        return None


def store_article(db: Any, url: str, article: Article, ttl_seconds: int, now: dt.datetime | None = None) -> None:
    """Remember `article` as read from `url`; prunes entries past the TTL."""
    if ttl_seconds <= 0:
        return
    ensure_schema(db)
    moment = now or _now()
    conn = connection(db)
    with write_transaction(conn):  # all or nothing, and never an open transaction left behind
        conn.execute(
            "INSERT OR REPLACE INTO fetch_cache (url, final_url, fetched_at, article) VALUES (?, ?, ?, ?)",
            (normalise_url(url), article.url, utc_iso(moment), article.to_json()),
        )
        conn.execute("DELETE FROM fetch_cache WHERE fetched_at <= ?",
                     (utc_iso(moment - dt.timedelta(seconds=ttl_seconds)),))


def get_cached_result(db: Any, content_hash: str, engine_version: str) -> dict[str, Any] | None:
    """The check result stored for this content and engine version, or None."""
    ensure_schema(db)
    row = connection(db).execute(
        "SELECT result FROM check_results WHERE content_hash = ? AND engine_version = ?",
        (content_hash, engine_version),
    ).fetchone()
    return json.loads(row[0]) if row else None


def store_result(db: Any, content_hash: str, engine_version: str, result: dict[str, Any]) -> None:
    """Store a check result (a JSON-serialisable dict), replacing any earlier
    one for the same content and engine version.

    `engine_version` should change whenever anything that changes results
    changes (code, and the reference facts if they matter to you): results
    are kept until replaced, with no expiry.
    """
    ensure_schema(db)
    conn = connection(db)
    with write_transaction(conn):
        conn.execute(
            "INSERT OR REPLACE INTO check_results (content_hash, engine_version, created_at, result)"
            " VALUES (?, ?, ?, ?)",
            (content_hash, engine_version, utc_iso(_now()), json.dumps(result, ensure_ascii=False)),
        )
