"""Auto-scan: in channels where a moderator turned it on, a message with
http(s) links is checked and answered with one reply to that message.

A reply (not a thread): it sits right under the link on every client,
needs only Send Messages, and leaves no trail of one-message threads.
- "on" answers every message with links (verdicts, "nothing to check", or
  why a link could not be read); "quiet" answers only when a claim is
  contradicted or disputed, and says nothing about unreadable links.
- Cooldowns per user and per channel; a message over them gets a ⏳
  reaction instead of a reply, so the poster knows it was skipped.
- A link already answered in the server within autoscan.repeat_window_seconds
  gets a pointer (jump link) to that answer instead of a second check.
- Bots (this one included) and webhooks are never scanned, nor links to
  images and GIFs on Discord's CDN, Tenor or Giphy (a "couldn't read" reply
  to every GIF would be noise).
- Each scan ends by dispatching the custom event "autoscan_done"
  (message, outcome) for every message: "replied", "silent" (quiet mode,
  nothing wrong), "cooldown", "failed", or "ignored" (not scanned), for
  listeners such as metrics, and for tests to wait on.

/autoscan on|off|quiet|status are for moderators: a configured moderator
role or Manage Messages, checked here (`default_permissions` only hides
the commands by default; a server admin can change who sees them).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.checking import Checked
from bot.discord_app.cooldowns import Cooldown
from bot.discord_app.embeds import build_reply
from bot.discord_app.links import find_links, is_media_link
from bot.discord_app.permissions import is_moderator
from bot.discord_app.replies import UserError, tell
from bot.discord_app.safety import NO_PINGS

if TYPE_CHECKING:
    from bot.discord_app.client import AnyFactBot

log = logging.getLogger(__name__)

COOLDOWN_REACTION = "⏳"
PROBLEMS = ("contradicted", "disputed")
MODE_TEXT = {
    "on": "I check every link posted here and reply with the verdicts.",
    "quiet": "I check every link posted here but reply only when a figure is contradicted or disputed.",
    "off": "I don't check links posted here (/factcheck still works).",
}
_SCANNED_TYPES = (discord.MessageType.default, discord.MessageType.reply)


@app_commands.guild_only()
@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.default_permissions(manage_messages=True)
class AutoScan(commands.GroupCog, group_name="autoscan",
               group_description="Check links posted in this channel automatically (moderators)"):
    def __init__(self, bot: AnyFactBot, *, listen: bool = True) -> None:
        self.bot = bot
        self.listen = listen
        cfg = bot.config.values["autoscan"]
        self.user_cooldown = Cooldown(cfg["user_cooldown_seconds"])
        self.channel_cooldown = Cooldown(cfg["channel_cooldown_seconds"])
        super().__init__()

    # -- commands -------------------------------------------------------------
    def _require_moderator(self, interaction: discord.Interaction) -> None:
        if not is_moderator(interaction, self.bot.config.get("discord", "moderator_roles")):
            raise UserError("Only moderators can use /autoscan: you need Manage Messages or a moderator role.")
        if interaction.channel_id is None or interaction.guild_id is None:
            raise UserError("/autoscan works in a server channel.")

    async def _set(self, interaction: discord.Interaction, mode: str) -> None:
        self._require_moderator(interaction)
        if not self.listen and mode != "off":
            raise UserError("Auto-scan is switched off in this bot's configuration (autoscan.enabled).")
        assert interaction.guild_id is not None and interaction.channel_id is not None
        self.bot.channel_settings.set_mode(interaction.guild_id, interaction.channel_id, mode, by=interaction.user.id)
        # Public on purpose: everyone in the channel should know the bot will (or won't) reply to their links.
        await tell(interaction, f"Auto-scan is now **{mode}** in this channel. {MODE_TEXT[mode]}", ephemeral=False)

    @app_commands.command(name="on", description="Reply to every link posted in this channel with the verdicts")
    async def turn_on(self, interaction: discord.Interaction) -> None:
        await self._set(interaction, "on")

    @app_commands.command(name="quiet",
                          description="Reply to links here only when something is contradicted or disputed")
    async def turn_quiet(self, interaction: discord.Interaction) -> None:
        await self._set(interaction, "quiet")

    @app_commands.command(name="off", description="Stop checking links posted in this channel")
    async def turn_off(self, interaction: discord.Interaction) -> None:
        await self._set(interaction, "off")

    @app_commands.command(name="status", description="Show whether links posted in this channel are checked")
    async def status(self, interaction: discord.Interaction) -> None:
        self._require_moderator(interaction)
        assert interaction.guild_id is not None and interaction.channel_id is not None
        settings = self.bot.channel_settings
        parent_id = getattr(interaction.channel, "parent_id", None)
        mode = settings.mode(interaction.guild_id, interaction.channel_id, parent_id) if self.listen else "off"
        if not self.listen:
            origin = "switched off in the bot's configuration"
        elif settings.chosen(interaction.guild_id, interaction.channel_id):
            origin = "set for this channel"
        elif parent_id and settings.chosen(interaction.guild_id, parent_id):
            origin = f"as in <#{parent_id}>"
        else:
            origin = "the server default"
        cfg = self.bot.config.values["autoscan"]
        await tell(interaction, f"Auto-scan here: **{mode}** ({origin}). {MODE_TEXT[mode]}\n"
                                f"Cooldowns: {cfg['user_cooldown_seconds']:g} s per person, "
                                f"{cfg['channel_cooldown_seconds']:g} s per channel; a link answered in the last "
                                f"{cfg['repeat_window_seconds'] // 60} min gets a pointer to that answer.")

    # -- the scan -------------------------------------------------------------
    def _mode_for(self, message: discord.Message) -> str:
        if not self.listen or message.guild is None:
            return "off"
        if message.author.bot or message.webhook_id is not None or message.type not in _SCANNED_TYPES:
            return "off"
        parent_id = getattr(message.channel, "parent_id", None)
        return self.bot.channel_settings.mode(message.guild.id, message.channel.id, parent_id)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        mode = self._mode_for(message)
        links = [link for link in find_links(message.content) if not is_media_link(link)] if mode != "off" else []
        links = links[:self.bot.config.get("discord", "max_links")]
        if not links:
            outcome = "ignored"
        else:
            try:
                outcome = await self._scan(message, links, mode)
            except discord.Forbidden as exc:  # a server setting, not a bug: nothing to tell the channel
                log.warning("auto-scan cannot reply in channel %s (missing permissions?): %s", message.channel.id, exc)
                outcome = "failed"
            except Exception:
                log.exception("auto-scan of message %s in channel %s failed", message.id, message.channel.id)
                outcome = "failed"
                if mode == "on":
                    await self._reply_safely(message, "Sorry, I couldn't check that; the details are in the bot's log.")
        self.bot.dispatch("autoscan_done", message, outcome)

    async def _scan(self, message: discord.Message, links: list[str], mode: str) -> str:
        assert message.guild is not None
        guild_id, channel_id = message.guild.id, message.channel.id
        user_key = (guild_id, message.author.id)
        wait = max(self.user_cooldown.retry_after(user_key), self.channel_cooldown.retry_after(channel_id))
        if wait:
            log.info("auto-scan of message %s skipped: cooldown (%.0f s left)", message.id, wait)
            await self._react(message, COOLDOWN_REACTION)
            return "cooldown"
        self.user_cooldown.use(user_key)
        self.channel_cooldown.use(channel_id)

        seen = self.bot.seen_links
        earlier = {link: seen.earlier(guild_id, link) for link in links}
        notes = [f"Checked earlier: {e.jump_url}" for e in dict.fromkeys(v for v in earlier.values() if v)]
        fresh = [link for link in links if earlier[link] is None]
        checked, failures = await self.bot.checker.check_many(fresh, [], self.bot.db)
        if mode == "quiet":
            checked = [c for c in checked if c.has(*PROBLEMS)]
        else:
            notes += failures
        if not checked and not notes:
            log.debug("auto-scan of message %s: nothing to say in %s mode", message.id, mode)
            return "silent"
        reply = build_reply(checked, notes, style=self.bot.config.get("discord", "reply_style"))
        sent = await message.channel.send(reference=message.to_reference(fail_if_not_exists=False),
                                          mention_author=False, **reply.kwargs())
        seen.remember(guild_id, _answered(checked), channel_id, sent.id)
        await self.bot.review_desk.answered(reply, guild_id, channel_id, sent.id)  # moderator review queue
        return "replied"

    async def _react(self, message: discord.Message, emoji: str) -> None:
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException as exc:  # no Add Reactions permission: the skip stays silent
            log.info("could not react to message %s: %s", message.id, exc)

    async def _reply_safely(self, message: discord.Message, text: str) -> None:
        try:
            await message.channel.send(text, reference=message.to_reference(fail_if_not_exists=False),
                                       mention_author=False, allowed_mentions=NO_PINGS)
        except discord.HTTPException:
            log.warning("could not tell channel %s that auto-scan failed", message.channel.id, exc_info=True)


def _answered(checked: list[Checked]) -> list[str]:
    """The links as posted (the cache normalises them) that the reply answered."""
    return [c.name for c in checked if c.url]
