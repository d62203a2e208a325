"""Running checks for the bot without stalling it.

`claims.check.check_text` is CPU-bound (tens of milliseconds for a long
article, more with many claims). Run on the event loop it would delay
heartbeats and every other user's command, so it runs on a small pool of
worker threads. Threads rather than processes: the fact index (all entity
names in memory) is loaded once per worker, a thread starts in
microseconds, and pure-Python work in a thread still hands the GIL back to
the event loop every few milliseconds, which is all heartbeats need. SQLite
connections are per thread, so each worker opens its own.

Reading a link (`bot.intake.read_article`) is I/O and stays on the loop,
with the loop's own database connection for its cache.

Checks go through `bot.checker.check_report`, the same cached path as the
command line: a link posted again gets the stored report while the facts
and the engine are unchanged. Moderators' decisions are applied here, on
the worker (`apply_reviews_to_dict`): a claim they already reviewed gets
their verdict, marked as reviewed, in every reply, and is not queued again.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from bot.config import Config
from bot.intake import FetchError, read_article
from bot.checker import check_report
from bot.report import render_report
from claims.model import Fact
from sources.db import open_db
from sources.lookup import FactIndex
from sources.review import apply_reviews_to_dict
from sources.search import SearchHit, search

log = logging.getLogger(__name__)

T = TypeVar("T")


class CheckFailed(Exception):
    """A link could not be checked; `reason` is short and meant for the user."""

    def __init__(self, reason: str, url: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url


@dataclass(frozen=True)
class Checked:
    """One checked article: what every reply is built from.

    `report` is the JSON report of `factbot check --json` (claims.report,
    with the review fields of sources.review.reviewed_dict), so the bot
    says exactly what the command line says; `full_text` is the terminal
    report, attached when a reply cannot hold every claim.
    """

    name: str
    url: str | None
    report: dict[str, Any]
    full_text: str
    site: str | None = None
    summary: dict[str, int] = field(default_factory=dict)

    def has(self, *verdicts: str) -> bool:
        return any(self.summary.get(v) for v in verdicts)


class Checker:
    """Checks text and links on worker threads, each with its own database
    connection and fact index."""

    def __init__(self, config: Config, workers: int = 2) -> None:
        self._config = config
        self._db_path = config.db_path
        self._max_claims = int(config.get("check", "max_claims"))
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="factbot-check")

    def _index(self) -> FactIndex:
        index = getattr(self._local, "index", None)
        if index is None:
            db = open_db(self._db_path)
            index = self._local.index = FactIndex(db)
            log.debug("worker %s opened %s", threading.current_thread().name, self._db_path)
        return index

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))

    def _check(self, text: str, name: str, url: str | None, title: str | None,
               published: date | None, site: str | None) -> Checked:
        index = self._index()
        report = check_report(index.db, index, text, name=url or name, published=published,
                              max_claims=self._max_claims, title=title)
        report = apply_reviews_to_dict(index.db, report)
        return Checked(name=name, url=url, report=report, full_text=render_report(report), site=site,
                       summary=dict(report["summary"]))

    async def check_text(self, text: str, *, name: str = "pasted text", url: str | None = None,
                         title: str | None = None, published: date | None = None,
                         site: str | None = None) -> Checked:
        return await self._run(self._check, text, name, url, title, published, site)

    async def check_link(self, url: str, db: Any) -> Checked:
        """Reads and checks `url`; CheckFailed with the reason when it cannot be read."""
        try:
            article = await read_article(url, self._config, db)
        except FetchError as exc:
            raise CheckFailed(exc.reason, url) from None
        return await self.check_text(article.text, name=url, url=article.canonical_url or url,
                                     title=article.title, published=article.published, site=article.site_name)

    async def check_many(self, links: list[str], texts: list[tuple[str, str]],
                         db: Any) -> tuple[list[Checked], list[str]]:
        """Checks links (concurrently) and (name, text) pairs; returns the
        results in the order given, and one note per link that could not be read."""
        jobs = [self.check_link(link, db) for link in links]
        jobs += [self.check_text(text, name=name) for name, text in texts]
        results = await asyncio.gather(*jobs, return_exceptions=True)
        checked: list[Checked] = []
        notes: list[str] = []
        for result in results:
            if isinstance(result, CheckFailed):
                notes.append(f"Couldn't read <{result.url}>: {result.reason}.")
            elif isinstance(result, BaseException):
                raise result
            else:
                checked.append(result)
        return checked, notes

    def _search(self, query: str, limit: int) -> list[SearchHit]:
        index = self._index()
        return search(index.db, query, limit=limit, index=index)

    async def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        return await self._run(self._search, query, limit)

    def _facts_by_id(self, fact_ids: list[int]) -> list[Fact]:
        found = self._index().facts_by_id(fact_ids)
        return [found[i] for i in fact_ids if i in found]

    async def facts_by_id(self, fact_ids: list[int]) -> list[Fact]:
        return await self._run(self._facts_by_id, fact_ids)

    async def close(self) -> None:
        """Waits for a running check to end so each worker's database
        connection is released with its thread."""
        await asyncio.to_thread(self._executor.shutdown, wait=True, cancel_futures=True)
