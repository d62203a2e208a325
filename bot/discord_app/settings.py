"""Per-channel auto-scan settings, kept in the database so a restart or a
second shard sees what moderators chose (sources/migrations/0012_discord.sql).

Read on every message in every channel the bot can see, so reads are served
from memory; writes go to the database first.
"""
from __future__ import annotations

import logging
from typing import Any
from sources.store import utc_iso

log = logging.getLogger(__name__)

MODES = ("off", "on", "quiet")


def _now() -> str:
    return utc_iso()


class ChannelSettings:
    """Auto-scan mode per (guild, channel); `default_mode` where nobody chose."""

    def __init__(self, db: Any, default_mode: str = "off") -> None:
        if default_mode not in MODES:
            raise ValueError(f"unknown auto-scan mode {default_mode!r}")
        self._db = db
        self.default_mode = default_mode
        self._modes: dict[tuple[int, int], str] = {
            (int(g), int(c)): mode
            for g, c, mode in db.execute("SELECT guild_id, channel_id, autoscan FROM discord_channel_settings")
        }

    def chosen(self, guild_id: int, channel_id: int) -> str | None:
        """The mode a moderator set for exactly this channel, if any."""
        return self._modes.get((guild_id, channel_id))

    def mode(self, guild_id: int, channel_id: int, parent_id: int | None = None) -> str:
        """The mode in force: the channel's own, else its parent's (threads
        follow their channel), else the default."""
        chosen = self.chosen(guild_id, channel_id)
        if chosen is None and parent_id is not None:
            chosen = self.chosen(guild_id, parent_id)
        return chosen or self.default_mode

    def set_mode(self, guild_id: int, channel_id: int, mode: str, by: int | None = None) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown auto-scan mode {mode!r}")
        self._db.execute(
            "INSERT INTO discord_channel_settings (guild_id, channel_id, autoscan, updated_by, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, channel_id) DO UPDATE SET"
            " autoscan = excluded.autoscan, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            [guild_id, channel_id, mode, by, _now()])
        self._db.conn.commit()
        self._modes[(guild_id, channel_id)] = mode
        log.info("auto-scan in guild %s channel %s set to %s by %s", guild_id, channel_id, mode, by)
