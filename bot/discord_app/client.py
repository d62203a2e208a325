"""The bot itself: a discord.py Bot whose `setup_hook` opens the database,
starts the check workers and the auto-scan work queue, sets up moderator
review (its desk and its persistent buttons), adds one cog per feature and
syncs the command tree (to the test server in development, globally
otherwise).

`close` (SIGTERM, SIGINT) first drains the auto-scan queue while the
connection to Discord is still open: running checks finish and are
answered, and what is still queued stays in the database for the next start.

`create_bot` picks the class: `FactBot` normally, `ShardedFactBot`
(discord.py's AutoShardedBot) when bot.toml says `discord.auto_shard`.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Config
from bot.discord_app.checking import Checker
from bot.discord_app.cooldowns import Cooldown
from bot.discord_app.replies import GENERIC_FAILURE, UserError, tell
from bot.discord_app.safety import NO_PINGS
from bot.discord_app.seen_links import SeenLinks
from bot.discord_app.settings import ChannelSettings
from bot.discord_app.work_queue import WorkQueue, WorkStore
from sources.db import open_db

if TYPE_CHECKING:
    from bot.discord_app.review_desk import ReviewDesk

log = logging.getLogger(__name__)


def intents_for(config: Config) -> discord.Intents:
    """The least the bot needs. Message content is privileged (it must be
    switched on in the Developer Portal), so it is asked for only when
    auto-scan is on; slash commands and the context menu work without it."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = config.get("autoscan", "enabled")
    intents.message_content = config.get("autoscan", "enabled")
    return intents


class FactbotTree(app_commands.CommandTree):
    """Every command failure reaches the user as one short line; details go to the log."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        original = getattr(error, "original", error)
        name = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(original, UserError):
            message = str(original)
        elif isinstance(error, app_commands.CheckFailure):
            message = str(error) or "You can't use that command here."
        else:
            log.error("command /%s failed", name, exc_info=original)
            message = GENERIC_FAILURE
        try:
            await tell(interaction, message)
        except discord.HTTPException:
            log.warning("could not tell the user that /%s failed", name, exc_info=True)


class _FactBotMixin:
    """What FactBot and ShardedFactBot share (discord.py picks sharding by base class)."""

    config: Config
    db: Any
    checker: Checker
    channel_settings: ChannelSettings
    seen_links: SeenLinks
    command_cooldown: Cooldown
    review_desk: ReviewDesk
    autoscan_queue: WorkQueue

    def _init_options(self, config: Config, options: dict[str, Any]) -> dict[str, Any]:
        self.config = config
        options.setdefault("intents", intents_for(config))
        options.setdefault("allowed_mentions", NO_PINGS)
        return {
            "command_prefix": commands.when_mentioned,  # no prefix commands: slash commands only
            "help_command": None,
            "tree_cls": FactbotTree,
            **options,
        }

    async def setup_hook(self) -> None:
        """Runs once after login, before the gateway connects: everything the
        cogs need exists before the first event can arrive."""
        bot: commands.Bot = self  # type: ignore[assignment]
        discord_cfg = self.config.values["discord"]
        autoscan_cfg = self.config.values["autoscan"]
        self.db = open_db(self.config.db_path)
        # The event loop's connection commits several small transactions per
        # message (work queue, link pointers, review store, fetch cache); with
        # SQLite's default FULL each is an fsync, milliseconds under load, on
        # the loop. In WAL mode NORMAL is still durable when the process is
        # killed and never corrupts; a power cut may roll back the last
        # commits, which the work queue survives (an unrecorded reply is
        # looked up in the channel, an unrecorded message is read back).
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.checker = Checker(self.config, workers=discord_cfg["check_workers"])
        self.channel_settings = ChannelSettings(self.db, autoscan_cfg["default_mode"])
        self.seen_links = SeenLinks(self.db, autoscan_cfg["repeat_window_seconds"])
        self.command_cooldown = Cooldown(discord_cfg["command_cooldown_seconds"])
        # Started by the AutoScan cog (its handler answers the messages).
        self.autoscan_queue = WorkQueue(WorkStore(self.db), workers=autoscan_cfg["workers"],
                                        max_pending=autoscan_cfg["max_pending"])

        from bot.discord_app.cogs.autoscan import AutoScan
        from bot.discord_app.cogs.factcheck import FactCheck
        from bot.discord_app.cogs.help import Help
        from bot.discord_app.cogs.review import Review
        from bot.discord_app.cogs.sources import Sources
        from bot.discord_app.review_desk import ReviewDesk
        from bot.discord_app.review_views import DYNAMIC_ITEMS

        this: AnyFactBot = self  # type: ignore[assignment]
        self.review_desk = ReviewDesk(this)
        # Persistent buttons: every card and reply ever sent keeps working, restarts included.
        bot.add_dynamic_items(*DYNAMIC_ITEMS)
        await bot.add_cog(FactCheck(this))
        await bot.add_cog(Sources(this))
        await bot.add_cog(Help(this))
        await bot.add_cog(AutoScan(this, listen=autoscan_cfg["enabled"]))
        await bot.add_cog(Review(this))
        if discord_cfg["sync_commands"]:
            await self.sync_commands()

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """To the test server when `discord.dev_guild_id` is set (changes show
        at once there), else globally."""
        bot: commands.Bot = self  # type: ignore[assignment]
        guild_id = self.config.get("discord", "dev_guild_id")
        if guild_id:
            guild = discord.Object(guild_id)
            bot.tree.copy_global_to(guild=guild)
            synced = await bot.tree.sync(guild=guild)
            log.info("synced %d commands to test guild %s", len(synced), guild_id)
        else:
            synced = await bot.tree.sync()
            log.info("synced %d commands globally", len(synced))
        return synced

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: the default would parse every mention of the
        bot as a command and log "command not found" errors. Cogs listen on
        their own."""

    async def on_ready(self) -> None:
        bot: commands.Bot = self  # type: ignore[assignment]
        log.info("connected as %s (%s) to %d servers", bot.user, bot.user and bot.user.id, len(bot.guilds))
        channel_id = self.config.get("discord", "review_channel_id")
        if channel_id and bot.get_channel(channel_id) is None:
            log.warning("discord.review_channel_id = %s: no such channel, or the bot cannot see it", channel_id)
        guild_id = self.config.get("discord", "dev_guild_id")
        if guild_id and bot.get_guild(guild_id) is None:
            log.warning("discord.dev_guild_id = %s: the bot is not in that server; invite it there", guild_id)

    async def close(self) -> None:
        queue = getattr(self, "autoscan_queue", None)
        if queue is not None:
            await queue.close()  # running checks are answered; the rest waits in the database
        desk = getattr(self, "review_desk", None)
        if desk is not None:
            await desk.drain()  # cards and replies a moderator just changed are updated before we go
        await super().close()  # type: ignore[misc]
        checker = getattr(self, "checker", None)
        if checker is not None:
            await checker.close()
        db = getattr(self, "db", None)
        if db is not None:
            db.close()


class FactBot(_FactBotMixin, commands.Bot):
    def __init__(self, config: Config, **options: Any) -> None:
        super().__init__(**self._init_options(config, options))


class ShardedFactBot(_FactBotMixin, commands.AutoShardedBot):
    def __init__(self, config: Config, **options: Any) -> None:
        shard_count = config.get("discord", "shard_count")
        if shard_count:
            options.setdefault("shard_count", shard_count)
        super().__init__(**self._init_options(config, options))


AnyFactBot = FactBot | ShardedFactBot


def create_bot(config: Config, **options: Any) -> AnyFactBot:
    """The bot for `config`; `options` go to discord.py (tests pass a short
    `guild_ready_timeout`)."""
    cls = ShardedFactBot if config.get("discord", "auto_shard") else FactBot
    return cls(config, **options)
