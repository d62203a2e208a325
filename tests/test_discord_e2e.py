"""End to end: the real discord.py client, our bot, a local stand-in for
Discord (tests/discord_standin.py) and a loopback article site, allowed
through `fetch.allow_hosts` in the test configuration only.

Every test fails if discord.py logs an ERROR.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.config import validate
from bot.discord_app import ShardedFactBot, create_bot
from bot.discord_app.client import FactBot
from sources.db import open_db
from sources.importer import import_file
from tests.discord_standin import MANAGE_MESSAGES, MEMBER_PERMISSIONS, DiscordStandIn, ErrorLog, Recorded, running

ROOT = Path(__file__).resolve().parents[1]
FACTS = ROOT / "bot" / "demo" / "demo-facts.csv"
SNAPSHOT = Path(__file__).parent / "snapshots" / "discord_commands.json"
MENU = "Fact-check this message"

# Two contradicted claims (43% should be 34%; 510,000 should be 495,570), the rest supported.
ARTICLE = """<html><head><title>BYD widens its lead as Tesla stalls</title>
<meta property="article:published_time" content="2025-03-25"></head><body><article>
<h1>BYD widens its lead as Tesla stalls</h1>
<p>BYD sold 4.27 million new-energy vehicles in 2024, a jump of 41% from the year before, the carmaker said.
Its revenue rose 29% to 777.1 billion yuan, and net profit climbed 43% to 40.3 billion yuan.</p>
<p>Tesla delivered 1.79 million vehicles in 2024. Its fourth-quarter deliveries reached 510,000 cars.</p>
</article></body></html>"""

# Figures with no reference facts at all: unverified, never contradicted.
GOOD_ARTICLE = """<html><head><title>Springfield passes its budget</title>
<meta property="article:published_time" content="2025-03-25"></head><body><article>
<h1>Springfield passes its budget</h1><p>The Springfield city council approved a budget of $12.5 million
for 2025, up 4% from the year before, and will hire 35 new teachers for its schools.</p></article></body></html>"""

PINGY_ARTICLE = """<html><head><title>@everyone BYD news for <@&123456789012345678> and @here</title>
<meta property="article:published_time" content="2025-03-25"></head><body><article>
<h1>@everyone BYD news for <@&123456789012345678> and @here</h1>
<p>@everyone look: <@&123456789012345678> BYD's net profit climbed 43% to 40.3 billion yuan in 2024,
said <@111111111111111111> and @here in the report.</p></article></body></html>"""


def many_claims_article(n: int = 60) -> str:
    sentences = " ".join(f"<p>In 2024 BYD sold {3 + i / 100:.2f} million new-energy vehicles, its report "
                         f"number {i} said, with the @everyone 🚗🚙 fans cheering.</p>" for i in range(n))
    return (f"<html><head><title>BYD, sixty times 🚗</title><meta property=\"article:published_time\" "
            f"content=\"2025-03-25\"></head><body><article><h1>BYD, sixty times</h1>{sentences}</article>"
            "</body></html>")


def run(coro: Coroutine[Any, Any, Any]) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 30))


class ArticleSite:
    """News pages on 127.0.0.1; counts the fetches of each path."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages = pages
        self.hits: dict[str, int] = {}
        self.base = ""
        self._runner: web.AppRunner | None = None

    async def _page(self, request: web.Request) -> web.Response:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        if request.path not in self.pages:
            return web.Response(status=404, text="not found")
        return web.Response(text=self.pages[request.path], content_type="text/html")

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    async def __aenter__(self) -> ArticleSite:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self._page)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner
        await self._runner.cleanup()


@dataclass
class World:
    discord: DiscordStandIn
    site: ArticleSite
    bot: FactBot

    def scanned(self, message: dict[str, Any], timeout: float = 10) -> Any:
        """Waits for the bot to finish auto-scanning `message`; returns the outcome."""
        return self.bot.wait_for("autoscan_done", check=lambda m, _: m.id == int(message["id"]), timeout=timeout)

    async def post_and_scan(self, content: str, **kw: Any) -> tuple[dict[str, Any], str]:
        message = self.discord.message(content, author=kw.get("author") or self.discord.alice)
        waiter = self.scanned(message)  # listens from now on, before the event can arrive
        await self.discord.deliver(message)
        _, outcome = await waiter
        return message, outcome

    def replies_to(self, message: dict[str, Any]) -> list[Recorded]:
        return [r for r in self.discord.find("POST", r"/channels/\d+/messages")
                if r.status == 200 and str((r.json.get("message_reference") or {}).get("message_id")) == message["id"]]

    async def set_autoscan(self, mode: str) -> None:
        sent = await self.discord.slash("autoscan", subcommand=mode, user=self.discord.moderator)
        answer = await sent.callback()
        assert f"now **{mode}**" in answer.message["content"]


def config_for(tmp_path: Path, standin: DiscordStandIn, discord: dict[str, Any] | None = None,
               autoscan: dict[str, Any] | None = None, **sections: Any) -> Any:
    return validate({**sections,
        "database": {"path": str(tmp_path / "bot.db")},
        "fetch": {"allow_hosts": ["127.0.0.1"], "timeout_seconds": 5},
        "discord": {"dev_guild_id": int(standin.guild_id), "command_cooldown_seconds": 0,
                    "moderator_roles": ["Fact Moderators"], **(discord or {})},
        "autoscan": {"user_cooldown_seconds": 0, "channel_cooldown_seconds": 0, **(autoscan or {})},
    })


@contextlib.asynccontextmanager
async def factbot(tmp_path: Path, *, pages: dict[str, str] | None = None, discord: dict[str, Any] | None = None,
                  autoscan: dict[str, Any] | None = None, heartbeat_ms: int = 45_000, errors_expected: bool = False,
                  **sections: Any) -> AsyncIterator[World]:
    """The bot running against the stand-in. Fails the test if discord.py, or
    the bot itself unless `errors_expected`, logs an ERROR."""
    db = open_db(tmp_path / "bot.db")
    if not db["facts"].count:
        import_file(db, FACTS)
    db.close()
    with ErrorLog("discord", *([] if errors_expected else ["bot"])) as errors:
        async with DiscordStandIn(heartbeat_interval_ms=heartbeat_ms) as standin, ArticleSite(pages or {}) as site:
            bot = create_bot(config_for(tmp_path, standin, discord, autoscan, **sections), guild_ready_timeout=0.01)
            async with running(bot):
                yield World(standin, site, bot)  # type: ignore[arg-type]
    assert not errors.records, "errors were logged:\n" + "\n".join(errors.messages())


def strings(value: Any) -> list[str]:
    """Every string inside a JSON payload."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


LIVE_MENTION = re.compile(r"@(everyone|here)\b|<@[!&]?\d+>")


# -- start-up ----------------------------------------------------------------------------------------

def test_bot_becomes_ready_and_syncs_its_commands_to_the_dev_guild(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            assert w.bot.is_ready() and [g.id for g in w.bot.guilds] == [int(w.discord.guild_id)]
            assert set(w.discord.commands) == {w.discord.guild_id}, "synced to the test guild only"
            names = {c["name"] for c in w.discord.commands[w.discord.guild_id]}
            assert names == {"factcheck", MENU, "sources", "autoscan", "factbot", "review"}
            intents = w.discord.identify["intents"]
            assert intents & (1 << 15), "message content intent requested for auto-scan"
            assert not intents & (1 << 1), "no privileged members intent"
    run(scenario())


def test_without_dev_guild_the_commands_are_synced_globally(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, discord={"dev_guild_id": 0}) as w:
            assert set(w.discord.commands) == {None}
    run(scenario())


def test_auto_shard_runs_discord_pys_sharded_bot(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, discord={"auto_shard": True}) as w:
            assert isinstance(w.bot, ShardedFactBot)
            assert w.discord.find("GET", "/gateway/bot"), "asked Discord for the shard count"
            assert w.discord.identify["shard"] == [0, 1]
            sent = await w.discord.slash("factbot", subcommand="help")
            assert (await sent.callback()).json["type"] == 4
    run(scenario())


def normalised_commands(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    keep = ("name", "type", "description", "options", "default_member_permissions", "contexts",
            "integration_types", "nsfw", "required", "autocomplete", "min_length", "max_length", "choices")

    def clean(item: dict[str, Any]) -> dict[str, Any]:
        out = {k: item[k] for k in keep if k in item and item[k] not in (None, [])}
        if "options" in out:
            out["options"] = [clean(o) for o in out["options"]]
        return out
    return sorted((clean(c) for c in commands), key=lambda c: (c.get("type", 1), c["name"]))


def test_command_tree_matches_the_snapshot(tmp_path):
    """A renamed command, option or permission is a visible change: update
    with UPDATE_SNAPSHOTS=1 and review the diff."""
    async def scenario() -> list[dict[str, Any]]:
        async with factbot(tmp_path) as w:
            return normalised_commands(w.discord.find("PUT", r"/applications/\d+/guilds/\d+/commands")[0].json)
    synced = run(scenario())
    text = json.dumps(synced, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(text, encoding="utf-8")
    assert SNAPSHOT.exists(), f"no snapshot: create {SNAPSHOT.name} with UPDATE_SNAPSHOTS=1 and review it"
    assert text == SNAPSHOT.read_text(encoding="utf-8"), "command tree changed: review, then UPDATE_SNAPSHOTS=1"
    autoscan = next(c for c in synced if c["name"] == "autoscan")
    assert int(autoscan["default_member_permissions"]) == MANAGE_MESSAGES and autoscan["contexts"] == [0]


# -- /factcheck --------------------------------------------------------------------------------------

def test_factcheck_defers_then_answers_with_one_verdict_embed(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            sent = await w.discord.slash("factcheck", {"url": w.site.url("/byd")})
            defer = await sent.callback()
            assert defer.json["type"] == 5 and not (defer.json.get("data") or {}).get("flags", 0) & 64
            followup = await sent.followup()
            assert followup.status == 200 and followup.json["allowed_mentions"] == {"parse": []}
            [embed] = followup.json["embeds"]
            assert embed["title"] == "BYD widens its lead as Tesla stalls" and embed["url"] == w.site.url("/byd")
            lines = embed["description"].splitlines()
            claim_lines = [line for line in lines[2:] if not line.startswith("  ↳")]
            contradicted = int(re.search(r"❌ (\d+) contradicted", lines[0]).group(1))
            total = int(re.match(r"\*\*(\d+) claims\*\*", lines[0]).group(1))
            assert len(claim_lines) == total and contradicted >= 2 and "✅" in lines[0]
            assert all(line.startswith("❌") for line in claim_lines[:contradicted]), "contradicted claims first"
            # The article's two deliberate errors, each with the right value and its source.
            assert re.search(r"❌ “43%” — BYD · net profit.*\n  ↳ correct: \*\*34%\*\* · "
                             r"\[BYD 2024 annual results\]\(https://www.byd.com/\)", embed["description"])
            assert re.search(r"❌ “510,000 cars” — Tesla.*\n  ↳ correct: \*\*495,570 vehicles\*\*",
                             embed["description"])
            assert not followup.files, "everything fits: no attachment"
    run(scenario())


def test_factcheck_private_answers_only_the_asker(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            sent = await w.discord.slash("factcheck", {"url": w.site.url("/byd"), "private": True})
            assert (await sent.callback()).json["data"]["flags"] & 64
            assert (await sent.followup()).json["embeds"]
    run(scenario())


def test_factcheck_pasted_text(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            text = "In 2024 BYD's net profit climbed 43% to 40.3 billion yuan."
            sent = await w.discord.slash("factcheck", {"text": text})
            await sent.callback()
            [embed] = (await sent.followup()).json["embeds"]
            assert "❌ 1 contradicted" in embed["description"] and "correct: **34%**" in embed["description"]
            assert "url" not in embed
    run(scenario())


def test_factcheck_unreadable_link_says_why(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            sent = await w.discord.slash("factcheck", {"url": w.site.url("/gone")})
            await sent.callback()
            followup = await sent.followup()
            assert followup.json["content"] == f"Couldn't read <{w.site.url('/gone')}>: HTTP 404." \
                and not followup.json.get("embeds")
            refused = await w.discord.slash("factcheck", {"url": "http://10.0.0.1/internal"}, user=w.discord.bob)
            await refused.callback()
            assert "Couldn't read" in (await refused.followup()).json["content"]
    run(scenario())


def test_factcheck_without_a_link_or_text_is_told_what_to_give(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            sent = await w.discord.slash("factcheck", {"url": "not a link"})
            answer = await sent.callback()
            assert answer.json["type"] == 4 and answer.json["data"]["flags"] & 64
            assert "https://" in answer.json["data"]["content"]
    run(scenario())


def test_command_cooldown_per_user(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}, discord={"command_cooldown_seconds": 60}) as w:
            first = await w.discord.slash("factcheck", {"url": w.site.url("/byd")})
            await first.followup()
            again = await w.discord.slash("factcheck", {"url": w.site.url("/byd")})
            answer = await again.callback()
            assert answer.json["type"] == 4 and "try again in" in answer.json["data"]["content"]
            other = await w.discord.slash("factcheck", {"url": w.site.url("/byd")}, user=w.discord.bob)
            assert (await other.callback()).json["type"] == 5, "the cooldown is per user"
            await other.followup()
    run(scenario())


def test_an_unexpected_failure_still_answers_the_user(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, errors_expected=True) as w:
            async def broken(*args: Any, **kwargs: Any) -> Any:
                raise RuntimeError("database on fire")
            w.bot.checker.check_text = broken  # type: ignore[method-assign]
            sent = await w.discord.slash("factcheck", {"text": "BYD's net profit climbed 43% in 2024."})
            await sent.callback()
            followup = await sent.followup()
            assert followup.json["content"].startswith("Sorry, something went wrong")
            assert "database on fire" not in followup.json["content"]
    run(scenario())


# -- context menu ------------------------------------------------------------------------------------

def test_context_menu_checks_the_messages_links_and_text(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            message = w.discord.message(f"Read this: {w.site.url('/byd')} — and note that in 2024 BYD's net "
                                        "profit climbed 34% to 40.3 billion yuan.", author=w.discord.bob)
            sent = await w.discord.message_command(MENU, message)
            assert (await sent.callback()).json["type"] == 5
            embeds = (await sent.followup()).json["embeds"]
            assert len(embeds) == 2
            assert embeds[0]["title"] == "BYD widens its lead as Tesla stalls"
            assert "✅ 1 supported" in embeds[1]["description"] or "✅ 2 supported" in embeds[1]["description"]
    run(scenario())


def test_context_menu_on_a_message_with_nothing_to_check(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            sent = await w.discord.message_command(MENU, w.discord.message("lol", author=w.discord.bob))
            answer = await sent.callback()
            assert answer.json["data"]["flags"] & 64 and "no link" in answer.json["data"]["content"]
    run(scenario())


# -- /sources search ---------------------------------------------------------------------------------

def test_sources_search_autocompletes_and_shows_the_chosen_fact(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            typing = await w.discord.slash("sources", {"query": "tesla deliv"}, subcommand="search",
                                           autocomplete="query")
            answer = await typing.callback()
            assert answer.json["type"] == 8
            choices = answer.json["data"]["choices"]
            assert choices and all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
            best = choices[0]
            assert best["name"].startswith("Tesla · deliveries")
            sent = await w.discord.slash("sources", {"query": best["value"]}, subcommand="search")
            [embed] = (await sent.callback()).json["data"]["embeds"]
            assert embed["description"].count("\n") == 0 and "Tesla" in embed["description"]
            free = await w.discord.slash("sources", {"query": "byd revenue"}, subcommand="search")
            assert "777.1 billion" in (await free.callback()).json["data"]["embeds"][0]["description"]
    run(scenario())


# -- auto-scan ---------------------------------------------------------------------------------------

def test_autoscan_answers_a_posted_link_with_one_reply(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            message, outcome = await w.post_and_scan(f"{w.site.url('/byd')}")
            assert outcome == "ignored" and not w.replies_to(message) and not w.site.hits, "off by default"
            await w.set_autoscan("on")
            message, outcome = await w.post_and_scan(f"Look at this <{w.site.url('/byd')}>!")
            assert outcome == "replied"
            [reply] = w.replies_to(message)
            assert reply.json["allowed_mentions"] == {"parse": [], "replied_user": False}
            [embed] = reply.json["embeds"]
            assert embed["title"] == "BYD widens its lead as Tesla stalls"
            assert "❌ “43%” — BYD" in embed["description"]
    run(scenario())


def test_autoscan_reports_an_unreadable_link_in_on_mode(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, autoscan={"default_mode": "on"}) as w:
            message, outcome = await w.post_and_scan(w.site.url("/missing"))
            [reply] = w.replies_to(message)
            assert "HTTP 404" in reply.json["content"]
    run(scenario())


def test_quiet_mode_answers_only_contradicted_or_disputed(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/good": GOOD_ARTICLE, "/byd": ARTICLE}) as w:
            await w.set_autoscan("quiet")
            good, outcome = await w.post_and_scan(w.site.url("/good"))
            assert outcome == "silent" and w.site.hits["/good"] == 1 and not w.replies_to(good)
            missing, outcome = await w.post_and_scan(w.site.url("/missing"))
            assert outcome == "silent", "quiet mode keeps unreadable links to itself"
            bad, outcome = await w.post_and_scan(w.site.url("/byd"))
            assert outcome == "replied" and len(w.replies_to(bad)) == 1
    run(scenario())


def test_cooldown_per_user_reacts_instead_of_replying(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE, "/good": GOOD_ARTICLE},
                           autoscan={"default_mode": "on", "user_cooldown_seconds": 60}) as w:
            first, outcome = await w.post_and_scan(w.site.url("/byd"))
            assert outcome == "replied"
            second, outcome = await w.post_and_scan(w.site.url("/good"))
            assert outcome == "cooldown" and not w.replies_to(second) and "/good" not in w.site.hits
            [reaction] = w.discord.find("PUT", rf"/channels/\d+/messages/{second['id']}/reactions/.+/@me")
            assert "%E2%8F%B3" in reaction.path or "⏳" in reaction.path
            _, outcome = await w.post_and_scan(w.site.url("/good"), author=w.discord.bob)
            assert outcome == "replied", "another user is not held back"
    run(scenario())


def test_channel_cooldown(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE, "/good": GOOD_ARTICLE},
                           autoscan={"default_mode": "on", "channel_cooldown_seconds": 60}) as w:
            assert (await w.post_and_scan(w.site.url("/byd")))[1] == "replied"
            assert (await w.post_and_scan(w.site.url("/good"), author=w.discord.bob))[1] == "cooldown"
    run(scenario())


def test_the_same_link_again_gets_a_pointer_to_the_first_answer(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}, autoscan={"default_mode": "on"}) as w:
            first, _ = await w.post_and_scan(w.site.url("/byd"))
            assert len(w.replies_to(first)) == 1
            again, outcome = await w.post_and_scan(w.site.url("/byd") + "?utm_source=discord", author=w.discord.bob)
            [pointer] = w.replies_to(again)
            sent_first = [m for m in w.discord.messages.values()
                          if str((m.get("message_reference") or {}).get("message_id")) == first["id"]][0]
            jump = f"https://discord.com/channels/{w.discord.guild_id}/{w.discord.channels['general']}/{sent_first['id']}"
            assert jump in pointer.json["content"] and not pointer.json.get("embeds")
            assert w.site.hits["/byd"] == 1, "no second fetch for the same link"
    run(scenario())


def test_bots_and_the_bot_itself_are_ignored(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE, "/bots": ARTICLE},
                           autoscan={"default_mode": "on"}) as w:
            for author in (w.discord.user("newsbot", bot=True), w.discord.bot_user):
                message, outcome = await w.post_and_scan(w.site.url("/bots"), author=author)
                assert outcome == "ignored" and not w.replies_to(message)
            _, outcome = await w.post_and_scan(w.site.url("/byd"))
            assert outcome == "replied" and "/bots" not in w.site.hits
    run(scenario())


def test_autoscan_failure_is_a_short_reply_and_gif_links_are_skipped(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}, autoscan={"default_mode": "on"},
                           errors_expected=True) as w:
            gif, outcome = await w.post_and_scan("https://tenor.com/view/happy-cat-gif-123")
            assert outcome == "ignored" and not w.replies_to(gif)

            async def broken(*args: Any, **kwargs: Any) -> Any:
                raise RuntimeError("database on fire")
            w.bot.checker.check_text = broken  # type: ignore[method-assign]
            message, outcome = await w.post_and_scan(w.site.url("/byd"))
            [reply] = w.replies_to(message)
            assert outcome == "failed" and reply.json["content"].startswith("Sorry, I couldn't check that")
            assert reply.json["allowed_mentions"]["parse"] == []
    run(scenario())


def test_a_review_channel_the_bot_cannot_see_is_named_in_the_log(tmp_path, caplog):
    async def scenario() -> None:
        async with factbot(tmp_path, discord={"review_channel_id": 42}):
            pass
    run(scenario())
    assert "discord.review_channel_id = 42: no such channel" in caplog.text


def test_only_moderators_may_use_autoscan(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            refused = await w.discord.slash("autoscan", subcommand="on", user=w.discord.alice)
            answer = await refused.callback()
            assert answer.json["data"]["flags"] & 64 and "Only moderators" in answer.json["data"]["content"]
            message, outcome = await w.post_and_scan(w.site.url("/byd"))
            assert outcome == "ignored" and not w.replies_to(message), "the refused command changed nothing"
            # Manage Messages is enough, without the role.
            allowed = await w.discord.slash("autoscan", subcommand="status", user=w.discord.bob,
                                            permissions=MEMBER_PERMISSIONS | MANAGE_MESSAGES)
            assert "Auto-scan here: **off**" in (await allowed.callback()).json["data"]["content"]
            await w.set_autoscan("quiet")  # the moderator role from bot.toml
            status = await w.discord.slash("autoscan", subcommand="status", user=w.discord.moderator)
            assert "**quiet** (set for this channel)" in (await status.callback()).json["data"]["content"]
    run(scenario())


def test_autoscan_settings_survive_a_restart(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path) as w:
            await w.set_autoscan("on")
        async with factbot(tmp_path, pages={"/byd": ARTICLE}) as w:
            message, outcome = await w.post_and_scan(w.site.url("/byd"))
            assert outcome == "replied"
    run(scenario())


# -- safety and limits -------------------------------------------------------------------------------

def test_article_text_never_pings(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/ping": PINGY_ARTICLE}, autoscan={"default_mode": "on"}) as w:
            message, _ = await w.post_and_scan(w.site.url("/ping"))
            [reply] = w.replies_to(message)
            sent = await w.discord.slash("factcheck", {"text": "@everyone <@&123456789012345678> BYD's net "
                                                              "profit climbed 43% to 40.3 billion yuan in 2024."})
            await sent.callback()
            followup = await sent.followup()
            for payload in (reply.json, followup.json):
                assert payload["allowed_mentions"]["parse"] == []
                assert not payload["allowed_mentions"].get("roles") and not payload["allowed_mentions"].get("users")
                live = [s for s in strings(payload) if LIVE_MENTION.search(s)]
                assert not live, f"live mentions in the payload: {live}"
            title = reply.json["embeds"][0]["title"]
            assert title.startswith("@\u200beveryone") and "<@\u200b&123456789012345678>" in title
    run(scenario())


def test_sixty_claims_fit_discords_limits_with_the_full_report_attached(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/many": many_claims_article(60)}) as w:
            sent = await w.discord.slash("factcheck", {"url": w.site.url("/many")})
            await sent.callback()
            followup = await sent.followup()
            assert followup.status == 200  # the stand-in answers 400 past any of Discord's limits
            [embed] = followup.json["embeds"]
            assert "❌ 60 contradicted" in embed["description"]
            assert re.search(r"…and (\d+) more\*\* — full report attached", embed["description"])
            [(name, data)] = followup.files.items()
            assert name.endswith(".txt") and data.decode().count("contradicted") >= 60
            assert len(embed["description"].encode("utf-16-le")) // 2 <= 4096
    run(scenario())


def test_a_429_is_waited_out_and_retried(tmp_path):
    async def scenario() -> None:
        async with factbot(tmp_path, pages={"/byd": ARTICLE}, autoscan={"default_mode": "on"}) as w:
            w.discord.rate_limit_next("POST", r"/channels/\d+/messages", retry_after=0.2)
            loop = asyncio.get_running_loop()
            started = loop.time()
            message, outcome = await w.post_and_scan(w.site.url("/byd"))
            assert outcome == "replied"
            posts = w.discord.find("POST", r"/channels/\d+/messages")
            assert [p.status for p in posts] == [429, 200] and loop.time() - started >= 0.2
            assert len(w.replies_to(message)) == 1
    run(scenario())


def test_a_long_check_leaves_the_event_loop_free(tmp_path):
    """Heartbeats and other users' commands need the event loop: the check
    runs on a worker thread, so the loop keeps ticking while it works."""
    async def scenario() -> tuple[float, float, int]:
        async with factbot(tmp_path, pages={"/long": many_claims_article(600)}, check={"max_claims": 5000},
                           heartbeat_ms=50) as w:
            loop = asyncio.get_running_loop()
            gaps: list[float] = []

            async def tick() -> None:
                last = loop.time()
                while True:
                    await asyncio.sleep(0.005)
                    gaps.append(loop.time() - last)
                    last = loop.time()
            ticker = asyncio.create_task(tick())
            sent = await w.discord.slash("factcheck", {"url": w.site.url("/long")})
            await sent.callback()
            started, beats = loop.time(), w.discord.heartbeats
            await sent.followup(timeout=20)
            elapsed = loop.time() - started
            ticker.cancel()
            return elapsed, max(gaps), w.discord.heartbeats - beats
    elapsed, worst_gap, heartbeats = run(scenario())
    assert elapsed > 0.3, "the article should take a while to check"
    assert worst_gap < elapsed / 3, f"the event loop stalled for {worst_gap:.2f} s of {elapsed:.2f} s"
    assert heartbeats >= 3, "heartbeats (every 50 ms here) went on during the check"


# -- factbot run -------------------------------------------------------------------------------------

def test_run_with_a_rejected_token_is_one_line_and_exit_2(tmp_path, capsys):
    from bot.cmd_run import serve

    async def scenario() -> int:
        with ErrorLog("discord") as errors:
            async with DiscordStandIn() as standin:
                code = await serve(config_for(tmp_path, standin), "not-the-token", guild_ready_timeout=0.01)
        assert not errors.records
        return code
    assert run(scenario()) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rejected the token" in err and "Traceback" not in err


def test_run_without_a_token_or_with_a_bad_config(tmp_path, capsys, monkeypatch):
    from bot.cli import main

    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    good = tmp_path / "bot.toml"
    good.write_text(f'[database]\npath = "{tmp_path / "x.db"}"\n')
    assert main(["run", "--config", str(good)]) == 2
    assert "DISCORD_TOKEN is not set" in capsys.readouterr().err
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    bad = tmp_path / "bad.toml"
    bad.write_text("[discord]\nreview_channel = 5\n")
    assert main(["run", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown key discord.review_channel" in err
    bad.write_text('[autoscan]\nuser_cooldown_seconds = "soon"\n')
    assert main(["run", "--config", str(bad)]) == 2
    assert "autoscan.user_cooldown_seconds must be int or float, not str" in capsys.readouterr().err
