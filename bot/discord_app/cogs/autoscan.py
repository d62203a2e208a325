"""Auto-scan: in channels where a moderator turned it on, a message with
http(s) links is checked and answered with one reply to that message.

A reply (not a thread): it sits right under the link on every client,
needs only Send Messages, and leaves no trail of one-message threads.
- "on" answers every message with links (verdicts, "nothing to check", or
  why a link could not be read); "quiet" answers only when a claim is
  contradicted or disputed, and says nothing about unreadable links.
- Cooldowns per user and per channel; a message over them gets a ⏳
  reaction instead of a reply, so the poster knows it was skipped. It is
  not checked later: a cooldown is a deliberate skip, recorded as such.
- Under load (bot.discord_app.work_queue): each message taken on is
  recorded in the database when it arrives and answered by one of
  `autoscan.workers` workers; when `autoscan.max_pending` already wait, it
  is deferred: a ⏳ reaction at once ("busy, will check shortly"), then the
  answer when there is room, and the ⏳ is taken off. A message is taken on
  once (by id), so it is never answered twice, restarts included.
- After a restart, unfinished work resumes, and messages posted while the
  bot was away (up to `autoscan.catch_up_seconds` back) are read back from
  the channels and taken on like new ones.
- A link already answered in the server within autoscan.repeat_window_seconds
  gets a pointer (jump link) to that answer instead of a second check.
- Bots (this one included) and webhooks are never scanned, nor links to
  images and GIFs on Discord's CDN, Tenor or Giphy (a "couldn't read" reply
  to every GIF would be noise).
- Each scan ends by dispatching the custom event "autoscan_done"
  (message, outcome) once for every message: "replied", "silent" (quiet
  mode, nothing wrong), "cooldown", "failed", or "ignored" (not scanned),
  for listeners such as metrics, and for tests to wait on. For messages a
  worker answered, `message` is a PartialMessage (the queue keeps ids, not
  messages). A deferral dispatches "autoscan_deferred" (message) first.

/autoscan on|off|quiet|status are for moderators: a configured moderator
role or Manage Messages, checked here (`default_permissions` only hides
the commands by default; a server admin can change who sees them).
"""
from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
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
from bot.discord_app.work_queue import MAX_ATTEMPTS, Job, Ticket, WorkQueue

if TYPE_CHECKING:
    from bot.discord_app.client import AnyFactBot

log = logging.getLogger(__name__)

COOLDOWN_REACTION = "⏳"       # skipped: over a cooldown, not checked
BUSY_REACTION = "⏳"           # deferred: checked when there is room, then taken off
# Reading back after a restart: at most this many messages per channel, in this many channels.
READ_BACK_LIMIT = 200
READ_BACK_CHANNELS = 50
# How far after a message the bot looks for its own earlier reply (uncertain sends only).
FIND_REPLY_LIMIT = 500
PROBLEMS = ("contradicted", "disputed")
MODE_TEXT = {
    "on": "I check every link posted here and reply with the verdicts.",
    "quiet": "I check every link posted here but reply only when a figure is contradicted or disputed.",
    "off": "I don't check links posted here (/factcheck still works).",
}
_SCANNED_TYPES = (discord.MessageType.default, discord.MessageType.reply)
_SETTLED = ("ignored", "cooldown", "failed")  # outcomes known when a message arrives


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
        self.queue: WorkQueue = bot.autoscan_queue
        self._read_back_from: tuple[dict[int, int], int | None] | None = None
        self._read_back_task: asyncio.Task[None] | None = None
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

    # -- taking messages on -----------------------------------------------------
    async def cog_load(self) -> None:
        """Starts the work queue (resuming what the last run left) and notes,
        before the gateway delivers anything, where reading back should start."""
        self._read_back_from = self.queue.store.cursors()
        self.queue.start(self._process)

    async def cog_unload(self) -> None:
        if self._read_back_task is not None:
            self._read_back_task.cancel()
        await self.queue.close()

    def _mode_for(self, message: discord.Message) -> str:
        if not self.listen or message.guild is None:
            return "off"
        if message.author.bot or message.webhook_id is not None or message.type not in _SCANNED_TYPES:
            return "off"
        parent_id = getattr(message.channel, "parent_id", None)
        return self.bot.channel_settings.mode(message.guild.id, message.channel.id, parent_id)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        try:
            taken = await self._take(message)
        except Exception:
            log.exception("auto-scan could not take message %s in channel %s on", message.id, message.channel.id)
            taken = "failed"
        if taken in _SETTLED:
            self.bot.dispatch("autoscan_done", message, taken)

    async def _take(self, message: discord.Message) -> str:
        """Takes a message on. Settled here: "ignored" (nothing to scan) or
        "cooldown" (skipped); "taken": a worker will answer it and report;
        "duplicate": it was taken on before (never twice)."""
        mode = self._mode_for(message)
        links = [link for link in find_links(message.content) if not is_media_link(link)] if mode != "off" else []
        links = links[:self.bot.config.get("discord", "max_links")]
        if not links:
            return "ignored"
        assert message.guild is not None
        store = self.queue.store
        if store.known(message.id):  # a replayed event, or read back after a restart
            log.debug("auto-scan: message %s was already taken on", message.id)
            self.queue.stats.duplicates += 1
            return "duplicate"
        job = Job(message.id, message.guild.id, message.channel.id, message.author.id, links, mode)
        user_key = (job.guild_id, job.author_id)
        wait = max(self.user_cooldown.retry_after(user_key), self.channel_cooldown.retry_after(job.channel_id))
        if wait:
            # Deliberately not checked later: a cooldown protects the channel
            # and the news sites from a flood, and is documented as a skip.
            if store.add(job, state="done", outcome="cooldown"):
                log.info("auto-scan of message %s skipped: cooldown (%.0f s left)", message.id, wait)
                await self._react(message, COOLDOWN_REACTION)
                return "cooldown"
            return "duplicate"
        self.user_cooldown.use(user_key)
        self.channel_cooldown.use(job.channel_id)
        if self.queue.submit(job) == "deferred":
            try:
                log.info("auto-scan of message %s deferred: %d waiting", message.id, self.queue.backlog)
                await self._react(message, BUSY_REACTION)
            finally:
                self.queue.noticed(message.id)
            self.bot.dispatch("autoscan_deferred", message)
        return "taken"

    # -- reading back what was posted while the bot was away -----------------
    @commands.Cog.listener()
    async def on_ready(self) -> None:
        if self._read_back_from is not None:
            cursors, self._read_back_from = self._read_back_from, None
            self._read_back_task = asyncio.create_task(self._read_back(*cursors), name="factbot-autoscan-read-back")

    def _read_back_channels(self, per_channel: dict[int, int]) -> list[discord.abc.Messageable]:
        """Channels the bot took work on, and channels a moderator switched
        on, that the bot can see now; the most recently active first."""
        found: dict[int, discord.abc.Messageable] = {}
        for channel_id in sorted(per_channel, key=per_channel.__getitem__, reverse=True):
            channel = self.bot.get_channel(channel_id)
            if isinstance(channel, (discord.TextChannel, discord.Thread)):
                found[channel_id] = channel
        for guild in self.bot.guilds:
            for channel in guild.text_channels:
                if self.bot.channel_settings.chosen(guild.id, channel.id) in ("on", "quiet"):
                    found.setdefault(channel.id, channel)
        return list(found.values())[:READ_BACK_CHANNELS]

    async def _read_back(self, per_channel: dict[int, int], latest: int | None) -> None:
        """Messages posted while the bot was down never reach it through the
        gateway; read the auto-scan channels back from where it stopped (at
        most `autoscan.catch_up_seconds` back) and take their links on like
        new messages. A first run (no work recorded) reads nothing back."""
        seconds = self.bot.config.get("autoscan", "catch_up_seconds")
        if not self.listen or not seconds or latest is None:
            return
        horizon = discord.utils.time_snowflake(discord.utils.utcnow() - timedelta(seconds=seconds))
        total = taken = 0
        for channel in self._read_back_channels(per_channel):
            after = max(per_channel.get(channel.id, latest), horizon)  # type: ignore[union-attr]
            read = 0
            try:
                async for message in channel.history(after=discord.Object(after), limit=READ_BACK_LIMIT,
                                                     oldest_first=True):
                    total += 1
                    read += 1
                    if read == READ_BACK_LIMIT:
                        log.warning("auto-scan read back the first %d messages of channel %s posted while the bot "
                                    "was away; later ones are not answered", read, channel.id)  # type: ignore
                    outcome = await self._take(message)
                    taken += outcome == "taken"
                    if outcome == "cooldown":
                        self.bot.dispatch("autoscan_done", message, outcome)
            except discord.HTTPException as exc:  # no Read Message History here: nothing to read back
                log.warning("auto-scan cannot read back channel %s: %s", channel.id, exc)  # type: ignore[union-attr]
            except Exception:
                log.exception("auto-scan could not read back channel %s", channel.id)  # type: ignore[union-attr]
        log.info("auto-scan read back %d message(s) posted while the bot was away; took %d on", total, taken)

    # -- answering ------------------------------------------------------------
    async def _process(self, job: Job, ticket: Ticket) -> None:
        """A worker's turn on one message: check and reply, then report the
        outcome (the "autoscan_done" event)."""
        channel = self.bot.get_channel(job.channel_id) or self.bot.get_partial_messageable(
            job.channel_id, guild_id=job.guild_id)
        assert isinstance(channel, discord.abc.Messageable)
        target = channel.get_partial_message(job.message_id)  # type: ignore[attr-defined]
        try:
            if job.attempts > MAX_ATTEMPTS:
                log.warning("auto-scan gives up on message %s after %d attempts", job.message_id, job.attempts - 1)
                if job.mode == "on":
                    await self._sorry(channel, job, ticket)
                ticket.finish("failed")
            elif job.uncertain and (reply_id := await self._earlier_reply(channel, job)):
                log.info("auto-scan: message %s was answered (%s) before the restart", job.message_id, reply_id)
                ticket.finish("replied", reply_id)
            else:
                await self._answer(channel, job, ticket)
        except discord.Forbidden as exc:  # a server setting, not a bug: nothing to tell the channel
            log.warning("auto-scan cannot reply in channel %s (missing permissions?): %s", job.channel_id, exc)
            ticket.finish("failed")
        except Exception:
            log.exception("auto-scan of message %s in channel %s failed", job.message_id, job.channel_id)
            if job.mode == "on" and not ticket.finished:
                await self._sorry(channel, job, ticket)
            ticket.finish("failed")
        if job.deferred:
            await self._unreact(target, BUSY_REACTION)
        self.bot.dispatch("autoscan_done", target, ticket.outcome)

    async def _answer(self, channel: discord.abc.Messageable, job: Job, ticket: Ticket) -> None:
        seen = self.bot.seen_links
        earlier = {link: seen.earlier(job.guild_id, link) for link in job.links}
        notes = [f"Checked earlier: {e.jump_url}" for e in dict.fromkeys(v for v in earlier.values() if v)]
        fresh = [link for link in job.links if earlier[link] is None]
        checked, failures = await self.bot.checker.check_many(fresh, [], self.bot.db)
        if job.mode == "quiet":
            checked = [c for c in checked if c.has(*PROBLEMS)]
        else:
            notes += failures
        if not checked and not notes:
            log.debug("auto-scan of message %s: nothing to say in %s mode", job.message_id, job.mode)
            ticket.finish("silent")
            return
        reply = build_reply(checked, notes, style=self.bot.config.get("discord", "reply_style"))
        ticket.sending()
        # The nonce makes Discord return the first message instead of posting
        # a second if this very reply is sent again within minutes (a restart
        # right after a send whose outcome was not recorded).
        sent = await channel.send(reference=_reference(job), mention_author=False, nonce=job.message_id,
                                  **reply.kwargs())
        ticket.finish("replied", sent.id)
        seen.remember(job.guild_id, _answered(checked), job.channel_id, sent.id)
        await self.bot.review_desk.answered(reply, job.guild_id, job.channel_id, sent.id)  # moderator review queue

    async def _earlier_reply(self, channel: discord.abc.Messageable, job: Job) -> int | None:
        """The bot's reply to `job`'s message, if the previous run sent it
        before it could record so. When the channel cannot be read, None:
        the answer goes out with the same nonce, which Discord deduplicates
        for a few minutes."""
        me = self.bot.user
        try:
            async for message in channel.history(after=discord.Object(job.message_id), limit=FIND_REPLY_LIMIT,
                                                 oldest_first=True):
                if me is not None and message.author.id == me.id and message.reference is not None \
                        and message.reference.message_id == job.message_id:
                    return message.id
        except discord.HTTPException as exc:
            log.warning("auto-scan cannot look for an earlier reply to message %s: %s", job.message_id, exc)
        return None

    async def _sorry(self, channel: discord.abc.Messageable, job: Job, ticket: Ticket) -> None:
        try:
            ticket.sending()
            sent = await channel.send("Sorry, I couldn't check that; the details are in the bot's log.",
                                      reference=_reference(job), mention_author=False, allowed_mentions=NO_PINGS,
                                      nonce=job.message_id)
            ticket.finish("failed", sent.id)
        except discord.HTTPException:
            log.warning("could not tell channel %s that auto-scan failed", job.channel_id, exc_info=True)

    async def _react(self, message: discord.Message | discord.PartialMessage, emoji: str) -> None:
        try:
            await message.add_reaction(emoji)
        except discord.HTTPException as exc:  # no Add Reactions permission: the skip stays silent
            log.info("could not react to message %s: %s", message.id, exc)

    async def _unreact(self, message: discord.PartialMessage, emoji: str) -> None:
        me = self.bot.user
        if me is None:
            return
        try:
            await message.remove_reaction(emoji, me)
        except discord.HTTPException as exc:
            log.info("could not take the %s reaction off message %s: %s", emoji, message.id, exc)


def _reference(job: Job) -> discord.MessageReference:
    """A reply to the job's message; still sent if that message was deleted meanwhile."""
    return discord.MessageReference(message_id=job.message_id, channel_id=job.channel_id, guild_id=job.guild_id,
                                    fail_if_not_exists=False)


def _answered(checked: list[Checked]) -> list[str]:
    """The links as posted (the cache normalises them) that the reply answered."""
    return [c.name for c in checked if c.url]
