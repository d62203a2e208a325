"""What the Discord side of review must remember across restarts
(sources/migrations/0013_discord_review.sql).

- The reports behind each public verdict reply: a Dispute click names a
  claim of that reply, and a moderator's decision rebuilds the reply with
  the reviewed verdict, possibly days later, after a restart.
- The review card of each queue item, so an article checked twice gets one
  card, and later events (a reader joining the dispute) update that card.

The queue itself (items, decisions, audit) is `sources.review`; this module
only links it to Discord messages. Every write commits at once: the bot's
connection is shared by the whole event loop and must never be left in a
transaction (sources.review nests its writes inside an open one).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any
from sources.store import utc_iso

if TYPE_CHECKING:
    from bot.discord_app.checking import Checked

log = logging.getLogger(__name__)

# A reply older than this can no longer be disputed or rebuilt: its reports
# are pruned at start-up so the table does not grow without bound.
REPLY_RETENTION_DAYS = 90
# A card reservation whose send never finished (the bot died mid-send) may
# be taken over after this long.
STALE_RESERVATION_SECONDS = 120



def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """One article of a reply: enough to rebuild its embed and to dispute its claims."""

    name: str
    url: str | None
    site: str | None
    report: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredReply:
    message_id: int
    guild_id: int | None
    channel_id: int
    style: str
    articles: list[StoredArticle]


@dataclass(frozen=True, slots=True)
class Card:
    review_id: int
    channel_id: int
    message_id: int


class ReviewStore:
    """The two tables, on the bot's (event-loop) database connection."""

    def __init__(self, db: Any, *, clock: Any = _now) -> None:
        self._db = db
        self._clock = clock

    def _commit(self) -> None:
        self._db.conn.commit()

    # -- replies ----------------------------------------------------------------
    def save_reply(self, message_id: int, guild_id: int | None, channel_id: int, style: str,
                   articles: list[Checked]) -> None:
        stored = [{"name": c.name, "url": c.url, "site": c.site, "report": c.report} for c in articles]
        self._db.execute(
            "INSERT OR REPLACE INTO discord_replies"
            " (message_id, guild_id, channel_id, style, articles_json, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            [message_id, guild_id, channel_id, style, json.dumps(stored, ensure_ascii=False), utc_iso(self._clock())])
        self._commit()

    def reply(self, message_id: int) -> StoredReply | None:
        row = self._db.execute("SELECT guild_id, channel_id, style, articles_json FROM discord_replies"
                               " WHERE message_id = ?", [message_id]).fetchone()
        if row is None:
            return None
        articles = [StoredArticle(a["name"], a.get("url"), a.get("site"), a["report"]) for a in json.loads(row[3])]
        return StoredReply(message_id, row[0], int(row[1]), row[2], articles)

    def prune_replies(self, days: int = REPLY_RETENTION_DAYS) -> int:
        cursor = self._db.execute("DELETE FROM discord_replies WHERE created_at < ?",
                                  [utc_iso(self._clock() - timedelta(days=days))])
        self._commit()
        if cursor.rowcount:
            log.info("pruned %d verdict replies older than %d days", cursor.rowcount, days)
        return int(cursor.rowcount)

    # -- cards ------------------------------------------------------------------
    def reserve_card(self, review_id: int, channel_id: int) -> bool:
        """True when this caller should post the card: no card exists, nor a
        recent reservation by someone else."""
        now = self._clock()
        cursor = self._db.execute(
            "INSERT INTO discord_review_cards (review_id, channel_id, message_id, posted_at) VALUES (?, ?, NULL, ?)"
            " ON CONFLICT (review_id) DO UPDATE SET channel_id = excluded.channel_id, posted_at = excluded.posted_at"
            " WHERE message_id IS NULL AND posted_at < ?",
            [review_id, channel_id, utc_iso(now), utc_iso(now - timedelta(seconds=STALE_RESERVATION_SECONDS))])
        self._commit()
        return cursor.rowcount == 1

    def card_posted(self, review_id: int, channel_id: int, message_id: int) -> None:
        self._db.execute("UPDATE discord_review_cards SET channel_id = ?, message_id = ? WHERE review_id = ?",
                         [channel_id, message_id, review_id])
        self._commit()

    def release_card(self, review_id: int) -> None:
        """The send failed: let the next check of the article try again."""
        self._db.execute("DELETE FROM discord_review_cards WHERE review_id = ? AND message_id IS NULL", [review_id])
        self._commit()

    def card(self, review_id: int) -> Card | None:
        row = self._db.execute("SELECT channel_id, message_id FROM discord_review_cards"
                               " WHERE review_id = ? AND message_id IS NOT NULL", [review_id]).fetchone()
        return Card(review_id, int(row[0]), int(row[1])) if row else None
