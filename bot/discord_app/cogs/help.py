"""/factbot help: what the bot does and how to read its verdicts, short
enough for a phone screen."""
from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.cogs.factcheck import MENU_NAME
from bot.discord_app.embeds import MARKS
from bot.discord_app.safety import NO_PINGS

if TYPE_CHECKING:
    from bot.discord_app.client import AnyFactBot

HELP = f"""I check the figures and rankings in news articles against a database of reference facts, \
each with its source.

**Commands**
`/factcheck url:` or `text:` — check an article or pasted text
**{MENU_NAME}** (right-click or long-press a message → Apps) — check its links and text
`/sources search` — look up the reference facts
`/autoscan on | quiet | off | status` — moderators: check links posted in this channel automatically
**Dispute a verdict** (button under my replies) — send a verdict you think is wrong to the moderators
`/review queue` · `/review history` — moderators: the review queue and its decisions

**Verdicts**
{MARKS['supported']} supported — a reference fact agrees
{MARKS['contradicted']} contradicted — a reference fact disagrees; I show the right value and its source
{MARKS['disputed']} disputed — the reference facts disagree among themselves
{MARKS['unverified']} unverified — no reference fact for that figure: not wrong, just unchecked"""


@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
@app_commands.allowed_installs(guilds=True, users=False)
class Help(commands.GroupCog, group_name="factbot", group_description="About this bot"):
    def __init__(self, bot: AnyFactBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="help", description="What factbot does and how to read its verdicts")
    async def help(self, interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="factbot — fact-check bot", description=HELP, colour=0x5865F2)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_PINGS)
