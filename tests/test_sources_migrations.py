"""Schema creation and upgrades: data written by an older release survives."""
from __future__ import annotations

import sqlite3

import pytest

from sources.db import DatabaseOpenError, applied_versions, available_migrations, latest_version, open_db, schema_version
from sources.lookup import FactIndex
from sources.search import search


def test_new_database_gets_every_migration_wal_and_foreign_keys(tmp_path):
    db = open_db(tmp_path / "new.db")
    assert schema_version(db) == latest_version()
    assert applied_versions(db) == {m.version for m in available_migrations()}
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    for table in ("entities", "aliases", "facts", "fact_history", "fact_audit", "claim_reviews"):
        assert db[table].exists(), table
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO facts (entity_id, metric, metric_norm, value, unit, source, added_by, added_at)"
                   " VALUES (999, 'm', 'm', 1, 'USD', 's', 't', 't')")
    db.close()


def test_reopening_applies_nothing_twice(tmp_path):
    open_db(tmp_path / "db.db").close()
    db = open_db(tmp_path / "db.db")
    assert db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(available_migrations())
    db.close()


def test_data_from_version_1_survives_the_upgrade_and_becomes_searchable(tmp_path):
    path = tmp_path / "old.db"
    old = open_db(path, target_version=1)
    assert schema_version(old) == 1
    assert not old["facts_fts"].exists() and not old["claim_reviews"].exists()
    old.execute("INSERT INTO entities (id, name, added_at) VALUES (1, 'Apple', '2024-01-01T00:00:00Z')")
    old.execute("INSERT INTO aliases (entity_id, alias, norm) VALUES (1, 'Apple', 'apple'), (1, 'Apple Inc.', 'appleinc')")
    old.execute(
        "INSERT INTO facts (id, entity_id, metric, metric_norm, value, unit, qualifier, period, period_norm,"
        " period_start, period_end, region, source, added_by, added_at) VALUES"
        " (7, 1, 'Greater China net sales', 'greater china net sales', 18513000000, 'USD', 'exact', 'FY2025 Q1',"
        " 'fy2025 q1', '2024-10-01', '2024-12-31', 'Greater China', 'Apple 8-K', 'import', '2024-01-01T00:00:00Z')")
    old.close()

    db = open_db(path)
    assert schema_version(db) == latest_version()
    row = db.execute("SELECT id, value, unit, region FROM facts").fetchone()
    assert row == (7, 18513000000.0, "USD", "Greater China")
    # The search index added by a later migration covers the old rows.
    hits = search(db, "aple china revenue")
    assert hits and hits[0].fact.id == 7
    assert FactIndex(db).resolve("Apple Inc.") == [("Apple", 1.0)]
    assert db["claim_reviews"].exists()
    db.close()


def test_database_from_a_newer_release_is_refused(tmp_path):
    path = tmp_path / "future.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 9999")
    conn.close()
    with pytest.raises(DatabaseOpenError, match="newer than this factbot"):
        open_db(path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "facts.csv"
    path.write_text("entity,metric,value,unit,source\n" * 200, encoding="utf-8")
    with pytest.raises(DatabaseOpenError, match="not a factbot database"):
        open_db(path)
    assert path.read_text(encoding="utf-8").startswith("entity,metric")


def test_missing_directory_is_reported(tmp_path):
    with pytest.raises(DatabaseOpenError, match="does not exist"):
        open_db(tmp_path / "no" / "such" / "facts.db")
