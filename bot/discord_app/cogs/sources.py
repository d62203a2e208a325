"""/sources search: the reference facts behind the verdicts, with
autocomplete as you type (a chosen suggestion shows that one fact)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.embeds import DESCRIPTION_MAX, TITLE_MAX, clip, u16
from bot.discord_app.replies import UserError
from bot.discord_app.safety import NO_PINGS, neutralise, plain
from claims.model import Fact
from claims.report import format_value

if TYPE_CHECKING:
    from bot.discord_app.client import AnyFactBot

log = logging.getLogger(__name__)

RESULTS = 10
SUGGESTIONS = 25          # Discord shows at most 25 choices
CHOICE_MAX = 100          # a choice's name and value are at most 100 characters
FACT_PREFIX = "fact:"


def fact_label(fact: Fact) -> str:
    """One line a person can scan: entity · metric · period: value."""
    where = " · ".join(x for x in (fact.entity, fact.metric, fact.period) if x)
    return f"{where}: {format_value(fact.value, fact.unit, fact.qualifier)}"


def fact_line(fact: Fact) -> str:
    source = plain(fact.source)
    if fact.url and fact.url.startswith(("http://", "https://")) and not any(c in fact.url for c in " ()<>"):
        source = f"[{source}]({fact.url})"
    return f"• {plain(fact_label(fact))} — {source}"


@app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
@app_commands.allowed_installs(guilds=True, users=False)
class Sources(commands.GroupCog, group_name="sources", group_description="The reference facts verdicts rest on"):
    def __init__(self, bot: AnyFactBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="search",
                          description="Find reference facts by name and metric, e.g. 'apple china revenue'")
    @app_commands.describe(query="Entity and metric, e.g. 'byd revenue'", private="Only you see the answer")
    async def search(self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200],
                     private: bool | None = None) -> None:
        ephemeral = self.bot.config.get("discord", "ephemeral") if private is None else private
        facts = await self._find(query)
        if not facts:
            raise UserError(f"No reference facts match “{clip(query, 100)}”.")
        lines: list[str] = []
        for fact in facts:
            line = fact_line(fact)
            if u16("\n".join([*lines, line])) > DESCRIPTION_MAX:
                break
            lines.append(line)
        title = clip(neutralise(f"Reference facts for “{query}”"), TITLE_MAX)
        embed = discord.Embed(title=title, description="\n".join(lines), colour=0x5865F2)
        embed.set_footer(text="factbot · /factcheck checks an article against these")
        await interaction.response.send_message(embed=embed, ephemeral=ephemeral, allowed_mentions=NO_PINGS)

    async def _find(self, query: str) -> list[Fact]:
        if query.startswith(FACT_PREFIX) and query[len(FACT_PREFIX):].isdigit():
            fact_id = int(query[len(FACT_PREFIX):])
            facts = await self.bot.checker.facts_by_id([fact_id])
            if facts:
                return facts
        return [hit.fact for hit in await self.bot.checker.search(query, RESULTS)]

    @search.autocomplete("query")
    async def query_suggestions(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        if len(current.strip()) < 2:
            return []
        try:
            hits = await self.bot.checker.search(current, SUGGESTIONS)
        except Exception:  # a suggestion list is not worth an error: the user can still submit
            log.warning("autocomplete for %r failed", current, exc_info=True)
            return []
        return [app_commands.Choice(name=clip(fact_label(h.fact), CHOICE_MAX), value=f"{FACT_PREFIX}{h.fact.id}")
                for h in hits]
