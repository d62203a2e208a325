"""Benchmarks of the reference-fact database (figures, not pass/fail tests).

`bench_import` times the real importer on a generated CSV. `bench_search`
times the real search code at several database sizes; to keep set-up
bearable, those databases are filled by a bulk path (executemany straight
into the tables, the FTS triggers doing their normal work) rather than by
the CSV importer, whose speed `bench_import` measures on its own.
"""
from __future__ import annotations

import csv
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from claims.periods import parse_period
from sources.db import open_db
from sources.importer import import_file
from sources.lookup import FactIndex
from sources.normalize import norm_alias, norm_metric, norm_period
from sources.search import search

_SYLLABLES = ("ka", "lo", "ri", "ven", "to", "mar", "sel", "qui", "dra", "no", "bel", "zu", "fen", "ga", "ho",
              "li", "mo", "pra", "sun", "te", "vi", "xo", "yu", "cor", "dan", "el", "fi", "gor", "is", "jun")
_KINDS = ("Motors", "Bank", "Energy", "Foods", "Telecom", "Systems", "Pharma", "Airlines", "Mining", "Retail",
          "Semiconductor", "Insurance", "Logistics", "Media", "Steel", "Chemicals", "Games", "Solar", "Cloud", "Textiles")
# (metric as stored, unit, words a person would search it by)
_METRICS = (
    ("net sales", "USD", "revenue"), ("Greater China net sales", "USD", "china revenue"),
    ("Europe net sales", "EUR", "europe sales"), ("net income", "USD", "profit"),
    ("market share", "%", "share"), ("smartphone shipments", "units", "smartphone sales volume"),
    ("share price close", "USD", "stock price"), ("employees", "people", "employees"),
    ("operating margin", "%", "operating margin"), ("subscribers", "subscribers", "subscribers"),
    ("vehicle deliveries", "vehicles", "deliveries"), ("store count", "stores", "stores"),
    ("capital expenditure", "USD", "capex capital expenditure"), ("free cash flow", "USD", "free cash flow"),
    ("dividend per share", "USD", "dividend"), ("research and development spending", "USD", "r&d spending"),
)
_PERIODS = tuple(f"{y} Q{q}" for y in range(2015, 2025) for q in range(1, 5)) + tuple(str(y) for y in range(2010, 2025))


def _entity_names(count: int, rng: random.Random) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        root = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4)))).capitalize()
        name = f"{root} {rng.choice(_KINDS)}"
        if norm_alias(name) not in seen:
            seen.add(norm_alias(name))
            names.append(name)
    return names


def _dataset(count: int, seed: int = 7) -> tuple[list[str], Iterator[tuple[str, str, float, str, str, str]]]:
    """Entity names, and rows (entity, metric, value, unit, period, source):
    about 10 distinct facts per entity."""
    rng = random.Random(seed)
    entities = _entity_names(max(1, count // 10), rng)
    return entities, _rows(entities, count, rng)


def _rows(entities: list[str], count: int, rng: random.Random) -> Iterator[tuple[str, str, float, str, str, str]]:
    per_entity = len(_METRICS) * len(_PERIODS)
    for i in range(count):
        entity = entities[i % len(entities)]
        k = (i // len(entities)) % per_entity
        metric, unit, _ = _METRICS[k % len(_METRICS)]
        period = _PERIODS[(k // len(_METRICS) + i) % len(_PERIODS)]
        yield entity, metric, round(rng.uniform(1, 1e9), 2), unit, period, f"{entity} annual report"


def bench_import(rows: int = 100_000) -> dict[str, Any]:
    """Import a generated CSV of `rows` facts through `sources.importer.import_file`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "facts.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["entity", "metric", "value", "unit", "period", "source", "aliases"])
            for entity, metric, value, unit, period, source in _dataset(rows)[1]:
                writer.writerow([entity, metric, value, unit, period, source, f"{entity} Inc.|{entity.upper()}"])
        db = open_db(Path(tmp) / "facts.db")
        started = time.perf_counter()
        report = import_file(db, path)
        seconds = time.perf_counter() - started
        db.close()
    return {"rows": rows, "added": report.added, "seconds": round(seconds, 3),
            "rows_per_second": round(rows / seconds)}


def build_database(path: Path, facts: int) -> list[tuple[str, str, str]]:
    """Fill a database with `facts` synthetic facts by bulk insert; return
    (entity, metric, search words) triples to build queries from."""
    db = open_db(path)
    now = "2025-01-01T00:00:00Z"
    names, rows = _dataset(facts)
    entity_ids = {name: i for i, name in enumerate(names, 1)}
    samples: list[tuple[str, str, str]] = []
    periods = {p: parse_period(p) for p in _PERIODS}
    words = {metric: spoken for metric, _, spoken in _METRICS}

    def fact_rows() -> Iterator[tuple[Any, ...]]:
        for entity, metric, value, unit, period, source in rows:
            if len(samples) < 2000 and len(samples) < len(names):
                samples.append((entity, metric, words[metric]))
            span = periods[period]
            yield (entity_ids[entity], metric, norm_metric(metric), value, unit, "exact", period,
                   norm_period(period), span.start.isoformat() if span else None,
                   span.end.isoformat() if span else None, source, "bench", now)

    with db.atomic():
        db.conn.executemany("INSERT INTO entities (id, name, added_at) VALUES (?, ?, ?)",
                            ((i, name, now) for name, i in entity_ids.items()))
        db.conn.executemany(
            "INSERT INTO aliases (entity_id, alias, norm) VALUES (?, ?, ?)",
            ((i, alias, norm_alias(alias)) for name, i in entity_ids.items()
             for alias in (name, f"{name} Inc.", name.split()[0].upper()[:4] + str(i))))
        db.conn.executemany(
            "INSERT INTO facts (entity_id, metric, metric_norm, value, unit, qualifier, period, period_norm,"
            " period_start, period_end, source, added_by, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            fact_rows())
    db.execute("PRAGMA optimize")
    db.close()
    return samples


def _typo(name: str, rng: random.Random) -> str:
    """Drop one letter from the first word, as a hurried editor would."""
    first, _, rest = name.partition(" ")
    if len(first) >= 6:
        cut = rng.randrange(1, len(first) - 1)
        first = first[:cut] + first[cut + 1:]
    return f"{first} {rest}".strip()


def bench_search(sizes: tuple[int, ...] = (1_000, 100_000, 1_000_000), queries: int = 200) -> dict[str, Any]:
    """Search latency (p50/p95 ms) through `sources.search.search` at each database size.

    Queries mix a misspelt entity with metric synonyms ("Kalri Motors
    revenue"), metric-only queries and entity-only queries; `top1` is the
    share of entity queries whose intended entity is among the best-scored
    hits (a typo can sit exactly between two synthetic names: a tie, not a miss).
    """
    results: dict[str, Any] = {}
    rng = random.Random(11)
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "facts.db"
            started = time.perf_counter()
            samples = build_database(path, size)
            build_seconds = time.perf_counter() - started
            db = open_db(path)
            started = time.perf_counter()
            index = FactIndex(db)
            index_ms = (time.perf_counter() - started) * 1000
            plan: list[tuple[str, str | None]] = []
            for n in range(queries):
                entity, metric, spoken = samples[n % len(samples)]
                kind = n % 4
                if kind == 0:
                    plan.append((spoken, None))
                elif kind == 1:
                    plan.append((entity, entity))
                else:
                    plan.append((f"{_typo(entity, rng)} {spoken}", entity))
            timings: list[float] = []
            correct = named = 0
            for query, expected in plan:
                started = time.perf_counter()
                hits = search(db, query, limit=10, index=index)
                timings.append((time.perf_counter() - started) * 1000)
                if expected is not None:
                    named += 1
                    best = [h.fact.entity for h in hits if h.score == hits[0].score] if hits else []
                    correct += expected in best
            entities = len(index.entity_names())
            db.close()
        cuts = statistics.quantiles(timings, n=20)
        results[str(size)] = {"p50_ms": round(statistics.median(timings), 2), "p95_ms": round(cuts[18], 2),
                              "max_ms": round(max(timings), 2), "queries": len(timings),
                              "top1": round(correct / max(named, 1), 3),
                              "entities": entities,
                              "index_load_ms": round(index_ms, 1), "build_seconds": round(build_seconds, 1)}
    return results


if __name__ == "__main__":
    import json
    import sys

    sizes = tuple(int(a) for a in sys.argv[1:]) or (1_000, 100_000, 1_000_000)
    print(json.dumps({"import": bench_import(), "search": bench_search(sizes)}, indent=1))
