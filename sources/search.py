"""Fuzzy search over facts for people ("aple china revenue").

A query mixes a (possibly misspelt, possibly partial) entity name with
metric words that may be synonyms of the stored ones. Facts are never
scanned with rapidfuzz; candidates come from two cheap readings and only
they are scored:

1. entity reading: query word spans matched to entity names in memory
   (exact, fuzzy, or as word prefixes through the alias FTS index); the
   remaining words are compared with that entity's distinct metrics,
   which the (entity_id, metric_norm, ...) index lists without touching facts;
2. metric reading, for queries that name no entity ("china smartphone
   market share"): the FTS index over distinct metrics (synonyms expanded),
   then the newest facts of the best metrics through the metric_norm index.

A fact's score is the better of its readings, in [0, 1].
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlite_utils
from rapidfuzz import fuzz

from claims.model import Fact
from sources.lookup import FactIndex
from sources.normalize import METRIC_SYNONYMS, canonical_metric, canonical_tokens, norm_alias, words

log = logging.getLogger(__name__)

ENTITY_THRESHOLD = 0.80   # people misspell more than articles do; still no wild guesses
MAX_SPAN = 4              # words an entity name may take in a query
MAX_ENTITIES = 5          # entity readings tried per query
METRIC_CANDIDATES = 50    # distinct metrics taken from the metric index per FTS query
MAX_METRICS = 10          # metrics whose facts the metric reading lists
ALIAS_PREFIX_HITS = 20


@dataclass(frozen=True, slots=True)
class SearchHit:
    score: float
    fact: Fact


def metric_similarity(query: str, metric: str) -> float:
    """Similarity of two canonical metric strings in [0, 1].

    token_set gives full marks when the query's words are all in the metric
    ("china revenue" ~ "greater china revenue"); averaging with token_sort
    then prefers the metric with the fewest extra words, so the plain figure
    beats its "change year over year" sibling.
    """
    if not query or not metric:
        return 0.0
    return (fuzz.token_set_ratio(query, metric) + fuzz.token_sort_ratio(query, metric)) / 200


def _metric_fit(query_tokens: list[str], metric: str) -> float:
    """The better of comparing synonyms folded ("revenue" meets "net
    sales") and comparing the words as typed, so a half-typed "deliv" still
    finds "deliveries" though both fold to a concept."""
    folded = metric_similarity(" ".join(canonical_tokens(query_tokens)), canonical_metric(metric))
    as_typed = metric_similarity(" ".join(query_tokens), " ".join(words(metric)))
    return max(folded, as_typed)


def _fts_term(token: str) -> str:
    phrases = METRIC_SYNONYMS.get(token)
    if phrases:
        return "(" + " OR ".join(f'"{p}"' for p in phrases) + ")"
    return f'"{token}"*' if len(token) >= 3 else f'"{token}"'


def fts_query(tokens: list[str], operator: str = "AND") -> str:
    """An FTS5 query over canonical tokens; synonym groups become OR-groups of their phrases."""
    return f" {operator} ".join(_fts_term(t) for t in tokens)


def _entity_readings(db: sqlite_utils.Database, index: FactIndex,
                     tokens: list[str]) -> dict[int, tuple[float, int, int]]:
    """entity_id -> (score, start, end) of the best query span naming it."""
    best: dict[int, tuple[float, int, int]] = {}

    def offer(entity_id: int, score: float, i: int, j: int) -> None:
        old = best.get(entity_id)
        if old is None or (score, j - i) > (old[0], old[2] - old[1]):
            best[entity_id] = (score, i, j)

    spans = [(i, j) for i in range(len(tokens)) for j in range(i + 1, min(len(tokens), i + MAX_SPAN) + 1)]
    # Exact names first; words they explain are not fuzzy-matched again,
    # which saves time and keeps near-namesakes out of the readings.
    explained: set[int] = set()
    for i, j in spans:
        for entity_id, score in index.match_ids(" ".join(tokens[i:j]), limit=3, fuzzy=False):
            offer(entity_id, score, i, j)
            explained.update(range(i, j))
    for i, j in spans:
        if explained.isdisjoint(range(i, j)):
            for entity_id, score in index.match_ids(" ".join(tokens[i:j]), limit=3, threshold=ENTITY_THRESHOLD):
                offer(entity_id, score, i, j)
    # Word prefixes ("hang seng" -> "Hang Seng Index"): scored by how much of
    # the name the query covers, so a partial name never outranks a full one.
    for i in range(len(tokens)):
        for j in range(i + 1, min(len(tokens), i + 3) + 1):
            span = tokens[i:j]
            if any(len(t) < 2 for t in span) or sum(map(len, span)) < 3:
                continue
            query = " AND ".join(f'"{t}"*' for t in span)
            rows = db.execute(
                "SELECT aliases.entity_id, aliases.norm FROM aliases_fts JOIN aliases ON aliases.id = aliases_fts.rowid"
                " WHERE aliases_fts MATCH ? LIMIT ?", [query, ALIAS_PREFIX_HITS]).fetchall()
            covered = len(norm_alias("".join(span)))
            for entity_id, norm in rows:
                offer(entity_id, 0.5 + 0.5 * min(1.0, covered / max(len(norm), 1)), i, j)
    return best


def search(db: sqlite_utils.Database, query: str, *, limit: int = 10,
           index: FactIndex | None = None) -> list[SearchHit]:
    """The facts best matching `query`, best first (ties: newest published first)."""
    tokens = words(query)
    if not tokens or limit < 1:
        return []
    index = index or FactIndex(db)
    scores: dict[int, float] = {}

    def offer(fact_id: int, score: float) -> None:
        if score > scores.get(fact_id, 0.0):
            scores[fact_id] = score

    readings = sorted(_entity_readings(db, index, tokens).items(), key=lambda r: -r[1][0])[:MAX_ENTITIES]
    for entity_id, (entity_score, i, j) in readings:
        rest = tokens[:i] + tokens[j:]
        groups = []
        for (metric_norm,) in db.execute("SELECT DISTINCT metric_norm FROM facts WHERE entity_id = ?", [entity_id]):
            metric_score = _metric_fit(rest, metric_norm) if rest else 1.0
            total = ((j - i) * entity_score + len(rest) * metric_score) / ((j - i) + len(rest))
            groups.append((total, metric_norm))
        groups.sort(key=lambda g: -g[0])
        taken = 0
        for total, metric_norm in groups:
            if taken >= limit:
                break
            for (fact_id,) in db.execute(
                    "SELECT id FROM facts WHERE entity_id = ? AND metric_norm = ?"
                    " ORDER BY period_start DESC, period_end DESC LIMIT ?", [entity_id, metric_norm, limit]):
                offer(fact_id, total)
                taken += 1

    # Metric reading: the whole query against distinct metrics, any entity.
    whole = canonical_tokens(tokens)
    whole_text = " ".join(whole)
    rests = [canonical_tokens(tokens[:i] + tokens[j:]) for _, (_, i, j) in readings[:1]]
    metrics = [(metric_similarity(whole_text, canonical_metric(m)), m) for m in _metric_candidates(db, whole, rests)]
    metrics.sort(key=lambda item: -item[0])
    fact_ids: list[int] = []
    for _, metric_norm in metrics[:MAX_METRICS]:
        if len(fact_ids) >= limit:
            break
        fact_ids += [r[0] for r in db.execute(
            "SELECT id FROM facts WHERE metric_norm = ? ORDER BY period_start DESC, period_end DESC LIMIT ?", [metric_norm, limit])]
    # Scored with the entity name too: query words the metric leaves
    # unexplained ("aple") must count against another company's figure.
    for fact in index.facts_by_id(fact_ids).values():
        offer(fact.id, _metric_fit(tokens, f"{fact.entity} {fact.metric}"))

    ranked_ids = sorted(scores, key=lambda f: -scores[f])[: max(limit * 3, limit)]
    facts = index.facts_by_id(ranked_ids)
    hits = [SearchHit(round(min(1.0, max(0.0, scores[f])), 4), facts[f]) for f in ranked_ids if f in facts]
    hits.sort(key=lambda h: (-h.score, _desc(h.fact.published), -h.fact.id))
    return hits[:limit]


def _desc(text: str | None) -> tuple[int, ...]:
    """Sort key putting newer ISO dates first and undated facts last."""
    try:
        return (0, *(-int(part) for part in (text or "").split("-")))
    except ValueError:
        return (1,)


def _metric_candidates(db: sqlite_utils.Database, whole: list[str], rests: list[list[str]]) -> list[str]:
    """Distinct metric_norms from the metric FTS index: AND over all words, then
    over the words an entity reading left over, then OR over all words."""
    found: dict[str, None] = {}
    attempts = [fts_query(whole)] + [fts_query(r) for r in rests if r and r != whole]
    if len(whole) > 1:
        attempts.append(fts_query(whole, "OR"))
    for query in attempts:
        for (metric_norm,) in db.execute(
                "SELECT metrics.metric_norm FROM metrics_fts JOIN metrics ON metrics.id = metrics_fts.rowid"
                " WHERE metrics_fts MATCH ? ORDER BY rank LIMIT ?", [query, METRIC_CANDIDATES]):
            found.setdefault(metric_norm)
        if len(found) >= MAX_METRICS:
            break
    return list(found)
