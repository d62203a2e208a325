"""Writing, showing and removing facts, keeping every old version.

Reference facts are what verdicts rest on, so nothing is overwritten or
deleted without a trace: a replaced fact goes to `fact_history`, and every
edit or removal gets a `fact_audit` row with who, when and the old row.

Functions here do not open transactions of their own except the one-shot
helpers (`upsert_fact`, `remove_fact`): an import wraps thousands of
upserts in a single transaction so it lands whole or not at all.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from claims.periods import parse_period
from sources.normalize import clean_text, norm_alias, norm_metric, norm_period

log = logging.getLogger(__name__)

ADDED, UPDATED, UNCHANGED = "added", "updated", "unchanged"

# Fields that make up a fact's content; a re-import that changes any of them
# replaces the fact (the identity fields are entity, metric_norm, period_norm, source).
CONTENT_FIELDS = ("metric", "value", "unit", "qualifier", "period", "region", "source",
                  "url", "published", "note")


class UnknownFact(LookupError):
    """No fact with that id."""

    def __init__(self, fact_id: int) -> None:
        super().__init__(f"no fact with id {fact_id}")
        self.fact_id = fact_id


def utc_iso(moment: datetime | None = None) -> str:
    """A UTC timestamp in ISO 8601, second precision, 'Z' suffix (now by
    default; a naive moment is taken as UTC): the one form every table
    stores, so timestamps compare as text."""
    moment = moment or datetime.now(timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_now() -> str:
    """UTC timestamp in ISO 8601, second precision, 'Z' suffix."""
    return utc_iso()


@dataclass(frozen=True, slots=True)
class FactInput:
    """A validated fact ready to store; strings already trimmed, value in base units."""

    entity: str
    metric: str
    value: float
    unit: str
    source: str
    qualifier: str = "exact"
    period: str | None = None
    region: str | None = None
    url: str | None = None
    published: str | None = None
    note: str | None = None
    aliases: tuple[str, ...] = field(default=())

    def content(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in CONTENT_FIELDS)


def _rows(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


_FACT_SELECT = """
SELECT facts.*, entities.name AS entity FROM facts JOIN entities ON entities.id = facts.entity_id
"""


class FactWriter:
    """Upserts many facts, caching entity ids and known aliases between rows.

    One writer per import: the cache is only valid inside the transaction
    that fills it.
    """

    def __init__(self, db: sqlite_utils.Database, *, added_by: str, now: str | None = None) -> None:
        self.db = db
        self.added_by = added_by
        self.now = now or utc_now()
        self._entity_by_norm: dict[str, int] = {}
        self._aliases: dict[int, set[str]] = {}
        self.aliases_added = 0

    # -- entities -----------------------------------------------------------
    def entity_id(self, name: str, aliases: tuple[str, ...] = ()) -> int:
        """The entity `name` refers to (by any of its aliases), created if new;
        `aliases` are merged into it."""
        key = norm_alias(name)
        entity_id = self._entity_by_norm.get(key)
        if entity_id is None:
            entity_id = self._find_entity(key) or self._create_entity(clean_text(name))
            self._entity_by_norm[key] = entity_id
        for alias in aliases:
            self._add_alias(entity_id, alias)
        return entity_id

    def _find_entity(self, key: str) -> int | None:
        rows = self.db.execute(
            "SELECT DISTINCT a.entity_id, e.name FROM aliases a JOIN entities e ON e.id = a.entity_id"
            " WHERE a.norm = ? ORDER BY a.entity_id", [key]).fetchall()
        if not rows:
            return None
        if len(rows) > 1:
            named = [r for r in rows if norm_alias(r[1]) == key]
            chosen = (named or rows)[0]
            log.warning("name %r is an alias of %d entities; using %r", key, len(rows), chosen[1])
            return int(chosen[0])
        return int(rows[0][0])

    def _create_entity(self, name: str) -> int:
        cursor = self.db.execute("INSERT INTO entities (name, added_at) VALUES (?, ?)", [name, self.now])
        entity_id = int(cursor.lastrowid)
        self._aliases[entity_id] = set()
        self._add_alias(entity_id, name)
        return entity_id

    def _add_alias(self, entity_id: int, alias: str) -> None:
        alias = clean_text(alias)
        key = norm_alias(alias)
        if not key:
            return
        known = self._aliases.get(entity_id)
        if known is None:
            known = {r[0].casefold() for r in self.db.execute("SELECT alias FROM aliases WHERE entity_id = ?",
                                                                [entity_id])}
            self._aliases[entity_id] = known
        if alias.casefold() in known:
            return
        self.db.execute("INSERT INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?)", [entity_id, alias, key])
        known.add(alias.casefold())
        # No shortcut from this alias to the entity: a name that is also
        # another entity's own name must resolve as `_find_entity` does,
        # within this import as in the next.
        self.aliases_added += 1

    # -- facts --------------------------------------------------------------
    def identity(self, fact: FactInput) -> tuple[int, str, str, str]:
        """The key a fact is stored under (resolving, and if need be creating, its entity)."""
        return (self.entity_id(fact.entity, fact.aliases), norm_metric(fact.metric),
                norm_period(fact.period), fact.source.casefold())

    def upsert(self, fact: FactInput, *, why: str = "re-import") -> tuple[str, int]:
        """Store `fact`; return (added|updated|unchanged, fact id).

        Same identity with different content replaces the stored row after
        copying it to fact_history and auditing the edit.
        """
        entity_id = self.entity_id(fact.entity, fact.aliases)
        metric_norm, period_norm = norm_metric(fact.metric), norm_period(fact.period)
        found = self.db.execute(
            f"SELECT id, {', '.join(CONTENT_FIELDS)} FROM facts WHERE entity_id = ? AND metric_norm = ?"
            " AND period_norm = ? AND source = ? COLLATE NOCASE",
            [entity_id, metric_norm, period_norm, fact.source]).fetchone()
        period = parse_period(fact.period)
        values = {
            **{name: getattr(fact, name) for name in CONTENT_FIELDS},
            "entity_id": entity_id, "metric_norm": metric_norm, "period_norm": period_norm,
            "period_start": period.start.isoformat() if period else None,
            "period_end": period.end.isoformat() if period else None,
            "fiscal": period.fiscal if period else None,
            "added_by": self.added_by, "added_at": self.now,
        }
        if found is None:
            columns = ", ".join(values)
            cursor = self.db.execute(f"INSERT INTO facts ({columns}) VALUES ({', '.join('?' * len(values))})",
                                     list(values.values()))
            return ADDED, int(cursor.lastrowid)
        fact_id, stored = int(found[0]), tuple(found[1:])
        if stored == fact.content():
            return UNCHANGED, fact_id
        changes = [_describe_change(name, old, new)
                   for name, old, new in zip(CONTENT_FIELDS, stored, fact.content()) if old != new]
        reason = f"{why}: " + "; ".join(changes)
        old_row = self._archive(fact_id, reason)
        self._audit(fact_id, "update", old_row, reason)
        assignments = ", ".join(f"{name} = ?" for name in values)
        self.db.execute(f"UPDATE facts SET {assignments} WHERE id = ?", [*values.values(), fact_id])
        return UPDATED, fact_id

    def _archive(self, fact_id: int, why: str) -> dict[str, Any]:
        old = _rows(self.db.execute(_FACT_SELECT + " WHERE facts.id = ?", [fact_id]))[0]
        record = {k: v for k, v in old.items() if k != "id"}
        record.update(fact_id=fact_id, replaced_at=self.now, replaced_by=self.added_by, why=why)
        self.db.execute(f"INSERT INTO fact_history ({', '.join(record)}) VALUES ({', '.join('?' * len(record))})",
                        list(record.values()))
        return old

    def _audit(self, fact_id: int, action: str, old_row: dict[str, Any], note: str | None) -> None:
        _write_audit(self.db, fact_id, action, self.added_by, self.now, old_row, note)

    # -- claim reviews ------------------------------------------------------
    def upsert_claim_review(self, review: dict[str, Any]) -> str:
        """Store one ClaimReview (keys as the claim_reviews columns); identity is (url, claim)."""
        fields = ("rating", "rating_value", "item_reviewed_author", "item_reviewed_date", "author",
                  "date_published")
        url = review.get("url") or ""
        claim = review["claim_reviewed"]
        found = self.db.execute(
            f"SELECT id, {', '.join(fields)} FROM claim_reviews WHERE url = ? AND claim_reviewed = ?",
            [url, claim]).fetchone()
        content = tuple(review.get(name) for name in fields)
        if found is None:
            self.db.execute(
                f"INSERT INTO claim_reviews (claim_reviewed, url, {', '.join(fields)}, added_by, added_at)"
                f" VALUES (?, ?, {', '.join('?' * len(fields))}, ?, ?)",
                [claim, url, *content, self.added_by, self.now])
            return ADDED
        if tuple(found[1:]) == content:
            return UNCHANGED
        self.db.execute(
            f"UPDATE claim_reviews SET {', '.join(f'{n} = ?' for n in fields)}, added_by = ?, added_at = ?"
            " WHERE id = ?", [*content, self.added_by, self.now, found[0]])
        return UPDATED


def _describe_change(name: str, old: Any, new: Any) -> str:
    def show(value: Any) -> str:
        if value is None or value == "":
            return "(none)"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return f"{name} {show(old)} -> {show(new)}"


def _write_audit(db: sqlite_utils.Database, fact_id: int, action: str, who: str, at: str,
                 old_row: dict[str, Any], note: str | None) -> None:
    db.execute("INSERT INTO fact_audit (fact_id, action, who, at, row_json, note) VALUES (?, ?, ?, ?, ?, ?)",
               [fact_id, action, who, at, json.dumps(old_row, ensure_ascii=False), note])


# -- one-shot helpers (own transaction) ---------------------------------------

def upsert_fact(db: sqlite_utils.Database, fact: FactInput, *, added_by: str,
                why: str = "edit") -> tuple[str, int]:
    """Store a single fact in its own transaction (for the bot's moderators)."""
    with db.atomic():
        return FactWriter(db, added_by=added_by).upsert(fact, why=why)


def get_fact(db: sqlite_utils.Database, fact_id: int) -> dict[str, Any] | None:
    """The fact row with its entity name, or None."""
    rows = _rows(db.execute(_FACT_SELECT + " WHERE facts.id = ?", [fact_id]))
    return rows[0] if rows else None


def show_fact(db: sqlite_utils.Database, fact_id: int) -> dict[str, Any]:
    """A fact with its provenance: entity aliases, replaced versions and audit trail.

    Works for removed facts too (their audit and history survive), so a
    moderator can see what a verdict once rested on.
    """
    fact = get_fact(db, fact_id)
    history = _rows(db.execute("SELECT * FROM fact_history WHERE fact_id = ? ORDER BY id", [fact_id]))
    audit = _rows(db.execute("SELECT * FROM fact_audit WHERE fact_id = ? ORDER BY id", [fact_id]))
    if fact is None and not audit and not history:
        raise UnknownFact(fact_id)
    aliases: list[str] = []
    if fact is not None:
        aliases = [r[0] for r in db.execute("SELECT alias FROM aliases WHERE entity_id = ? ORDER BY id",
                                            [fact["entity_id"]])]
    for row in audit:
        row["row"] = json.loads(row.pop("row_json"))
    return {"id": fact_id, "fact": fact, "aliases": aliases, "history": history, "audit": audit}


def remove_fact(db: sqlite_utils.Database, fact_id: int, *, by: str, note: str | None = None) -> dict[str, Any]:
    """Delete a fact, auditing who removed it, when, why and what it was; return the old row."""
    with db.atomic():
        old = get_fact(db, fact_id)
        if old is None:
            raise UnknownFact(fact_id)
        _write_audit(db, fact_id, "remove", by, utc_now(), old, note)
        db.execute("DELETE FROM facts WHERE id = ?", [fact_id])
    return old
