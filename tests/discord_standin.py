"""A local stand-in for Discord, for end-to-end tests of the real discord.py client.

One aiohttp app on 127.0.0.1 serves both halves of Discord the client talks to:
- the gateway websocket: HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeat
  ACKs, and whatever events a test dispatches (INTERACTION_CREATE, MESSAGE_CREATE...);
- the REST routes a bot uses: login, command sync, interaction callbacks and
  follow-ups, channel messages (sent and edited), reactions. Every request is
  recorded, and message and form payloads are held to Discord's limits for
  embeds and components (a 400 in Discord's error shape if not), so a test
  sees exactly what Discord would have received.

Messages live in `messages` with their components, as Discord keeps them:
an edit (PATCH, or an interaction answered with "update message") changes
the stored message, and a click carries the message as it is now.

Usage::

    async with DiscordStandIn() as discord_:           # points discord.py here
        async with running(bot):                         # the bot reaches on_ready
            sent = await discord_.slash("factcheck", {"url": "..."}, user=discord_.alice)
            callback = await sent.callback()             # the defer
            followup = await sent.followup()             # the answer

Learned the hard way (see shared/NOTES.md): responses must be
`Content-Type: application/json` exactly; the interaction callback is called
with `?with_response=1` and answers `{"interaction": ..., "resource": ...}`;
a 429 is retried only when it carries a `Via` header; tests should give the
bot a small `guild_ready_timeout`.

Buttons, selects and forms::

    card = discord_.messages[card_id]                     # a message the bot sent, with its components
    sent = await discord_.click(card, "factbot:review:override:1", user=discord_.moderator)
    form = await sent.callback()                          # type 9: the modal the bot showed
    done = await discord_.submit_form(form, {"verdict": ["supported"], "note": "p. 4"},
                                      message=card, user=discord_.moderator)

For load and restart tests: `extra_channels=N` adds text channels
"load-0".."load-{N-1}" (fixed IDs); GET /channels/{id}/messages reads a
channel's history as Discord does (newest first, `after`/`before`/`limit`);
a message sent again with the same `nonce` and `enforce_nonce` returns the
first one instead of posting a second (counted in `nonce_repeats`); every
request records when it arrived (`Recorded.at`), so a test can check that a
429 was waited out.

`click` dispatches a MESSAGE_COMPONENT interaction (type 3: custom_id,
component_type, values) carrying the message; `submit_form` a MODAL_SUBMIT
(type 5) laid out like the form the bot sent (labels or action rows), with
the message the form was opened from. A stand-in built with
`messages=earlier.messages` is the same world after a bot restart.
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import discord
import yarl
from aiohttp import WSMsgType, web

# Permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL, SEND_MESSAGES, MANAGE_MESSAGES, READ_HISTORY = 1 << 10, 1 << 11, 1 << 13, 1 << 16
ADD_REACTIONS, EMBED_LINKS, ATTACH_FILES, USE_APP_COMMANDS = 1 << 6, 1 << 14, 1 << 15, 1 << 31
MEMBER_PERMISSIONS = VIEW_CHANNEL | SEND_MESSAGES | READ_HISTORY | ADD_REACTIONS | EMBED_LINKS | ATTACH_FILES \
    | USE_APP_COMMANDS
EPHEMERAL = 1 << 6
OPTION_TYPES = {str: 3, int: 4, bool: 5, float: 10}

_RECORDED = web.RequestKey("recorded", object)
_ids = itertools.count(1_300_000_000_000_000_000)


def snowflake() -> str:
    return str(next(_ids))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """discord.py parses JSON only when the content type is exactly application/json."""
    return web.Response(status=status, body=json.dumps(data).encode(),
                        headers={"Content-Type": "application/json", **(headers or {})})


def discord_error(status: int, code: int, message: str, errors: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if errors:
        body["errors"] = errors
    return _json(body, status)


def _u16(text: str | None) -> int:
    return len((text or "").encode("utf-16-le")) // 2


def limit_problems(payload: dict[str, Any]) -> list[str]:
    """Where a message payload breaks Discord's limits (empty when it doesn't)."""
    problems = []
    if _u16(payload.get("content")) > 2000:
        problems.append("content over 2000")
    embeds = payload.get("embeds") or []
    if len(embeds) > 10:
        problems.append("more than 10 embeds")
    total = 0
    for i, e in enumerate(embeds):
        sizes = {"title": (_u16(e.get("title")), 256), "description": (_u16(e.get("description")), 4096),
                 "footer": (_u16((e.get("footer") or {}).get("text")), 2048),
                 "author": (_u16((e.get("author") or {}).get("name")), 256)}
        fields = e.get("fields") or []
        if len(fields) > 25:
            problems.append(f"embed {i}: more than 25 fields")
        for f in fields:
            sizes[f"field {f.get('name')!r} name"] = (_u16(f.get("name")), 256)
            sizes[f"field {f.get('name')!r} value"] = (_u16(f.get("value")), 1024)
        for what, (size, limit) in sizes.items():
            if size > limit:
                problems.append(f"embed {i}: {what} is {size}, over {limit}")
            total += size
    if total > 6000:
        problems.append(f"embeds total {total}, over 6000")
    return problems


def component_problems(payload: dict[str, Any], *, form: bool = False) -> list[str]:
    """Where a message's components, or a form (modal), break Discord's limits."""
    problems: list[str] = []

    def check(c: dict[str, Any], where: str) -> None:
        if len(c.get("custom_id") or "") > 100:
            problems.append(f"{where}: custom_id over 100")
        if c.get("type") == 2 and _u16(c.get("label")) > 80:
            problems.append(f"{where}: button label over 80")
        if c.get("type") in (3, 5, 6, 7, 8):
            options = c.get("options") or []
            if len(options) > 25:
                problems.append(f"{where}: more than 25 options")
            for o in options:
                if any(_u16(o.get(k)) > 100 for k in ("label", "value", "description")):
                    problems.append(f"{where}: option text over 100")
            if _u16(c.get("placeholder")) > 150:
                problems.append(f"{where}: placeholder over 150")
        if c.get("type") == 4:
            if _u16(c.get("placeholder")) > 100 or _u16(c.get("value")) > 4000 or (c.get("max_length") or 0) > 4000:
                problems.append(f"{where}: text input over its limits")
            if not form:
                problems.append(f"{where}: a text input outside a form")

    top = payload.get("components") or []
    if len(top) > 5:
        problems.append("more than 5 top-level components")
    for i, c in enumerate(top):
        if c.get("type") == 1:
            children = c.get("components") or []
            if not children or len(children) > 5 or (len(children) > 1 and any(x.get("type") != 2 for x in children)):
                problems.append(f"row {i}: 1-5 buttons or one select")
            for j, child in enumerate(children):
                check(child, f"row {i} item {j}")
        elif c.get("type") == 18:
            if not form:
                problems.append(f"component {i}: a label outside a form")
            if _u16(c.get("label")) > 45 or _u16(c.get("description")) > 100:
                problems.append(f"label {i}: text over 45 or description over 100")
            check(c.get("component") or {}, f"label {i}")
        else:
            check(c, f"component {i}")
    if form:
        if not 1 <= _u16(payload.get("title")) <= 45:
            problems.append("form title must be 1-45")
        if not top:
            problems.append("a form needs components")
    return problems


@dataclass
class Recorded:
    """One REST request the bot made, as the stand-in received it."""

    method: str
    path: str                      # without the /api/v10 prefix
    query: dict[str, str]
    json: Any = None               # the JSON body, or multipart payload_json
    files: dict[str, bytes] = field(default_factory=dict)   # filename -> bytes
    status: int = 0
    response: Any = None           # the JSON the stand-in answered with
    at: float = 0.0                # when it arrived (time.monotonic())

    @property
    def message(self) -> dict[str, Any]:
        """The message part of a payload (interaction callbacks nest it under "data")."""
        body = self.json or {}
        return (body.get("data") or {}) if "/callback" in self.path else body


@dataclass
class SentInteraction:
    """An interaction the stand-in dispatched; ask it for the bot's answers."""

    standin: DiscordStandIn
    id: str
    token: str

    async def callback(self, timeout: float = 5) -> Recorded:
        return await self.standin.wait_for(lambda r: r.path == f"/interactions/{self.id}/{self.token}/callback",
                                           timeout=timeout)

    async def followup(self, timeout: float = 5) -> Recorded:
        prefix = f"/webhooks/{self.standin.app_id}/{self.token}"
        return await self.standin.wait_for(lambda r: r.method == "POST" and r.path == prefix, timeout=timeout)


class DiscordStandIn:
    """Discord for one guild with three text channels (general, news, reviews) and a moderator role."""

    def __init__(self, *, token: str = "test-token", heartbeat_interval_ms: int = 45_000,
                 messages: dict[str, dict[str, Any]] | None = None, extra_channels: int = 0) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        # The world has fixed IDs, so a second stand-in (a "restart") is the same server.
        self.app_id = "1000000000000000001"
        self.guild_id = "1000000000000000010"
        self.channels = {"general": "1000000000000000011", "news": "1000000000000000012",
                         "reviews": "1000000000000000013"}
        # More text channels for load tests ("load-0", "load-1"...), also with fixed IDs.
        self.channels.update({f"load-{i}": str(1000000000000001000 + i) for i in range(extra_channels)})
        self.roles = {"@everyone": self.guild_id, "Fact Moderators": "1000000000000000020"}
        self.bot_user = self.user("factbot", bot=True, id=self.app_id)
        self.alice = self.user("alice", id="1000000000000000101")
        self.bob = self.user("bob", id="1000000000000000102")
        self.moderator = self.user("mod", id="1000000000000000103")
        self.requests: list[Recorded] = []
        self.commands: dict[str | None, list[dict[str, Any]]] = {}   # guild id (None: global) -> synced commands
        self.messages: dict[str, dict[str, Any]] = dict(messages or {})  # every message, by id
        self.identify: dict[str, Any] | None = None
        self._interaction_channels: dict[str, str] = {}              # interaction token -> channel id
        self._interaction_kinds: dict[str, int] = {}                 # interaction token -> interaction type
        self._interaction_messages: dict[str, str] = {}              # token -> message a component was on
        self._original_responses: dict[str, str] = {}                # token -> message the callback created
        self.heartbeats = 0
        self.nonce_repeats = 0                                       # sends Discord deduplicated by nonce
        self._nonces: dict[str, str] = {}                            # nonce -> message the bot created with it
        self._rate_limits: list[tuple[str, re.Pattern[str], float]] = []
        self._sockets: list[tuple[web.WebSocketResponse, itertools.count[int]]] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._saved: tuple[str, yarl.URL] | None = None
        self.url = ""

    # -- the world ------------------------------------------------------------
    @staticmethod
    def user(name: str, *, bot: bool = False, id: str | None = None) -> dict[str, Any]:
        return {"id": id or snowflake(), "username": name, "discriminator": "0", "global_name": name,
                "avatar": None, "bot": bot, "public_flags": 0}

    def member(self, user: dict[str, Any], *, roles: list[str] = (), permissions: int | None = None) -> dict[str, Any]:
        data = {"user": user, "roles": list(roles), "joined_at": _now(), "deaf": False, "mute": False, "flags": 0,
                "nick": None, "avatar": None, "pending": False}
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data

    def member_of(self, user: dict[str, Any], permissions: int | None = None) -> dict[str, Any]:
        roles = [self.roles["Fact Moderators"]] if user is self.moderator else []
        return self.member(user, roles=roles, permissions=permissions)

    def channel(self, name: str) -> dict[str, Any]:
        return {"id": self.channels[name], "type": 0, "guild_id": self.guild_id, "name": name, "position": 0,
                "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None,
                "last_message_id": None, "rate_limit_per_user": 0, "flags": 0}

    def guild(self) -> dict[str, Any]:
        roles = [{"id": rid, "name": name, "permissions": str(MEMBER_PERMISSIONS if rid == self.guild_id else 0),
                  "position": 0 if rid == self.guild_id else 1, "color": 0, "hoist": False, "managed": False,
                  "mentionable": False, "flags": 0, "icon": None, "unicode_emoji": None}
                 for name, rid in self.roles.items()]
        return {"id": self.guild_id, "name": "Newsroom", "icon": None, "owner_id": self.moderator["id"],
                "unavailable": False, "member_count": 4, "large": False, "joined_at": _now(),
                "roles": roles, "channels": [self.channel(n) for n in self.channels],
                "members": [self.member(self.bot_user)], "threads": [], "emojis": [], "stickers": [],
                "features": [], "voice_states": [], "presences": [], "stage_instances": [],
                "guild_scheduled_events": [], "soundboard_sounds": [], "verification_level": 0,
                "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0,
                "premium_tier": 0, "preferred_locale": "en-US", "nsfw_level": 0, "system_channel_flags": 0,
                "afk_timeout": 300, "description": None, "banner": None, "splash": None, "discovery_splash": None,
                "vanity_url_code": None, "premium_progress_bar_enabled": False}

    def message(self, content: str, *, author: dict[str, Any], channel: str = "general",
                **extra: Any) -> dict[str, Any]:
        msg = {"id": snowflake(), "channel_id": self.channels.get(channel, channel), "guild_id": self.guild_id,
               "author": author, "content": content, "timestamp": _now(), "edited_timestamp": None, "tts": False,
               "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
               "pinned": False, "type": 0, "flags": 0, **extra}
        self.messages[msg["id"]] = msg
        return msg

    # -- lifecycle ------------------------------------------------------------
    async def __aenter__(self) -> DiscordStandIn:
        app = web.Application(middlewares=[self._middleware], client_max_size=32 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self._saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        discord.http.Route.BASE = f"{self.url}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/gateway")
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._saved:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
        for ws, _ in self._sockets:
            await ws.close()
        if self._runner:
            await self._runner.cleanup()

    # -- waiting for the bot --------------------------------------------------
    async def wait_for(self, predicate: Callable[[Recorded], bool], *, timeout: float = 5) -> Recorded:
        """The first recorded request matching `predicate`, waiting for it if need be."""
        async with self._changed:
            async with asyncio.timeout(timeout):
                while True:
                    for r in self.requests:
                        if predicate(r):
                            return r
                    await self._changed.wait()

    async def wait_until(self, condition: Callable[[], bool], *, timeout: float = 5) -> None:
        """Waits until `condition()` holds, re-checking after every request."""
        async with self._changed:
            async with asyncio.timeout(timeout):
                while not condition():
                    await self._changed.wait()

    def find(self, method: str, pattern: str) -> list[Recorded]:
        """Requests so far whose path matches the regular expression `pattern` in full."""
        return [r for r in self.requests if r.method == method and re.fullmatch(pattern, r.path)]

    def rate_limit_next(self, method: str, pattern: str, retry_after: float = 0.2) -> None:
        """The next request matching answers 429 (with `Via`, as Discord's do, so discord.py retries)."""
        self._rate_limits.append((method, re.compile(pattern), retry_after))

    async def _record(self, recorded: Recorded) -> None:
        async with self._changed:
            self.requests.append(recorded)
            self._changed.notify_all()

    # -- gateway --------------------------------------------------------------
    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Sends a gateway event to the bot (to every shard connection)."""
        assert self._sockets, "the bot has not connected to the gateway"
        for ws, seq in self._sockets:
            await ws.send_json({"op": 0, "t": event, "s": next(seq), "d": data})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        seq = itertools.count(1)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op, data = payload["op"], payload.get("d")
            if op == 1:
                self.heartbeats += 1
                await ws.send_json({"op": 11})
            elif op == 2:
                self.identify = data
                self._sockets.append((ws, seq))
                shard = data.get("shard") or [0, 1]
                ready = {"v": 10, "user": self.bot_user, "guilds": [{"id": self.guild_id, "unavailable": True}],
                         "session_id": "session", "resume_gateway_url": str(
                             discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY),
                         "application": {"id": self.app_id, "flags": 0}, "shard": shard}
                await ws.send_json({"op": 0, "t": "READY", "s": next(seq), "d": ready})
                await ws.send_json({"op": 0, "t": "GUILD_CREATE", "s": next(seq), "d": self.guild()})
            elif op == 6:
                await ws.send_json({"op": 0, "t": "RESUMED", "s": next(seq), "d": {}})
        self._sockets = [(w, s) for w, s in self._sockets if w is not ws]
        return ws

    # -- what users do --------------------------------------------------------
    async def post_message(self, content: str, *, author: dict[str, Any] | None = None,
                           channel: str = "general") -> dict[str, Any]:
        """A user posts in a channel (MESSAGE_CREATE)."""
        msg = self.message(content, author=author or self.alice, channel=channel)
        await self.deliver(msg)
        return msg

    async def deliver(self, msg: dict[str, Any]) -> None:
        """Dispatches MESSAGE_CREATE for a message built with `message()`."""
        member = {k: v for k, v in self.member_of(msg["author"]).items() if k != "user"}
        await self.dispatch("MESSAGE_CREATE", {**msg, "member": member})

    def _command_id(self, name: str, kind: int) -> str:
        for commands in self.commands.values():
            for command in commands:
                if command["name"] == name and command.get("type", 1) == kind:
                    return command["id"]
        raise AssertionError(f"command {name!r} (type {kind}) was never synced to the stand-in")

    async def interaction(self, kind: int, data: dict[str, Any], *, user: dict[str, Any] | None = None,
                          channel: str = "general", permissions: int | None = None,
                          message: dict[str, Any] | None = None) -> SentInteraction:
        """Dispatches an INTERACTION_CREATE from `user` in `channel` (a name or
        an id); `message` is the message a component or form belongs to."""
        user = user or self.alice
        perms = permissions if permissions is not None else MEMBER_PERMISSIONS
        name = channel if channel in self.channels else self._channel_name(channel)
        payload = {"id": snowflake(), "application_id": self.app_id, "type": kind, "data": data,
                   "guild_id": self.guild_id, "channel_id": self.channels[name], "channel": self.channel(name),
                   "member": self.member_of(user, perms), "token": f"tok-{snowflake()}", "version": 1,
                   "app_permissions": str(MEMBER_PERMISSIONS), "locale": "en-US", "guild_locale": "en-US",
                   "entitlements": [], "authorizing_integration_owners": {"0": self.guild_id}, "context": 0,
                   "attachment_size_limit": 10 * 1024 * 1024}
        if message is not None:
            payload["message"] = json.loads(json.dumps(message))  # as it is now, not as later edits make it
            self._interaction_messages[payload["token"]] = message["id"]
        self._interaction_channels[payload["token"]] = payload["channel_id"]
        self._interaction_kinds[payload["token"]] = kind
        await self.dispatch("INTERACTION_CREATE", payload)
        return SentInteraction(self, payload["id"], payload["token"])

    def _channel_name(self, channel_id: str) -> str:
        for name, cid in self.channels.items():
            if cid == channel_id:
                return name
        raise AssertionError(f"no channel {channel_id!r} in the stand-in")

    @staticmethod
    def components_of(message: dict[str, Any]) -> list[dict[str, Any]]:
        """Every interactive component of a message (buttons, selects), rows flattened."""
        out: list[dict[str, Any]] = []
        for row in message.get("components") or []:
            out += row.get("components") or [] if row.get("type") == 1 else [row]
        return out

    async def click(self, message: dict[str, Any], custom_id: str, *, values: list[str] | None = None,
                    **kw: Any) -> SentInteraction:
        """A user clicks the button (or picks `values` in the select) `custom_id` on `message`."""
        message = self.messages.get(message["id"], message)
        found = [c for c in self.components_of(message) if c.get("custom_id") == custom_id]
        assert found, f"no component {custom_id!r} on message {message['id']}"
        assert not found[0].get("disabled"), f"{custom_id!r} is disabled: Discord would not send the click"
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": found[0]["type"]}
        if found[0]["type"] != 2:
            data["values"] = list(values or [])
        kw.setdefault("channel", message["channel_id"])
        return await self.interaction(3, data, message=message, **kw)

    async def submit_form(self, form: Recorded | dict[str, Any], values: dict[str, str | list[str]], *,
                          message: dict[str, Any] | None = None, **kw: Any) -> SentInteraction:
        """A user fills in and submits the form (modal) the bot showed: `form`
        is its callback (type 9) or its data; text inputs get `values[custom_id]`
        (a string), selects a list; left out: empty."""
        modal = form.message if isinstance(form, Recorded) else form

        def answer(component: dict[str, Any]) -> dict[str, Any]:
            custom_id = component.get("custom_id")
            if component["type"] == 4:
                return {"type": 4, "custom_id": custom_id, "value": str(values.get(custom_id, ""))}
            picked = values.get(custom_id, [])
            return {"type": component["type"], "custom_id": custom_id,
                    "values": [picked] if isinstance(picked, str) else list(picked)}

        components = []
        for top in modal.get("components") or []:
            if top["type"] == 18:
                components.append({"type": 18, "component": answer(top["component"])})
            elif top["type"] == 1:
                components.append({"type": 1, "components": [answer(c) for c in top.get("components") or []]})
        if message is not None:
            message = self.messages.get(message["id"], message)
            kw.setdefault("channel", message["channel_id"])
        return await self.interaction(5, {"custom_id": modal["custom_id"], "components": components},
                                      message=message, **kw)

    @staticmethod
    def options(values: dict[str, Any] | None, focused: str | None = None) -> list[dict[str, Any]]:
        out = []
        for name, value in (values or {}).items():
            option = {"name": name, "type": OPTION_TYPES[type(value)], "value": value}
            if name == focused:
                option["focused"] = True
            out.append(option)
        return out

    async def slash(self, name: str, values: dict[str, Any] | None = None, *, subcommand: str | None = None,
                    autocomplete: str | None = None, **kw: Any) -> SentInteraction:
        """`/name [subcommand] option:value...`; with `autocomplete`, the user is typing that option."""
        options = self.options(values, autocomplete)
        if subcommand:
            options = [{"name": subcommand, "type": 1, "options": options}]
        data = {"id": self._command_id(name, 1), "name": name, "type": 1, "options": options,
                "guild_id": self.guild_id}
        return await self.interaction(4 if autocomplete else 2, data, **kw)

    async def message_command(self, name: str, message: dict[str, Any], **kw: Any) -> SentInteraction:
        """A message context menu command run on `message`."""
        data = {"id": self._command_id(name, 3), "name": name, "type": 3, "target_id": message["id"],
                "resolved": {"messages": {message["id"]: message}}, "guild_id": self.guild_id}
        return await self.interaction(2, data, **kw)

    # -- REST -----------------------------------------------------------------
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Callable[..., Any]) -> web.StreamResponse:
        if not request.path.startswith("/api/v10/"):
            return await handler(request)
        recorded = Recorded(request.method, request.path[len("/api/v10"):], dict(request.query), at=time.monotonic())
        if request.content_type == "application/json":
            recorded.json = await request.json()
        elif request.content_type == "multipart/form-data":
            async for part in await request.multipart():
                body = await part.read()  # type: ignore[union-attr]
                if part.name == "payload_json":
                    recorded.json = json.loads(body)
                else:
                    recorded.files[part.filename or part.name or ""] = bytes(body)
        request[_RECORDED] = recorded
        response = self._rate_limited(recorded)
        if response is None:
            problems = []
            if isinstance(recorded.message, dict):
                problems = limit_problems(recorded.message) + component_problems(
                    recorded.message, form="/callback" in recorded.path and (recorded.json or {}).get("type") == 9)
            if problems:
                response = discord_error(400, 50035, "Invalid Form Body", {"_limits": problems})
            else:
                response = await handler(request)
        recorded.status = response.status
        if isinstance(response, web.Response) and response.content_type == "application/json" and response.body:
            recorded.response = json.loads(response.body)  # type: ignore[arg-type]
        await self._record(recorded)
        return response

    def _rate_limited(self, recorded: Recorded) -> web.Response | None:
        for i, (method, pattern, retry_after) in enumerate(self._rate_limits):
            if method == recorded.method and pattern.fullmatch(recorded.path):
                del self._rate_limits[i]
                return _json({"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
                             429, {"Via": "1.1 google", "Retry-After": str(retry_after),
                                   "X-RateLimit-Scope": "user"})
        return None

    def _bot_message(self, channel_id: str, payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
        msg = self.message(payload.get("content") or "", author=self.bot_user, channel=channel_id,
                           embeds=payload.get("embeds") or [], flags=payload.get("flags") or 0,
                           components=payload.get("components") or [], **extra)
        if payload.get("message_reference"):
            msg["message_reference"] = payload["message_reference"]
        return msg

    def _history(self, channel_id: str, query: dict[str, str]) -> list[dict[str, Any]]:
        """GET /channels/{id}/messages as Discord answers it: at most `limit`
        (100) messages, newest first; with `after`, the ones right after it."""
        limit = max(1, min(100, int(query.get("limit", 50))))
        found = sorted((msg for msg in self.messages.values() if msg["channel_id"] == channel_id),
                       key=lambda msg: int(msg["id"]))
        if "before" in query:
            found = [msg for msg in found if int(msg["id"]) < int(query["before"])]
        if "after" in query:
            found = [msg for msg in found if int(msg["id"]) > int(query["after"])][:limit]
        else:
            found = found[-limit:]
        return list(reversed(found))

    def _edit(self, message_id: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Applies an edit as Discord does: only the fields given change."""
        msg = self.messages.get(message_id)
        if msg is None:
            return None
        for key in ("content", "embeds", "components", "flags"):
            if key in payload:
                msg[key] = payload[key] if payload[key] is not None else ([] if key != "content" else "")
        msg["edited_timestamp"] = _now()
        return msg

    async def _rest(self, request: web.Request) -> web.Response:
        r: Recorded = request[_RECORDED]  # type: ignore[assignment]
        path, body = r.path, r.json or {}
        if path == "/users/@me":
            if request.headers.get("Authorization") != f"Bot {self.token}":
                return discord_error(401, 0, "401: Unauthorized")
            return _json(self.bot_user)
        if path == "/oauth2/applications/@me":
            return _json({"id": self.app_id, "name": "factbot", "description": "", "icon": None, "bot_public": True,
                          "bot_require_code_grant": False, "owner": self.moderator, "verify_key": "0" * 64,
                          "flags": 0, "team": None, "summary": "", "rpc_origins": []})
        if path in ("/gateway", "/gateway/bot"):
            ws = str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
            return _json({"url": ws, "shards": 1, "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}})
        if m := re.fullmatch(r"/applications/(\d+)(?:/guilds/(\d+))?/commands", path):
            if r.method != "PUT":
                return _json(self.commands.get(m.group(2), []))
            defaults = {"description": "", "options": [], "type": 1}
            synced = [{**defaults, **c, "id": snowflake(), "application_id": self.app_id, "version": snowflake(),
                       "guild_id": m.group(2)} for c in body]
            self.commands[m.group(2)] = synced
            return _json(synced)
        if m := re.fullmatch(r"/interactions/(\d+)/([^/]+)/callback", path):
            token = m.group(2)
            kind, data = body.get("type"), body.get("data") or {}
            resource: dict[str, Any] = {"type": kind}
            if kind in (4, 5):
                resource["message"] = self._bot_message(self._interaction_channels.get(token, ""), data)
                self._original_responses[token] = resource["message"]["id"]
            elif kind == 7:  # update the message the component was on
                edited = self._edit(self._interaction_messages.get(token, ""), data)
                if edited is None:
                    return discord_error(400, 50035, "Invalid Form Body", {"type": "no message to update"})
                resource["message"] = edited
            return _json({"interaction": {"id": m.group(1), "type": self._interaction_kinds.get(token, 2),
                                          "response_message_id": (resource.get("message") or {}).get("id"),
                                          "response_message_loading": kind == 5,
                                          "response_message_ephemeral": bool((data.get("flags") or 0) & EPHEMERAL)},
                          "resource": resource})
        if m := re.fullmatch(r"/webhooks/(\d+)/([^/]+)(?:/messages/([^/]+))?", path):
            token, target = m.group(2), m.group(3)
            if r.method == "DELETE":
                return web.Response(status=204)
            if target is not None:  # an existing message: "@original" is the callback's
                message_id = self._original_responses.get(token, "") if target == "@original" else target
                found = self._edit(message_id, body) if r.method == "PATCH" else self.messages.get(message_id)
                return _json(found) if found else discord_error(404, 10008, "Unknown Message")
            return _json(self._bot_message(self._interaction_channels.get(token, ""), body, webhook_id=m.group(1)))
        if m := re.fullmatch(r"/channels/(\d+)/messages", path):
            if r.method == "POST":
                nonce = str(body.get("nonce") or "")
                if nonce and body.get("enforce_nonce") and nonce in self._nonces:
                    # As Discord: the same nonce again within minutes returns the first message.
                    self.nonce_repeats += 1
                    return _json(self.messages[self._nonces[nonce]])
                sent = self._bot_message(m.group(1), body)
                if nonce:
                    self._nonces[nonce] = sent["id"]
                return _json(sent)
            if r.method == "GET":
                return _json(self._history(m.group(1), r.query))
        if m := re.fullmatch(r"/channels/(\d+)/messages/(\d+)", path):
            found = self.messages.get(m.group(2))
            if found is None or found["channel_id"] != m.group(1):
                return discord_error(404, 10008, "Unknown Message")
            if r.method == "PATCH":
                if found["author"]["id"] != self.bot_user["id"]:
                    return discord_error(403, 50005, "Cannot edit a message authored by another user")
                return _json(self._edit(m.group(2), body))
            if r.method == "GET":
                return _json(found)
        if re.fullmatch(r"/channels/(\d+)/messages/(\d+)/reactions/[^/]+/@me", path):
            return web.Response(status=204)
        if re.fullmatch(r"/channels/(\d+)/typing", path):
            return web.Response(status=204)
        logging.getLogger(__name__).warning("stand-in has no route for %s %s", r.method, path)
        return discord_error(404, 0, "404: Not Found")


@contextlib.asynccontextmanager
async def running(bot: discord.Client, token: str = "test-token", *, timeout: float = 5) -> AsyncIterator[Any]:
    """Starts `bot` against the stand-in and waits for on_ready; closes it after."""
    task = asyncio.create_task(bot.start(token))
    try:
        async with asyncio.timeout(timeout):
            while not bot.is_ready():
                if task.done():
                    task.result()  # raises what stopped the bot
                    raise AssertionError("the bot stopped before it was ready")
                await asyncio.sleep(0.01)
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout)


class ErrorLog(logging.Handler):
    """Collects ERROR records from discord.py (and any other logger named), so
    a test fails on an error the library only logged."""

    def __init__(self, *names: str) -> None:
        super().__init__(logging.ERROR)
        self.names = names or ("discord",)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> ErrorLog:
        for name in self.names:
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        for name in self.names:
            logging.getLogger(name).removeHandler(self)

    def messages(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()}" + (f"\n{logging.Formatter().formatException(r.exc_info)}"
                                                 if r.exc_info else "") for r in self.records]
