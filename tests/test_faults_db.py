"""Faults in the database: another writer holds the lock, a process is killed.

The lock holder is a second sqlite3 connection in `BEGIN IMMEDIATE` or
`BEGIN EXCLUSIVE` (in WAL mode both take the write lock, and readers go on),
with an uncommitted write of its own, released by a timer thread. The
commands run in-process through `bot.cli.main`, so an exception escaping them
fails the test the way a traceback would fail a user; "never released in
time" uses a shortened busy timeout (`sources.db.BUSY_TIMEOUT_MS`) so the
suite does not wait the real 5 s.

The kill test runs `python -m bot sources import` in a real process on a
real file and SIGKILLs it while its transaction is half written (the WAL has
grown past the page cache), then checks the database is exactly as before
and that importing again completes.
"""
from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bot.cli import main
from sources.db import open_db
from tests import fuzz_strategies as fz
from tests.loopback import serve_http

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[1]
REVIEW = ROOT / "tests" / "fixtures" / "review"
SHORT_BUSY_MS = 150
NEW_FACTS = "entity,metric,value,unit,source,period\n" + "".join(
    f"Company {i},revenue,{1000 + i},USD,Fuzz faults,2024\n" for i in range(50))


@pytest.fixture(scope="module")
def template_db(tmp_path_factory) -> Path:
    """The review fixture's facts and one queued item, built once per module
    (through the CLI, as a user would) and copied for each test."""
    directory = tmp_path_factory.mktemp("faults-db")
    path = directory / "template.db"
    config = directory / "bot.toml"
    config.write_text(f'[database]\npath = "{path}"\n', encoding="utf-8")
    open_db(path).close()
    assert main(["sources", "import", str(REVIEW / "facts.csv"), "--db", str(path)]) == 0
    assert main(["check", str(REVIEW / "article.txt"), "--config", str(config)]) == 0
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, so a copy is whole
    finally:
        conn.close()
    return path


@pytest.fixture
def setup(template_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the template database, a config pointing at it, and a file of new facts."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "factbot.db"
    shutil.copyfile(template_db, path)
    config = tmp_path / "bot.toml"
    config.write_text(f'[database]\npath = "{path}"\n', encoding="utf-8")
    new = tmp_path / "new.csv"
    new.write_text(NEW_FACTS, encoding="utf-8")
    return {"db": path, "config": config, "new": new, "tmp": tmp_path}


def dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


class Holder:
    """Another writer: holds the write lock with an uncommitted row until
    `release_after` seconds (None: until the test ends, then rolls back)."""

    def __init__(self, path: Path, mode: str = "IMMEDIATE", release_after: float | None = None) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute(f"BEGIN {mode}")
        self.conn.execute("INSERT INTO entities (name, added_at) VALUES ('Lock holder', '2025-01-01T00:00:00Z')")
        self.timer: threading.Timer | None = None
        if release_after is not None:
            self.timer = threading.Timer(release_after, self.commit)
            self.timer.start()

    def commit(self) -> None:
        self.conn.execute("COMMIT")

    def close(self) -> None:
        if self.timer is not None:
            self.timer.join()
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.conn.close()


def run_cli(capsys, argv: list[str]) -> tuple[int, str, str, float]:
    started = time.monotonic()
    code = main(argv)
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err, elapsed


def assert_one_line_errors(err: str, prefix: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "no message on standard error"
    for line in lines:
        assert line.startswith(prefix), line


# -- factbot sources import under a held lock ------------------------------------------------


@pytest.mark.parametrize("mode", ["IMMEDIATE", "EXCLUSIVE"])
def test_import_under_a_lock_never_released_fails_in_one_line_and_writes_nothing(setup, capsys, monkeypatch, mode):
    monkeypatch.setattr("sources.db.BUSY_TIMEOUT_MS", SHORT_BUSY_MS)
    before = dump(setup["db"])
    holder = Holder(setup["db"], mode)
    try:
        code, out, err, elapsed = run_cli(capsys, ["sources", "import", str(setup["new"]), "--db", str(setup["db"])])
    finally:
        holder.close()
    assert code == 1
    assert_one_line_errors(err, "factbot sources import: ")
    assert "database is locked" in err and "nothing from this file was imported" in err
    assert elapsed < 5
    assert dump(setup["db"]) == before


@pytest.mark.parametrize("mode", ["IMMEDIATE", "EXCLUSIVE"])
def test_import_waits_for_a_lock_released_in_time(setup, capsys, mode):
    holder = Holder(setup["db"], mode, release_after=0.2)
    try:
        code, out, err, elapsed = run_cli(capsys, ["sources", "import", str(setup["new"]), "--db", str(setup["db"])])
    finally:
        holder.close()
    assert (code, out.strip()) == (0, "added 50, updated 0, unchanged 0, skipped 0"), err
    assert count(setup["db"], "SELECT count(*) FROM facts WHERE source = 'Fuzz faults'") == 50


# -- factbot check under a held lock -----------------------------------------------------------


def test_check_waits_for_a_lock_released_in_time(setup, capsys):
    items = count(setup["db"], "SELECT count(*) FROM review_items")
    article = setup["tmp"] / "article.txt"
    article.write_text((REVIEW / "article.txt").read_text(encoding="utf-8").replace("12.4", "12.9"),
                       encoding="utf-8")
    holder = Holder(setup["db"], "EXCLUSIVE", release_after=0.2)
    try:
        code, out, err, elapsed = run_cli(capsys, ["check", str(article), "--config", str(setup["config"])])
    finally:
        holder.close()
    assert code == 0 and "12.9 million" in out
    assert err == ""  # no warning: it waited
    assert elapsed >= 0.15
    assert count(setup["db"], "SELECT count(*) FROM review_items") == items + 1  # the new wrong figure queued


def test_check_under_a_lock_never_released_still_reports_and_warns_in_one_line(setup, capsys, monkeypatch):
    """README: review is an addition to the check; if the database stays
    locked the check still reports (exit 0) with a one-line warning, and
    nothing is half-queued."""
    monkeypatch.setattr("sources.db.BUSY_TIMEOUT_MS", SHORT_BUSY_MS)
    article = setup["tmp"] / "article.txt"
    article.write_text((REVIEW / "article.txt").read_text(encoding="utf-8").replace("12.4", "12.9"),
                       encoding="utf-8")
    before = dump(setup["db"])
    holder = Holder(setup["db"], "EXCLUSIVE")
    try:
        code, out, err, elapsed = run_cli(capsys, ["check", str(article), "--json", "--config",
                                                   str(setup["config"])])
    finally:
        holder.close()
    assert code == 0 and '"12.9 million passengers"' in out
    assert "claims not queued for review: database is locked" in err
    for line in err.splitlines():
        assert "warning" in line.lower() or "WARNING" in line, line  # warnings only, each on its own line
    assert elapsed < 5
    assert dump(setup["db"]) == before


def test_check_queues_or_warns_when_the_lock_outlasts_only_the_cache_write(setup, capsys, monkeypatch):
    monkeypatch.setattr("sources.db.BUSY_TIMEOUT_MS", SHORT_BUSY_MS)
    items = count(setup["db"], "SELECT count(*) FROM review_items")
    article = setup["tmp"] / "article.txt"
    article.write_text((REVIEW / "article.txt").read_text(encoding="utf-8").replace("12.4", "12.9"),
                       encoding="utf-8")
    # Held until the result cache gives up on it; released at once after, before the review queue writes.
    holder = Holder(setup["db"], "IMMEDIATE")

    fired = []

    class ReleaseWhenTheCacheGivesUp(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "not cached" in record.getMessage() and holder.conn.in_transaction:
                holder.commit()
                fired.append(record.getMessage())

    watcher = ReleaseWhenTheCacheGivesUp()
    logging.getLogger("bot.checker").addHandler(watcher)
    try:
        code, out, err, elapsed = run_cli(capsys, ["check", str(article), "--config", str(setup["config"])])
    finally:
        logging.getLogger("bot.checker").removeHandler(watcher)
        holder.close()
    assert code == 0 and fired == ["result not cached: database is locked"]
    queued = count(setup["db"], "SELECT count(*) FROM review_items") == items + 1
    assert queued or "claims not queued for review" in err, "claims reported queued, but nothing was committed"


@contextlib.contextmanager
def article_server():
    """A good article on 127.0.0.1, served from a thread (the CLI runs its own event loop)."""
    import http.server

    paragraph = "<p>Harbour Line carried 12.9 million passengers in 2024, the ferry operator said on Friday night.</p>"
    body = ("<html><head><title>Ferries</title></head><body><article>" + paragraph * 5
            + "</article></body></html>").encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    with serve_http(Handler, "/ferries") as url:
        yield url


def test_check_url_under_a_lock_never_released_does_not_crash(setup, capsys, monkeypatch):
    monkeypatch.setattr("sources.db.BUSY_TIMEOUT_MS", SHORT_BUSY_MS)
    cfg = setup["config"]
    cfg.write_text(cfg.read_text(encoding="utf-8") + '[fetch]\nallow_hosts = ["127.0.0.1"]\n', encoding="utf-8")
    holder = Holder(setup["db"], "IMMEDIATE")
    try:
        with article_server() as url:
            code, out, err, elapsed = run_cli(capsys, ["check", url, "--config", str(cfg)])
    finally:
        holder.close()
    assert code in (0, 2)
    assert "Traceback" not in err and all(line.startswith("factbot") for line in err.splitlines()), err
    if code == 0:
        assert "12.9 million" in out


# -- factbot review decide under a held lock --------------------------------------------------


def test_decide_waits_for_a_lock_released_in_time(setup, capsys):
    holder = Holder(setup["db"], "IMMEDIATE", release_after=0.2)
    try:
        code, out, err, elapsed = run_cli(capsys, ["review", "decide", "1", "--verdict", "contradicted",
                                                   "--by", "alice", "--db", str(setup["db"])])
    finally:
        holder.close()
    assert code == 0, err
    assert "review #1: contradicted by alice" in out
    assert elapsed >= 0.15
    assert count(setup["db"], "SELECT count(*) FROM review_items WHERE status = 'decided'") == 1


@pytest.mark.parametrize("mode", ["IMMEDIATE", "EXCLUSIVE"])
def test_decide_under_a_lock_never_released_fails_in_one_line_and_changes_nothing(setup, capsys, monkeypatch,
                                                                                    mode):
    monkeypatch.setattr("sources.db.BUSY_TIMEOUT_MS", SHORT_BUSY_MS)
    before = dump(setup["db"])
    holder = Holder(setup["db"], mode)
    try:
        code, out, err, elapsed = run_cli(capsys, ["review", "decide", "1", "--verdict", "contradicted",
                                                   "--by", "alice", "--db", str(setup["db"])])
    finally:
        holder.close()
    assert code == 1 and out == ""
    assert_one_line_errors(err, "factbot review decide: ")
    assert "database is locked" in err
    assert SHORT_BUSY_MS / 1000 * 0.8 <= elapsed < 5  # it did wait for the busy timeout
    assert dump(setup["db"]) == before


# -- SIGKILL during a large import -------------------------------------------------------------


def _big_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("entity,metric,value,unit,source,period,aliases\n")
        for i in range(rows):
            out.write(f"Company {i % 4000},metric {i // 4000},{i * 1000},USD,Bulk source,2024,Co {i % 4000}|C{i}\n")


def _spawn_import(csv: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "bot", "sources", "import", str(csv), "--db", str(db)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def kill_mid_import(csv: Path, db: Path, wal_bytes: int) -> str:
    """Start the import, SIGKILL it once its uncommitted transaction has
    spilled `wal_bytes` into the WAL; return how it ended."""
    wal = db.with_name(db.name + "-wal")
    base = wal.stat().st_size if wal.exists() else 0
    proc = _spawn_import(csv, db)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return "finished"
            if wal.exists() and wal.stat().st_size - base >= wal_bytes:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                assert proc.returncode == -signal.SIGKILL
                out = proc.stdout.read() if proc.stdout else ""
                assert "added" not in out, "killed after the import had finished"
                return "killed"
            time.sleep(0.002)
        raise AssertionError("the import neither finished nor grew the WAL")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


# Where in the import to kill: after this many bytes of the uncommitted transaction reached the WAL.
# The normal suite kills once; the full fuzz run (FACTBOT_FUZZ_EXAMPLES / --fuzz-full) at five points.
KILL_POINTS = [300_000] if not fz.full_examples() else [50_000, 400_000, 1_000_000, 2_000_000, 3_000_000]


@pytest.mark.parametrize("wal_bytes", KILL_POINTS)
def test_sigkill_during_a_large_import_leaves_the_database_as_before_and_a_rerun_completes(setup, wal_bytes):
    rows = 10_000 if wal_bytes <= 400_000 else 40_000
    big = setup["tmp"] / "big.csv"
    _big_csv(big, rows)
    db = setup["db"]
    before = dump(db)
    facts_before = count(db, "SELECT count(*) FROM facts")
    assert kill_mid_import(big, db, wal_bytes=wal_bytes) == "killed"

    conn = sqlite3.connect(db)
    try:  # any later user recovers the WAL and sees the database as it was
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    assert dump(db) == before

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    again = subprocess.run([sys.executable, "-m", "bot", "sources", "import", str(big), "--db", str(db)],
                           capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == f"added {rows}, updated 0, unchanged 0, skipped 0"
    assert count(db, "SELECT count(*) FROM facts") == facts_before + rows
