"""`factbot bench`: the product's speed and accuracy figures, measured side
by side in one run on one machine.

Timed unit tests flake on shared machines and say nothing about ratios;
a benchmark run prints figures (sentences per second, recall, p50/p95
milliseconds) and the ratios that matter (speedup over quantulum3, growth
of check latency from 10^3 to 10^6 facts), so a regression shows up as a
number someone can compare, not as a red test.

Four benchmarks:

* check (run first, so its memory figures carry nothing of the others) —
  the whole `check_text` of a ~1,500-word article against fact databases
  of 10^3..10^6 facts: p50/p95 ms, growth, peak RSS, cold start;
* extraction — `claims.figures.find_figures` against quantulum3 on the
  same labelled sentences (`bot.bench_corpus`): speed and figure recall;
* import and search — `bot.bench_sources` (the source database's own
  benchmarks), reported as they are.

A benchmark that fails is reported with its error and the others still
run: one broken part should not hide the rest of the figures.
"""
from __future__ import annotations

import cProfile
import gc
import json
import logging
import math
import multiprocessing
import os
import platform
import pstats
import re
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from bot import bench_corpus as corpus
from bot.bench_sources import bench_import, bench_search
from claims import lexicon as lx
from claims.check import check_text
from claims.figures import find_figures
from sources.db import open_db
from sources.lookup import FactIndex

log = logging.getLogger(__name__)

VALUE_TOLERANCE = 0.005  # a found figure matches a label within 0.5 % of its value


@dataclass(frozen=True)
class Plan:
    """How much to measure. `quick` is a CI smoke run (seconds); `full` is
    the run whose figures go in the README (a few minutes on 2 cores)."""

    name: str
    sentences: int
    repeats: int
    check_sizes: tuple[int, ...]
    check_runs: int
    import_rows: int
    search_sizes: tuple[int, ...]
    search_queries: int


FULL = Plan("full", 5000, 2, (1_000, 10_000, 100_000, 1_000_000), 30, 100_000, (1_000, 100_000, 1_000_000), 200)
QUICK = Plan("quick", 300, 1, (1_000, 10_000), 5, 2_000, (1_000, 10_000), 40)

GOAL_SPEEDUP = 10.0       # extraction at least 10x quantulum3's sentences/s ...
GOAL_P95_MS = 50.0        # ... check p95 at 10^6 facts at most 50 ms ...
GOAL_GROWTH = 3.0         # ... and at most 3x slower from 10^3 to 10^6 facts


# ==================================================================================================
# Small measuring tools


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: with 20 runs, p95 is the second slowest.
    Interpolating estimators invent values between runs, or beyond the
    slowest one with few runs."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS, so the
    next reading is the peak of what follows, not of the whole process
    (Linux >= 4.0; refused in some sandboxes)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _status_mb(field: str) -> float | None:
    try:
        status = Path("/proc/self/status").read_text()
        return round(int(re.search(rf"{field}:\s+(\d+)\s+kB", status).group(1)) / 1024, 1)
    except (OSError, AttributeError):
        return None


def peak_rss_mb() -> float:
    """Peak resident memory in MB since start or the last reset."""
    peak = _status_mb("VmHWM")
    return peak if peak is not None else round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def rss_mb() -> float | None:
    """Resident memory now, in MB (None where /proc is missing)."""
    return _status_mb("VmRSS")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        return round(kb / 1024 / 1024, 1)
    except (OSError, AttributeError):
        return None


def machine() -> dict[str, Any]:
    """Where the figures come from. The load average matters on a shared
    machine: a busy neighbour shows up in p95 first."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = _memory_gb()
    summary = (f"{cores} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}, "
               f"{_cpu_model()}" + (f", {mem} GB RAM" if mem else "") + f", SQLite {sqlite3.sqlite_version}")
    return {"summary": summary, "cores": cores, "python": platform.python_version(), "cpu": _cpu_model(),
            "memory_gb": mem, "sqlite": sqlite3.sqlite_version, "load_average": _load()}


def _load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _progress(message: str) -> None:
    """A full run takes minutes: say what it is doing, on a terminal only
    (and in the log), so piped JSON stays clean."""
    log.info(message)
    if sys.stderr.isatty():
        print(f"bench: {message}", file=sys.stderr, flush=True)


# ==================================================================================================
# Extraction


@dataclass(frozen=True, slots=True)
class Found:
    value: float
    unit: str
    kind: str


_SPECIAL_UNITS = frozenset({"%", "pp", "points", "rank"}) | frozenset(lx.MEASURE_UNITS.values())


def unit_class(unit: str) -> str:
    """The unit as both readers can state it: currencies, %, pp, points,
    ranks and measures stay themselves; every counted noun ("vehicles",
    "people") and a bare number is "count", because quantulum3 has no
    counted nouns and should not lose recall for the noun alone."""
    if unit in _SPECIAL_UNITS or unit in lx.ISO_4217:
        return unit
    return "count"


def _close(found: float, expected: float) -> bool:
    if expected == 0:
        return found == 0
    return abs(found - expected) <= VALUE_TOLERANCE * abs(expected)


def match_figures(expected: Sequence[corpus.Expected], found: Sequence[Found], *,
                  strict: bool = False) -> list[corpus.Expected]:
    """The expected figures no found figure accounts for (each found figure
    used once). Lenient: magnitude and unit class, which quantulum3 can
    state. Strict (factbot only): signed value, kind and the exact unit."""
    used = [False] * len(found)
    missed = []
    for e in expected:
        for k, f in enumerate(found):
            if used[k]:
                continue
            if strict:
                ok = f.unit == e.unit and f.kind == e.kind and _close(f.value, e.value)
            else:
                ok = unit_class(f.unit) == unit_class(e.unit) and _close(abs(f.value), abs(e.value))
            if ok:
                used[k] = True
                break
        else:
            missed.append(e)
    return missed


def ours(text: str) -> list[Found]:
    return [Found(float(f.value), f.unit, f.kind) for f in find_figures(text)]


# quantulum3 unit names -> ours, beyond the British/US spelling rewrite below
_QUANTULUM_PERCENT = frozenset({"percentage", "percent", "per cent"})


def quantulum_reader() -> tuple[Callable[[str], list[Found]] | None, str]:
    """A reader over quantulum3 with its units mapped to ours, or None and
    why not. Mapping, made as generous as the labels allow: a currency ->
    its ISO code, percentage / per cent -> %, basis points -> pp (/100),
    dimensionless -> count, metre/litre -> meter/liter. It has no ranks:
    ordinals come out as fractions ("third" = 1/3) and miss."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser
            import quantulum3
    except ImportError as exc:
        return None, f"quantulum3 is not installed ({exc}); pip install -e '.[bench]'"
    version = getattr(quantulum3, "__version__", "?")

    def read(text: str) -> list[Found]:
        try:
            quantities = parser.parse(text)
        except Exception:  # noqa: BLE001 - a crash on one sentence is a miss, not the end of the run
            return []
        return [_map_quantulum(q) for q in quantities]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        read("It warms up its 5 km model in 2 s for $3.")  # loads quantulum3's unit tables (~1.7 s)
    return read, version


def _map_quantulum(q: Any) -> Found:
    unit = q.unit
    name = unit.name.lower()
    entity = unit.entity.name if unit.entity is not None else ""
    value = float(q.value)
    if entity == "currency" and getattr(unit, "currency_code", None):
        return Found(value, unit.currency_code, "quantity")
    lead = _leading_unit(unit)
    if lead is not None:
        return Found(value, lead, "quantity")
    if name in _QUANTULUM_PERCENT:
        return Found(value, "%", "quantity")
    if name in ("percentage point", "percentage points"):
        return Found(value, "pp", "quantity")
    if name in ("basis point", "basis points"):
        return Found(value / 100, "pp", "quantity")
    if entity == "dimensionless":
        return Found(value, "count", "quantity")
    return Found(value, name.replace("metre", "meter").replace("litre", "liter"), "quantity")


def _leading_unit(unit: Any) -> str | None:
    """Our unit for a compound quantulum3 glued onto a currency or percentage
    ("608 billion yen at" -> "japanese yen ampere-turn", "£159.22 a share" ->
    "pound sterling year"): the value and the leading unit are right, so
    count them, in quantulum3's favour."""
    dims = getattr(unit, "dimensions", None) or []
    if len(dims) < 2 or dims[0].get("power") != 1:
        return None
    base = str(dims[0].get("base", "")).lower()
    if base in _QUANTULUM_PERCENT:
        return "%"
    try:
        from quantulum3 import load
        known = load.units(getattr(unit, "lang", "en_US")).names.get(base)
    except Exception:  # noqa: BLE001 - no table, no generosity
        return None
    return getattr(known, "currency_code", None) or None


def _race(readers: dict[str, Callable[[str], list[Found]]], texts: Sequence[str],
          repeats: int) -> dict[str, tuple[float, list[list[Found]]]]:
    """Best-of-`repeats` sentences per second for each reader, and its first
    pass's output. Passes alternate between readers, so both get the same
    number of passes under the same (shared, noisy) machine conditions."""
    best = {name: math.inf for name in readers}
    outputs: dict[str, list[list[Found]]] = {}
    for attempt in range(repeats):
        for name, read in readers.items():
            started = time.perf_counter()
            result = [read(t) for t in texts]
            best[name] = min(best[name], time.perf_counter() - started)
            if attempt == 0:
                outputs[name] = result
    return {name: (len(texts) / best[name], outputs[name]) for name in readers}


def _recall(sentences: Sequence[corpus.LabelledSentence], outputs: Sequence[list[Found]], *,
            strict: bool = False, skip_units: Iterable[str] = ()) -> tuple[float, int, int]:
    """(recall, matched, found) over all sentences."""
    skip = set(skip_units)
    expected = matched = found = 0
    for s, out in zip(sentences, outputs):
        labels = [e for e in s.figures if e.unit not in skip]
        missed = match_figures(labels, out, strict=strict)
        expected += len(labels)
        matched += len(labels) - len(missed)
        found += len([f for f in out if f.unit not in skip])
    return (matched / expected if expected else 0.0), matched, found


def _scores(sentences: Sequence[corpus.LabelledSentence], outputs: Sequence[list[Found]]) -> dict[str, float]:
    recall, matched, found = _recall(sentences, outputs)
    no_ranks, _, _ = _recall(sentences, outputs, skip_units={"rank"})
    return {"recall": round(recall, 4), "recall_without_ranks": round(no_ranks, 4),
            "precision": round(matched / found, 4) if found else 0.0}


def _weak_templates(sentences: Sequence[corpus.LabelledSentence], outputs: Sequence[list[Found]],
                    limit: int = 8) -> list[dict[str, Any]]:
    """factbot's worst templates under strict matching, with one missed
    figure each: what the claims/ rules get wrong, for whoever owns them."""
    stats: dict[int, list[Any]] = {}
    for s, out in zip(sentences, outputs):
        missed = match_figures(s.figures, out, strict=True)
        entry = stats.setdefault(s.template, [0, 0, None, None])
        entry[0] += len(s.figures)
        entry[1] += len(missed)
        if missed and entry[2] is None:
            found = ", ".join(f"{f.value:g} {f.unit} ({f.kind})" for f in out) or "nothing"
            entry[2], entry[3] = s.text, f"{missed[0].quote!r} = {missed[0].value:g} {missed[0].unit} " \
                                         f"({missed[0].kind}); found {found}"
    rows = [{"template": t, "strict_recall": round(1 - miss / total, 3), "example": ex, "missed": why}
            for t, (total, miss, ex, why) in stats.items() if miss]
    return sorted(rows, key=lambda r: r["strict_recall"])[:limit]


def bench_extraction(count: int, repeats: int = 2) -> dict[str, Any]:
    """Speed and recall of factbot's figure reader and of quantulum3 on the
    same `count` labelled sentences, in this run."""
    sentences = corpus.labelled_sentences(count)
    texts = [s.text for s in sentences]
    find_figures("Revenue rose 5% to $1.2 billion.")  # warm-up, as quantulum3 gets one
    read, version = quantulum_reader()
    readers = {"factbot": ours} if read is None else {"factbot": ours, "quantulum3": read}
    raced = _race(readers, texts, repeats)
    per_second, outputs = raced["factbot"]
    result: dict[str, Any] = {"sentences": count, "templates": len(corpus.TEMPLATES),
                              "figures": sum(len(s.figures) for s in sentences),
                              "per_second": round(per_second), "ms_per_sentence": round(1000 / per_second, 4)}
    result.update(_scores(sentences, outputs))
    strict, _, _ = _recall(sentences, outputs, strict=True)
    result["recall_strict"] = round(strict, 4)
    result["weak_templates"] = _weak_templates(sentences, outputs)
    if read is None:
        log.warning("extraction: %s; skipping the comparison", version)
        result["quantulum3"] = {"available": False, "reason": version}
        result["speedup"] = None
        return result
    q_per_second, q_outputs = raced["quantulum3"]
    result["quantulum3"] = {"available": True, "version": version, "per_second": round(q_per_second),
                            "ms_per_sentence": round(1000 / q_per_second, 4), **_scores(sentences, q_outputs)}
    result["speedup"] = round(per_second / q_per_second, 1)
    result["recall_gain"] = round(result["recall"] - result["quantulum3"]["recall"], 4)
    return result


# ==================================================================================================
# Whole check


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000, value


@dataclass
class _Loaded:
    """One database size, opened and warm, waiting for the timed rounds."""

    size: int
    db: Any
    check: Callable[[], Any]
    figures: dict[str, Any]
    wall: list[float]
    cpu: list[float]


def _load_size(built: corpus.BuiltDatabase, article: corpus.Article) -> _Loaded:
    """Cold start (a fresh `FactIndex` and a first `check_text` without a
    gazetteer, as `factbot check` runs), the gazetteer a long-running bot
    builds once (`FactIndex.gazetteer()`), a warm-up, and checks that
    rebuild the gazetteer per call as `check_text` does when none is
    passed. Peak RSS is read here, one size at a time."""
    gc.collect()
    before = rss_mb()
    per_size_rss = _reset_peak_rss()
    db = open_db(built.path)
    try:
        loaded = _warm(built, article, db, per_size_rss)
        if before is not None and per_size_rss:
            loaded.figures["rss_added_mb"] = round(loaded.figures["peak_rss_mb"] - before, 1)
        return loaded
    except BaseException:
        db.close()
        raise


def _warm(built: corpus.BuiltDatabase, article: corpus.Article, db: Any, per_size_rss: bool) -> _Loaded:
    published = corpus.ARTICLE_PUBLISHED
    load_ms, index = _timed(lambda: FactIndex(db))
    cold_ms, first = _timed(lambda: check_text(article.text, index, published=published))
    gaz_ms, gazetteer = _timed(index.gazetteer)
    check = lambda: check_text(article.text, index, published=published, gazetteer=gazetteer)  # noqa: E731
    check()
    unshared = [_timed(lambda: check_text(article.text, index, published=published))[0] for _ in range(3)]
    figures = {
        "cold_first_check_ms": round(load_ms + cold_ms, 1), "index_load_ms": round(load_ms, 1),
        "gazetteer_build_ms": round(gaz_ms, 1), "per_call_gazetteer_p50_ms": round(statistics.median(unshared), 1),
        "entities": len(index.entity_names()), "claims": len(first.claims), "verdicts": first.summary,
        "verdicts_as_planned": "{} of {}".format(*article.agreement(
            [(c.claim.quote, c.verdict.verdict) for c in first.claims])),
        "build_seconds": round(built.seconds, 1), "peak_rss_mb": peak_rss_mb(),
        "rss_scope": "process peak while loading and warming this size (smaller sizes stay loaded)"
                     if per_size_rss else "process peak since start",
    }
    return _Loaded(built.facts, db, check, figures, [], [])


def _timed_rounds(loaded: Sequence[_Loaded], runs: int) -> None:
    """`runs` rounds, each timing one check per size, the starting size
    rotating: a busy neighbour on a shared machine then slows every size
    alike instead of whichever size happened to be running."""
    gc.collect()
    for r in range(runs):
        for k in range(len(loaded)):
            item = loaded[(r + k) % len(loaded)]
            cpu = time.process_time()
            wall = time.perf_counter()
            item.check()
            item.wall.append((time.perf_counter() - wall) * 1000)
            item.cpu.append((time.process_time() - cpu) * 1000)


def _size_figures(item: _Loaded, runs: int) -> dict[str, Any]:
    return {"p50_ms": round(statistics.median(item.wall), 2), "p95_ms": round(percentile(item.wall, 95), 2),
            "min_ms": round(min(item.wall), 2), "max_ms": round(max(item.wall), 2),
            "cpu_p50_ms": round(statistics.median(item.cpu), 2), "runs": runs, **item.figures}


def profile_check(check: Callable[[], Any], runs: int, top: int = 25) -> list[dict[str, Any]]:
    """cProfile over `runs` checks: the functions with the most own time,
    in ms per check (cProfile inflates small calls; read ratios, not sums)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        check()
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (path, line, func), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{_short_path(path)}:{line}({func})", "calls_per_check": round(calls / runs, 1),
                     "own_ms": round(own * 1000 / runs, 2), "cumulative_ms": round(cumulative * 1000 / runs, 2)})
    return sorted(rows, key=lambda r: -r["own_ms"])[:top]


def _short_path(path: str) -> str:
    for marker in ("/site-packages/", "/main/", "/lib/python"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def _build_apart(path: Path, facts: int) -> corpus.BuiltDatabase:
    """Build in a child process: the bulk load's page cache and Python
    garbage (hundreds of MB at 10^6) would otherwise stay in this
    process's RSS, where malloc keeps it, and pollute the memory figures."""
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork on this platform: build here
        return corpus.build_fact_db(path, facts)
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(corpus.build_fact_db, path, facts).result()


def bench_check(sizes: Sequence[int], runs: int, workdir: Path, *, profile_runs: int = 0) -> dict[str, Any]:
    """The whole check of the benchmark article at each database size.

    All databases are built first (into `workdir`, for this run only), so
    building never overlaps a timing; then each size is loaded and warmed
    in turn; then the timed rounds run over all sizes interleaved.
    `by_facts` holds the steady-state figures; growth compares p95 (and
    p50, steadier on a shared machine) at the largest size with 10^3.
    """
    article = corpus.make_article()
    built = {}
    for size in sizes:
        _progress(f"check: building a database of {size:,} facts")
        built[size] = _build_apart(workdir / f"check-{size}.db", size)
    loaded: list[_Loaded] = []
    try:
        for size in sizes:
            _progress(f"check: loading and warming {size:,} facts")
            loaded.append(_load_size(built[size], article))
        _progress(f"check: {runs} timed rounds over {len(sizes)} sizes")
        _timed_rounds(loaded, runs)
        by_facts = {str(item.size): _size_figures(item, runs) for item in loaded}
        if profile_runs:
            _progress(f"check: profiling {profile_runs} checks at {max(sizes):,} facts")
            by_facts[str(max(sizes))]["profile"] = profile_check(loaded[-1].check, profile_runs)
    finally:
        for item in loaded:
            item.db.close()
    smallest, largest = str(min(sizes)), str(max(sizes))
    ratio = p50_ratio = None
    if smallest != largest:
        ratio = round(by_facts[largest]["p95_ms"] / by_facts[smallest]["p95_ms"], 2)
        p50_ratio = round(by_facts[largest]["p50_ms"] / by_facts[smallest]["p50_ms"], 2)
    return {
        "article_words": article.words, "article_figures": len(article.planned),
        "planned_verdicts": article.planned_summary(),
        "mode": "steady state: FactIndex and its gazetteer built once, as a long-running bot should",
        "by_facts": by_facts,
        "growth_1e3_to_1e6": ratio if (smallest, largest) == ("1000", "1000000") else None,
        "growth": {"from_facts": int(smallest), "to_facts": int(largest), "p95_ratio": ratio,
                   "p50_ratio": p50_ratio},
        "peak_rss_mb": max(v["peak_rss_mb"] for v in by_facts.values()),
    }


# ==================================================================================================
# The run


def _guarded(name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run one benchmark; on failure record the error and go on."""
    _progress(f"{name}: running")
    started = time.perf_counter()
    try:
        result = fn()
    except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
        log.exception("benchmark %s failed", name)
        return {"error": f"{type(exc).__name__}: {exc}"}
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    return result


def goals(results: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The product goals, each with the measured value and met / missed
    (None when this run did not measure it, e.g. --quick has no 10^6)."""
    ext, check = results.get("extraction", {}), results.get("check", {})
    q = ext.get("quantulum3") or {}
    at_1e6 = (check.get("by_facts") or {}).get("1000000") or {}
    speedup = ext.get("speedup")
    gain = ext.get("recall_gain")
    growth = check.get("growth_1e3_to_1e6")
    p50_growth = (check.get("growth") or {}).get("p50_ratio") if growth is not None else None
    p95 = at_1e6.get("p95_ms")
    return {
        "extraction_speedup": {"goal": f">= {GOAL_SPEEDUP:g}x quantulum3", "value": speedup,
                               "met": None if speedup is None else speedup >= GOAL_SPEEDUP},
        "extraction_recall": {"goal": "higher recall than quantulum3",
                              "value": f"{ext.get('recall')} vs {q.get('recall')}" if gain is not None else None,
                              "met": None if gain is None else gain > 0},
        "check_p95_at_1e6": {"goal": f"<= {GOAL_P95_MS:g} ms", "value": p95,
                             "met": None if p95 is None else p95 <= GOAL_P95_MS},
        # p95 of 20-30 runs on a shared machine is one slow neighbour away from
        # doubling at 10^3, which would make growth look small: the goal
        # counts as met only when the p50 ratio agrees.
        "check_growth_1e3_to_1e6": {"goal": f"<= {GOAL_GROWTH:g}x (p95 ratio, and p50 ratio too)",
                                    "value": None if growth is None else f"p95 {growth:.2f}x, p50 {p50_growth:.2f}x",
                                    "met": None if growth is None else max(growth, p50_growth) <= GOAL_GROWTH},
    }


def run_benchmarks(plan: Plan = FULL, *, workdir: Path | None = None, profile_runs: int = 0) -> dict[str, Any]:
    """Every benchmark of `plan`, as one JSON-ready dict (CONTRACTS.md,
    `factbot bench --json`)."""
    started = time.perf_counter()
    info = machine()
    results: dict[str, Any] = {"date": date.today().isoformat(),
                               "started_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                               "mode": plan.name, "machine": info.pop("summary"), "machine_details": info}
    # The check goes first, so its memory figures do not carry what
    # quantulum3 loads (the extraction benchmark) or the import left behind.
    # The check databases (~0.4 GB at 10^6) go before the search benchmark builds its own.
    with tempfile.TemporaryDirectory(prefix="factbot-bench-") as tmp:
        where = workdir or Path(tmp)
        results["check"] = _guarded("check", lambda: bench_check(plan.check_sizes, plan.check_runs, where,
                                                                 profile_runs=profile_runs))
    results["extraction"] = _guarded("extraction", lambda: bench_extraction(plan.sentences, plan.repeats))
    results["import"] = _guarded("import", lambda: bench_import(plan.import_rows))
    results["search"] = _guarded("search", lambda: {"queries": plan.search_queries, "by_facts": bench_search(
        plan.search_sizes, plan.search_queries)})
    results["goals"] = goals(results)
    results["machine_details"]["load_average_end"] = _load()
    results["seconds"] = round(time.perf_counter() - started, 1)
    return results


# ==================================================================================================
# Output


def _n(value: Any, digits: int = 0) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}"
    return str(value)


def _table(headers: Sequence[str], rows: Iterable[Sequence[str]], indent: str = "  ") -> list[str]:
    rows = [list(map(str, r)) for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    fmt = lambda cells: indent + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)  # noqa: E731
                                           for i, (c, w) in enumerate(zip(cells, widths)))
    return [fmt(headers)] + [fmt(r) for r in rows]


def _extraction_lines(ext: dict[str, Any]) -> list[str]:
    if "error" in ext:
        return [f"Figure extraction: FAILED ({ext['error']})"]
    q = ext["quantulum3"]
    lines = [f"Figure extraction: {ext['sentences']:,} labelled sentences from {ext['templates']} templates, "
             f"{ext['figures']:,} figures"]
    rows = [["factbot", _n(ext["per_second"]), _n(ext["ms_per_sentence"], 3), _n(ext["recall"], 3),
             _n(ext["recall_without_ranks"], 3), _n(ext["precision"], 3)]]
    if q.get("available"):
        rows.append([f"quantulum3 {q['version']}", _n(q["per_second"]), _n(q["ms_per_sentence"], 3),
                     _n(q["recall"], 3), _n(q["recall_without_ranks"], 3), _n(q["precision"], 3)])
        rows.append(["factbot / quantulum3", f"{ext['speedup']:.1f}x", "",
                     f"{ext['recall_gain']:+.3f}", "", ""])
    lines += _table(["reader", "sentences/s", "ms/sentence", "recall", "w/o ranks", "precision"], rows)
    if not q.get("available"):
        lines.append(f"  quantulum3 skipped: {q['reason']}")
    lines.append(f"  factbot strict recall (sign, kind and counted noun must be right too): "
                 f"{ext['recall_strict']:.3f}")
    if ext.get("weak_templates"):
        lines.append("  factbot's weakest templates (strict):")
        for w in ext["weak_templates"][:5]:
            lines.append(f"    {w['strict_recall']:.2f}  {w['example']}")
            lines.append(f"          missed {w['missed']}")
    return lines


def _check_lines(check: dict[str, Any]) -> list[str]:
    if "error" in check:
        return [f"Whole check: FAILED ({check['error']})"]
    lines = [f"Whole check: {check['article_words']:,}-word article, {check['article_figures']} figures; "
             f"steady state (index and gazetteer built once)"]
    rows = []
    for size, v in check["by_facts"].items():
        verdicts = "/".join(str(v["verdicts"].get(k, 0)) for k in ("supported", "contradicted", "unverified",
                                                                     "disputed"))
        memory = _n(v["peak_rss_mb"]) + (f" (+{max(0.0, v['rss_added_mb']):.0f})" if "rss_added_mb" in v else "")
        rows.append([f"{int(size):,}", f"{v['entities']:,}", _n(v["p50_ms"], 1), _n(v["p95_ms"], 1),
                     _n(v["cpu_p50_ms"], 1), _n(v["cold_first_check_ms"]), _n(v["index_load_ms"]),
                     _n(v["gazetteer_build_ms"]), _n(v["per_call_gazetteer_p50_ms"]), memory, verdicts,
                     v["verdicts_as_planned"].replace(" of ", "/"), _n(v["build_seconds"], 1)])
    lines += _table(["facts", "entities", "p50 ms", "p95 ms", "cpu ms", "cold ms", "load ms", "gaz ms",
                     "no-gaz ms", "peak MB", "s/c/u/d", "as plan", "build s"], rows)
    g = check["growth"]
    if g["p95_ratio"] is not None:
        lines.append(f"  growth from {g['from_facts']:,} to {g['to_facts']:,} facts: p95 {g['p95_ratio']:.2f}x, "
                     f"p50 {g['p50_ratio']:.2f}x")
    planned = check["planned_verdicts"]
    runs = next(iter(check["by_facts"].values()))["runs"]
    lines += [f"  {runs} timed rounds, sizes interleaved; cpu = p50 process CPU time; peak MB = process peak RSS "
              "while loading and warming that size (+ what that size added)",
              "  cold = freshly opened database: index load + first check_text without a gazetteer (as "
              "`factbot check` runs); gaz = FactIndex.gazetteer() built once; no-gaz = p50 when every call "
              "builds its own",
              "  s/c/u/d = supported/contradicted/unverified/disputed; as plan = verdicts equal to the "
              "article's planned ones"]
    lines.append(f"  planned verdicts: {planned['supported']} supported, {planned['contradicted']} contradicted, "
                 f"{planned['unverified']} unverified, {planned['derived']} rank(s) derived from peers")
    profile = next((v["profile"] for v in check["by_facts"].values() if "profile" in v), None)
    if profile:
        lines.append(f"  profile at {g['to_facts']:,} facts (own ms per check, cProfile-inflated):")
        for row in profile[:15]:
            lines.append(f"    {row['own_ms']:8.2f}  cum {row['cumulative_ms']:8.2f}  "
                         f"x{row['calls_per_check']:<8g} {row['function']}")
    return lines


def _sources_lines(results: dict[str, Any]) -> list[str]:
    lines = []
    imp = results.get("import", {})
    if "error" in imp:
        lines.append(f"Import: FAILED ({imp['error']})")
    else:
        lines.append(f"Import: {imp['rows']:,} CSV rows in {imp['seconds']:.1f} s, "
                     f"{imp['rows_per_second']:,} rows/s")
    search = results.get("search", {})
    if "error" in search:
        lines.append(f"Search: FAILED ({search['error']})")
    else:
        lines.append(f"Search: {search['queries']} queries per size")
        rows = [[f"{int(size):,}", f"{v['entities']:,}", _n(v["p50_ms"], 2), _n(v["p95_ms"], 2), _n(v["max_ms"], 1),
                 _n(v["top1"], 3), _n(v["index_load_ms"]), _n(v["build_seconds"], 1)]
                for size, v in search["by_facts"].items()]
        lines += _table(["facts", "entities", "p50 ms", "p95 ms", "max ms", "top1", "load ms", "build s"], rows)
    return lines


def render_table(results: dict[str, Any]) -> str:
    """The human-readable report: figures and ratios, then the goals."""
    load = results["machine_details"].get("load_average")
    lines = [f"factbot bench ({results['mode']} run), {results['date']}, {results['seconds']:.0f} s",
             f"machine: {results['machine']}" + (f"; load average {load[0]:.2f}" if load else ""), ""]
    lines += _extraction_lines(results["extraction"]) + [""]
    lines += _check_lines(results["check"]) + [""]
    lines += _sources_lines(results) + ["", "Goals:"]
    for name, g in results["goals"].items():
        mark = {True: "met   ", False: "MISSED", None: "n/a   "}[g["met"]]
        lines.append(f"  [{mark}] {name}: {g['goal']}; measured {_n(g['value'], 2) if g['value'] is not None else '-'}")
    return "\n".join(lines) + "\n"


def render_json(results: dict[str, Any]) -> str:
    return json.dumps(results, indent=1, ensure_ascii=False) + "\n"
