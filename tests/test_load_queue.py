"""The auto-scan work queue on its own (bot/discord_app/work_queue.py): no
Discord, a handler that does what each test needs. What the load and
restart tests rely on: bounded memory, oldest first, deferral while older
work waits, once per message id, recovery of what a previous run left, a
graceful close that leaves unfinished work in the database."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import discord
import pytest

from bot import cmd_run
from bot.config import ConfigError, validate
from bot.discord_app.work_queue import KEEP_DONE_DAYS, Job, Ticket, WorkQueue, WorkStore
from sources.db import latest_version, open_db, schema_version


def job(i: int, channel: int = 7) -> Job:
    return Job(1000 + i, 1, channel, 50 + i % 3, [f"https://example.org/{i}"], "on")


@pytest.fixture
def db(tmp_path: Path) -> Any:
    database = open_db(tmp_path / "q.db")
    yield database
    database.close()


class Recorder:
    """A handler that records the order of work, optionally waiting on a gate."""

    def __init__(self, gate: asyncio.Event | None = None, fail: set[int] = frozenset()) -> None:
        self.gate = gate
        self.fail = fail
        self.order: list[int] = []
        self.running = 0
        self.most_running = 0

    async def __call__(self, job: Job, ticket: Ticket) -> None:
        self.running += 1
        self.most_running = max(self.most_running, self.running)
        try:
            if self.gate is not None:
                await self.gate.wait()
            await asyncio.sleep(0)
            if job.message_id in self.fail:
                raise RuntimeError("boom")
            self.order.append(job.message_id)
            ticket.sending()
            ticket.finish("replied", job.message_id + 1_000_000)
        finally:
            self.running -= 1


def states(db: Any) -> dict[int, tuple[str, str | None, int]]:
    return {int(m): (s, o, int(a)) for m, s, o, a in
            db.execute("SELECT message_id, state, outcome, attempts FROM discord_autoscan_work")}


def test_the_migration_creates_the_work_table(db):
    assert schema_version(db) == latest_version() >= 14
    assert db["discord_autoscan_work"].exists()


def test_a_full_queue_defers_and_memory_stays_bounded(db):
    async def scenario() -> None:
        gate = asyncio.Event()
        handler = Recorder(gate)
        queue = WorkQueue(WorkStore(db), workers=2, max_pending=3)
        queue.start(handler)
        results = [queue.submit(job(i)) for i in range(20)]
        assert results[:3] == ["queued"] * 3 and results[3:] == ["deferred"] * 17
        for i in range(3, 20):
            queue.noticed(job(i).message_id)
        assert queue.backlog == 17 and queue.in_memory == 3
        gate.set()
        await asyncio.wait_for(queue.join(), 5)
        assert handler.order == [job(i).message_id for i in range(20)], "oldest first, deferred ones included"
        assert queue.stats.peak_in_memory <= 3 + 2 and handler.most_running <= 2
        assert queue.store.outcomes() == {"replied": 20}
        await queue.close()
    asyncio.run(scenario())


def test_new_work_waits_behind_deferred_work_even_when_there_is_room(db):
    async def scenario() -> None:
        gate = asyncio.Event()
        handler = Recorder(gate)
        queue = WorkQueue(WorkStore(db), workers=1, max_pending=1)
        queue.start(handler)
        assert [queue.submit(job(i)) for i in range(3)] == ["queued", "deferred", "deferred"]
        gate.set()
        await asyncio.sleep(0.05)  # job 0 done: there is room, but 1 and 2 are still being noticed
        assert handler.order == [job(0).message_id]
        assert queue.submit(job(3)) == "deferred", "no jumping the line"
        for i in (1, 2, 3):
            queue.noticed(job(i).message_id)
        await asyncio.wait_for(queue.join(), 5)
        assert handler.order == [job(i).message_id for i in range(4)]
        await queue.close()
    asyncio.run(scenario())


def test_a_message_is_taken_on_once(db):
    async def scenario() -> None:
        queue = WorkQueue(WorkStore(db), workers=1, max_pending=5)
        handler = Recorder()
        queue.start(handler)
        assert queue.submit(job(1)) == "queued"
        assert queue.submit(job(1)) == "duplicate"
        await asyncio.wait_for(queue.join(), 5)
        assert queue.submit(job(1)) == "duplicate", "not after it is done either"
        assert handler.order == [job(1).message_id] and queue.stats.duplicates == 2
        await queue.close()
    asyncio.run(scenario())


def test_a_failing_handler_is_recorded_as_failed_and_the_worker_goes_on(db, caplog):
    async def scenario() -> None:
        queue = WorkQueue(WorkStore(db), workers=1, max_pending=5)
        handler = Recorder(fail={job(0).message_id})
        queue.start(handler)
        queue.submit(job(0))
        queue.submit(job(1))
        await asyncio.wait_for(queue.join(), 5)
        assert handler.order == [job(1).message_id]
        assert queue.store.outcomes() == {"failed": 1, "replied": 1}
        await queue.close()
    asyncio.run(scenario())
    assert "auto-scan of message 1000 failed" in caplog.text


def test_the_next_start_resumes_what_was_left_oldest_first_and_flags_uncertain_sends(db):
    store = WorkStore(db)
    for i in range(5):
        store.add(job(i))
    store.finish(job(0).message_id, "replied", 1)
    store.start(job(1).message_id)                       # killed while checking
    store.start(job(2).message_id)
    store.set_state(job(2).message_id, "sending")        # killed while sending

    async def scenario() -> list[Job]:
        seen: list[Job] = []

        async def handler(j: Job, ticket: Ticket) -> None:
            seen.append(j)
            ticket.finish("replied")
        queue = WorkQueue(WorkStore(db), workers=1, max_pending=2)
        queue.start(handler)
        assert queue.stats.resumed == 4
        assert queue.submit(job(9)) == "deferred", "new work waits behind the resumed work"
        queue.noticed(job(9).message_id)
        await asyncio.wait_for(queue.join(), 5)
        await queue.close()
        return seen
    seen = asyncio.run(scenario())
    assert [j.message_id for j in seen] == [job(i).message_id for i in (1, 2, 3, 4, 9)]
    assert [j.uncertain for j in seen] == [False, True, False, False, False]
    assert [j.attempts for j in seen] == [2, 2, 1, 1, 1]


def test_close_lets_running_work_finish_and_leaves_the_rest_pending(db):
    async def scenario() -> None:
        gate = asyncio.Event()
        handler = Recorder(gate)
        queue = WorkQueue(WorkStore(db), workers=2, max_pending=10)
        queue.start(handler)
        for i in range(6):
            queue.submit(job(i))
        await asyncio.sleep(0.05)            # two running, four queued
        asyncio.get_running_loop().call_later(0.05, gate.set)
        await queue.close(timeout=5)
        assert handler.order == [job(0).message_id, job(1).message_id], "the running ones finished"
        assert queue.submit(job(7)) == "saved"
    asyncio.run(scenario())
    rows = states(db)
    assert [rows[job(i).message_id][:2] for i in range(6)] == [("done", "replied")] * 2 + [("pending", None)] * 4
    assert rows[job(7).message_id][:2] == ("pending", None), "arrived while closing: kept for the next start"


def test_close_interrupts_work_past_the_drain_time_and_releases_it(db, caplog):
    async def scenario() -> None:
        handler = Recorder(asyncio.Event())  # never opens
        queue = WorkQueue(WorkStore(db), workers=1, max_pending=10)
        queue.start(handler)
        queue.submit(job(0))
        await asyncio.sleep(0.05)
        await queue.close(timeout=0.1)
    asyncio.run(scenario())
    assert states(db)[job(0).message_id] == ("pending", None, 0), "pending again, the attempt not counted"
    assert "did not finish in 0 s" in caplog.text


def test_stale_work_is_expired_and_old_finished_rows_pruned(db):
    now = datetime.now(timezone.utc)
    old = WorkStore(db, clock=lambda: now - timedelta(days=KEEP_DONE_DAYS + 1))
    old.add(job(0))
    old.add(job(1))
    old.finish(job(1).message_id, "replied")
    WorkStore(db).add(job(2))

    async def scenario() -> None:
        queue = WorkQueue(WorkStore(db), workers=1, max_pending=5)
        queue.start(Recorder())
        await asyncio.wait_for(queue.join(), 5)
        await queue.close()
    asyncio.run(scenario())
    rows = states(db)
    assert job(1).message_id not in rows, "pruned"
    assert rows[job(0).message_id][:2] == ("done", "expired") and rows[job(2).message_id][:2] == ("done", "replied")


def test_cursors_are_the_newest_message_per_channel(db):
    store = WorkStore(db)
    assert store.cursors() == ({}, None)
    store.add(job(1, channel=7))
    store.add(job(5, channel=7))
    store.add(job(3, channel=8))
    assert store.cursors() == ({7: 1005, 8: 1003}, 1005)


@pytest.mark.parametrize("key, value, message", [
    ("workers", 0, "autoscan.workers must be between 1 and 64"),
    ("workers", 65, "autoscan.workers must be between 1 and 64"),
    ("max_pending", 0, "autoscan.max_pending must be between 1 and 100000"),
    ("catch_up_seconds", -1, "autoscan.catch_up_seconds must be 0 (off) or more"),
])
def test_autoscan_queue_settings_are_validated(key, value, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        validate({"autoscan": {key: value}})


def test_queue_settings_have_defaults():
    cfg = validate({}).values["autoscan"]
    assert (cfg["workers"], cfg["max_pending"], cfg["catch_up_seconds"]) == (4, 100, 3600)
    with pytest.raises(ConfigError, match="must be int"):
        validate({"autoscan": {"max_pending": 1.5}})


def test_the_testing_hook_changes_nothing_unless_set(monkeypatch):
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    cmd_run.point_discord_at({})
    assert (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == (base, gateway)
    monkeypatch.setattr(discord.http.Route, "BASE", base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", gateway)
    cmd_run.point_discord_at({"FACTBOT_DISCORD_API_BASE": "http://127.0.0.1:1/api/v10/",
                              "FACTBOT_DISCORD_GATEWAY": "ws://127.0.0.1:1/gateway"})
    assert discord.http.Route.BASE == "http://127.0.0.1:1/api/v10"
    assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:1/gateway"
