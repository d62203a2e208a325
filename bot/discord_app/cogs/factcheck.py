"""/factcheck (a link or pasted text) and the message context menu
"Fact-check this message" (its links and its text).

Both defer before fetching anything: Discord gives an interaction three
seconds, and a slow news site takes longer than that.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.embeds import build_reply
from bot.discord_app.links import find_links, without_links
from bot.discord_app.replies import UserError, send_reply

if TYPE_CHECKING:
    from bot.discord_app.client import AnyFactBot

log = logging.getLogger(__name__)

MENU_NAME = "Fact-check this message"
TEXT_MAX = 4000
# A message's own text is checked only when it says something beyond a few
# words around its links ("look at this: <link>").
MIN_TEXT_WORDS = 6


class FactCheck(commands.Cog):
    def __init__(self, bot: AnyFactBot) -> None:
        self.bot = bot
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.check_message,
                                             allowed_contexts=app_commands.AppCommandContext(
                                                 guild=True, dm_channel=True, private_channel=False),
                                             allowed_installs=app_commands.AppInstallationType(guild=True))
        bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    def _ephemeral(self, private: bool | None) -> bool:
        return self.bot.config.get("discord", "ephemeral") if private is None else private

    def _cooldown(self, interaction: discord.Interaction) -> None:
        wait = self.bot.command_cooldown.try_use(interaction.user.id)
        if wait:
            raise UserError(f"One check at a time: try again in {max(1, round(wait))} s.")

    async def _answer(self, interaction: discord.Interaction, links: list[str], texts: list[tuple[str, str]],
                      ephemeral: bool) -> None:
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        checked, notes = await self.bot.checker.check_many(links, texts, self.bot.db)
        reply = build_reply(checked, notes, style=self.bot.config.get("discord", "reply_style"))
        await send_reply(interaction, reply, ephemeral=ephemeral)

    @app_commands.command(name="factcheck",
                          description="Check the figures and rankings in an article or in pasted text")
    @app_commands.describe(url="Link to the article", text="Or paste the text to check",
                           private="Only you see the answer (default: the server's setting)")
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    @app_commands.allowed_installs(guilds=True, users=False)
    async def factcheck(self, interaction: discord.Interaction, url: str | None = None,
                        text: app_commands.Range[str, 1, TEXT_MAX] | None = None,
                        private: bool | None = None) -> None:
        links = find_links(url or "", self.bot.config.get("discord", "max_links"))
        if url and not links:
            raise UserError("That isn't a link I can read: give the full address, starting with https://")
        if not links and not (text and text.strip()):
            raise UserError("Give me a link (`url`) or paste the text (`text`) to check.")
        self._cooldown(interaction)
        texts = [("Pasted text", text)] if text and text.strip() else []
        await self._answer(interaction, links, texts, self._ephemeral(private))

    async def check_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        links = find_links(message.content, self.bot.config.get("discord", "max_links"))
        rest = without_links(message.content)
        texts = [(f"Message by {message.author.display_name}", rest)] if len(rest.split()) >= MIN_TEXT_WORDS else []
        if not links and not texts:
            raise UserError("That message has no link and too little text to check.")
        self._cooldown(interaction)
        await self._answer(interaction, links, texts, self._ephemeral(None))
