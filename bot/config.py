"""Load and validate bot.toml.

Every key is declared once, with its type and default, so a typo or a wrong
type is reported by name at start-up instead of surfacing later as odd
behaviour.
"""
from __future__ import annotations

import ipaddress
import re
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path("bot.toml")


class ConfigError(ValueError):
    """bot.toml is unreadable or names a key or value we do not accept."""


# section -> key -> (type, default)
SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], Any]]] = {
    "database": {"path": (str, "factbot.db")},
    "check": {"max_claims": (int, 200)},
    # Link intake (bot.intake): limits on fetching a page a Discord user posted.
    "fetch": {
        "max_bytes": (int, 5_000_000),
        "timeout_seconds": ((int, float), 10),
        "content_types": (list, ["text/html", "application/xhtml+xml", "text/plain"]),
        "allow_hosts": (list, []),
        "cache_ttl_seconds": (int, 3600),
        "user_agent": (str, "factbot/0.1 (fact-check bot)"),
    },
    # Moderator review (sources.review, sources.claimreview); checked by _validate_review.
    "review": {
        "min_confidence": ((int, float), 0.6),    # supported/contradicted below this are queued
        "queue_on_check": (bool, True),           # `factbot check` queues claims (--no-queue skips)
        "dispute_limit": (int, 5),                # reader disputes per user per window; 0: none allowed
        "dispute_window_seconds": (int, 3600),
        "newsroom": (str, "factbot"),             # author of exported ClaimReviews
        "newsroom_url": (str, ""),
    },
    # The Discord bot (bot.discord_app); checked by _validate_discord.
    "discord": {
        "dev_guild_id": (int, 0),             # 0: sync commands globally; else to this test server only
        "sync_commands": (bool, True),        # push the command tree to Discord at start
        "auto_shard": (bool, False),          # discord.py's AutoShardedBot, for large deployments
        "shard_count": (int, 0),              # with auto_shard: 0 asks Discord for the recommended count
        "moderator_roles": (list, []),        # role IDs (integers) or role names (strings)
        "review_channel_id": (int, 0),        # where the review queue posts; 0: none
        "check_workers": (int, 2),            # threads running checks off the event loop
        "command_cooldown_seconds": ((int, float), 10),  # per user, for /factcheck and the context menu
        "max_links": (int, 3),                # links checked per message or command
        "ephemeral": (bool, False),           # default for "only you can see this" replies
        "reply_style": (str, "full"),         # "full": a line per claim; "compact": only contradicted/disputed
    },
    # Auto-scan of links posted in channels that opted in (/autoscan on|quiet).
    "autoscan": {
        "enabled": (bool, True),              # False: no auto-scan anywhere, and no message content intent
        "default_mode": (str, "off"),         # for channels nobody has set: "off", "on" or "quiet"
        "user_cooldown_seconds": ((int, float), 60),
        "channel_cooldown_seconds": ((int, float), 10),
        "repeat_window_seconds": (int, 3600),  # a link answered within this is answered with a pointer
        "workers": (int, 4),                  # messages answered at once (fetch, check, reply)
        "max_pending": (int, 100),            # waiting in memory; beyond, deferred (⏳) and kept in the database
        "catch_up_seconds": (int, 3600),      # after a restart, read back messages posted up to this long ago
    },
}

DISCORD_REPLY_STYLES = ("full", "compact")
AUTOSCAN_MODES = ("off", "on", "quiet")


@dataclass
class Config:
    """The validated configuration: `values[section][key]`."""

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None

    def get(self, section: str, key: str) -> Any:
        return self.values[section][key]

    @property
    def db_path(self) -> str:
        return self.get("database", "path")


def defaults() -> Config:
    return Config({s: {k: d for k, (_, d) in keys.items()} for s, keys in SCHEMA.items()})


def _shown(name: object) -> str:
    """A name from the file as it can be shown on one line."""
    return name if isinstance(name, str) and name.isprintable() else repr(name)


def validate(raw: dict[str, Any]) -> Config:
    config = defaults()
    for section, table in raw.items():
        if section not in SCHEMA:
            raise ConfigError(f"unknown section [{_shown(section)}] (known: {', '.join(SCHEMA)})")
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table")
        for key, value in table.items():
            if key not in SCHEMA[section]:
                raise ConfigError(f"unknown key {section}.{_shown(key)} (known: {', '.join(SCHEMA[section])})")
            expected, _ = SCHEMA[section][key]
            if isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
                name = expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
                raise ConfigError(f"{section}.{key} must be {name}, not {type(value).__name__} ({value!r})")
            if isinstance(value, float) and not math.isfinite(value):
                raise ConfigError(f"{section}.{key} must be a finite number, not {value!r}")
            config.values[section][key] = value
    if config.get("check", "max_claims") < 1:
        raise ConfigError("check.max_claims must be at least 1")
    _validate_fetch(config.values["fetch"])
    _validate_review(config.values["review"])
    _validate_discord(config.values["discord"])
    _validate_autoscan(config.values["autoscan"])
    return config


# Letters, digits, '-' and '_' in labels of at most 63; numeric-looking names
# are refused because browsers and getaddrinfo read them as IPv4 addresses.
_HOST_NAME = re.compile(r"(?=.{1,253}\.?$)[a-z0-9_][a-z0-9_-]{0,62}(\.[a-z0-9_][a-z0-9_-]{0,62})*\.?", re.IGNORECASE)
_MIME_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+", re.IGNORECASE)


def _validate_fetch(fetch: dict[str, Any]) -> None:
    """Checks the [fetch] values whose mistakes would silently weaken or break
    link intake: an allow_hosts typo must not turn into "allow everything"."""
    if fetch["max_bytes"] < 1:
        raise ConfigError("fetch.max_bytes must be at least 1")
    if fetch["timeout_seconds"] <= 0:
        raise ConfigError("fetch.timeout_seconds must be more than 0")
    if fetch["cache_ttl_seconds"] < 0:
        raise ConfigError("fetch.cache_ttl_seconds must be 0 (no cache) or more")
    for entry in fetch["content_types"]:
        if not isinstance(entry, str) or not _MIME_TYPE.fullmatch(entry.strip()):
            raise ConfigError(f"fetch.content_types: {entry!r} is not a media type like \"text/html\"")
    for entry in fetch["allow_hosts"]:
        if not isinstance(entry, str):
            raise ConfigError(f"fetch.allow_hosts: {entry!r} must be a string")
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
            continue
        except ValueError:
            pass
        last_label = entry.strip().rstrip(".").rsplit(".", 1)[-1]
        numeric = last_label.isdigit() or re.fullmatch(r"0x[0-9a-f]*", last_label, re.IGNORECASE)
        if numeric or not _HOST_NAME.fullmatch(entry.strip()):
            raise ConfigError(
                f"fetch.allow_hosts: {entry!r} is neither a host name nor an IP address or CIDR network"
            )


def _validate_discord(discord: dict[str, Any]) -> None:
    """Checks [discord] values that would otherwise fail late (a command
    tree synced to the wrong place, a moderator role that never matches)."""
    for key in ("dev_guild_id", "review_channel_id"):
        if discord[key] < 0:
            raise ConfigError(f"discord.{key} must be a Discord ID (a positive integer) or 0 for none")
    if discord["shard_count"] < 0:
        raise ConfigError("discord.shard_count must be 0 (ask Discord) or more")
    if discord["shard_count"] and not discord["auto_shard"]:
        raise ConfigError("discord.shard_count is only used with discord.auto_shard = true")
    if discord["check_workers"] < 1:
        raise ConfigError("discord.check_workers must be at least 1")
    if discord["command_cooldown_seconds"] < 0:
        raise ConfigError("discord.command_cooldown_seconds must be 0 (no cooldown) or more")
    if not 1 <= discord["max_links"] <= 10:
        raise ConfigError("discord.max_links must be between 1 and 10 (a message holds at most 10 embeds)")
    if discord["reply_style"] not in DISCORD_REPLY_STYLES:
        raise ConfigError(f"discord.reply_style must be one of {', '.join(map(repr, DISCORD_REPLY_STYLES))},"
                          f" not {discord['reply_style']!r}")
    for entry in discord["moderator_roles"]:
        if isinstance(entry, bool) or not isinstance(entry, (int, str)) \
                or (isinstance(entry, int) and entry <= 0) or (isinstance(entry, str) and not entry.strip()):
            raise ConfigError(f"discord.moderator_roles: {entry!r} must be a role ID (positive integer)"
                              " or a role name (non-empty string)")


def _validate_autoscan(autoscan: dict[str, Any]) -> None:
    if autoscan["default_mode"] not in AUTOSCAN_MODES:
        raise ConfigError(f"autoscan.default_mode must be one of {', '.join(map(repr, AUTOSCAN_MODES))},"
                          f" not {autoscan['default_mode']!r}")
    for key in ("user_cooldown_seconds", "channel_cooldown_seconds", "repeat_window_seconds", "catch_up_seconds"):
        if autoscan[key] < 0:
            raise ConfigError(f"autoscan.{key} must be 0 (off) or more")
    # Workers each hold a fetch, a check and a reply in flight; more than a
    # few dozen only queue up behind discord.check_workers and Discord's rate limits.
    if not 1 <= autoscan["workers"] <= 64:
        raise ConfigError("autoscan.workers must be between 1 and 64")
    if not 1 <= autoscan["max_pending"] <= 100_000:
        raise ConfigError("autoscan.max_pending must be between 1 and 100000 (beyond it, messages wait in the "
                          "database)")


def _validate_review(review: dict[str, Any]) -> None:
    """[review] values whose mistakes would silently empty or flood the queue."""
    if not 0 <= review["min_confidence"] <= 1:
        raise ConfigError("review.min_confidence must be between 0 and 1")
    if review["dispute_limit"] < 0:
        raise ConfigError("review.dispute_limit must be 0 (no reader disputes) or more")
    if review["dispute_window_seconds"] < 1:
        raise ConfigError("review.dispute_window_seconds must be at least 1")
    if not review["newsroom"].strip():
        raise ConfigError("review.newsroom must not be empty (it signs the exported ClaimReviews)")
    url = review["newsroom_url"].strip()
    if url and not re.match(r"https?://[^\s/]+", url, re.IGNORECASE):
        raise ConfigError(f"review.newsroom_url {url!r} is not an http(s) URL")


def load(path: str | Path | None = None) -> Config:
    """Read `path`, or ./bot.toml if present, else use defaults.

    An explicitly given file that is missing is an error; the implicit
    default file may be absent (a fresh checkout run from elsewhere).
    """
    explicit = path is not None
    file = Path(path) if explicit else DEFAULT_PATH
    if not file.exists():
        if explicit:
            raise ConfigError(f"{file}: no such configuration file")
        return defaults()
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{file}: not valid TOML: {exc}") from exc
    config = validate(raw)
    config.path = file
    return config
