"""Answering an interaction, whatever state it is in.

An interaction is answered once (`response`), then followed up; which one a
message needs depends on whether the command already deferred. Keeping that
here lets commands, checks and the error handler just "tell" the user.
"""
from __future__ import annotations

import logging

import discord

from bot.discord_app.embeds import CONTENT_MAX, Reply, clip
from bot.discord_app.safety import NO_PINGS, neutralise

log = logging.getLogger(__name__)


class UserError(Exception):
    """Something the user can fix or should know; the message is shown as is."""


async def tell(interaction: discord.Interaction, text: str, *, ephemeral: bool = True) -> None:
    """A short text answer. Ephemeral by default: errors and refusals are the
    asker's business, not the channel's."""
    content = clip(neutralise(text), CONTENT_MAX)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=ephemeral, allowed_mentions=NO_PINGS)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, allowed_mentions=NO_PINGS)


async def send_reply(interaction: discord.Interaction, reply: Reply, *, ephemeral: bool) -> None:
    kwargs = reply.kwargs()
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
