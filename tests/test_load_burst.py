"""Load: a burst of messages with links across 20 channels, through the
real discord.py client, the local Discord stand-in (tests/discord_standin.py)
and a loopback article site, with 429s injected along the way.

What must hold whatever the timing: every message is answered exactly once
(a deferred one gets its ⏳ first, then the answer, then the ⏳ comes off),
every 429 is waited out and the retried call succeeds, the queue never holds
more than `max_pending` + `workers` jobs in memory, and discord.py logs no
ERROR. The figures (messages/s, p50/p95 time to answer, peak RSS, deferrals,
429s) are printed; none is asserted, as timing on a shared machine is not
something a test can judge.

Size: the full 1,000 messages by default (about 20 s on 2 cores);
FACTBOT_LOAD_MESSAGES=N changes it (a smaller CI), FACTBOT_LOAD_FULL=1
insists on at least 1,000. FACTBOT_LOAD_FIGURES=FILE appends the figures
to FILE as JSON Lines.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.bench import _reset_peak_rss, peak_rss_mb, percentile, rss_mb
from bot.discord_app import create_bot
from bot.discord_app.client import FactBot
from sources.db import open_db
from sources.importer import import_file
from tests.discord_standin import DiscordStandIn, ErrorLog, Recorded, running
from tests.test_discord_e2e import FACTS, ArticleSite, config_for

FULL_SIZE = 1000
MESSAGES = int(os.environ.get("FACTBOT_LOAD_MESSAGES") or FULL_SIZE)
if os.environ.get("FACTBOT_LOAD_FULL") == "1":
    MESSAGES = max(MESSAGES, FULL_SIZE)
CHANNELS = 20
USERS = 50
BUSY = "%E2%8F%B3"  # ⏳ as it appears in a reaction URL
REPLY_ROUTE = r"/channels/\d+/messages"
REACTION_ROUTE = r"/channels/\d+/messages/\d+/reactions/.+/@me"


def article(i: int) -> str:
    """A news page with figures the demo facts know, different for every
    `i` (so every check really runs instead of coming from the cache)."""
    deliveries = 495_570 + (i % 7) * 1000   # right once in 7, else contradicted
    return f"""<html><head><title>Car sales roundup number {i}</title>
<meta property="article:published_time" content="2025-03-25"></head><body><article>
<h1>Car sales roundup number {i}</h1>
<p>BYD sold 4.27 million new-energy vehicles in 2024, a jump of 41% from the year before, the carmaker said.
Its revenue rose 29% to 777.1 billion yuan, and net profit climbed {30 + i % 9}% to 40.3 billion yuan.</p>
<p>Tesla delivered 1.79 million vehicles in 2024. Its fourth-quarter deliveries reached {deliveries:,} cars,
report {i} said.</p></article></body></html>"""


@dataclass(frozen=True)
class Post:
    index: int
    channel: str
    author: int
    text: str
    paths: tuple[str, ...]


def burst_plan(n: int, channels: int = CHANNELS) -> list[Post]:
    """`n` messages, round-robin over `channels` channels and USERS authors:
    mostly one new article each; every 25th has two; every 20th a dead link
    ("couldn't read"); every 10th repeats a link posted 50 messages earlier
    (a pointer to that answer, or the cached check if it is not answered yet)."""
    posts = []
    for i in range(n):
        if i % 20 == 7:
            paths: tuple[str, ...] = (f"/gone/{i}",)
        elif i % 10 == 5 and i >= 50:
            paths = (f"/news/{i - 50}",)
        elif i % 25 == 3:
            paths = (f"/news/{i}", f"/news/{i}b")
        else:
            paths = (f"/news/{i}",)
        posts.append(Post(i, f"load-{i % channels}", i % USERS, "", paths))
    return posts


def pages_for(posts: list[Post]) -> dict[str, str]:
    pages = {}
    for post in posts:
        for path in post.paths:
            if path.startswith("/news/"):
                pages[path] = article(post.index if not path.endswith("b") else post.index + 100_000)
    return pages


def readers(standin: DiscordStandIn) -> list[dict[str, Any]]:
    """USERS posting users with fixed IDs (the same people after a restart)."""
    return [standin.user(f"reader{k}", id=str(1000000000000002000 + k)) for k in range(USERS)]


def make_message(standin: DiscordStandIn, post: Post, site: ArticleSite, users: list[dict[str, Any]]) -> dict[str, Any]:
    links = " and ".join(site.url(p) for p in post.paths)
    return standin.message(f"Have you seen this? {links} (#{post.index})", author=users[post.author],
                           channel=post.channel)


# -- what the stand-in received ----------------------------------------------------------------------

def replies_by_message(standin: DiscordStandIn) -> dict[str, list[dict[str, Any]]]:
    """The bot's messages that answer a message, by the id of the message they answer."""
    out: dict[str, list[dict[str, Any]]] = {}
    for msg in standin.messages.values():
        if msg["author"]["id"] == standin.bot_user["id"] and msg.get("message_reference"):
            out.setdefault(str(msg["message_reference"]["message_id"]), []).append(msg)
    return out


def reply_posts(standin: DiscordStandIn) -> dict[str, list[Recorded]]:
    """Every POST of a reply (429s and retries included), by the message it answers."""
    out: dict[str, list[Recorded]] = {}
    for r in standin.find("POST", REPLY_ROUTE):
        ref = (r.json or {}).get("message_reference") or {}
        if ref.get("message_id"):
            out.setdefault(str(ref["message_id"]), []).append(r)
    return out


def reactions(standin: DiscordStandIn) -> dict[str, list[Recorded]]:
    """Every ⏳ reaction request (PUT adds, DELETE takes off), by message id."""
    out: dict[str, list[Recorded]] = {}
    for method in ("PUT", "DELETE"):
        for r in standin.find(method, REACTION_ROUTE):
            if BUSY in r.path or "⏳" in r.path:
                out.setdefault(r.path.split("/")[4], []).append(r)
    for calls in out.values():
        calls.sort(key=lambda r: r.at)
    return out


def all_unreacted(standin: DiscordStandIn) -> bool:
    """Every ⏳ added has been taken off again (429s not counted)."""
    return all(any(c.method == "DELETE" and c.status != 429 for c in calls) for calls in reactions(standin).values())


def assert_429s_waited_out(standin: DiscordStandIn) -> dict[str, float]:
    """Every 429 was followed by the same call again, no sooner than the
    retry_after it asked for, and that call (eventually) succeeded."""
    waited = 0.0
    limited = [r for r in standin.requests if r.status == 429]
    for r in limited:
        same = [o for o in standin.requests if o.method == r.method and o.path == r.path and o.at > r.at
                and (o.json or {}).get("nonce") == (r.json or {}).get("nonce")
                and ((o.json or {}).get("message_reference") == (r.json or {}).get("message_reference"))]
        assert same, f"{r.method} {r.path} got a 429 and was never retried"
        retry_after = float(r.response["retry_after"])
        assert same[0].at - r.at >= retry_after - 0.01, \
            f"{r.method} {r.path} retried after {same[0].at - r.at:.3f} s, before its retry_after {retry_after}"
        assert any(200 <= o.status < 300 for o in same), f"{r.method} {r.path}: the retried call never succeeded"
        waited += same[0].at - r.at
    return {"count": len(limited), "waited_seconds": round(waited, 2)}


def assert_each_answered_once(standin: DiscordStandIn, message_ids: list[str]) -> dict[str, int]:
    """Exactly one bot reply per message; a deferred message has its ⏳ added
    before the answer and taken off after it. Returns how many were deferred."""
    replies, posts, busy = replies_by_message(standin), reply_posts(standin), reactions(standin)
    deferred = 0
    for mid in message_ids:
        got = replies.get(mid, [])
        assert len(got) == 1, f"message {mid}: {len(got)} replies"
        ok = [r for r in posts.get(mid, []) if r.status == 200]
        assert len(ok) == 1 or standin.nonce_repeats, f"message {mid}: {len(ok)} successful reply POSTs"
        calls = [r for r in busy.get(mid, []) if r.status != 429]
        if calls:
            deferred += 1
            assert [c.method for c in calls] == ["PUT", "DELETE"], f"message {mid}: ⏳ calls {calls}"
            assert calls[0].at <= ok[0].at <= calls[1].at, \
                f"message {mid}: deferral, answer and un-deferral out of order"
    unexpected = set(replies) - set(message_ids)
    assert not unexpected, f"replies to messages nobody posted in the burst: {sorted(unexpected)[:5]}"
    return {"deferred": deferred}


# -- running a burst in-process ----------------------------------------------------------------------

@dataclass
class LoadWorld:
    standin: DiscordStandIn
    site: ArticleSite
    bot: FactBot
    done: dict[int, list[str]] = field(default_factory=dict)

    async def wait_done(self, ids: list[str], timeout: float) -> None:
        wanted = {int(i) for i in ids}
        async with asyncio.timeout(timeout):
            while not wanted <= self.done.keys():
                await asyncio.sleep(0.02)


def prepare_db(tmp_path: Path) -> None:
    db = open_db(tmp_path / "bot.db")
    if not db["facts"].count:
        import_file(db, FACTS)
    db.close()


@contextlib.asynccontextmanager
async def load_world(tmp_path: Path, pages: dict[str, str], *, autoscan: dict[str, Any] | None = None,
                     standin_messages: dict[str, dict[str, Any]] | None = None,
                     check_workers: int = 2) -> AsyncIterator[LoadWorld]:
    """The bot with auto-scan on everywhere, 20 extra channels, counting its
    "autoscan_done" events per message. Fails on any ERROR logged by
    discord.py or the bot."""
    prepare_db(tmp_path)
    with ErrorLog("discord", "bot") as errors:
        async with DiscordStandIn(extra_channels=CHANNELS, messages=standin_messages) as standin, \
                ArticleSite(pages) as site:
            cfg = config_for(tmp_path, standin, {"check_workers": check_workers},
                             {"default_mode": "on", **(autoscan or {})})
            bot = create_bot(cfg, guild_ready_timeout=0.01)
            world = LoadWorld(standin, site, bot)  # type: ignore[arg-type]

            async def on_autoscan_done(message: Any, outcome: str) -> None:
                world.done.setdefault(message.id, []).append(outcome)
            bot.add_listener(on_autoscan_done)
            async with running(bot, timeout=10):
                yield world
    assert not errors.records, "errors were logged:\n" + "\n".join(errors.messages())


def print_figures(title: str, figures: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    """Prints past pytest's capture; FACTBOT_LOAD_FIGURES=FILE also appends them there as JSON Lines."""
    line = json.dumps({"figures": title, "date": time.strftime("%Y-%m-%d"), **figures}, ensure_ascii=False)
    with capsys.disabled():
        print(f"\n{title}: " + json.dumps(figures, ensure_ascii=False))
    if os.environ.get("FACTBOT_LOAD_FIGURES"):
        with open(os.environ["FACTBOT_LOAD_FIGURES"], "a", encoding="utf-8") as out:
            out.write(line + "\n")


def answer_times(standin: DiscordStandIn, delivered: dict[str, float]) -> list[float]:
    """Seconds from a message's delivery to its successful reply."""
    posts = reply_posts(standin)
    return [min(r.at for r in posts[mid] if r.status == 200) - at for mid, at in delivered.items()]


def test_a_burst_is_answered_exactly_once_with_429s_respected(tmp_path, capsys):
    posts = burst_plan(MESSAGES)
    max_pending, workers = 50, 4

    async def scenario() -> dict[str, Any]:
        async with load_world(tmp_path, pages_for(posts),
                              autoscan={"max_pending": max_pending, "workers": workers}) as w:
            users = readers(w.standin)
            messages = [make_message(w.standin, p, w.site, users) for p in posts]
            ids = [m["id"] for m in messages]
            rss_before = rss_mb()
            peak_reset = _reset_peak_rss()
            samples: list[tuple[int, float | None]] = []  # (messages done, RSS MB) every 0.25 s

            async def sample() -> None:
                while True:
                    samples.append((len(w.done), rss_mb()))
                    await asyncio.sleep(0.25)
            sampler = asyncio.create_task(sample())
            delivered: dict[str, float] = {}
            started = time.monotonic()
            for k, msg in enumerate(messages):
                if k % 100 == 10:  # 429s along the way, on replies and on the ⏳ reactions
                    w.standin.rate_limit_next("POST", REPLY_ROUTE, retry_after=0.25)
                    w.standin.rate_limit_next("PUT", REACTION_ROUTE, retry_after=0.1)
                delivered[msg["id"]] = time.monotonic()
                await w.standin.deliver(msg)
                if k % 50 == 49:
                    await asyncio.sleep(0)  # the gateway reads as the bot does: let it breathe now and then
            deliver_seconds = time.monotonic() - started
            await w.wait_done(ids, timeout=max(60, MESSAGES / 10))
            await w.bot.autoscan_queue.join()
            await w.standin.wait_until(lambda: all_unreacted(w.standin), timeout=10)  # the last ⏳ taken off
            seconds = time.monotonic() - started
            peak = peak_rss_mb()
            sampler.cancel()
            samples.append((len(w.done), rss_mb()))
            rss_by_quarter = [next((r for d, r in samples if d >= q * MESSAGES // 4), None) for q in (1, 2, 3, 4)]

            # Exactly one outcome event per message, and exactly one reply each.
            assert sorted(map(str, w.done)) == sorted(ids)
            assert all(len(o) == 1 for o in w.done.values()), "a message was reported done twice"
            assert {o[0] for o in w.done.values()} == {"replied"}
            once = assert_each_answered_once(w.standin, ids)
            limits = assert_429s_waited_out(w.standin)
            assert limits["count"] >= 2 * (MESSAGES // 100), "the injected 429s were not all hit"
            assert w.standin.nonce_repeats == 0, "no send was repeated without a restart"
            stats = w.bot.autoscan_queue.stats
            assert stats.deferred == once["deferred"] > 0, "the burst should overflow max_pending"
            assert stats.peak_in_memory <= max_pending + workers
            assert w.bot.autoscan_queue.store.outcomes() == {"replied": MESSAGES}
            # What the replies say: the dead links are "couldn't read", the rest have verdicts or a pointer.
            replies = replies_by_message(w.standin)
            for post, mid in zip(posts, ids):
                [reply] = replies[mid]
                if post.paths[0].startswith("/gone/"):
                    assert "Couldn't read" in reply["content"] and "HTTP 404" in reply["content"]
                else:
                    assert reply["embeds"] or "Checked earlier" in reply["content"], reply
            times = answer_times(w.standin, delivered)
            return {"messages": MESSAGES, "channels": CHANNELS, "workers": workers, "max_pending": max_pending,
                    "seconds": round(seconds, 2), "delivery_seconds": round(deliver_seconds, 2),
                    "messages_per_second": round(MESSAGES / seconds, 1),
                    "p50_answer_ms": round(percentile(times, 50) * 1000),
                    "p95_answer_ms": round(percentile(times, 95) * 1000),
                    "max_answer_ms": round(max(times) * 1000),
                    "deferred": stats.deferred, "peak_jobs_in_memory": stats.peak_in_memory,
                    "peak_waiting_in_database": stats.peak_backlog,
                    "rate_limited_429": limits["count"], "waited_on_429s_seconds": limits["waited_seconds"],
                    "rss_before_mb": rss_before, "peak_rss_mb": peak if peak_reset else None,
                    "rss_mb_at_25_50_75_100_percent": rss_by_quarter,
                    "pointers": sum("Checked earlier" in r[0]["content"] for r in replies.values()),
                    "note": "in-process: the bot, the stand-in and the article site share one event loop"}

    figures = asyncio.run(scenario())
    print_figures("burst", figures, capsys)


def test_queue_memory_is_bounded_by_max_pending_not_by_the_burst(tmp_path, capsys):
    """The same burst shape with a tiny queue: most messages are deferred to
    the database, and the jobs held in memory never exceed max_pending +
    workers, however many wait."""
    posts = burst_plan(120, channels=4)
    max_pending, workers = 5, 2

    async def scenario() -> dict[str, Any]:
        async with load_world(tmp_path, pages_for(posts), autoscan={"max_pending": max_pending,
                                                                     "workers": workers}) as w:
            users = readers(w.standin)
            messages = [make_message(w.standin, p, w.site, users) for p in posts]
            ids = [m["id"] for m in messages]
            for msg in messages:
                await w.standin.deliver(msg)
            await w.wait_done(ids, timeout=60)
            await w.bot.autoscan_queue.join()
            stats = w.bot.autoscan_queue.stats
            assert stats.peak_in_memory <= max_pending + workers
            assert stats.deferred >= len(posts) // 2
            assert_each_answered_once(w.standin, ids)
            return {"messages": len(posts), "deferred": stats.deferred, "peak_jobs_in_memory": stats.peak_in_memory,
                    "peak_waiting_in_database": stats.peak_backlog}

    print_figures("bounded queue", asyncio.run(scenario()), capsys)


def test_cooldowns_in_a_burst_skip_with_a_reaction_never_silently(tmp_path):
    """With the default-like cooldowns, a burst from few people is mostly
    skipped: that is deliberate and documented (a ⏳ reaction, no check, no
    reply, recorded as "cooldown"). Every message still gets exactly one of
    the two, and a skipped one is not answered later, not even after a restart."""
    posts = [Post(i, f"load-{i % 2}", i % 3, "", (f"/news/{i}",)) for i in range(30)]
    cooldowns = {"user_cooldown_seconds": 60, "channel_cooldown_seconds": 0}

    async def scenario() -> None:
        async with load_world(tmp_path, pages_for(posts), autoscan=cooldowns) as w:
            users = readers(w.standin)
            messages = [make_message(w.standin, p, w.site, users) for p in posts]
            ids = [m["id"] for m in messages]
            for msg in messages:
                await w.standin.deliver(msg)
            await w.wait_done(ids, timeout=30)
            await w.bot.autoscan_queue.join()
            outcomes = {str(k): v for k, v in w.done.items()}
            replies, busy = replies_by_message(w.standin), reactions(w.standin)
            for post, mid in zip(posts, ids):
                if post.index < 3:  # each person's first link
                    assert outcomes[mid] == ["replied"] and len(replies[mid]) == 1 and mid not in busy
                else:
                    assert outcomes[mid] == ["cooldown"] and mid not in replies
                    assert [c.method for c in busy[mid]] == ["PUT"], "the ⏳ stays: skipped, not pending"
            assert sorted(w.site.hits) == ["/news/0", "/news/1", "/news/2"], "skipped links are never fetched"
            assert w.bot.autoscan_queue.store.outcomes() == {"replied": 3, "cooldown": 27}
            world_messages = w.standin.messages
        # A restart (cooldowns forgotten, channels read back from the last message taken on): the
        # skipped ones stay skipped. (The stand-in's message IDs date from 2024: a ten-year window reaches them.)
        async with load_world(tmp_path, pages_for(posts), standin_messages=world_messages,
                              autoscan={**cooldowns, "catch_up_seconds": 10 * 365 * 24 * 3600}) as again:
            await again.standin.wait_until(lambda: len(again.standin.find("GET", REPLY_ROUTE)) >= 2, timeout=10)
            await asyncio.sleep(0.3)
            await again.bot.autoscan_queue.join()
            assert not again.done and not again.standin.find("POST", REPLY_ROUTE)
            assert not again.site.hits

    asyncio.run(scenario())


def test_a_duplicate_gateway_event_is_answered_once(tmp_path):
    """Discord may deliver a MESSAGE_CREATE twice (a resumed session replays
    events): the message id is taken on once."""
    async def scenario() -> None:
        async with load_world(tmp_path, {"/news/1": article(1)}) as w:
            msg = w.standin.message(f"look {w.site.url('/news/1')}", author=w.standin.alice, channel="load-0")
            for _ in range(3):
                await w.standin.deliver(msg)
            await w.wait_done([msg["id"]], timeout=10)
            await w.bot.autoscan_queue.join()
            await asyncio.sleep(0.2)
            assert w.done == {int(msg["id"]): ["replied"]}
            assert len(replies_by_message(w.standin)[msg["id"]]) == 1 and w.site.hits["/news/1"] == 1
            assert w.bot.autoscan_queue.stats.duplicates == 2
    asyncio.run(scenario())


def test_quiet_mode_deferral_is_taken_off_without_a_reply(tmp_path):
    """A deferred message in quiet mode whose article has nothing wrong gets
    no reply; its ⏳ still comes off, so it does not look skipped."""
    good = """<html><head><title>Springfield budget</title></head><body><article><p>The Springfield
    council approved a budget of $12.5 million for 2025.</p></article></body></html>"""
    pages = {f"/good/{i}": good.replace("12.5", f"{12 + i / 10:.1f}") for i in range(12)}

    async def scenario() -> None:
        async with load_world(tmp_path, pages, autoscan={"default_mode": "quiet", "max_pending": 1,
                                                         "workers": 1}) as w:
            messages = [w.standin.message(f"budget {w.site.url(f'/good/{i}')}", author=w.standin.bob,
                                          channel="load-1") for i in range(12)]
            for msg in messages:
                await w.standin.deliver(msg)
            ids = [m["id"] for m in messages]
            await w.wait_done(ids, timeout=30)
            await w.bot.autoscan_queue.join()
            await w.standin.wait_until(lambda: all_unreacted(w.standin), timeout=5)
            assert {o[0] for o in w.done.values()} == {"silent"} and not replies_by_message(w.standin)
            busy = reactions(w.standin)
            assert busy, "with one place in the queue, some were deferred"
            assert all([c.method for c in calls] == ["PUT", "DELETE"] for calls in busy.values())
    asyncio.run(scenario())
