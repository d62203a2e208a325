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
from claims.match import Match, period_fit
from claims.model import Claim, Fact
from claims.verdicts import Verdict


def derived_rank(claim: Claim, own_facts: list[Fact], source, published: date | None) -> Verdict | None:
    shares = [f for f in own_facts if f.unit == "%" and "share" in metrics.concepts(f.metric)
              and not metrics.is_change_metric(f.metric)
              and period_fit(claim, f, published) >= 0.8]
    if not shares:
        return None
    own = max(shares, key=lambda f: period_fit(claim, f, published))
    # Peers share the metric's wording, so its region; only an explicit
    # region column can set one apart.
    peers = [p for p in source.peer_shares(own.metric, own.period_start, own.period_end)
             if p[3] == own.region]
    own_key = next((entity for fact_id, entity, _v, _r in peers if fact_id == own.id), own.entity)
    by_entity: dict[object, tuple[float, int]] = {}
    for fact_id, entity, value, _region in peers:
        if entity not in by_entity or value > by_entity[entity][0]:
            by_entity[entity] = (value, fact_id)
    by_entity[own_key] = (own.value, own.id)
    above = sorted(((v, i) for e, (v, i) in by_entity.items() if e != own_key and v > own.value), reverse=True)
    shown = [i for _, i in above[:4]] + [own.id]
    found = source.facts_by_id(shown)
    evidence = [Match(found[i], 0.7, 1.0, 1.0) for i in shown if i in found]
    if claim.value < len(above) + 1:
        return Verdict("contradicted", 0.7, evidence, f"{len(above)} rivals had a larger share")
    unaccounted = 100.0 - sum(v for v, _ in by_entity.values())
    if claim.value == len(above) + 1 and unaccounted < own.value:
        return Verdict("supported", 0.7, evidence, "derived from market shares")
    return None
