"""One way to check an article, shared by the command line and the bot:
the JSON report of CONTRACTS.md, cached by content and engine version.

The cache key includes a fingerprint of the reference facts, because a
result is only as current as the facts it was checked against: an import
or a moderator's added source makes the next check run afresh.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import claims

from claims.check import ENGINE_VERSION, FactSource, check_text
from claims.report import result_dict

log = logging.getLogger(__name__)


def content_hash(text: str, published: date | None, max_claims: int) -> str:
    key = f"{published.isoformat() if published else ''}\n{max_claims}\n{text}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    """A hash of the engine's source: any change to a rule makes old
    results stale, whether or not someone remembered to bump a version."""
    digest = hashlib.sha256()
    for path in sorted(Path(claims.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def engine_version(db: Any) -> str:
    """The engine's version and code, plus the state of the facts it
    checks against."""
    version = f"{ENGINE_VERSION}+{_code_fingerprint()}"
    conn = getattr(db, "conn", db)
    try:
        facts = conn.execute("SELECT count(*), coalesce(max(id), 0), coalesce(max(added_at), '') FROM facts").fetchone()
        changes = conn.execute("SELECT count(*) FROM fact_audit").fetchone()
    except sqlite3.Error:
        return version
    return f"{version}/{facts[0]}-{facts[1]}-{facts[2]}-{changes[0]}"


def check_report(db: Any, facts: FactSource, text: str, *, name: str, published: date | None,
                 max_claims: int, title: str | None = None, use_cache: bool = True) -> dict[str, Any]:
    """The JSON report for `text`, from the cache when the same text was
    checked against the same facts by the same engine."""
    from bot.intake.cache import get_cached_result, store_result

    key = content_hash(text, published, max_claims)
    version = engine_version(db)
    if use_cache:
        try:
            cached = get_cached_result(db, key, version)
        except sqlite3.Error as exc:
            log.warning("result cache unavailable: %s", exc)
            cached = None
        if cached is not None:
            cached["input"] = name
            if title:
                cached["title"] = title
            return cached
    result = check_text(text, facts, published=published, max_claims=max_claims)
    report = result_dict(result, name)
    if title:
        report["title"] = title
    if use_cache:
        try:
            store_result(db, key, version, report)
        except sqlite3.Error as exc:
            log.warning("result not cached: %s", exc)
    return report
