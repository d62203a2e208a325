"""Who counts as a moderator.

A command's `default_permissions` only sets who sees it by default; a
server admin can change that in the integration settings, so every
moderator command asks this module as well.
"""
from __future__ import annotations

from collections.abc import Iterable

import discord


def is_moderator(interaction: discord.Interaction, moderator_roles: Iterable[int | str]) -> bool:
    """Manage Messages in this channel (or Administrator), or one of the
    configured roles, given by ID or by name (names compared case-insensitively)."""
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        return False
    perms = interaction.permissions
    if perms.administrator or perms.manage_messages:
        return True
    ids = {r for r in moderator_roles if isinstance(r, int)}
    names = {r.casefold() for r in moderator_roles if isinstance(r, str)}
    return any(role.id in ids or role.name.casefold() in names for role in interaction.user.roles)
