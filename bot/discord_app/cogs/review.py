"""/review queue | history | card: the moderators' review queue from Discord,
and the routing of submitted review forms.

For moderators only: a configured moderator role or Manage Messages,
checked here on every use (`default_permissions` only hides the commands
by default; a server admin can change who sees them). Answers are private
(ephemeral): the queue is the newsroom's business, not the channel's.

The cards themselves are posted by `review_desk.ReviewDesk` when the bot
answers; their buttons are the DynamicItems of `review_views`.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.permissions import is_moderator
from bot.discord_app.replies import UserError
from bot.discord_app.review_cards import LIST_ROWS, card_embed, history_embed, jump_url, queue_embed
from bot.discord_app.review_desk import NOT_A_MODERATOR
from bot.discord_app.review_views import card_view, handle_form
from bot.discord_app.safety import NO_PINGS
from sources.review import UnknownReview, get_item, list_items
from sources.review import history as audit_history

if TYPE_CHECKING:
    from bot.discord_app.client import AnyFactBot

log = logging.getLogger(__name__)


@app_commands.guild_only()
@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.default_permissions(manage_messages=True)
class Review(commands.GroupCog, group_name="review",
             group_description="The moderators' review queue of verdicts (moderators)"):
    def __init__(self, bot: AnyFactBot) -> None:
        self.bot = bot
        super().__init__()

    def _require_moderator(self, interaction: discord.Interaction) -> None:
        if not is_moderator(interaction, self.bot.config.get("discord", "moderator_roles")):
            raise UserError(NOT_A_MODERATOR)

    @app_commands.command(name="queue", description="Open review items, oldest first")
    async def queue(self, interaction: discord.Interaction) -> None:
        self._require_moderator(interaction)
        db = self.bot.db
        items = list_items(db, status="open", limit=LIST_ROWS)
        total = int(db.execute("SELECT count(*) FROM review_items WHERE status = 'open'").fetchone()[0])
        store = self.bot.review_desk.store
        jumps = {}
        for item in items:
            card = store.card(int(item["id"]))
            if card is not None:
                jumps[int(item["id"])] = jump_url(interaction.guild_id, card.channel_id, card.message_id) or ""
        await interaction.response.send_message(embed=queue_embed(items, total, jumps), ephemeral=True,
                                                allowed_mentions=NO_PINGS)

    @app_commands.command(name="history", description="Decisions, added sources and reader disputes, newest last")
    @app_commands.describe(item="Only this review item's history")
    async def history(self, interaction: discord.Interaction,
                      item: app_commands.Range[int, 1] | None = None) -> None:
        self._require_moderator(interaction)
        try:
            rows = audit_history(self.bot.db, item, limit=LIST_ROWS)
        except UnknownReview:
            raise UserError(f"There is no review item #{item}.") from None
        await interaction.response.send_message(embed=history_embed(rows, item), ephemeral=True,
                                                allowed_mentions=NO_PINGS)

    @app_commands.command(name="card", description="Show one review item's card, with its buttons, only to you")
    @app_commands.describe(item="The review item's number (from /review queue)")
    async def card(self, interaction: discord.Interaction, item: app_commands.Range[int, 1]) -> None:
        """For items without a card in the review channel (none configured,
        or over the per-reply limit), and for deciding from anywhere."""
        self._require_moderator(interaction)
        try:
            found = get_item(self.bot.db, item)
        except UnknownReview:
            raise UserError(f"There is no review item #{item}.") from None
        await interaction.response.send_message(embed=card_embed(found, audit_history(self.bot.db, item)),
                                                view=card_view(found), ephemeral=True, allowed_mentions=NO_PINGS)

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Submitted review forms (see review_views: they are routed by custom_id)."""
        if interaction.type is discord.InteractionType.modal_submit:
            await handle_form(interaction)
