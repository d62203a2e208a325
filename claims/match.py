"""Which reference facts a claim can be checked against, and how well each
fits: same entity, compatible unit and kind, same metric, same period,
same region.

A fact that fits poorly is dropped, not down-weighted into a verdict: no
adequate fact means "unverified", never a guess from a weak match.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from claims import metrics
from claims.lexicon import MEASURE_UNITS
from claims.model import Claim, Fact
from claims.periods import fiscal_label, overlap
from claims.regions import GLOBAL, find_places, mentions_global, same_region

MIN_PERIOD = 0.5
MIN_SCORE = 0.45

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_GENERIC_COUNTS = {"unit", "device"}
_COUNT_GROUP = {w: i for i, group in enumerate((
    ("car", "vehicle", "automobile", "ev", "truck"),
    ("phone", "smartphone", "handset", "device", "unit", "iphone"),
    ("people", "person", "employee", "worker", "staff", "job", "resident", "individual", "member"),
    ("user", "subscriber", "customer", "account", "member"),
    ("store", "shop", "outlet", "branch", "location", "restaurant"),
    ("barrel", "bbl"),
    ("vote", "ballot"),
    ("seat", "mandate"),
)) for w in group}
_SPECIAL_UNITS = {"%", "pp", "points", "rank"} | set(MEASURE_UNITS.values())


@dataclass(frozen=True, slots=True)
class Match:
    fact: Fact
    score: float
    metric_score: float | None
    period_score: float


_FORECAST_WORDS = re.compile(r"\b(?:forecast|expect\w*|estimated|consensus|target|guidance|outlook|projection|"
                             r"projected|budgeted|planned|goal)\b", re.I)


def is_forecast_fact(fact: Fact) -> bool:
    return bool(_FORECAST_WORDS.search(fact.metric))


def fact_kind(fact: Fact) -> str:
    if fact.unit == "rank":
        return "rank"
    if fact.unit in ("%", "pp") and metrics.is_change_metric(fact.metric):
        return "change"
    return "quantity"


def canonical_unit(unit: str) -> str:
    """One spelling per unit, so a fact in "kilometres" meets a figure in
    "km": the figure reader's measure names are the reference."""
    low = unit.strip().lower()
    if unit in MEASURE_UNITS:
        return MEASURE_UNITS[unit]
    if low in MEASURE_UNITS:
        return MEASURE_UNITS[low]
    if low.endswith("s") and low[:-1] in MEASURE_UNITS:
        return MEASURE_UNITS[low[:-1]]
    return low


def unit_fit(claim_unit: str, fact_unit: str) -> float:
    """1 for the same unit, less for two count nouns ("devices" vs
    "units"), 0 for anything else: money is never converted between
    currencies, and percent is not percentage points."""
    if claim_unit == fact_unit:
        return 1.0
    a, b = canonical_unit(claim_unit), canonical_unit(fact_unit)
    if a == b:
        return 1.0
    if _CURRENCY.match(claim_unit) or _CURRENCY.match(fact_unit):
        return 0.0
    if a == b:
        return 1.0
    if a in _SPECIAL_UNITS or b in _SPECIAL_UNITS:
        return 0.0
    if a.rstrip("s") == b.rstrip("s"):
        return 1.0
    ga, gb = _COUNT_GROUP.get(a.rstrip("s")), _COUNT_GROUP.get(b.rstrip("s"))
    if ga is not None and ga == gb:
        return 0.9
    if a.rstrip("s") in _GENERIC_COUNTS or b.rstrip("s") in _GENERIC_COUNTS:
        return 0.8  # "76.4 million devices" against a fact counted in "units"
    return 0.0  # stores are not people


def fact_region(fact: Fact) -> str | None:
    if fact.region:
        return fact.region
    places = find_places(fact.metric)
    if places:
        return places[0][2]
    return GLOBAL if mentions_global(fact.metric) else None


def period_fit(claim: Claim, fact: Fact, published: date | None) -> float:
    """How well the fact's period is the claim's: overlap of date ranges,
    or the same fiscal label; without a period in the claim, facts current
    at publication fit best."""
    if claim.period is None:
        if fact.period_start is None or fact.period_end is None:
            return 0.7
        if published is None:
            return 0.6
        if fact.period_start <= published <= fact.period_end:
            return 0.9
        if fact.period_end < published:
            age = (published - fact.period_end).days
            return 0.85 if age <= 45 else (0.6 if age <= 400 else 0.4)
        return 0.3
    if fact.period_start is None or fact.period_end is None:
        return 0.6
    score = overlap((claim.period.start, claim.period.end), (fact.period_start, fact.period_end))
    if (fact.period_end - fact.period_start).days < 7 and claim.period.start <= fact.period_start \
            and fact.period_end <= claim.period.end:
        # A fact of one day (an election, a closing price) inside the
        # claim's period is what "in 2021" or "last week" refers to.
        score = max(score, 0.8)
    fact_label = fiscal_label(fact.period)
    if claim.period.fiscal and fact_label and claim.period.fiscal == fact_label:
        # Companies write "the first quarter of 2025" for their fiscal
        # quarter; the label match stands in for the dates.
        score = max(score, 0.8)
    return score


def score_fact(claim: Claim, fact: Fact, published: date | None) -> Match | None:
    """The fit of one fact to one claim, or None when it cannot be evidence."""
    if fact_kind(fact) != claim.kind:
        return None
    planned = is_forecast_fact(fact)
    if claim.forecast and not (planned or "budget" in fact.metric.lower()) or planned and not claim.forecast:
        return None  # an expectation is not checked against a result, nor the other way round
    unit = unit_fit(claim.unit, fact.unit)
    if unit == 0:
        return None
    agree = same_region(claim.region, fact_region(fact))
    if agree is False:
        return None
    period = period_fit(claim, fact, published)
    if period < MIN_PERIOD and claim.period is not None:
        return None
    if claim.kind == "rank":
        metric = _rank_scope_fit(claim, fact)
    else:
        metric = metrics.similarity(_metric_words(claim), fact.metric)
        if metric is None:
            overlap_ = metrics.stem_fit(_local_words(claim), fact.metric)
            metric = round(0.6 + 0.4 * overlap_, 3) if overlap_ else None
        elif metric:
            said = " ".join(x for x in (claim.sentence, claim.region or "") if x)
            metric = round(metric * (0.5 + 0.5 * metrics.qualifier_fit(fact.metric, said)), 3)
    if metric == 0.0 and claim.metric_direct:
        return None
    metric_part = 0.6 if metric is None else (metric if metric > 0 else 0.3)
    region_part = 1.0 if agree else 0.9
    score = claim.subject_score * 0.25 + metric_part * 0.3 + period * 0.3 + unit * 0.1 + region_part * 0.05
    return Match(fact, round(min(score, 1.0), 3), metric, period)


def _metric_words(claim: Claim) -> str | None:
    """The claim's metric plus the noun it counts ("sold 4.27 million
    new-energy vehicles"), which tells apart facts of the same concept."""
    if not claim.metric:
        return None
    if claim.unit in _SPECIAL_UNITS or _CURRENCY.match(claim.unit) or claim.unit == "count":
        return claim.metric
    return f"{claim.metric} {claim.unit}"


def _local_words(claim: Claim) -> str:
    """The words next to the figure ("opened 38 stores", "took them to 64
    points") and the claim's metric, for claims with no known metric."""
    at = claim.sentence.find(claim.quote)
    before = claim.sentence[max(0, at - 40):at] if at >= 0 else ""
    before = " ".join(before.split()[-3:])
    unit = "" if claim.unit in _SPECIAL_UNITS or _CURRENCY.match(claim.unit) else claim.unit
    return " ".join(x for x in (claim.metric or "", before, unit) if x)


def _rank_scope_fit(claim: Claim, fact: Fact) -> float | None:
    """A ranking in a named field ("in tests of mathematics") fits only a
    rank fact about that field."""
    if not claim.scope:
        return 1.0
    want = metrics.context_words(claim.scope) | metrics.concepts(claim.scope)
    have = metrics.context_words(fact.metric) | metrics.concepts(fact.metric)
    return 1.0 if want & have else 0.0


def match_claim(claim: Claim, facts: list[Fact], published: date | None) -> list[Match]:
    """Facts that can be evidence for `claim`, best first.

    A claim whose metric was only inferred may still fall back on the one
    fact of its kind for that entity and period — but only when that fact
    is unique, so an inferred metric never chooses between rival facts.
    """
    scored = [m for f in facts if (m := score_fact(claim, f, published)) is not None]
    if not scored:
        return []
    fitting = [m for m in scored if m.metric_score is None or m.metric_score > 0]
    if not fitting and claim.kind == "change" and not claim.metric_direct:
        # "..., an increase of 50.1%": a nominal change often leaves unsaid
        # what changed; the one change fact of that entity and period is it.
        fitting = scored if len({m.fact.metric for m in scored}) == 1 else []
    elif any(m.metric_score is None for m in fitting) and len({m.fact.metric for m in fitting}) > 1:
        named = [m for m in fitting if m.metric_score]
        fitting = named
    if not fitting:
        return []
    best_period = max(m.period_score for m in fitting)
    fitting = [m for m in fitting if m.period_score >= best_period - 0.05]
    fitting = [m for m in fitting if m.score >= MIN_SCORE]
    return sorted(fitting, key=lambda m: (-m.score, m.fact.id))
