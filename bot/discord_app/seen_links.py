"""Which links the bot already answered, and where.

A link that goes round a server is posted many times in an hour; answering
each post in full floods the channel with the same verdicts. The second
post gets a pointer (a jump link) to the first answer instead. Kept in the
database so the pointer survives a restart.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.intake.cache import normalise_url
from sources.store import utc_iso


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def _key(url: str) -> str:
    """The normalised link, so tracking parameters do not defeat the pointer."""
    try:
        return normalise_url(url)
    except ValueError:  # not parseable as a URL: still a stable key
        return url



@dataclass(frozen=True, slots=True)
class EarlierReply:
    guild_id: int
    channel_id: int
    message_id: int

    @property
    def jump_url(self) -> str:
        return f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{self.message_id}"


class SeenLinks:
    """Replies to links per guild, valid for `window_seconds`."""

    def __init__(self, db: Any, window_seconds: float, clock: Callable[[], datetime] = _utc_now) -> None:
        self._db = db
        self.window = timedelta(seconds=window_seconds)
        self._clock = clock

    def earlier(self, guild_id: int, url: str) -> EarlierReply | None:
        """The bot's reply to `url` in this guild within the window, if any."""
        if not self.window:
            return None
        row = self._db.execute(
            "SELECT channel_id, message_id FROM discord_link_replies WHERE guild_id = ? AND url = ? AND replied_at > ?",
            [guild_id, _key(url), utc_iso(self._clock() - self.window)]).fetchone()
        return EarlierReply(guild_id, int(row[0]), int(row[1])) if row else None

    def remember(self, guild_id: int, urls: list[str], channel_id: int, message_id: int) -> None:
        """Records that `message_id` answered `urls`; drops entries past the window."""
        if not self.window or not urls:
            return
        now = self._clock()
        self._db.conn.executemany(
            "INSERT OR REPLACE INTO discord_link_replies (guild_id, url, channel_id, message_id, replied_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(guild_id, _key(u), channel_id, message_id, utc_iso(now)) for u in urls])
        self._db.execute("DELETE FROM discord_link_replies WHERE replied_at <= ?", [utc_iso(now - self.window)])
        self._db.conn.commit()
