"""Restarts: the bot as a real process (`python -m bot run`), pointed at the
local Discord stand-in through the testing hook (FACTBOT_DISCORD_API_BASE,
FACTBOT_DISCORD_GATEWAY), killed with SIGKILL mid-burst or stopped with
SIGTERM, and started again on the same database: every message ends up
answered exactly once, none lost, none twice. Messages posted while the bot
is down are read back from the channels when it returns.

The in-process tests below pin the recovery rules one at a time: a reply
whose sending was not recorded is looked up before answering again, a job
that keeps crashing the bot is given up, stale work is reported and closed,
and the catch-up window is respected.

Neither run may log an ERROR (nor a traceback).
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bot.discord_app.work_queue import MAX_ATTEMPTS, Job, WorkStore
from sources.db import open_db
from tests.discord_standin import DiscordStandIn
from tests.test_discord_e2e import ArticleSite
from tests.test_load_burst import (
    CHANNELS, REPLY_ROUTE, article, burst_plan, load_world, make_message, pages_for, prepare_db, print_figures,
    reactions, readers, replies_by_message,
)

ROOT = Path(__file__).resolve().parents[1]
RESTART_MESSAGES = int(os.environ.get("FACTBOT_LOAD_RESTART_MESSAGES") or 300)
# The stand-in's message IDs are counters, not timestamps (they date from
# 2024 as snowflakes): a catch-up window of ten years reaches them.
TEN_YEARS = 10 * 365 * 24 * 3600


def toml_for(tmp_path: Path, standin: DiscordStandIn, **autoscan: Any) -> Path:
    settings = {"default_mode": "on", "user_cooldown_seconds": 0, "channel_cooldown_seconds": 0,
                "workers": 4, "max_pending": 50, "catch_up_seconds": TEN_YEARS, **autoscan}
    lines = ["[database]", f'path = "{tmp_path / "bot.db"}"', "", "[fetch]", 'allow_hosts = ["127.0.0.1"]',
             "timeout_seconds = 5", "", "[discord]", f"dev_guild_id = {standin.guild_id}", "", "[autoscan]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in settings.items()]
    path = tmp_path / "bot.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class BotProcess:
    """`python -m bot run` against the stand-in; its log in a file."""

    config: Path
    standin: DiscordStandIn
    log_path: Path
    proc: asyncio.subprocess.Process | None = None
    rss_samples: list[float] = field(default_factory=list)
    _sampler: asyncio.Task[None] | None = None

    async def start(self, timeout: float = 30) -> None:
        port = self.standin.url.rsplit(":", 1)[1]
        env = {**os.environ, "DISCORD_TOKEN": self.standin.token,
               "FACTBOT_DISCORD_API_BASE": f"{self.standin.url}/api/v10",
               "FACTBOT_DISCORD_GATEWAY": f"ws://127.0.0.1:{port}/gateway"}
        self.log_file = self.log_path.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(self.config), cwd=ROOT, env=env,
            stdout=self.log_file, stderr=self.log_file)
        self._sampler = asyncio.create_task(self._sample())
        async with asyncio.timeout(timeout):
            while "connected as" not in self.log():
                assert self.proc.returncode is None, f"the bot exited ({self.proc.returncode}):\n{self.log()}"
                await asyncio.sleep(0.05)
        self.rss_samples.clear()  # from ready on: what the work adds, not the imports

    async def _sample(self) -> None:
        assert self.proc is not None
        while self.proc.returncode is None:
            rss = status_mb(self.proc.pid, "VmRSS")
            if rss is not None:
                self.rss_samples.append(rss)
            await asyncio.sleep(0.2)

    def peak_rss_mb(self) -> float | None:
        assert self.proc is not None
        return status_mb(self.proc.pid, "VmHWM")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        await self._stopped()

    async def terminate(self, timeout: float = 30) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        await self._stopped()
        return code

    async def _stopped(self) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sampler
        self.log_file.close()


def status_mb(pid: int, key: str) -> float | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"{key}:\s+(\d+) kB", text)
    return round(int(match.group(1)) / 1024, 1) if match else None


def errors_in(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith(("ERROR ", "CRITICAL ")) or "Traceback" in line]


def work_rows(tmp_path: Path) -> dict[str, int]:
    """Rows per state/outcome in the work table, read as another process would."""
    conn = sqlite3.connect(f"file:{tmp_path / 'bot.db'}?mode=ro", uri=True, timeout=5)
    try:
        return {f"{s}/{o}": n for s, o, n in conn.execute(
            "SELECT state, coalesce(outcome, '-'), COUNT(*) FROM discord_autoscan_work GROUP BY 1, 2")}
    except sqlite3.OperationalError:
        return {}
    finally:
        conn.close()


def answered(standin: DiscordStandIn, ids: list[str]) -> int:
    replies = replies_by_message(standin)
    return sum(1 for i in ids if i in replies)


def assert_exactly_once(standin: DiscordStandIn, ids: list[str]) -> None:
    replies = replies_by_message(standin)
    counts = {i: len(replies.get(i, [])) for i in ids}
    missing = [i for i, n in counts.items() if n == 0]
    twice = [i for i, n in counts.items() if n > 1]
    assert not missing and not twice, f"{len(missing)} unanswered, {len(twice)} answered twice: " \
                                      f"{missing[:3]} {twice[:3]}"
    assert set(replies) <= set(ids), "a reply to a message that was not in the burst"


@contextlib.asynccontextmanager
async def world(tmp_path: Path, n: int) -> AsyncIterator[tuple[DiscordStandIn, ArticleSite, list[Any]]]:
    prepare_db(tmp_path)
    posts = burst_plan(n)
    async with DiscordStandIn(extra_channels=CHANNELS) as standin, ArticleSite(pages_for(posts)) as site:
        yield standin, site, posts


def test_sigkill_mid_burst_then_restart_answers_every_message_exactly_once(tmp_path, capsys):
    async def scenario() -> dict[str, Any]:
        async with world(tmp_path, RESTART_MESSAGES) as (standin, site, posts):
            bot = BotProcess(toml_for(tmp_path, standin), standin, tmp_path / "run1.log")
            await bot.start()
            users = readers(standin)
            messages = [make_message(standin, p, site, users) for p in posts]
            ids = [m["id"] for m in messages]
            live, while_down = messages[:2 * len(messages) // 3], messages[2 * len(messages) // 3:]
            standin.rate_limit_next("POST", REPLY_ROUTE, retry_after=0.2)
            started = time.monotonic()
            for msg in live:
                await standin.deliver(msg)
            # Mid-burst: some answered, most still queued or deferred.
            await standin.wait_until(lambda: answered(standin, ids) >= len(live) // 5, timeout=60)
            peak_first = bot.peak_rss_mb()
            await bot.kill()
            before_restart = answered(standin, ids)
            rows_at_kill = work_rows(tmp_path)
            assert before_restart < len(live), "the kill came too late to be mid-burst"
            # Posted while the bot is down: the gateway cannot deliver them.
            for msg in while_down:
                standin.messages[msg["id"]] = msg

            again = BotProcess(bot.config, standin, tmp_path / "run2.log")
            restarted = time.monotonic()
            await again.start()
            await standin.wait_until(lambda: answered(standin, ids) == len(ids), timeout=120)
            recovered = time.monotonic() - restarted
            await asyncio.sleep(0.5)  # anything that would come twice has time to show
            peak_second = again.peak_rss_mb()
            code = await again.terminate()
            assert code == 0, again.log()

            assert_exactly_once(standin, ids)
            busy = reactions(standin)
            assert all([c.method for c in calls if c.status != 429] in (["PUT", "DELETE"], ["DELETE"], ["PUT"])
                       for calls in busy.values())
            rows = work_rows(tmp_path)
            assert rows == {"done/replied": len(ids)}, rows
            logs = bot.log() + again.log()
            assert not errors_in(logs), "\n".join(errors_in(logs))
            resumed = re.search(r"resuming (\d+) unfinished", again.log())
            read_back = re.search(r"read back (\d+) message\(s\) posted while the bot was away; took (\d+) on",
                                  again.log())
            # What the killed run had recorded resumes; everything else (posted while it was down,
            # or still in flight on the gateway when it died) is read back from the channels.
            recorded = sum(rows_at_kill.values())
            unfinished = recorded - rows_at_kill.get("done/replied", 0)
            assert resumed and int(resumed.group(1)) == unfinished > 0, again.log()
            assert read_back and int(read_back.group(2)) == len(ids) - recorded >= len(while_down), again.log()
            return {"messages": len(ids), "delivered_before_kill": len(live), "answered_before_kill": before_restart,
                    "rows_at_kill": rows_at_kill, "resumed_after_restart": int(resumed.group(1)),
                    "read_back_after_restart": int(read_back.group(2)),
                    "seconds_to_answer_all_after_restart": round(recovered, 1),
                    "total_seconds": round(time.monotonic() - started, 1),
                    "nonce_repeats": standin.nonce_repeats,
                    "bot_peak_rss_mb": [peak_first, peak_second],
                    "bot_rss_mb_ready_to_peak": [[min(b.rss_samples, default=None), max(b.rss_samples, default=None)]
                                                 for b in (bot, again)],
                    "rate_limited_429": sum(r.status == 429 for r in standin.requests)}

    print_figures("restart after SIGKILL", asyncio.run(scenario()), capsys)


def test_sigterm_drains_running_work_and_the_next_start_answers_the_rest(tmp_path, capsys):
    async def scenario() -> dict[str, Any]:
        async with world(tmp_path, 150) as (standin, site, posts):
            bot = BotProcess(toml_for(tmp_path, standin, workers=2, max_pending=20), standin, tmp_path / "run1.log")
            await bot.start()
            users = readers(standin)
            messages = [make_message(standin, p, site, users) for p in posts]
            ids = [m["id"] for m in messages]
            for msg in messages:
                await standin.deliver(msg)
            await standin.wait_until(lambda: answered(standin, ids) >= 10, timeout=60)
            stopping = time.monotonic()
            code = await bot.terminate()
            stop_seconds = time.monotonic() - stopping
            assert code == 0, bot.log()
            at_stop = answered(standin, ids)
            rows = work_rows(tmp_path)
            assert not any(k.startswith(("running", "sending")) for k in rows), \
                f"graceful shutdown left work half-done: {rows}"
            assert rows.get("pending/-", 0) == len(ids) - at_stop, rows
            assert sum(rows.values()) == len(ids), "every message was recorded before the stop"

            again = BotProcess(bot.config, standin, tmp_path / "run2.log")
            await again.start()
            await standin.wait_until(lambda: answered(standin, ids) == len(ids), timeout=120)
            await asyncio.sleep(0.5)
            assert await again.terminate() == 0
            assert_exactly_once(standin, ids)
            assert work_rows(tmp_path) == {"done/replied": len(ids)}
            logs = bot.log() + again.log()
            assert not errors_in(logs), "\n".join(errors_in(logs))
            return {"messages": len(ids), "answered_before_sigterm_returned": at_stop,
                    "left_pending_for_next_start": len(ids) - at_stop, "stop_seconds": round(stop_seconds, 2)}

    print_figures("SIGTERM", asyncio.run(scenario()), capsys)


# -- recovery rules, in-process ---------------------------------------------------------------------

def seed(tmp_path: Path, job: Job, *, state: str, attempts: int = 0, received: datetime | None = None) -> None:
    """A work row as a previous run left it."""
    prepare_db(tmp_path)
    db = open_db(tmp_path / "bot.db")
    store = WorkStore(db, clock=(lambda: received) if received else WorkStore(db)._clock)
    store.add(job)
    db.execute("UPDATE discord_autoscan_work SET state = ?, attempts = ? WHERE message_id = ?",
               [state, attempts, job.message_id])
    db.conn.commit()
    db.close()


def posted(standin: DiscordStandIn, site_base: str, path: str, channel: str = "load-0") -> tuple[dict[str, Any], Job]:
    msg = standin.message(f"look {site_base}{path}", author=standin.alice, channel=channel)
    job = Job(int(msg["id"]), int(standin.guild_id), int(msg["channel_id"]), int(standin.alice["id"]),
              [f"{site_base}{path}"], "on")
    return msg, job


def test_an_unrecorded_reply_is_found_in_the_channel_not_sent_again(tmp_path):
    async def scenario() -> None:
        async with DiscordStandIn(extra_channels=CHANNELS) as old:
            msg, job = posted(old, "http://127.0.0.1:9", "/news/1")
            reply = old.message("verdicts…", author=old.bot_user, channel="load-0",
                                message_reference={"message_id": msg["id"], "channel_id": msg["channel_id"]})
        seed(tmp_path, job, state="sending", attempts=1)
        async with load_world(tmp_path, {}, standin_messages=old.messages) as w:
            await w.wait_done([msg["id"]], timeout=10)
            await w.bot.autoscan_queue.join()
            assert w.done == {int(msg["id"]): ["replied"]}
            assert not w.standin.find("POST", REPLY_ROUTE), "the reply was already out: nothing sent"
            row = w.bot.db.execute("SELECT state, outcome, reply_id FROM discord_autoscan_work WHERE message_id = ?",
                                   [job.message_id]).fetchone()
            assert tuple(row) == ("done", "replied", int(reply["id"]))
    asyncio.run(scenario())


def test_an_unrecorded_send_that_never_went_out_is_sent_once(tmp_path):
    async def scenario() -> None:
        async with ArticleSite({"/news/1": article(1)}) as site:
            async with DiscordStandIn(extra_channels=CHANNELS) as old:
                msg, job = posted(old, site.base, "/news/1")
            seed(tmp_path, job, state="sending", attempts=1)
            async with load_world(tmp_path, {}, standin_messages=old.messages) as w:
                await w.wait_done([msg["id"]], timeout=10)
                assert w.done == {int(msg["id"]): ["replied"]}
                assert len(replies_by_message(w.standin)[msg["id"]]) == 1
                assert w.standin.find("GET", r"/channels/\d+/messages"), "looked in the channel first"
    asyncio.run(scenario())


def test_a_message_that_keeps_crashing_the_bot_is_given_up_with_one_apology(tmp_path, caplog):
    async def scenario() -> int:
        async with DiscordStandIn(extra_channels=CHANNELS) as old:
            msg, job = posted(old, "http://127.0.0.1:9", "/poison")
        seed(tmp_path, job, state="running", attempts=MAX_ATTEMPTS)
        async with load_world(tmp_path, {}, standin_messages=old.messages) as w:
            await w.wait_done([msg["id"]], timeout=10)
            assert w.done == {int(msg["id"]): ["failed"]}
            [reply] = replies_by_message(w.standin)[msg["id"]]
            assert reply["content"].startswith("Sorry, I couldn't check that")
        return job.message_id
    message_id = asyncio.run(scenario())
    assert f"gives up on message {message_id} after {MAX_ATTEMPTS} attempts" in caplog.text


def test_work_older_than_a_day_is_reported_and_closed_not_answered(tmp_path, caplog):
    async def scenario() -> None:
        async with DiscordStandIn(extra_channels=CHANNELS) as old:
            msg, job = posted(old, "http://127.0.0.1:9", "/old")
        seed(tmp_path, job, state="pending", received=datetime.now(timezone.utc) - timedelta(days=2))
        async with load_world(tmp_path, {}, standin_messages=old.messages,
                              autoscan={"catch_up_seconds": 0}) as w:
            await asyncio.sleep(0.3)
            assert not w.done and not w.standin.find("POST", REPLY_ROUTE)
            assert w.bot.autoscan_queue.store.outcomes() == {"expired": 1}
    asyncio.run(scenario())
    assert "1 message(s) waited over 1 day" in caplog.text and "will not be answered" in caplog.text


def test_messages_posted_while_the_bot_was_away_are_read_back_within_the_window(tmp_path):
    """In-process: a first run answers some links; while it is down more are
    posted; the next run answers exactly those. With the default window of
    an hour, the stand-in's messages (snowflakes from 2024) are too old, and
    nothing is read back."""
    pages = {f"/news/{i}": article(i) for i in range(10)}

    async def scenario() -> None:
        async with load_world(tmp_path, pages, autoscan={"catch_up_seconds": TEN_YEARS}) as w:
            first = [w.standin.message(f"a {w.site.url(f'/news/{i}')}", author=w.standin.bob,
                                       channel=f"load-{i % 3}") for i in range(5)]
            for msg in first:
                await w.standin.deliver(msg)
            await w.wait_done([m["id"] for m in first], timeout=20)
            world_messages, base = w.standin.messages, w.site.base
        away = []
        async with DiscordStandIn(extra_channels=CHANNELS, messages=world_messages) as between:
            away = [between.message(f"b {base}/news/{i}", author=between.alice, channel=f"load-{i % 3}")
                    for i in range(5, 10)]
            world_messages = between.messages
        # The site's address changed with the new ArticleSite: point the links there.
        async with load_world(tmp_path, pages, autoscan={"catch_up_seconds": TEN_YEARS},
                              standin_messages=world_messages) as w:
            for msg in away:
                msg["content"] = msg["content"].replace(base, w.site.base)
            await w.wait_done([m["id"] for m in away], timeout=20)
            await w.bot.autoscan_queue.join()
            assert set(w.done) == {int(m["id"]) for m in away}, "only the missed ones, each once"
            replies = replies_by_message(w.standin)
            assert all(len(replies[m["id"]]) == 1 for m in first + away)

    asyncio.run(scenario())


def test_a_catch_up_window_of_an_hour_does_not_answer_old_messages(tmp_path):
    async def scenario() -> None:
        async with load_world(tmp_path, {"/news/1": article(1)}) as w:
            msg = w.standin.message(f"a {w.site.url('/news/1')}", author=w.standin.bob, channel="load-1")
            await w.standin.deliver(msg)
            await w.wait_done([msg["id"]], timeout=10)
            world_messages, base = w.standin.messages, w.site.base
        async with DiscordStandIn(extra_channels=CHANNELS, messages=world_messages) as between:
            missed = between.message(f"b {base}/news/1", author=between.alice, channel="load-1")
            world_messages = between.messages
        async with load_world(tmp_path, {"/news/1": article(1)}, standin_messages=world_messages,
                              autoscan={"catch_up_seconds": 3600}) as w:
            await asyncio.sleep(0.5)
            assert int(missed["id"]) not in w.done and not w.standin.find("POST", REPLY_ROUTE)
            assert w.standin.find("GET", r"/channels/\d+/messages"), "it looked, from an hour ago on"
    asyncio.run(scenario())
