"""Article text must never make the bot ping anyone.

Every message the bot sends carries `AllowedMentions.none()`, which stops
the ping; neutralising the text as well keeps a quoted "@everyone" from
looking like one, and keeps it harmless if a message is ever sent without
the guard (a forwarded embed, a copy-paste by a moderator).
"""
from __future__ import annotations

import re

import discord

NO_PINGS = discord.AllowedMentions.none()

ZWSP = "\u200b"
# "@everyone", "@here", and the bodies of <@id>, <@!id>, <@&id>: a zero-width
# space after the "@" breaks the mention and reads the same.
_MENTION = re.compile(r"@(everyone|here|[!&]?\d+)", re.IGNORECASE)


def neutralise(text: str) -> str:
    """`text` with every mention broken by a zero-width space."""
    return _MENTION.sub(lambda m: f"@{ZWSP}{m.group(1)}", text)


def plain(text: str) -> str:
    """Text from an article or a user, safe to put in Markdown: no mentions,
    and no formatting or masked links of its own (a quote like
    "[click](https://evil.example)" shows as written, not as a link)."""
    return neutralise(discord.utils.escape_markdown(text))
