"""The Discord bot: `factbot run` starts it (bot.cmd_run).

Layout, RoboDanny-style: `client` (the Bot subclass and its setup_hook),
one cog per feature in `cogs/`, and small helpers with one job each:
`checking` (checks on worker threads), `embeds` (verdict embeds within
Discord's limits, pure), `safety` (no pings), `links`, `cooldowns`,
`settings` (per-channel auto-scan mode), `seen_links` (earlier answers),
`permissions` (who is a moderator), `replies` (answering interactions).

Data flows one way: message or command -> text -> claims.check ->
claims.report JSON -> embeds -> Discord. `claims/` and `sources/` know
nothing of Discord.
"""
from bot.discord_app.client import FactBot, ShardedFactBot, create_bot

__all__ = ["FactBot", "ShardedFactBot", "create_bot"]
