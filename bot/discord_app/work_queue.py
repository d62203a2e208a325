"""The auto-scan work queue: bounded in memory, complete in the database.

A busy server posts links in bursts. Checking each one at once would hold
a fetch, a check and a reply per message in memory and hammer Discord's
rate limits; dropping any would break the promise that every link in an
auto-scan channel is answered. So:

- Every message the bot takes on is written to `discord_autoscan_work`
  (sources/migrations/0014_work_queue.sql) when it arrives, before anything
  is sent. The database, not memory, is the queue of record.
- At most `autoscan.max_pending` of them wait in memory for one of
  `autoscan.workers` workers. Beyond that (or while older deferred work is
  still waiting, so nobody jumps the line) a message is *deferred*: the cog
  adds a ⏳ reaction ("busy, will check shortly") and the job lives only in
  its row until a worker frees a place; then the oldest deferred rows are
  read back. Memory holds ids and links, never discord.py Message objects,
  so it stays flat however long the backlog.
- A row's state moves pending -> running -> sending -> done. A message
  whose row exists is never taken on again (idempotent on message id), so
  a replayed gateway event or a message read back after a restart is not
  answered twice.
- On start, unfinished rows are resumed, oldest first. A row left in
  `sending` may have been answered just before the crash; the handler looks
  at the channel before answering it again (`Job.uncertain`). A row that
  has been started `MAX_ATTEMPTS` times without finishing (a message that
  crashes the bot) is given up; rows older than `STALE_AFTER` are reported
  in the log and closed as `expired` rather than answered a day late.
- `close()` (graceful shutdown) stops taking work, lets running jobs finish
  for up to `DRAIN_SECONDS`, and leaves the rest in the database for the
  next start.

Database work happens on the event loop with the bot's connection: each
statement is an indexed single-row write, 0.1-1 ms under a burst with the
connection's `synchronous = NORMAL` (client.py), about what handing it to
a thread would cost; four per message (taken on, running, sending, done).
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Literal
from sources.store import utc_iso

log = logging.getLogger(__name__)

# A job started this many times without finishing is given up (it probably crashes the bot).
MAX_ATTEMPTS = 3
# Unfinished work older than this at start-up is reported and closed, not answered.
STALE_AFTER = timedelta(hours=24)
# Finished rows are kept this long: long enough that any message read back
# after a restart, or replayed by the gateway, is recognised.
KEEP_DONE_DAYS = 7
# Graceful shutdown waits this long for running jobs before leaving them for the next start.
DRAIN_SECONDS = 10.0

Outcome = Literal["replied", "silent", "cooldown", "failed", "expired"]
Submitted = Literal["queued", "deferred", "duplicate", "saved"]



def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(slots=True)
class Job:
    """One message to answer: ids and links only, so a long queue stays small."""

    message_id: int
    guild_id: int
    channel_id: int
    author_id: int
    links: list[str]
    mode: str                      # "on" or "quiet", as the channel was when the message arrived
    deferred: bool = False         # the ⏳ reaction was added
    attempts: int = 0              # starts so far, this one included once running
    uncertain: bool = False        # a previous run may already have sent the reply


@dataclass
class Ticket:
    """What a handler reports back while it works on a job: `sending()` just
    before the reply goes out, `finish()` right after, so the window in
    which a crash leaves the outcome unknown is one HTTP request."""

    job: Job
    store: WorkStore
    finished: bool = False
    outcome: str | None = None

    def sending(self) -> None:
        self.store.set_state(self.job.message_id, "sending")

    def finish(self, outcome: Outcome, reply_id: int | None = None) -> None:
        if not self.finished:
            self.store.finish(self.job.message_id, outcome, reply_id)
            self.finished, self.outcome = True, outcome


Handler = Callable[[Job, Ticket], Awaitable[None]]

_COLUMNS = "message_id, guild_id, channel_id, author_id, links_json, mode, deferred, attempts, state"


class WorkStore:
    """The `discord_autoscan_work` table, on the bot's (event-loop) connection.
    Every write commits at once: that connection is shared by the whole loop."""

    def __init__(self, db: Any, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self._db = db
        self._clock = clock

    def _write(self, sql: str, params: list[Any]) -> int:
        cursor = self._db.execute(sql, params)
        self._db.conn.commit()
        return int(cursor.rowcount)

    def known(self, message_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM discord_autoscan_work WHERE message_id = ?",
                                [message_id]).fetchone() is not None

    def add(self, job: Job, *, state: str = "pending", outcome: str | None = None) -> bool:
        """Records a message taken on; False when it already was (nothing changes)."""
        now = utc_iso(self._clock())
        return self._write(
            "INSERT OR IGNORE INTO discord_autoscan_work (message_id, guild_id, channel_id, author_id, links_json,"
            " mode, state, outcome, deferred, attempts, received_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            [job.message_id, job.guild_id, job.channel_id, job.author_id, json.dumps(job.links), job.mode,
             state, outcome, int(job.deferred), now, now]) == 1

    def start(self, message_id: int) -> int:
        """Marks a job running (a `sending` row stays `sending`: its reply
        may be out) and returns how many times it has now been started."""
        self._write("UPDATE discord_autoscan_work SET attempts = attempts + 1, updated_at = ?,"
                    " state = CASE state WHEN 'sending' THEN 'sending' ELSE 'running' END"
                    " WHERE message_id = ?", [utc_iso(self._clock()), message_id])
        row = self._db.execute("SELECT attempts FROM discord_autoscan_work WHERE message_id = ?",
                               [message_id]).fetchone()
        return int(row[0]) if row else 0

    def set_state(self, message_id: int, state: str) -> None:
        self._write("UPDATE discord_autoscan_work SET state = ?, updated_at = ? WHERE message_id = ?",
                    [state, utc_iso(self._clock()), message_id])

    def release(self, message_id: int) -> None:
        """A job interrupted by shutdown before it sent anything: pending
        again, and the interrupted start does not count as an attempt."""
        self._write("UPDATE discord_autoscan_work SET state = 'pending', attempts = MAX(0, attempts - 1),"
                    " updated_at = ? WHERE message_id = ? AND state = 'running'",
                    [utc_iso(self._clock()), message_id])

    def finish(self, message_id: int, outcome: str, reply_id: int | None = None) -> None:
        self._write("UPDATE discord_autoscan_work SET state = 'done', outcome = ?, reply_id = ?, updated_at = ?"
                    " WHERE message_id = ?", [outcome, reply_id, utc_iso(self._clock()), message_id])

    def unfinished(self, limit: int, skip: set[int] | frozenset[int] = frozenset()) -> list[Job]:
        """The oldest unfinished jobs not in `skip` (those already in memory)."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM discord_autoscan_work WHERE state != 'done' ORDER BY message_id LIMIT ?",
            [limit + len(skip)]).fetchall()
        jobs = [Job(int(r[0]), int(r[1]), int(r[2]), int(r[3]), json.loads(r[4]), r[5], bool(r[6]), int(r[7]),
                    uncertain=r[8] == "sending") for r in rows if int(r[0]) not in skip]
        return jobs[:limit]

    def count_unfinished(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM discord_autoscan_work WHERE state != 'done'").fetchone()[0])

    def expire_stale(self, older_than: timedelta = STALE_AFTER) -> list[int]:
        """Closes unfinished rows received before `older_than` ago; returns their message ids."""
        cutoff = utc_iso(self._clock() - older_than)
        ids = [int(r[0]) for r in self._db.execute(
            "SELECT message_id FROM discord_autoscan_work WHERE state != 'done' AND received_at < ?", [cutoff])]
        if ids:
            self._write("UPDATE discord_autoscan_work SET state = 'done', outcome = 'expired', updated_at = ?"
                        " WHERE state != 'done' AND received_at < ?", [utc_iso(self._clock()), cutoff])
        return ids

    def prune(self, days: int = KEEP_DONE_DAYS) -> int:
        return self._write("DELETE FROM discord_autoscan_work WHERE state = 'done' AND updated_at < ?",
                           [utc_iso(self._clock() - timedelta(days=days))])

    def cursors(self) -> tuple[dict[int, int], int | None]:
        """Per channel, the newest message taken on; and the newest overall
        (a snowflake is also a timestamp: roughly when the bot last heard anything)."""
        per_channel = {int(c): int(m) for c, m in self._db.execute(
            "SELECT channel_id, MAX(message_id) FROM discord_autoscan_work GROUP BY channel_id")}
        return per_channel, max(per_channel.values(), default=None)

    def outcomes(self) -> dict[str, int]:
        """Rows per outcome ("unfinished" for the rest): for logs, tests and the benchmark."""
        return {(o or "unfinished"): int(n) for o, n in self._db.execute(
            "SELECT outcome, COUNT(*) FROM discord_autoscan_work GROUP BY outcome")}


@dataclass
class QueueStats:
    """What a burst did to the queue, for logs and the load tests' figures."""

    queued: int = 0
    deferred: int = 0
    duplicates: int = 0
    resumed: int = 0
    peak_in_memory: int = 0        # jobs queued or running: bounded by max_pending + workers
    peak_backlog: int = 0          # jobs waiting in the database only: bounded by nothing but the burst
    outcomes: dict[str, int] = field(default_factory=dict)


class WorkQueue:
    """`workers` tasks take jobs from a bounded in-memory queue; deferred
    and resumed jobs wait in the database and are read back, oldest first,
    as places free up."""

    def __init__(self, store: WorkStore, *, workers: int, max_pending: int) -> None:
        if workers < 1 or max_pending < 1:
            raise ValueError("workers and max_pending must be at least 1")
        self.store = store
        self.workers = workers
        self.max_pending = max_pending
        self.stats = QueueStats()
        self._queue: asyncio.Queue[Job] = asyncio.Queue(maxsize=max_pending)
        self._in_memory: set[int] = set()        # queued or running
        self._noticing: set[int] = set()         # deferred, ⏳ reaction still being added
        self._backlog = 0                        # unfinished rows not in memory
        self._handler: Handler | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._busy: dict[asyncio.Task[None], Job] = {}
        self._room = asyncio.Event()
        self._closed = False
        self._idle = asyncio.Event()
        self._idle.set()

    # -- life cycle -----------------------------------------------------------------
    def start(self, handler: Handler) -> None:
        """Recovers what a previous run left and starts the workers. Call once,
        from the event loop, before messages arrive."""
        if self._handler is not None:
            raise RuntimeError("the work queue is already started")
        self._handler = handler
        expired = self.store.expire_stale()
        if expired:
            shown = ", ".join(map(str, expired[:20])) + (" …" if len(expired) > 20 else "")
            log.warning("auto-scan: %d message(s) waited over %s (the bot was down?) and will not be answered: %s",
                        len(expired), STALE_AFTER, shown)
        pruned = self.store.prune()
        if pruned:
            log.info("auto-scan: pruned %d finished work rows older than %d days", pruned, KEEP_DONE_DAYS)
        self._backlog = self.store.count_unfinished()
        self.stats.resumed = self._backlog
        if self._backlog:
            log.info("auto-scan: resuming %d unfinished message(s) from the last run", self._backlog)
        self._tasks = [asyncio.create_task(self._worker(), name=f"factbot-autoscan-{i}") for i in range(self.workers)]
        self._tasks.append(asyncio.create_task(self._refill(), name="factbot-autoscan-refill"))
        self._room.set()

    async def close(self, timeout: float = DRAIN_SECONDS) -> None:
        """Stops taking work; running jobs get `timeout` seconds to finish,
        then are interrupted and left (like everything still queued) in the
        database for the next start."""
        if self._closed:
            return
        self._closed = True
        busy = [t for t in self._busy if not t.done()]
        for task in self._tasks:
            if task not in self._busy:
                task.cancel()
        if busy:
            log.info("auto-scan: finishing %d running check(s) before closing", len(busy))
            _, late = await asyncio.wait(busy, timeout=timeout)
            for task in late:
                task.cancel()
            if late:
                log.warning("auto-scan: %d check(s) did not finish in %.0f s; they resume at the next start",
                            len(late), timeout)
        await asyncio.gather(*self._tasks, return_exceptions=True)
        left = self.store.count_unfinished()
        if left:
            log.info("auto-scan: %d message(s) left for the next start", left)

    async def join(self) -> None:
        """Waits until nothing is queued, deferred or running (tests, benchmarks)."""
        while self._backlog or self._in_memory or self._noticing:
            self._idle.clear()
            await self._idle.wait()

    # -- taking work on -------------------------------------------------------------
    @property
    def in_memory(self) -> int:
        return len(self._in_memory)

    @property
    def backlog(self) -> int:
        return self._backlog

    def submit(self, job: Job) -> Submitted:
        """Takes a message on (call from the event loop, with no await
        between this and acting on the answer).

        "queued": a worker will answer it. "deferred": no room; tell the
        poster it will be checked shortly, then call `noticed` (always:
        until then the job is held back). "duplicate": already taken on, do
        nothing. "saved": the bot is shutting down; the next start answers it.
        """
        if self._closed:
            if not self.store.add(job):
                return "duplicate"
            return "saved"
        defer = bool(self._backlog) or self._queue.full()
        job.deferred = defer
        if not self.store.add(job):
            self.stats.duplicates += 1
            return "duplicate"
        self._idle.clear()
        if defer:
            self._backlog += 1
            self._noticing.add(job.message_id)
            self.stats.deferred += 1
            self.stats.peak_backlog = max(self.stats.peak_backlog, self._backlog)
            return "deferred"
        self._in_memory.add(job.message_id)
        self._queue.put_nowait(job)
        self.stats.queued += 1
        self._note_peak()
        return "queued"

    def noticed(self, message_id: int) -> None:
        """The ⏳ reaction of a deferred message is on (or could not be
        added): its answer may now be sent. Until then it is held back, so
        the answer (and the reaction's removal) cannot overtake the reaction."""
        self._noticing.discard(message_id)
        self._room.set()

    def _note_peak(self) -> None:
        self.stats.peak_in_memory = max(self.stats.peak_in_memory, len(self._in_memory))

    # -- the work -------------------------------------------------------------------
    async def _refill(self) -> None:
        """Moves the oldest deferred or resumed rows into memory as places free up."""
        while True:
            await self._room.wait()
            self._room.clear()
            free = self.max_pending - self._queue.qsize()
            if not self._backlog or free <= 0:
                self._check_idle()
                continue
            jobs = self.store.unfinished(free, skip=self._in_memory | self._noticing)
            for job in jobs:
                self._in_memory.add(job.message_id)
                self._queue.put_nowait(job)
            self._backlog = max(0, self._backlog - len(jobs))
            if not jobs and not self._noticing:
                self._backlog = 0  # out of step (a row finished elsewhere): the database is right
            self._note_peak()
            self._check_idle()

    def _check_idle(self) -> None:
        if not (self._backlog or self._in_memory or self._noticing):
            self._idle.set()

    async def _worker(self) -> None:
        me = asyncio.current_task()
        assert me is not None
        while not self._closed:
            job = await self._queue.get()
            self._busy[me] = job
            try:
                await self._run(job)
            except Exception:  # the database failed under us: log it, keep the worker
                log.exception("auto-scan worker failed on message %s", job.message_id)
            finally:
                del self._busy[me]
                self._in_memory.discard(job.message_id)
                self._room.set()

    async def _run(self, job: Job) -> None:
        assert self._handler is not None
        job.attempts = self.store.start(job.message_id)
        ticket = Ticket(job, self.store)
        try:
            await self._handler(job, ticket)
        except asyncio.CancelledError:
            if not ticket.finished:
                self.store.release(job.message_id)  # a 'sending' row stays uncertain
            raise
        except Exception:
            log.exception("auto-scan of message %s failed", job.message_id)
        if not ticket.finished:
            ticket.finish("failed")
        self.stats.outcomes[ticket.outcome or "failed"] = self.stats.outcomes.get(ticket.outcome or "failed", 0) + 1
