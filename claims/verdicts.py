"""Verdicts: compare a claim with the facts that match it.

Figures are compared at the precision the writer used ("17.2%" is
supported by 17.23, "$18.6 billion" is contradicted by 18.513e9), or the
source's if it is coarser, and with both sides' qualifiers ("over 40%"
holds when the source says 41). Facts that agree with each other are one
piece of evidence; facts that disagree make the claim disputed, unless the
article names its source and that source has the fact.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from claims.match import Match
from claims.model import Claim, Fact

APPROX_SHARE = 0.05  # "about", "nearly": within 5% of the value, or a step of the last digit


@dataclass
class Verdict:
    verdict: str
    confidence: float
    evidence: list[Match] = field(default_factory=list)
    note: str | None = None


def stated_precision(value: float) -> float:
    """The step of the last significant digit of a stored value: 17.23 ->
    0.01, 17 -> 1, 18513000000 -> 1e6 (large round numbers are rounded;
    small ones are taken as exact)."""
    if value == 0 or not math.isfinite(value):
        return 1.0
    text = repr(abs(float(value)))
    if "e" in text:
        mantissa, exp = text.split("e")
        decimals = len(mantissa.split(".")[1].rstrip("0")) if "." in mantissa else 0
        return 10.0 ** (int(exp) - decimals)
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    if frac:
        return 10.0 ** -len(frac)
    if abs(value) < 10_000:
        return 1.0  # "40" from a source is 40, not "about 40"
    stripped = whole.rstrip("0")
    return 10.0 ** (len(whole) - len(stripped)) if stripped else 1.0


def _claim_interval(claim: Claim, step: float) -> tuple[float, float]:
    """The values a claim allows when written at a precision of `step`."""
    half = step / 2
    value = claim.value
    if claim.qualifier == "over":
        return value - half, math.inf
    if claim.qualifier == "under":
        return -math.inf, value + half
    if claim.qualifier == "approx":
        spread = max(step, abs(value) * APPROX_SHARE)
        return value - spread, value + spread
    return value - half, value + half


def _fact_interval(fact: Fact) -> tuple[float, float]:
    """The values a fact allows: a point, or a bound for "more than"."""
    if fact.qualifier == "over":
        return fact.value, math.inf
    if fact.qualifier == "under":
        return -math.inf, fact.value
    if fact.qualifier == "approx":
        spread = max(stated_precision(fact.value), abs(fact.value) * APPROX_SHARE)
        return fact.value - spread, fact.value + spread
    return fact.value, fact.value


def agrees(claim: Claim, fact: Fact) -> bool:
    """Whether what the claim says is compatible with what the fact says,
    at the coarser of the two precisions."""
    if claim.kind == "rank":
        if fact.qualifier == "under":  # "a top-3 brand": rank at most N
            return claim.value <= fact.value
        return round(claim.value) == round(fact.value)
    step = max(claim.precision or 0, stated_precision(fact.value))
    c_lo, c_hi = _claim_interval(claim, step)
    f_lo, f_hi = _fact_interval(fact)
    eps = 1e-9 * max(1.0, abs(claim.value))
    if claim.qualifier == "over" and fact.qualifier == "exact":
        c_lo = claim.value - stated_precision(fact.value) / 2
    if claim.qualifier == "under" and fact.qualifier == "exact":
        c_hi = claim.value + stated_precision(fact.value) / 2
    return c_lo - eps <= f_hi and f_lo <= c_hi + eps


def _same_subject_matter(a: Fact, b: Fact) -> bool:
    """Two facts state the same thing (so may dispute each other) when they
    have the same entity, metric wording and period; different metrics of
    one source ("new-energy" and "battery-electric" sales) never dispute."""
    return (a.entity == b.entity and fuzz.token_sort_ratio(a.metric.lower(), b.metric.lower()) >= 90
            and a.period_start == b.period_start and a.period_end == b.period_end)


def _same_statement(a: Fact, b: Fact) -> bool:
    step = max(stated_precision(a.value), stated_precision(b.value))
    return abs(a.value - b.value) <= step / 2 + 1e-12 and a.qualifier == b.qualifier


def _cited(matches: list[Match], cited: str | None) -> list[Match]:
    if not cited:
        return []
    key = cited.lower()
    return [m for m in matches if key in m.fact.source.lower() or m.fact.source.lower() in key]


def decide(claim: Claim, matches: list[Match]) -> Verdict:
    """The verdict for one claim given its matching facts (best first)."""
    if not matches:
        return Verdict("unverified", 0.9 if claim.subject else 0.6)
    cited = _cited(matches, claim.cited_source)
    pool = cited or matches
    top = pool[0]
    # Facts from other sources about the same thing: if they disagree
    # among themselves beyond precision, the claim is disputed.
    rivals = [m for m in pool if _same_subject_matter(m.fact, top.fact)]
    statements: list[Fact] = []
    for m in rivals:
        if not any(_same_statement(m.fact, s) for s in statements):
            statements.append(m.fact)
    results = {agrees(claim, f) for f in statements}
    confidence = round(top.score, 2)
    if len(statements) > 1 and len({m.fact.source for m in rivals}) > 1 and results == {True, False}:
        return Verdict("disputed", round(confidence * 0.8, 2), rivals,
                       "reference sources disagree")
    if all(results):
        return Verdict("supported", confidence, rivals)
    if not any(results):
        return Verdict("contradicted", confidence, rivals)
    return Verdict("disputed", round(confidence * 0.8, 2), rivals, "reference facts disagree")
