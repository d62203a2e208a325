"""Open the fact database: create it on first use and bring its schema up to date.

Migrations are the numbered files `sources/migrations/NNNN_name.sql`.
Numbers must be unique and are applied in increasing order, but need not be
contiguous: other features reserve their own ranges (0010_fetch_cache.sql).
Which ones a database has is recorded in the `schema_migrations` table
(version, name, applied_at), so a file numbered below one already applied
is still picked up. `PRAGMA user_version` mirrors the highest applied number
for tools that look there. Each migration runs in its own transaction
together with its bookkeeping, so a crash half-way leaves the previous
version intact.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import sqlite_utils

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
BUSY_TIMEOUT_MS = 15000  # the bot, the CLI and review workers write to one file: wait rather than fail


class DatabaseOpenError(Exception):
    """The database cannot be opened or upgraded (message is one line, for people)."""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def available_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files in order; a duplicate number is a packaging bug."""
    found: dict[int, Migration] = {}
    for path in directory.iterdir():
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            continue
        version = int(match.group(1))
        if version in found:
            raise DatabaseOpenError(f"two migrations numbered {version}: {found[version].path.name}, {path.name}")
        found[version] = Migration(version, match.group(2), path)
    return [found[v] for v in sorted(found)]


def latest_version() -> int:
    migrations = available_migrations()
    return migrations[-1].version if migrations else 0


def schema_version(db: sqlite_utils.Database) -> int:
    """Highest migration applied (0 for a new database)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def applied_versions(db: sqlite_utils.Database) -> set[int]:
    if not db["schema_migrations"].exists():
        return set()
    return {int(r[0]) for r in db.execute("SELECT version FROM schema_migrations")}


_BOOKKEEPING = """
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def apply_migrations(db: sqlite_utils.Database, target: int | None = None) -> list[int]:
    """Apply pending migrations numbered up to `target` (default: all); return those applied.

    BEGIN IMMEDIATE takes the write lock before the applied set is re-read,
    so two processes opening a fresh database at once do not both migrate it.
    """
    migrations = available_migrations()
    known = {m.version for m in migrations}
    done = applied_versions(db)
    newest = max(done | {schema_version(db)})
    if newest > max(known, default=0):
        raise DatabaseOpenError(
            f"database schema version {newest} is newer than this factbot knows "
            f"({max(known, default=0)}): upgrade factbot")
    applied: list[int] = []
    for migration in migrations:
        if target is not None and migration.version > target:
            break
        if migration.version in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(_BOOKKEEPING)
            if migration.version in applied_versions(db):  # another process got here first
                db.rollback()
                continue
            db.executescript(migration.sql())
            db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       [migration.version, migration.name, _now()])
            version = max(migration.version, schema_version(db))
            db.execute(f"PRAGMA user_version = {version:d}")
            db.commit()
        except BaseException:
            db.rollback()
            raise
        log.info("applied migration %04d_%s", migration.version, migration.name)
        applied.append(migration.version)
    return applied


def open_db(path: str | os.PathLike[str], *, target_version: int | None = None) -> sqlite_utils.Database:
    """Open `path` (creating it), in WAL mode with foreign keys on, migrated to
    `target_version` (default: the latest; tests pass an older one to build
    a database as an earlier release left it).

    WAL lets the bot read while an import writes; the busy timeout makes a
    second writer wait for the first instead of failing at once.
    """
    path = Path(path)
    if path.is_dir():
        raise DatabaseOpenError(f"{path}: is a directory, not a database file")
    if not path.parent.exists():
        raise DatabaseOpenError(f"{path}: directory {path.parent} does not exist")
    try:
        db = sqlite_utils.Database(path)
    except sqlite3.Error as exc:
        raise DatabaseOpenError(f"{path}: cannot open database: {exc}") from exc
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        db.execute("PRAGMA foreign_keys = ON")
        db.enable_wal()
        apply_migrations(db, target_version)
    except sqlite3.DatabaseError as exc:
        db.close()
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise DatabaseOpenError(f"{path}: not a factbot database (not SQLite, or damaged)") from exc
        raise DatabaseOpenError(f"{path}: cannot open database: {exc}") from exc
    except BaseException:
        db.close()
        raise
    return db


@contextmanager
def write_transaction(db: Any) -> Iterator[None]:
    """One write transaction that takes the write lock at the start
    (BEGIN IMMEDIATE), so a busy database is waited for (busy timeout)
    instead of failing at the first write: a deferred transaction that has
    read cannot wait to become a writer, SQLite refuses it at once.

    Inside a caller's transaction it nests as a savepoint instead: the
    caller then owns atomicity and locking.
    """
    conn = getattr(db, "conn", db)  # a sqlite-utils Database or a plain sqlite3 connection
    if conn.in_transaction:
        conn.execute("SAVEPOINT factbot_write")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO SAVEPOINT factbot_write")
            conn.execute("RELEASE SAVEPOINT factbot_write")
            raise
        conn.execute("RELEASE SAVEPOINT factbot_write")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    else:
        conn.commit()
