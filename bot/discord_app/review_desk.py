"""Moderator review on Discord: what the buttons, forms and verdict replies do.

- `answered`: after every public verdict reply in a server, the claims
  that need a person go to the queue (`sources.review.enqueue_from_result`,
  with the reply's message id) and each new item gets a card in the
  review channel (`discord.review_channel_id`).
- Card buttons (moderators only, checked on every click): Confirm,
  Override (a form: verdict and note), Add source (a form), Dismiss. A
  decision updates the card (who, what; deciding buttons disabled) and
  edits the bot's original reply to show the reviewed verdict. The queue
  API decides atomically, so of two moderators clicking at once one is
  recorded and the other is told, privately, who decided first.
- Dispute (readers): a form for the reason (and which verdict, when the
  reply has several); the claim goes to the queue, within the per-reader
  limit of `review.dispute_limit` per `review.dispute_window_seconds`.

Database work runs on the event loop with the bot's connection: every
call here is a few milliseconds, and an interaction must be answered
within 3 seconds, which a busy check worker could not promise. Each
action answers the interaction first and does its slower follow-up work
(editing the reply, posting a card) after; `drain` lets the bot finish
that work before it disconnects, so a restart does not leave a decided
card showing open buttons or a reply showing the old verdict.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable
from typing import TYPE_CHECKING, Any

import discord

from bot.discord_app.actors import actor, display_name
from bot.discord_app.checking import Checked
from bot.discord_app.embeds import MARKS, Reply, build_reply
from bot.discord_app.permissions import is_moderator
from bot.discord_app.replies import UserError, tell
from bot.discord_app.review_cards import card_embed, claim_at, dispute_options
from bot.discord_app.review_store import ReviewStore, StoredArticle
from bot.discord_app.review_views import card_view, dispute_form, override_form, send_form, source_form
from bot.discord_app.safety import NO_PINGS
from sources.review import (
    AlreadyDecided, InvalidSource, InvalidVerdict, RateLimited, ReviewError, UnknownReview, add_source,
    apply_reviews_to_dict, decide, dispute, enqueue_from_result, get_item, history,
)

if TYPE_CHECKING:
    from bot.discord_app.client import AnyFactBot

log = logging.getLogger(__name__)

# Dismiss = "not a claim to rule on". The queue knows four verdicts;
# `unverified` is the one that leaves the claim unchecked rather than
# ruled right or wrong, and the note says it was a dismissal.
DISMISS_VERDICT = "unverified"
DISMISS_NOTE = "dismissed: not a claim to rule on"
# An article with dozens of wrong figures would bury the review channel:
# cards beyond this many per reply are left to /review queue and /review card.
MAX_CARDS_PER_REPLY = 10
NOT_A_MODERATOR = "Only moderators can review verdicts: you need Manage Messages or a moderator role."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _duration(seconds: int) -> str:
    """Rounded up to the minute; whole hours as hours ("1 hour", "50 minutes")."""
    if seconds < 60:
        return _plural(seconds, "second")
    minutes = -(-seconds // 60)
    return _plural(minutes // 60, "hour") if minutes % 60 == 0 else _plural(minutes, "minute")


def _first(values: dict[str, Any], key: str) -> str:
    value = values.get(key)
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value or "").strip()


def article_input(article: Checked | StoredArticle, guild_id: int | None, channel_id: int, message_id: int) -> str:
    """The article's name in the queue: its link, or for pasted and message
    text the reply it was answered in. Enqueueing and disputing must agree on
    it, since the queue keeps one item per claim per article."""
    if article.url:
        return article.url
    return f"discord://{guild_id or '@me'}/{channel_id}/{message_id}"


def article_title(article: Checked | StoredArticle) -> str | None:
    """The article's title, or for text without one what it was ("Pasted text")."""
    return article.report.get("title") or (None if article.url else article.name)


class ReviewDesk:
    """The review flow of one bot: created in setup_hook as `bot.review_desk`,
    reached by the buttons and forms through `interaction.client`."""

    def __init__(self, bot: AnyFactBot) -> None:
        self.bot = bot
        self.db = bot.db
        self.store = ReviewStore(bot.db)
        self.store.prune_replies()
        review = bot.config.values["review"]
        self.min_confidence = float(review["min_confidence"])
        self.queue_on_check = bool(review["queue_on_check"])
        self.dispute_limit = int(review["dispute_limit"])
        self.dispute_window = int(review["dispute_window_seconds"])
        self.channel_id = int(bot.config.get("discord", "review_channel_id"))
        self.moderator_roles = bot.config.get("discord", "moderator_roles")
        self._active = 0
        self._idle = asyncio.Event()
        self._idle.set()

    @contextlib.asynccontextmanager
    async def busy(self) -> AsyncIterator[None]:
        """Marks review work in progress, for `drain`."""
        self._active += 1
        self._idle.clear()
        try:
            yield
        finally:
            self._active -= 1
            if not self._active:
                self._idle.set()

    async def drain(self, timeout: float = 5) -> None:
        """Waits (up to `timeout` s) for review work in progress; called before disconnecting."""
        if self._active:
            log.info("finishing %d review action(s) before closing", self._active)
            try:
                await asyncio.wait_for(self._idle.wait(), timeout)
            except TimeoutError:
                log.warning("closing with %d review action(s) unfinished", self._active)

    # -- after the bot answers ------------------------------------------------------------
    async def answered(self, reply: Reply, guild_id: int | None, channel_id: int, message_id: int) -> None:
        """Remember a public verdict reply, queue its questionable claims, post
        their cards. Never raises: the reply is out, and a queue problem must
        not turn it into an error message."""
        if not reply.disputable:
            return
        async with self.busy():
            try:
                self.store.save_reply(message_id, guild_id, channel_id, reply.style, reply.articles)
                if not self.queue_on_check:
                    return
                ids: list[int] = []
                for article in reply.articles:
                    ids += enqueue_from_result(
                        self.db, article.report, article_input(article, guild_id, channel_id, message_id),
                        url=article.url, title=article_title(article), guild_id=guild_id, channel_id=channel_id,
                        message_id=message_id, min_confidence=self.min_confidence)
                await self.post_cards(ids)
            except Exception:
                log.exception("could not queue the claims of reply %s for review", message_id)

    def _review_channel(self) -> discord.abc.Messageable | None:
        if not self.channel_id:
            return None
        channel = self.bot.get_channel(self.channel_id)
        if isinstance(channel, discord.abc.Messageable):
            return channel
        return self.bot.get_partial_messageable(self.channel_id)  # a thread, or not cached: REST still works

    async def post_cards(self, review_ids: Iterable[int]) -> None:
        """A card in the review channel for each open item that has none yet."""
        channel = self._review_channel()
        if channel is None:
            return
        posted = 0
        for review_id in dict.fromkeys(review_ids):
            item = get_item(self.db, review_id)
            if item["status"] != "open" or self.store.card(review_id):
                continue
            if posted >= MAX_CARDS_PER_REPLY:
                log.info("review %d: no card (over %d in one reply); see /review queue", review_id, posted)
                continue
            if not self.store.reserve_card(review_id, self.channel_id):
                continue
            try:
                message = await channel.send(embed=card_embed(item, history(self.db, review_id)),
                                             view=card_view(item), allowed_mentions=NO_PINGS)
            except discord.HTTPException as exc:
                self.store.release_card(review_id)
                log.warning("could not post the card of review %d in channel %s: %s", review_id, self.channel_id, exc)
                continue
            self.store.card_posted(review_id, self.channel_id, message.id)
            posted += 1
            log.info("review %d: card posted as message %s", review_id, message.id)

    async def refresh_card(self, review_id: int) -> None:
        """Redraws an item's card where it was posted (if it was)."""
        card = self.store.card(review_id)
        if card is None:
            return
        item = get_item(self.db, review_id)
        message = self.bot.get_partial_messageable(card.channel_id).get_partial_message(card.message_id)
        try:
            await message.edit(embed=card_embed(item, history(self.db, review_id)), view=card_view(item))
        except discord.HTTPException as exc:
            log.warning("could not update the card of review %d: %s", review_id, exc)

    async def refresh_reply(self, item: dict[str, Any]) -> bool:
        """Edits the bot's reply the item came from so it shows the moderators'
        verdicts. False when that reply cannot be edited (deleted, too old)."""
        posted = item.get("posted") or {}
        if not posted.get("message_id"):
            return True  # queued from the command line: no reply to edit
        message_id = int(posted["message_id"])
        stored = self.store.reply(message_id)
        if stored is None:
            log.info("review %s: reply %s is not stored (older than the retention?)", item["id"], message_id)
            return False
        articles = [Checked(name=a.name, url=a.url, report=a.report, full_text="", site=a.site,
                            summary=dict(a.report.get("summary") or {}))
                    for a in self._as_shown_now(message_id) or []]
        rebuilt = build_reply(articles, style=stored.style)
        message = self.bot.get_partial_messageable(stored.channel_id).get_partial_message(message_id)
        try:
            # Embeds only: the text, the attached full report and the Dispute button stay as they were.
            await message.edit(embeds=rebuilt.embeds, allowed_mentions=NO_PINGS)
        except discord.HTTPException as exc:
            log.warning("review %s: could not edit reply %s: %s", item["id"], message_id, exc)
            return False
        log.info("review %s: reply %s now shows the reviewed verdict", item["id"], message_id)
        return True

    # -- moderators -------------------------------------------------------------------------
    def _require_moderator(self, interaction: discord.Interaction) -> None:
        if not is_moderator(interaction, self.moderator_roles):
            raise UserError(NOT_A_MODERATOR)

    def _item(self, review_id: int) -> dict[str, Any]:
        try:
            return get_item(self.db, review_id)
        except UnknownReview:
            raise UserError(f"Review #{review_id} does not exist (any more).") from None

    async def _show_card(self, interaction: discord.Interaction, item: dict[str, Any]) -> None:
        """Answers the interaction by redrawing the card it came from; from
        anywhere else, redraws the posted card instead."""
        review_id = int(item["id"])
        embed, view = card_embed(item, history(self.db, review_id)), card_view(item)
        message = interaction.message
        if message is not None and _is_card_of(message, review_id) and not interaction.response.is_done():
            await interaction.response.edit_message(embed=embed, view=view)
            posted = self.store.card(review_id)
            if posted is not None and posted.message_id != message.id:  # decided from a /review card copy
                await self.refresh_card(review_id)
        else:
            await self.refresh_card(review_id)

    async def _decide(self, interaction: discord.Interaction, review_id: int, verdict: str,
                      note: str | None = None) -> None:
        self._require_moderator(interaction)
        lost: AlreadyDecided | None = None
        try:
            decide(self.db, review_id, verdict, actor(interaction.user), note)
        except AlreadyDecided as exc:
            lost = exc
        except UnknownReview:
            raise UserError(f"Review #{review_id} does not exist (any more).") from None
        except InvalidVerdict as exc:
            raise UserError(str(exc)) from None
        item = get_item(self.db, review_id)
        await self._show_card(interaction, item)
        if lost is not None:
            await tell(interaction, f"Already decided: {MARKS.get(lost.verdict, '')} **{lost.verdict}** by "
                                    f"{display_name(lost.decided_by)} ({lost.decided_at}). Nothing changed.")
            return
        if not await self.refresh_reply(item):
            await tell(interaction, f"Recorded. I could not update my original reply for review #{review_id} "
                                    "(deleted, or too old); new checks of this claim will show the decision.")
        elif not _is_card_of(interaction.message, review_id):
            await tell(interaction, f"Recorded: review #{review_id} is **{verdict}**.")

    async def confirm(self, interaction: discord.Interaction, review_id: int) -> None:
        item = self._item(review_id)
        await self._decide(interaction, review_id, str(item["claim"]["verdict"]))

    async def dismiss(self, interaction: discord.Interaction, review_id: int) -> None:
        await self._decide(interaction, review_id, DISMISS_VERDICT, DISMISS_NOTE)

    async def open_override(self, interaction: discord.Interaction, review_id: int) -> None:
        self._require_moderator(interaction)
        item = self._item(review_id)
        if item["status"] == "decided":  # no form to fill in for nothing
            decision = item["decision"]
            await self._show_card(interaction, item)
            await tell(interaction, f"Already decided: **{decision['verdict']}** by {display_name(decision['by'])}.")
            return
        await send_form(interaction, override_form(review_id, item["claim"].get("verdict")))

    async def submit_override(self, interaction: discord.Interaction, review_id: int, values: dict[str, Any]) -> None:
        note = _first(values, "note") or None
        await self._decide(interaction, review_id, _first(values, "verdict"), note)

    async def open_source(self, interaction: discord.Interaction, review_id: int) -> None:
        self._require_moderator(interaction)
        item = self._item(review_id)
        await send_form(interaction, source_form(review_id, item["claim"]))

    async def submit_source(self, interaction: discord.Interaction, review_id: int, values: dict[str, Any]) -> None:
        self._require_moderator(interaction)
        fields = {k: _first(values, k) for k in ("value", "unit", "period", "source", "url")}
        try:
            added = add_source(self.db, review_id, fields["value"], fields["unit"], fields["period"] or None,
                               fields["source"], fields["url"] or None, actor(interaction.user))
        except UnknownReview:
            raise UserError(f"Review #{review_id} does not exist (any more).") from None
        except (InvalidSource, ReviewError) as exc:
            typed = " · ".join(f"{k}: {v}" for k, v in fields.items() if v)
            raise UserError(f"{exc}\nWhat you entered: {typed}") from None
        await self._show_card(interaction, get_item(self.db, review_id))
        await tell(interaction, f"Added as reference fact #{added.fact_id} ({added.outcome}): the next check of "
                                "this claim is settled by it. Adding a source does not decide the review.")

    # -- readers ------------------------------------------------------------------------------
    async def open_dispute(self, interaction: discord.Interaction) -> None:
        if self.dispute_limit == 0:
            raise UserError("Reader disputes are turned off here.")
        message = interaction.message
        articles = self._as_shown_now(message.id) if message is not None else None
        if message is None or articles is None:
            raise UserError("I no longer have the details of this answer, so it can't be disputed here; "
                            "please tell a moderator.")
        options = dispute_options(articles)
        if not options:
            raise UserError("This answer has no verdicts to dispute.")
        await send_form(interaction, dispute_form(message.id, options))

    def _as_shown_now(self, message_id: int) -> list[StoredArticle] | None:
        """A stored reply's articles with today's decisions applied: what the
        reader sees once the reply was edited, and what they dispute."""
        stored = self.store.reply(message_id)
        if stored is None:
            return None
        return [StoredArticle(a.name, a.url, a.site, apply_reviews_to_dict(self.db, a.report))
                for a in stored.articles]

    async def submit_dispute(self, interaction: discord.Interaction, message_id: int, values: dict[str, Any]) -> None:
        stored = self.store.reply(message_id)
        articles = self._as_shown_now(message_id)
        if stored is None or articles is None:
            raise UserError("I no longer have the details of this answer; please tell a moderator.")
        options = dispute_options(articles)
        chosen = _first(values, "claim") or (options[0][0] if len(options) == 1 else "")
        found = claim_at(articles, chosen)
        if found is None:
            raise UserError("Choose the verdict you dispute.")
        article, claim = found
        reason = _first(values, "reason")
        try:
            result = dispute(self.db, claim, reason, actor(interaction.user),
                             input_name=article_input(article, stored.guild_id, stored.channel_id, message_id),
                             url=article.url, title=article_title(article),
                             guild_id=stored.guild_id, channel_id=stored.channel_id, message_id=message_id,
                             limit=self.dispute_limit, window_seconds=self.dispute_window)
        except RateLimited as exc:
            raise UserError(
                f"Thanks, but you have disputed {_plural(exc.limit, 'verdict')} in the last "
                f"{_duration(exc.window_seconds)}, "
                f"the most I take from one reader. You can dispute again in {_duration(exc.retry_after)}; "
                f"your reason, to paste then: “{reason}”") from None
        except ReviewError as exc:
            raise UserError(f"I couldn't send that to the moderators: {exc}.") from None
        await tell(interaction, f"Thanks: the moderators will look at it (review #{result.review_id}). "
                                "If they change the verdict, this answer will show it.")
        if result.created:
            await self.post_cards([result.review_id])
        else:
            await self.refresh_card(result.review_id)


def _is_card_of(message: discord.Message | None, review_id: int) -> bool:
    """Whether `message` is the card (or a /review card copy) of this item."""
    if message is None:
        return False
    wanted = f"factbot:review:confirm:{review_id}"
    return any(getattr(child, "custom_id", None) == wanted
               for row in message.components for child in getattr(row, "children", []))
