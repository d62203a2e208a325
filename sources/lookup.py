"""The claim matcher's view of the fact database, built for speed.

Per claim the matcher asks "which entity is this mention?" and "what facts
does it have?". Names are few (~10^5) and asked about constantly, so they
are held in memory: an exact alias hit is one dict lookup, and fuzzy
matching runs over names only, never over facts. Facts (up to ~10^6) stay
in SQLite and are read through the (entity_id, metric_norm, period) index.
"""
from __future__ import annotations

import gc
import logging
import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz, process

from claims.model import Fact
from claims.subjects import Gazetteer
from sources.normalize import CORPORATE_SUFFIXES, norm_alias, norm_metric, strip_corporate

log = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.85
STRIPPED_SCORE = 0.95  # "Apple Inc." -> "Apple" by dropping a corporate suffix: strong, not certain
MIN_FUZZY_LENGTH = 4   # below this, one changed letter is a different name ("HSI" / "HSBC")
# With this many alias keys or more, fuzzy matching only compares keys that
# share the mention's first or last character: ~15x fewer comparisons, and
# a typo has to hit both ends of a name to be missed.
BLOCKING_MIN = 50_000


@dataclass
class _Names:
    """In-memory snapshot of entities and aliases."""

    names: dict[int, str] = field(default_factory=dict)
    ids_by_name: dict[str, int] = field(default_factory=dict)
    aliases: dict[int, list[str]] = field(default_factory=dict)
    by_norm: dict[str, list[int]] = field(default_factory=dict)
    by_stripped: dict[str, list[int]] = field(default_factory=dict)
    buckets: dict[int, list[str]] = field(default_factory=dict)
    # Blocking for large name lists: (first letter, length) and (last letter,
    # length). Only used above BLOCKING_MIN keys.
    by_first: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    by_last: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    gazetteer: dict[str, list[str]] = field(default_factory=dict)
    # The claim extractor's Gazetteer over `gazetteer`, built on first use.
    matcher: Gazetteer | None = None


def _stripped_norm(alias: str, norm: str) -> str | None:
    """`norm` without trailing corporate-form words, or None if it has none.

    Works on the stored norm instead of re-normalising the alias: loading
    10^5 entities should not cost a second.
    """
    parts = alias.split()
    stripped = norm
    while len(parts) > 1:
        last = parts.pop().strip(".,()").casefold()
        if last in CORPORATE_SUFFIXES and stripped.endswith(last) and len(stripped) > len(last):
            stripped = stripped[: -len(last)]
        elif last:
            break
    return stripped if stripped != norm else None


def _load(db: sqlite_utils.Database) -> _Names:
    # Hundreds of thousands of small lists trigger the cyclic GC over and
    # over while nothing here can form a cycle: pausing it cuts load by a third.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_names(db)
    finally:
        if enabled:
            gc.enable()


def _load_names(db: sqlite_utils.Database) -> _Names:
    snap = _Names()
    snap.names = dict(db.execute("SELECT id, name FROM entities").fetchall())
    snap.ids_by_name = {name: entity_id for entity_id, name in snap.names.items()}
    aliases, by_norm, by_stripped = snap.aliases, snap.by_norm, snap.by_stripped
    # Rowid order puts each entity's canonical name (inserted with it) first.
    for entity_id, alias, norm in db.execute("SELECT entity_id, alias, norm FROM aliases ORDER BY id"):
        written = aliases.get(entity_id)
        if written is None:
            aliases[entity_id] = [alias]
        else:
            written.append(alias)
        ids = by_norm.get(norm)
        if ids is None:
            by_norm[norm] = [entity_id]
        elif entity_id not in ids:
            ids.append(entity_id)
        if " " in alias and alias.rsplit(None, 1)[-1].strip(".,").casefold() in CORPORATE_SUFFIXES:
            stripped = _stripped_norm(alias, norm)
            if stripped:
                ids = by_stripped.setdefault(stripped, [])
                if entity_id not in ids:
                    ids.append(entity_id)
    snap.gazetteer = {snap.names[i]: written for i, written in aliases.items()}
    return snap


def _fuzzy_groups(snap: _Names) -> None:
    """Group alias keys by length (or by first/last letter and length for
    large lists); built on the first fuzzy lookup, not at load."""
    if snap.by_norm and not (snap.buckets or snap.by_first):
        blocked = len(snap.by_norm) >= BLOCKING_MIN
        for norm in snap.by_norm:
            if blocked:
                snap.by_first.setdefault((norm[0], len(norm)), []).append(norm)
                snap.by_last.setdefault((norm[-1], len(norm)), []).append(norm)
            else:
                snap.buckets.setdefault(len(norm), []).append(norm)


@lru_cache(maxsize=8192)
def _iso_date(value: str | None) -> date | None:
    # Facts share a few hundred distinct period bounds: parse each once.
    return date.fromisoformat(value) if value else None


# Columns `to_facts` reads, by the name a cursor's description gives them.
_FACT_COLUMNS = ("id", "entity_id", "metric", "value", "unit", "source", "qualifier", "period", "period_start",
                 "period_end", "region", "url", "published", "note")


class FactIndex:
    """Entity resolution and fact retrieval over an open fact database.

    The name snapshot reloads itself when aliases change (checked cheaply:
    only after this or another connection wrote something), so a long-lived
    bot sees newly imported entities without restarting.
    """

    def __init__(self, db: sqlite_utils.Database, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.db = db
        self.threshold = threshold
        self._snap = _Names()
        self._write_marker: tuple[int, int] | None = None
        self._alias_signature: tuple[Any, ...] | None = None
        self.refresh()

    # -- freshness ----------------------------------------------------------
    def _marker(self) -> tuple[int, int]:
        return int(self.db.execute("PRAGMA data_version").fetchone()[0]), self.db.conn.total_changes

    def _signature(self) -> tuple[Any, ...]:
        return tuple(self.db.execute("SELECT max(id), count(*) FROM aliases").fetchone())

    def refresh(self) -> None:
        """Reload names from the database now."""
        self._snap = _load(self.db)
        self._write_marker = self._marker()
        self._alias_signature = self._signature()
        log.debug("loaded %d entities, %d alias keys", len(self._snap.names), len(self._snap.by_norm))

    def _fresh(self) -> _Names:
        marker = self._marker()
        if marker != self._write_marker:
            self._write_marker = marker
            if self._signature() != self._alias_signature:
                self.refresh()
        return self._snap

    # -- names --------------------------------------------------------------
    def entity_names(self) -> dict[str, list[str]]:
        """Canonical name -> every alias as written (the canonical name first).

        A gazetteer for finding subjects in text. Built once per snapshot and
        shared, so asking per article is free even at 10^5 entities: treat it
        as read-only.
        """
        return self._fresh().gazetteer

    def gazetteer(self) -> Gazetteer:
        """The subject finder's `Gazetteer` over `entity_names()`, built once per
        snapshot: pass it to `check_text(..., gazetteer=index.gazetteer())`.

        `check_text` otherwise rebuilds it on every call, which costs ~1 s per
        check at 10^5 entities (10^6 facts); it is rebuilt here only when the
        names reload after an import.
        """
        snap = self._fresh()
        if snap.matcher is None:
            snap.matcher = Gazetteer.from_names(snap.gazetteer)
        return snap.matcher

    def aliases_of(self, entity_id: int) -> tuple[str, ...]:
        return tuple(self._fresh().aliases.get(entity_id, ()))

    def name_of(self, entity_id: int) -> str | None:
        return self._fresh().names.get(entity_id)

    def match_ids(self, mention: str, *, limit: int = 3, threshold: float | None = None,
                  fuzzy: bool = True) -> list[tuple[int, float]]:
        """Entity ids for a mention with scores in [0, 1], best first.

        Exact alias (1.0), then the mention without a corporate suffix
        (0.95), then fuzzy ratio over alias keys of similar length, kept only
        at or above `threshold`. A weak match returns nothing rather than a guess.
        """
        snap = self._fresh()
        threshold = self.threshold if threshold is None else threshold
        key = norm_alias(mention)
        if not key:
            return []
        found: dict[int, float] = {}
        for entity_id in snap.by_norm.get(key, ()):
            found[entity_id] = 1.0
        if not found:
            stripped = strip_corporate(mention)
            if stripped and stripped != key:
                for entity_id in (*snap.by_norm.get(stripped, ()), *snap.by_stripped.get(stripped, ())):
                    found.setdefault(entity_id, STRIPPED_SCORE)
        if not found:
            for entity_id in snap.by_stripped.get(key, ()):
                found.setdefault(entity_id, STRIPPED_SCORE)
        if fuzzy and len(found) < limit and len(key) >= MIN_FUZZY_LENGTH:
            for norm, score in self._fuzzy(snap, key, threshold, limit * 3):
                for entity_id in snap.by_norm[norm]:
                    if score > found.get(entity_id, 0.0):
                        found[entity_id] = score
        ranked = sorted(found.items(), key=lambda item: (-item[1], snap.names[item[0]]))
        return ranked[:limit]

    @staticmethod
    def _fuzzy(snap: _Names, key: str, threshold: float, limit: int) -> list[tuple[str, float]]:
        # ratio = 2*matches/(len_a+len_b) >= t bounds the other length to
        # [len*t/(2-t), len*(2-t)/t]: only those buckets can qualify.
        _fuzzy_groups(snap)
        cutoff = threshold * 100
        low = math.ceil(len(key) * threshold / (2 - threshold))
        high = math.floor(len(key) * (2 - threshold) / threshold)
        hits: dict[str, float] = {}
        for length in range(low, high + 1):
            if snap.by_first:
                groups = (snap.by_first.get((key[0], length)), snap.by_last.get((key[-1], length)))
            else:
                groups = (snap.buckets.get(length),)
            for group in groups:
                if not group:
                    continue
                for norm, score, _ in process.extract(key, group, scorer=fuzz.ratio, score_cutoff=cutoff,
                                                      limit=limit):
                    if norm != key:
                        hits[norm] = round(score / 100, 4)
        return sorted(hits.items(), key=lambda hit: -hit[1])[:limit]

    def resolve(self, name: str, limit: int = 3) -> list[tuple[str, float]]:
        """Canonical entity names for a mention, best first, scores in [0, 1]."""
        snap = self._fresh()
        return [(snap.names[i], score) for i, score in self.match_ids(name, limit=limit)]

    # -- facts --------------------------------------------------------------
    def entity_id(self, entity: str) -> int | None:
        """Id of a canonical name, or of the entity an exact alias names."""
        snap = self._fresh()
        if entity in snap.ids_by_name:
            return snap.ids_by_name[entity]
        ids = snap.by_norm.get(norm_alias(entity), ())
        return ids[0] if ids else None

    def facts_for(self, entity: str) -> list[Fact]:
        """All facts of an entity (canonical name or exact alias), ordered by metric then period."""
        entity_id = self.entity_id(entity)
        if entity_id is None:
            return []
        cursor = self.db.execute(
            "SELECT * FROM facts WHERE entity_id = ? ORDER BY metric_norm, period_start, period_end, id",
            [entity_id])
        return self.to_facts(cursor)

    def facts_with_metric(self, metric: str, *, period_start: date | None = None,
                          period_end: date | None = None) -> list[Fact]:
        """Facts of every entity with this metric (normalised, no synonyms), through
        the (metric_norm, period_start, period_end) index: peers' figures for the same measure.

        With `period_start` and `period_end`, only facts of exactly that period: at
        10^6 facts a popular metric has thousands of peers over many periods, and
        a caller that wants one period should not pay for converting all of them.
        """
        sql = "SELECT * FROM facts WHERE metric_norm = ?"
        params: list[Any] = [norm_metric(metric)]
        if period_start is not None and period_end is not None:
            sql += " AND period_start = ? AND period_end = ?"
            params += [period_start.isoformat(), period_end.isoformat()]
        cursor = self.db.execute(sql + " ORDER BY period_start, period_end, entity_id, id", params)
        return self.to_facts(cursor)

    def peer_share_standing(self, metric: str, period_start: date | None, period_end: date | None,
                            region: str | None, own_fact_id: int, own_value: float,
                            top: int = 4) -> tuple[int, float, list[int]]:
        """Where a share stands among its peers (same metric, period, region),
        counted in SQL: (rivals with a larger share, sum of every entity's
        largest share, ids of the largest rivals' facts). A market of
        thousands of players costs one aggregate query, not thousands of rows."""
        where = "f.metric_norm = ? AND f.unit = '%' AND f.region IS ?"
        params: list[Any] = [norm_metric(metric), region]
        if period_start is None or period_end is None:
            where += " AND f.period_start IS NULL AND f.period_end IS NULL"
        else:
            where += " AND f.period_start = ? AND f.period_end = ?"
            params += [period_start.isoformat(), period_end.isoformat()]
        own_entity = self.db.execute("SELECT entity_id FROM facts WHERE id = ?", [own_fact_id]).fetchone()
        own_entity_id = own_entity[0] if own_entity else None
        best = (f"SELECT f.entity_id AS entity_id, max(f.value) AS value FROM facts f WHERE {where} "
                "GROUP BY f.entity_id")
        above, total = self.db.execute(
            f"SELECT coalesce(sum(entity_id IS NOT ? AND value > ?), 0), coalesce(sum(CASE WHEN entity_id IS ? "
            f"THEN 0 ELSE value END), 0) FROM ({best})", [own_entity_id, own_value, own_entity_id, *params]).fetchone()
        ids = [row[0] for row in self.db.execute(
            f"SELECT f.id FROM facts f WHERE {where} AND f.entity_id IS NOT ? AND f.value > ? "
            "ORDER BY f.value DESC LIMIT ?", [*params, own_entity_id, own_value, top])]
        return int(above), float(total) + own_value, ids

    def facts_by_id(self, fact_ids: list[int]) -> dict[int, Fact]:
        """Facts for the given ids (missing ids are left out)."""
        out: dict[int, Fact] = {}
        for start in range(0, len(fact_ids), 500):
            chunk = fact_ids[start:start + 500]
            cursor = self.db.execute(f"SELECT * FROM facts WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
            out.update((fact.id, fact) for fact in self.to_facts(cursor))
        return out

    def to_facts(self, cursor: Any) -> list[Fact]:
        """Facts from a cursor over `facts` rows (any column order; extra columns ignored).

        Built for thousands of rows (a metric's peers at 10^6 facts): column
        positions are looked up once, not per row, and each entity's alias
        tuple is made once per call.
        """
        snap = self._fresh()
        position = {d[0]: i for i, d in enumerate(cursor.description)}  # a repeated name: the last wins
        (i_id, i_entity, i_metric, i_value, i_unit, i_source, i_qualifier, i_period, i_start, i_end, i_region,
         i_url, i_published, i_note) = (position[c] for c in _FACT_COLUMNS)
        names, aliases = snap.names, snap.aliases
        alias_tuples: dict[int, tuple[str, ...]] = {}
        facts = []
        for row in cursor:
            entity_id = row[i_entity]
            written = alias_tuples.get(entity_id)
            if written is None:
                written = alias_tuples[entity_id] = tuple(aliases.get(entity_id, ()))
            facts.append(Fact(
                id=row[i_id], entity=names.get(entity_id, ""), metric=row[i_metric], value=row[i_value],
                unit=row[i_unit], source=row[i_source], qualifier=row[i_qualifier], period=row[i_period],
                period_start=_iso_date(row[i_start]), period_end=_iso_date(row[i_end]), region=row[i_region],
                url=row[i_url], published=row[i_published], note=row[i_note], aliases=written,
            ))
        return facts
