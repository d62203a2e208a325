"""Load and validate bot.toml.

Every key is declared once, with its type and default, so a typo or a wrong
type is reported by name at start-up instead of surfacing later as odd
behaviour.
"""
from __future__ import annotations

import ipaddress
import re
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
}


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


def validate(raw: dict[str, Any]) -> Config:
    config = defaults()
    for section, table in raw.items():
        if section not in SCHEMA:
            raise ConfigError(f"unknown section [{section}] (known: {', '.join(SCHEMA)})")
        if not isinstance(table, dict):
            raise ConfigError(f"[{section}] must be a table")
        for key, value in table.items():
            if key not in SCHEMA[section]:
                raise ConfigError(f"unknown key {section}.{key} (known: {', '.join(SCHEMA[section])})")
            expected, _ = SCHEMA[section][key]
            if isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
                name = expected.__name__ if isinstance(expected, type) else " or ".join(t.__name__ for t in expected)
                raise ConfigError(f"{section}.{key} must be {name}, not {type(value).__name__} ({value!r})")
            config.values[section][key] = value
    if config.get("check", "max_claims") < 1:
        raise ConfigError("check.max_claims must be at least 1")
    _validate_fetch(config.values["fetch"])
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
