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
    above, total, rivals = source.peer_share_standing(own.metric, own.period_start, own.period_end, own.region,
                                                       own.id, own.value)
    shown = rivals + [own.id]
    found = source.facts_by_id(shown)
    evidence = [Match(found[i], 0.7, 1.0, 1.0) for i in shown if i in found]
    if claim.value < above + 1:
        return Verdict("contradicted", 0.7, evidence, f"{above} rivals had a larger share")
    if claim.value == above + 1 and 100.0 - total < own.value:
        return Verdict("supported", 0.7, evidence, "derived from market shares")
    return None
