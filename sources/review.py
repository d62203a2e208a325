"""The moderator review queue: what gets queued, decisions, their audit,
reader disputes, sources moderators add, and the memory of decisions.

Automatic verdicts are never final in a newsroom. Claims the engine calls
contradicted or disputed, or supports or contradicts with low confidence,
and claims readers dispute, wait in `review_items` for a moderator. A
decision is recorded once (two moderators pressing at once: one wins, the
other gets `AlreadyDecided`), audited in `review_audit`, and remembered:
the same claim checked again, in this article or another, gets the
moderators' verdict marked as reviewed (`apply_reviews`).

Every write runs in its own BEGIN IMMEDIATE transaction: the write lock is
taken before anything is read, so a check-then-write can never act on a
stale read, and a process killed at any moment leaves either the whole
change or none of it (the database is in WAL mode, see sources.db).

This module knows nothing of Discord: where a claim was posted is three
optional ids (guild, channel, message) stored as text.
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from rapidfuzz import fuzz

from claims.check import CheckResult
from claims.model import KINDS, VERDICTS
from claims.report import claim_dict, format_value, result_dict
from claims.verdicts import Verdict, stated_precision
from sources.importer import RowProblem, validate_fact
from sources.normalize import clean_text, norm_metric, strip_corporate
from sources.db import write_transaction
from sources.store import FactWriter
from sources.store import utc_iso

log = logging.getLogger(__name__)

REASONS = ("contradicted", "disputed", "low_confidence", "reader_dispute")
DEFAULT_MIN_CONFIDENCE = 0.6
DEFAULT_DISPUTE_LIMIT = 5
DEFAULT_DISPUTE_WINDOW_SECONDS = 3600
MAX_REASON_CHARS = 1000
# Fuzzy thresholds (rapidfuzz, 0-100) for "the same claim" once subject,
# kind, unit and value already agree: a light edit of the sentence, or the
# same metric worded slightly differently.
SENTENCE_SIMILARITY = 85
METRIC_SIMILARITY = 90
REVIEWED_CONFIDENCE = 1.0


# -- errors -------------------------------------------------------------------------

class ReviewError(Exception):
    """Base of the review errors; messages are one line, fit to show people."""


class UnknownReview(ReviewError, LookupError):
    """No review item with that id."""

    def __init__(self, review_id: int) -> None:
        super().__init__(f"no review item with id {review_id}")
        self.review_id = review_id


class AlreadyDecided(ReviewError):
    """Someone decided this item first; nothing was changed."""

    def __init__(self, review_id: int, verdict: str, decided_by: str, decided_at: str) -> None:
        super().__init__(f"review item {review_id} was already decided: {verdict} by {decided_by} at {decided_at}")
        self.review_id, self.verdict, self.decided_by, self.decided_at = review_id, verdict, decided_by, decided_at


class InvalidVerdict(ReviewError, ValueError):
    """Not one of supported, contradicted, unverified, disputed."""

    def __init__(self, verdict: object) -> None:
        super().__init__(f"unknown verdict {verdict!r}: use {', '.join(VERDICTS)}")
        self.verdict = verdict


class InvalidClaim(ReviewError, ValueError):
    """A claim object that is not shaped like a claim of `factbot check --json`."""


class InvalidSource(ReviewError, ValueError):
    """A source a moderator tried to add that cannot become a fact (the reason says why)."""


class RateLimited(ReviewError):
    """The reader used up their disputes for now; `retry_after` is in seconds."""

    def __init__(self, who: str, limit: int, window_seconds: int, retry_after: int) -> None:
        if limit == 0:
            super().__init__("reader disputes are turned off (review.dispute_limit = 0)")
        else:
            super().__init__(f"{who} has disputed {limit} verdicts in the last {_duration(window_seconds)}; "
                             f"try again in {_duration(retry_after)}")
        self.who, self.limit, self.window_seconds, self.retry_after = who, limit, window_seconds, retry_after


def _duration(seconds: int) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds // 3600} hour{'s' if seconds != 3600 else ''}"
    if seconds >= 60:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{seconds} seconds"


# -- results ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Decision:
    """A recorded moderator decision (what `decide` returns)."""

    review_id: int
    verdict: str
    by: str
    at: str
    note: str | None
    auto_verdict: str


@dataclass(frozen=True, slots=True)
class DisputeResult:
    """Where a reader's dispute went: `created` is False when it joined an open item."""

    review_id: int
    created: bool


@dataclass(frozen=True, slots=True)
class SourceAdded:
    """The fact a moderator's source became (`outcome`: added, updated or unchanged)."""

    review_id: int
    fact_id: int
    outcome: str


@dataclass
class ReviewedVerdict(Verdict):
    """A verdict taken from a moderator decision instead of the engine.

    A subclass so the check result keeps its shape (the terminal report and
    `claim_dict` read it as any verdict) while the review fields travel with it.
    """

    review_id: int = 0
    reviewed_by: str = ""
    reviewed_at: str = ""
    review_note: str | None = None
    auto_verdict: str = ""
    auto_confidence: float | None = None


# -- time and transactions -------------------------------------------------------------


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


# -- claims and their identity ----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ClaimKey:
    """What makes two claims "the same claim" for the decision memory."""

    subject_norm: str
    kind: str
    unit: str
    value: float
    precision: float
    sentence: str
    metric: str
    period: str | None

    @classmethod
    def from_dict(cls, claim: Mapping[str, Any], precision: float | None = None) -> ClaimKey:
        """From a claim of `check --json`. Its precision is not in the JSON, so
        unless given it is read off the value's own digits (12400000 -> 1e5),
        which is what the writer's "12.4 million" meant."""
        value = float(claim["value"])
        return cls(subject_norm=_subject_norm(claim.get("subject")), kind=str(claim["kind"]),
                   unit=str(claim["unit"]), value=value,
                   precision=float(precision if precision else stated_precision(value)),
                   sentence=_norm_sentence(claim.get("sentence")), metric=norm_metric(claim.get("metric") or ""),
                   period=claim.get("period") or None)


def _subject_norm(subject: str | None) -> str:
    return strip_corporate(subject) if subject else ""


def _norm_sentence(sentence: str | None) -> str:
    return clean_text(sentence).casefold()


def same_claim(a: ClaimKey, b: ClaimKey) -> bool:
    """Same subject (normalised), kind and unit, values equal at the coarser
    precision, periods not in conflict, and a similar sentence or metric.

    The period check is ours, beyond the issue's list: a round figure can be
    right for one quarter and wrong for the next, so a decision about 2024
    must not settle the same number stated for 2025.
    """
    if (a.subject_norm, a.kind, a.unit) != (b.subject_norm, b.kind, b.unit):
        return False
    step = max(a.precision, b.precision)
    if abs(a.value - b.value) > step / 2 + 1e-9 * max(1.0, abs(a.value)):
        return False
    if a.period and b.period and a.period != b.period:
        return False
    if a.sentence and b.sentence and fuzz.token_set_ratio(a.sentence, b.sentence) >= SENTENCE_SIMILARITY:
        return True
    return bool(a.metric and b.metric and fuzz.token_sort_ratio(a.metric, b.metric) >= METRIC_SIMILARITY)


def validate_claim(claim: Any) -> dict[str, Any]:
    """The claim as a plain dict, or InvalidClaim: disputes arrive from outside
    (a Discord button), so the shape is checked before anything is stored."""
    if not isinstance(claim, Mapping):
        raise InvalidClaim("a claim must be a JSON object")
    problems = []
    if not isinstance(claim.get("sentence"), str) or not claim["sentence"].strip():
        problems.append("sentence is missing")
    if claim.get("kind") not in KINDS:
        problems.append(f"kind must be one of {', '.join(KINDS)}")
    if not isinstance(claim.get("unit"), str) or not claim["unit"].strip():
        problems.append("unit is missing")
    value = claim.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        problems.append("value must be a finite number")
    if claim.get("verdict") not in VERDICTS:
        problems.append(f"verdict must be one of {', '.join(VERDICTS)}")
    if claim.get("subject") is not None and not isinstance(claim.get("subject"), str):
        problems.append("subject must be text or null")
    if problems:
        raise InvalidClaim("invalid claim: " + "; ".join(problems))
    return dict(claim)


def article_key(input_name: str | None, url: str | None = None) -> str:
    """Which article a claim came from, for "queued once per article":
    the URL when there is one, else the input as an absolute path (so
    `check a.txt` and `check ./a.txt` are one article)."""
    if url:
        return url.strip()
    name = (input_name or "").strip()
    if not name or name == "-" or "://" in name:
        return name
    return os.path.abspath(name)


def _base_key(article: str, claim: Mapping[str, Any]) -> str:
    parts = [article, _subject_norm(claim.get("subject")), str(claim["kind"]), str(claim["unit"]),
             repr(float(claim["value"])), _norm_sentence(claim.get("sentence")), clean_text(claim.get("quote"))]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


# -- what gets queued --------------------------------------------------------------------

def queue_reason(claim: Mapping[str, Any], min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> tuple[str, str] | None:
    """(reason, why in words) when a checked claim needs a moderator, else None.

    Contradicted and disputed verdicts always do: they are what a reader
    would act on. A supported verdict does below `min_confidence`, because
    a weak match can support a claim for the wrong reason. Unverified ones
    do not: there is nothing to review until someone adds a source.
    Claims already reviewed are never queued again.
    """
    if claim.get("reviewed"):
        return None
    verdict = claim.get("verdict")
    confidence = claim.get("confidence")
    low = isinstance(confidence, (int, float)) and confidence < min_confidence
    weak = f" (confidence {confidence:.2f}, below {min_confidence:g})" if low else ""
    evidence = [e for e in claim.get("evidence") or [] if isinstance(e, Mapping)]
    if verdict == "contradicted":
        best = evidence[0] if evidence else None
        said = ""
        if best and isinstance(best.get("value"), (int, float)) and best.get("unit"):
            right = format_value(float(best["value"]), str(best["unit"]), best.get("qualifier") or "exact")
            said = f": {best.get('source')} gives {right}"
        return "contradicted", f"contradicted{said}{weak}"
    if verdict == "disputed":
        sources = sorted({str(e.get("source")) for e in evidence if e.get("source")})
        among = f": {', '.join(sources)}" if sources else ""
        return "disputed", f"reference sources disagree{among}{weak}"
    if verdict == "supported" and low:
        return "low_confidence", f"supported only weakly{weak}"
    return None


def _item_values(claim: Mapping[str, Any], *, reason: str, why: str, input_name: str, url: str | None,
                 title: str | None, published: str | None, author: str | None, posted: Mapping[str, Any],
                 by: str, now: str) -> dict[str, Any]:
    key = ClaimKey.from_dict(claim)
    return {
        "status": "open", "reason": reason, "why": why, "claim_json": _dumps(claim),
        "sentence": str(claim["sentence"]), "evidence_json": _dumps(claim.get("evidence") or []),
        "subject": claim.get("subject"), "subject_norm": key.subject_norm, "kind": key.kind, "unit": key.unit,
        "value": key.value, "precision": key.precision, "metric": claim.get("metric"), "period": key.period,
        "auto_verdict": claim["verdict"], "auto_confidence": claim.get("confidence"),
        "input_name": input_name, "article_url": url, "article_title": title, "article_published": published,
        "article_author": author or _site(url),
        **{name: _snowflake(posted.get(name)) for name in ("guild_id", "channel_id", "message_id")},
        "queued_by": by, "queued_at": now,
    }


def _site(url: str | None) -> str | None:
    """The publication an article URL belongs to, when nothing better is known: its host."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def _snowflake(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _url_of(input_name: str | None, url: str | None) -> str | None:
    if url:
        return url
    if input_name and input_name.casefold().startswith(("http://", "https://")):
        return input_name
    return None


_FILL_IN = ("article_url", "article_title", "article_published", "article_author", "guild_id", "channel_id",
            "message_id")


def _upsert_item(db: sqlite_utils.Database, item_key: str, base_key: str,
                 values: Mapping[str, Any]) -> tuple[int, bool]:
    """Insert an item, or on a repeat keep the row and only fill in what was
    unknown before (where it was posted, say). Returns (id, created)."""
    found = db.execute("SELECT id FROM review_items WHERE item_key = ?", [item_key]).fetchone()
    if found is not None:
        fills = {k: values[k] for k in _FILL_IN if values.get(k) is not None}
        if fills:
            assignments = ", ".join(f"{k} = COALESCE({k}, ?)" for k in fills)
            unknown = " OR ".join(f"{k} IS NULL" for k in fills)  # no rewrite when nothing is new
            db.execute(f"UPDATE review_items SET {assignments} WHERE id = ? AND ({unknown})",
                       [*fills.values(), found[0]])
        return int(found[0]), False
    record = {"item_key": item_key, "base_key": base_key, **values}
    cursor = db.execute(f"INSERT INTO review_items ({', '.join(record)}) VALUES ({', '.join('?' * len(record))})",
                        list(record.values()))
    return int(cursor.lastrowid), True


def enqueue_from_result(db: sqlite_utils.Database, report: Mapping[str, Any], input_name: str | None = None, *,
                        url: str | None = None, title: str | None = None, published: str | None = None,
                        author: str | None = None, guild_id: int | str | None = None,
                        channel_id: int | str | None = None, message_id: int | str | None = None,
                        by: str = "factbot", min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                        now: datetime | None = None) -> list[int]:
    """Queue the claims of a check result (the `check --json` object) that need
    a moderator; return their review ids, new or already queued.

    Idempotent: the same claim of the same article maps to one item, so a
    re-check adds nothing (it may fill in ids or article details that were
    unknown the first time). Claims already reviewed are skipped. All of an
    article's claims are queued in one transaction.
    """
    input_name = input_name or str(report.get("input") or "")
    url = _url_of(input_name, url)
    title = title or report.get("title")
    published = published or report.get("published")
    article = article_key(input_name, url)
    posted = {"guild_id": guild_id, "channel_id": channel_id, "message_id": message_id}
    stamp = utc_iso(now)
    wanted = []
    for claim in report.get("claims") or []:
        why = queue_reason(claim, min_confidence)
        if why is not None:
            wanted.append((validate_claim(claim), why))
    ids: list[int] = []
    if not wanted:
        return ids
    created = 0
    with write_transaction(db):
        for claim, (reason, why) in wanted:
            base = _base_key(article, claim)
            values = _item_values(claim, reason=reason, why=why, input_name=input_name, url=url, title=title,
                                  published=published, author=author, posted=posted, by=by, now=stamp)
            review_id, new = _upsert_item(db, base, base, values)
            ids.append(review_id)
            created += new
    if created:
        log.info("queued %d claim(s) of %s for review", created, input_name)
    return ids


# -- decisions ----------------------------------------------------------------------------

def decide(db: sqlite_utils.Database, review_id: int, verdict: str, by: str, note: str | None = None, *,
           now: datetime | None = None) -> Decision:
    """Record a moderator's verdict on an open item, with its audit row, atomically.

    Of two moderators deciding at once exactly one succeeds: the update only
    touches a row still 'open' and its row count says who won; the loser gets
    AlreadyDecided and nothing of theirs is written.
    """
    if verdict not in VERDICTS:
        raise InvalidVerdict(verdict)
    by = clean_text(by)
    if not by:
        raise ReviewError("a decision needs the moderator's name (by)")
    note = (note or "").strip() or None
    stamp = utc_iso(now)
    with write_transaction(db):
        row = db.execute("SELECT status, auto_verdict, auto_confidence, verdict, decided_by, decided_at"
                         " FROM review_items WHERE id = ?", [review_id]).fetchone()
        if row is None:
            raise UnknownReview(review_id)
        status, auto_verdict, auto_confidence, old_verdict, old_by, old_at = row
        cursor = db.execute("UPDATE review_items SET status = 'decided', verdict = ?, decided_by = ?, decided_at = ?,"
                            " note = ? WHERE id = ? AND status = 'open'", [verdict, by, stamp, note, review_id])
        if cursor.rowcount != 1:
            raise AlreadyDecided(review_id, old_verdict, old_by, old_at)
        before = {"status": status, "verdict": auto_verdict, "confidence": auto_confidence, "source": "automatic"}
        after = {"status": "decided", "verdict": verdict}
        db.execute("INSERT INTO review_audit (review_id, action, who, at, before, after, note)"
                   " VALUES (?, 'decide', ?, ?, ?, ?, ?)", [review_id, by, stamp, _dumps(before), _dumps(after), note])
    log.info("review %d decided %s by %s (automatic verdict %s)", review_id, verdict, by, auto_verdict)
    return Decision(review_id, verdict, by, stamp, note, auto_verdict)


def add_source(db: sqlite_utils.Database, review_id: int, value: float | str, unit: str, period: str | None,
               source: str, url: str | None, by: str, *, entity: str | None = None, metric: str | None = None,
               qualifier: str = "exact", published: str | None = None, note: str | None = None,
               now: datetime | None = None) -> SourceAdded:
    """Turn the source a moderator found into a reference fact (through
    sources.store, so it gets history, audit and `added_by`), and audit it on
    the item. Entity, metric and period default to the claim's: the best
    evidence's metric when there is one, since that wording is what the
    matcher already pairs with this claim.

    Works on open and decided items alike; it does not decide anything.
    """
    by = clean_text(by)
    if not by:
        raise ReviewError("adding a source needs the moderator's name (by)")
    stamp = utc_iso(now)
    with write_transaction(db):
        row = db.execute("SELECT claim_json FROM review_items WHERE id = ?", [review_id]).fetchone()
        if row is None:
            raise UnknownReview(review_id)
        claim = json.loads(row[0])
        evidence = claim.get("evidence") or []
        record = {
            "entity": entity or claim.get("subject") or "",
            "metric": metric or (evidence[0].get("metric") if evidence else None) or claim.get("metric") or "",
            "value": value, "unit": unit, "qualifier": qualifier,
            "period": period if period is not None else (claim.get("period") or ""),
            "source": source, "url": url or "", "published": published or "",
            "note": f"added in moderator review #{review_id}" + (f": {note.strip()}" if note and note.strip() else ""),
        }
        try:
            fact = validate_fact(record)
        except RowProblem as exc:
            raise InvalidSource(f"cannot add this source: {exc}") from None
        outcome, fact_id = FactWriter(db, added_by=by, now=stamp).upsert(fact, why=f"moderator review #{review_id}")
        after = {"fact_id": fact_id, "outcome": outcome, "entity": fact.entity, "metric": fact.metric,
                 "value": fact.value, "unit": fact.unit, "qualifier": fact.qualifier, "period": fact.period,
                 "source": fact.source, "url": fact.url}
        db.execute("INSERT INTO review_audit (review_id, action, who, at, before, after, note)"
                   " VALUES (?, 'add_source', ?, ?, NULL, ?, ?)", [review_id, by, stamp, _dumps(after), note])
    log.info("review %d: %s added source %r as fact %d (%s)", review_id, by, source, fact_id, outcome)
    return SourceAdded(review_id, fact_id, outcome)


# -- reader disputes ------------------------------------------------------------------------

def dispute(db: sqlite_utils.Database, claim_json: Mapping[str, Any], reason: str, by: str, *,
            input_name: str | None = None, url: str | None = None, title: str | None = None,
            published: str | None = None, author: str | None = None, guild_id: int | str | None = None,
            channel_id: int | str | None = None, message_id: int | str | None = None,
            limit: int | None = DEFAULT_DISPUTE_LIMIT, window_seconds: int = DEFAULT_DISPUTE_WINDOW_SECONDS,
            now: datetime | None = None) -> DisputeResult:
    """A reader says a verdict is wrong: send the claim to the queue with their reason.

    Joins the open item for the same claim of the same article if there is
    one; after a decision it opens a new round, so readers can challenge a
    moderator too. At most `limit` disputes per reader per `window_seconds`
    (None: no limit, for trusted callers), counted inside the same
    transaction that records the dispute so parallel requests cannot slip past.
    """
    claim = validate_claim(claim_json)
    reason = clean_text(reason)[:MAX_REASON_CHARS]
    by = clean_text(by)
    if not reason:
        raise ReviewError("a dispute needs a reason")
    if not by:
        raise ReviewError("a dispute needs the reader's name (by)")
    moment = now or datetime.now(timezone.utc)
    stamp = utc_iso(moment)
    url = _url_of(input_name, url)
    input_name = input_name or url or "(unknown)"
    base = _base_key(article_key(input_name, url), claim)
    with write_transaction(db):
        if limit is not None:
            since = utc_iso(moment - timedelta(seconds=window_seconds))
            used, oldest = db.execute("SELECT count(*), min(at) FROM review_disputes WHERE who = ? AND at > ?",
                                      [by, since]).fetchone()
            if used >= limit:
                retry = window_seconds
                if oldest is not None:
                    opened = datetime.strptime(oldest, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
                    retry = max(1, math.ceil((opened + timedelta(seconds=window_seconds) - moment).total_seconds()))
                raise RateLimited(by, limit, window_seconds, retry)
        latest = db.execute("SELECT id, status FROM review_items WHERE base_key = ? ORDER BY id DESC LIMIT 1",
                            [base]).fetchone()
        if latest is not None and latest[1] == "open":
            review_id, created = int(latest[0]), False
        else:
            item_key = base if latest is None else f"{base}#{latest[0]}"
            why = f"disputed by a reader ({by}): {reason}"
            if latest is not None:
                why += f" — reopens review #{latest[0]}"
            values = _item_values(claim, reason="reader_dispute", why=why, input_name=input_name, url=url,
                                  title=title, published=published, author=author,
                                  posted={"guild_id": guild_id, "channel_id": channel_id, "message_id": message_id},
                                  by=by, now=stamp)
            review_id, created = _upsert_item(db, item_key, base, values)
        db.execute("INSERT INTO review_disputes (review_id, who, at, reason) VALUES (?, ?, ?, ?)",
                   [review_id, by, stamp, reason])
        before = {"verdict": claim["verdict"], "reviewed": bool(claim.get("reviewed"))}
        db.execute("INSERT INTO review_audit (review_id, action, who, at, before, after, note)"
                   " VALUES (?, 'dispute', ?, ?, ?, NULL, ?)", [review_id, by, stamp, _dumps(before), reason])
    log.info("review %d: disputed by %s (%s)", review_id, by, "new item" if created else "joined open item")
    return DisputeResult(review_id, created)


# -- reading the queue ----------------------------------------------------------------------

_ITEM_COLUMNS = ("id, status, reason, why, claim_json, input_name, article_url, article_title, article_published,"
                 " article_author, guild_id, channel_id, message_id, queued_by, queued_at, verdict, decided_by,"
                 " decided_at, note")


def _item(db: sqlite_utils.Database, row: tuple[Any, ...]) -> dict[str, Any]:
    names = [c.strip() for c in _ITEM_COLUMNS.split(",")]
    r = dict(zip(names, row))
    disputes = [{"by": w, "at": a, "reason": why} for w, a, why in db.execute(
        "SELECT who, at, reason FROM review_disputes WHERE review_id = ? ORDER BY id", [r["id"]])]
    decision = None
    if r["status"] == "decided":
        decision = {"verdict": r["verdict"], "by": r["decided_by"], "at": r["decided_at"], "note": r["note"]}
    return {
        "id": r["id"], "status": r["status"], "reason": r["reason"], "why": r["why"],
        "claim": json.loads(r["claim_json"]),
        "article": {"input": r["input_name"], "url": r["article_url"], "title": r["article_title"],
                    "published": r["article_published"], "author": r["article_author"]},
        "posted": {"guild_id": r["guild_id"], "channel_id": r["channel_id"], "message_id": r["message_id"]},
        "queued_by": r["queued_by"], "queued_at": r["queued_at"],
        "decision": decision, "disputes": disputes,
    }


def list_items(db: sqlite_utils.Database, *, status: str | None = "open",
               limit: int | None = None) -> list[dict[str, Any]]:
    """Review items oldest first (a queue): open ones by default, `status=None` for all.

    Each is a dict: id, status, reason, why, claim (as `check --json`),
    article, posted (Discord ids as text), queued_by/at, decision, disputes.
    """
    sql = f"SELECT {_ITEM_COLUMNS} FROM review_items"
    params: list[Any] = []
    if status is not None:
        sql += " WHERE status = ?"
        params.append(status)
    sql += " ORDER BY id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_item(db, row) for row in db.execute(sql, params).fetchall()]


def get_item(db: sqlite_utils.Database, review_id: int) -> dict[str, Any]:
    """One review item (as in `list_items`), or UnknownReview."""
    row = db.execute(f"SELECT {_ITEM_COLUMNS} FROM review_items WHERE id = ?", [review_id]).fetchone()
    if row is None:
        raise UnknownReview(review_id)
    return _item(db, row)


def history(db: sqlite_utils.Database, review_id: int | None = None, *,
            limit: int | None = None) -> list[dict[str, Any]]:
    """The audit log, oldest first: decisions, added sources and disputes."""
    where, params = "", []
    if review_id is not None:
        if db.execute("SELECT 1 FROM review_items WHERE id = ?", [review_id]).fetchone() is None:
            raise UnknownReview(review_id)
        where, params = " WHERE review_id = ?", [review_id]
    # the newest `limit` rows, still returned oldest first
    sql = (f"SELECT * FROM (SELECT id, review_id, action, who, at, before, after, note FROM review_audit{where}"
           " ORDER BY id DESC LIMIT ?) ORDER BY id")
    params.append(-1 if limit is None else limit)
    rows = []
    for rid, review, action, who, at, before, after, note in db.execute(sql, params).fetchall():
        rows.append({"id": rid, "review_id": review, "action": action, "who": who, "at": at,
                     "before": json.loads(before) if before else None,
                     "after": json.loads(after) if after else None, "note": note})
    return rows


# -- the memory: applying decisions to new checks ---------------------------------------------

@dataclass(frozen=True, slots=True)
class _Remembered:
    review_id: int
    key: ClaimKey
    verdict: str
    by: str
    at: str
    note: str | None


class _Memory:
    """Decided items by (subject, kind, unit), read once per check: one
    indexed query per distinct subject instead of one per claim."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._cache: dict[tuple[str, str, str], list[_Remembered]] = {}

    def find(self, key: ClaimKey) -> _Remembered | None:
        """The newest decision about the same claim, or None."""
        group = (key.subject_norm, key.kind, key.unit)
        if group not in self._cache:
            rows = self.db.execute(
                "SELECT id, sentence, metric, value, precision, period, verdict, decided_by, decided_at, note"
                " FROM review_items WHERE status = 'decided' AND subject_norm = ? AND kind = ? AND unit = ?"
                " ORDER BY decided_at DESC, id DESC", list(group)).fetchall()
            self._cache[group] = [
                _Remembered(r[0], ClaimKey(group[0], group[1], group[2], float(r[3]),
                                           float(r[4] or stated_precision(float(r[3]))), _norm_sentence(r[1]),
                                           norm_metric(r[2] or ""), r[5]), r[6], r[7], r[8], r[9])
                for r in rows]
        return next((m for m in self._cache[group] if same_claim(key, m.key)), None)


def _reviewed_note(found: _Remembered, auto_verdict: str) -> str:
    note = f"reviewed by {found.by} (automatic verdict: {auto_verdict})"
    return note + (f": {found.note}" if found.note else "")


def _summary(verdicts: list[str]) -> dict[str, int]:
    summary = {v: 0 for v in VERDICTS}
    for v in verdicts:
        summary[v] = summary.get(v, 0) + 1
    return summary


def apply_reviews(db: sqlite_utils.Database, result: CheckResult) -> CheckResult:
    """Give claims moderators already decided the moderators' verdict.

    Replaces those claims' verdicts with a ReviewedVerdict (the engine's
    evidence is kept, so the report still shows the source) and recomputes
    the summary; changes `result` in place and returns it. Call
    `reviewed_dict` for the JSON with the review fields.
    """
    memory = _Memory(db)
    for item in result.claims:
        found = memory.find(ClaimKey.from_dict(claim_dict(item), precision=item.claim.precision or None))
        if found is None:
            continue
        auto = item.verdict
        if isinstance(auto, ReviewedVerdict):
            auto_verdict, auto_confidence = auto.auto_verdict, auto.auto_confidence
        else:
            auto_verdict, auto_confidence = auto.verdict, auto.confidence
        item.verdict = ReviewedVerdict(found.verdict, REVIEWED_CONFIDENCE, auto.evidence,
                                       _reviewed_note(found, auto_verdict), review_id=found.review_id,
                                       reviewed_by=found.by, reviewed_at=found.at, review_note=found.note,
                                       auto_verdict=auto_verdict, auto_confidence=auto_confidence)
    result.summary = _summary([c.verdict.verdict for c in result.claims])
    return result


def review_fields(verdict: Verdict) -> dict[str, Any]:
    """The claim-JSON keys this feature adds: `reviewed` always, the rest when true."""
    if not isinstance(verdict, ReviewedVerdict):
        return {"reviewed": False}
    return {"reviewed": True, "reviewed_by": verdict.reviewed_by, "review_note": verdict.review_note,
            "review_id": verdict.review_id, "reviewed_at": verdict.reviewed_at,
            "auto_verdict": verdict.auto_verdict, "auto_confidence": verdict.auto_confidence}


def reviewed_dict(result: CheckResult, input_name: str) -> dict[str, Any]:
    """`claims.report.result_dict` plus the review fields on every claim."""
    out = result_dict(result, input_name)
    for item, claim in zip(result.claims, out["claims"]):
        claim.update(review_fields(item.verdict))
    return out


def apply_reviews_to_dict(db: sqlite_utils.Database, report: Mapping[str, Any]) -> dict[str, Any]:
    """`apply_reviews` for callers that only hold the JSON (a cached check
    result, say); returns a new dict, the input is left as it was."""
    out = copy.deepcopy(dict(report))
    memory = _Memory(db)
    for claim in out.get("claims") or []:
        try:
            found = memory.find(ClaimKey.from_dict(validate_claim(claim)))
        except InvalidClaim:
            found = None
        if found is None:
            claim.setdefault("reviewed", False)
            continue
        auto_verdict = claim.get("auto_verdict") if claim.get("reviewed") else claim["verdict"]
        auto_confidence = claim.get("auto_confidence") if claim.get("reviewed") else claim.get("confidence")
        claim.update(verdict=found.verdict, confidence=REVIEWED_CONFIDENCE, note=_reviewed_note(found, auto_verdict),
                     reviewed=True, reviewed_by=found.by, review_note=found.note, review_id=found.review_id,
                     reviewed_at=found.at, auto_verdict=auto_verdict, auto_confidence=auto_confidence)
    out["summary"] = _summary([c["verdict"] for c in out.get("claims") or []])
    return out


__all__ = [
    "AlreadyDecided", "ClaimKey", "Decision", "DisputeResult", "InvalidClaim", "InvalidSource", "InvalidVerdict",
    "RateLimited", "ReviewError", "ReviewedVerdict", "SourceAdded", "UnknownReview", "add_source",
    "apply_reviews", "apply_reviews_to_dict", "article_key", "decide", "dispute", "enqueue_from_result",
    "get_item", "history", "list_items", "queue_reason", "review_fields", "reviewed_dict", "same_claim",
    "validate_claim",
]
