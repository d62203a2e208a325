"""Verdicts derived from other facts when no fact states the claim
directly: a rank from the market shares of the same period and region.

Derivation only decides what the known facts settle. If two rivals are
known to have larger shares, "ranked second" is contradicted; "ranked
fourth" is only supported when the shares not accounted for are too small
for an unknown rival to sit above.
"""
from __future__ import annotations

from datetime import date

from claims import metrics
from claims.match import Match, fact_region, period_fit
from claims.model import Claim, Fact
from claims.verdicts import Verdict


def derived_rank(claim: Claim, own_facts: list[Fact], source, published: date | None) -> Verdict | None:
    shares = [f for f in own_facts if f.unit == "%" and "share" in metrics.concepts(f.metric)
              and not metrics.is_change_metric(f.metric)
              and period_fit(claim, f, published) >= 0.8]
    if not shares:
        return None
    own = max(shares, key=lambda f: period_fit(claim, f, published))
    region = fact_region(own)
    candidates = source.facts_with_metric(own.metric, period_start=own.period_start, period_end=own.period_end)
    # Peers share the metric's wording, so they share its region; only an
    # explicit region column can differ.
    peers = [f for f in candidates
             if f.period_start == own.period_start and f.period_end == own.period_end
             and f.unit == "%" and (f.region == own.region or fact_region(f) == region)]
    by_entity: dict[str, float] = {}
    for f in peers:
        by_entity[f.entity] = max(by_entity.get(f.entity, 0.0), f.value)
    by_entity[own.entity] = own.value
    above = sum(1 for e, v in by_entity.items() if e != own.entity and v > own.value)
    evidence = [Match(f, 0.7, 1.0, 1.0) for f in sorted(peers, key=lambda f: -f.value)][:5]
    if claim.value < above + 1:
        return Verdict("contradicted", 0.7, evidence, f"{above} rivals had a larger share")
    unaccounted = 100.0 - sum(by_entity.values())
    if claim.value == above + 1 and unaccounted < own.value:
        return Verdict("supported", 0.7, evidence, "derived from market shares")
    return None
