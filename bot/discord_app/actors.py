"""How Discord users are named in the review queue and its audit log.

`sources.review` records people as text ("by"). From Discord that text is
"name (discord:ID)": the ID keeps the audit log unambiguous after a
rename and is what a reader's dispute limit is counted against; the name
keeps `factbot review list` and `history` readable on the command line.
What readers see (a reviewed verdict, a card) shows the name alone.
"""
from __future__ import annotations

import re

import discord

_SUFFIX = re.compile(r"\s*\(discord:\d+\)\s*$")


def actor(user: discord.abc.User) -> str:
    """The "by" text for a Discord user."""
    return f"{user.name} (discord:{user.id})"


def display_name(by: str | None) -> str:
    """`by` as shown to people: "mod (discord:123)" -> "mod"; other text as is."""
    return _SUFFIX.sub("", by or "") or (by or "")

_ANY_ID = re.compile(r"\s*\(discord:\d+\)")


def without_ids(text: str) -> str:
    """Text written by sources.review with actors in it ("disputed by a reader
    (bob (discord:1)): ...") as shown to people: the ids dropped."""
    return _ANY_ID.sub("", text)
