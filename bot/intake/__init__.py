"""Article intake from links: safe fetching, main-text extraction, metadata, cache.

One entry point for `factbot check URL` and the Discord bot::

    from bot.intake import FetchError, read_article

    try:
        article = await read_article(url, config, db)
    except FetchError as exc:
        tell_user(exc.reason)        # e.g. "HTTP 404", "timed out after 10 s"

`FetchError.reason` is always a short, user-facing explanation (see
`bot.intake.fetch.FetchError`); nothing else escapes for a bad link or a
bad page. `Article` fields are documented in `bot.intake.article.Article`.
Check results can be cached with `get_cached_result` / `store_result`
keyed by `Article.content_hash` and your engine version.

Modules: `addresses` (which links/addresses may be fetched, pure functions),
`fetch` (aiohttp download with the limits), `article` (trafilatura
extraction), `cache` (SQLite caches).
"""
from __future__ import annotations

import asyncio
import logging
import sqlite3
from typing import TYPE_CHECKING, Any

from bot.intake import addresses, cache, fetch
from bot.intake.article import Article, extract_article
from bot.intake.cache import get_cached_result, store_result
from bot.intake.fetch import FetchedPage, FetchError, FetchLimits

if TYPE_CHECKING:
    from aiohttp.abc import AbstractResolver

    from bot.config import Config

# `fetch` (the function) is deliberately not re-exported: it would shadow the
# `bot.intake.fetch` module; use `bot.intake.fetch.fetch` for a bare fetch.
__all__ = [
    "Article", "FetchError", "FetchLimits", "FetchedPage",
    "extract_article", "get_cached_result", "read_article", "store_result",
]

log = logging.getLogger(__name__)


async def read_article(
    url: str, config: Config, db: Any = None, *, resolver: AbstractResolver | None = None
) -> Article:
    """Read the article at `url`: from the cache if fetched within
    `fetch.cache_ttl_seconds`, else fetched (within bot.toml's [fetch]
    limits) and extracted, then cached.

    `db` is an open database connection (sqlite3 or sqlite-utils); None opens
    the one at `database.path` for this call. The cache is skipped entirely
    when the TTL is 0. `resolver` replaces DNS, for tests.

    Raises FetchError (with a user-facing `reason`) for a refused link, a
    failed fetch, or a page with nothing readable on it.
    """
    limits = FetchLimits.from_config(config)
    reason = addresses.url_refusal(url, limits.allow_hosts)
    if reason:  # before touching the cache: a refused link never gets a cached answer
        raise FetchError(reason, url)
    if limits.cache_ttl_seconds <= 0:
        return await _fetch_and_extract(url, limits, resolver)
    conn, opened = (db, False) if db is not None else (_open_db(config.db_path), True)
    try:
        # The cache only saves a fetch: a locked or read-only database must
        # not stop a check, so its errors are logged and the link fetched.
        try:
            cached = cache.get_cached_article(conn, url, limits.cache_ttl_seconds)
        except sqlite3.Error as exc:
            log.warning("link cache unavailable (%s): fetching %s", exc, url)
            cached = None
        if cached is not None:
            log.debug("cache hit for %s", url)
            return cached
        article = await _fetch_and_extract(url, limits, resolver)
        try:
            cache.store_article(conn, url, article, limits.cache_ttl_seconds)
        except sqlite3.Error as exc:
            log.warning("link not cached (%s): %s", exc, url)
        return article
    finally:
        if opened:
            cache.connection(conn).close()


async def _fetch_and_extract(url: str, limits: FetchLimits, resolver: AbstractResolver | None) -> Article:
    page = await fetch.fetch(url, limits, resolver=resolver)
    # trafilatura is CPU-bound: keep the event loop (Discord heartbeats) free.
    return await asyncio.to_thread(extract_article, page)


def _open_db(path: str) -> Any:
    """The project's database opener if it exists yet, else plain sqlite3
    (the cache creates its own tables either way)."""
    try:
        from sources.db import open_db
    except ImportError:
        return sqlite3.connect(path)
    return open_db(path)
