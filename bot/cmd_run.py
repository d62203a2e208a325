"""`factbot run [--config bot.toml]`: start the Discord bot.

The token comes from DISCORD_TOKEN, never from a file. Whatever stops the
bot from starting (bad configuration, no token, a rejected token, the
message content intent not enabled, an unreachable Discord) is one line on
standard error and an exit code, never a traceback: 2 for something the
operator must fix, 1 for Discord being unreachable.

Testing hook: FACTBOT_DISCORD_API_BASE (e.g. http://127.0.0.1:8080/api/v10)
and FACTBOT_DISCORD_GATEWAY (ws://127.0.0.1:8080/gateway) point discord.py
at a local stand-in for Discord (tests/discord_standin.py), so the load and
restart tests can run `factbot run` as a real process. They change
nothing unless set, and each use is logged as a warning.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Mapping
from typing import Any

from bot import config as config_mod

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
TOKEN_VARIABLE = "DISCORD_TOKEN"
API_BASE_VARIABLE = "FACTBOT_DISCORD_API_BASE"
GATEWAY_VARIABLE = "FACTBOT_DISCORD_GATEWAY"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start the Discord bot (token from DISCORD_TOKEN)",
                       description="Start the Discord bot. The token comes from the DISCORD_TOKEN environment "
                                   "variable; settings from bot.toml.")
    p.add_argument("--config", help="configuration file (default: ./bot.toml)")
    p.set_defaults(handler=run)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"factbot: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    try:
        cfg = config_mod.load(args.config)
    except config_mod.ConfigError as exc:
        return fail(str(exc))
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        return fail(f"{TOKEN_VARIABLE} is not set: put the bot token from the Discord Developer Portal in it")
    # A service reports what it is doing; -v adds nothing here but is harmless.
    logging.getLogger().setLevel(logging.INFO)
    point_discord_at(os.environ)
    return asyncio.run(serve(cfg, token))


def point_discord_at(environ: Mapping[str, str]) -> None:
    """The testing hook: send discord.py's REST calls and gateway connection
    to the addresses in FACTBOT_DISCORD_API_BASE / FACTBOT_DISCORD_GATEWAY
    when they are set (a local stand-in for Discord); otherwise nothing changes."""
    api_base = (environ.get(API_BASE_VARIABLE) or "").strip()
    gateway = (environ.get(GATEWAY_VARIABLE) or "").strip()
    if not api_base and not gateway:
        return
    import discord
    import yarl

    if api_base:
        discord.http.Route.BASE = api_base.rstrip("/")
        log.warning("testing hook: Discord REST calls go to %s (%s)", api_base, API_BASE_VARIABLE)
    if gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
        log.warning("testing hook: the Discord gateway is %s (%s)", gateway, GATEWAY_VARIABLE)


async def serve(cfg: config_mod.Config, token: str, **options: Any) -> int:
    """Runs the bot until it is closed (SIGTERM or SIGINT close it cleanly);
    returns the exit code. `options` go to discord.py (tests)."""
    import aiohttp
    import discord

    from bot.discord_app import create_bot
    from sources.db import DatabaseOpenError

    bot = create_bot(cfg, **options)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread, or Windows
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(bot.close()))
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        return fail(f"Discord rejected the token in {TOKEN_VARIABLE}: copy it again from the Developer Portal "
                    "(Bot → Reset Token)")
    except discord.PrivilegedIntentsRequired:
        return fail("Discord refused the message content intent: enable it in the Developer Portal (Bot → "
                    "Privileged Gateway Intents), or set autoscan.enabled = false in bot.toml")
    except DatabaseOpenError as exc:
        return fail(str(exc))
    except (discord.HTTPException, discord.GatewayNotFound, discord.ConnectionClosed, aiohttp.ClientError,
            OSError) as exc:
        log.debug("stopped", exc_info=True)
        return fail(f"cannot reach Discord: {exc}", EXIT_FAILED)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
    return EXIT_OK
