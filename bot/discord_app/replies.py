"""Answering an interaction, whatever state it is in.

An interaction is answered once (`response`), then followed up; which one a
message needs depends on whether the command already deferred. Keeping that
here lets commands, checks and the error handler just "tell" the user.

A verdict reply sent here in public in a server is also handed to the
review flow (`client.review_desk.answered`): its questionable claims go to
the moderators' queue with the reply's message id, and it carries the
readers' Dispute button.
"""
from __future__ import annotations

import logging

import discord

from bot.discord_app.embeds import CONTENT_MAX, Reply, clip
from bot.discord_app.safety import NO_PINGS, neutralise

log = logging.getLogger(__name__)

GENERIC_FAILURE = "Sorry, something went wrong on my side; the details are in the bot's log."


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


async def send_reply(interaction: discord.Interaction, reply: Reply, *,
                     ephemeral: bool) -> discord.Message | None:
    """Sends a verdict reply; returns the message.

    Private (ephemeral) answers and answers outside a server stay out of
    review: "only you see this" includes the moderators, and nobody else
    could follow a link to them.
    """
    public = not ephemeral and interaction.guild_id is not None
    kwargs = reply.kwargs(dispute=public)
    message: discord.Message | None
    if interaction.response.is_done():
        message = await interaction.followup.send(ephemeral=ephemeral, wait=True, **kwargs)
    else:
        callback = await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
        message = callback.resource if isinstance(callback.resource, discord.InteractionMessage) else None
    desk = getattr(interaction.client, "review_desk", None)
    if public and message is not None and desk is not None and interaction.channel_id is not None:
        await desk.answered(reply, interaction.guild_id, interaction.channel_id, message.id)
    return message
