"""Verdicts derived from other facts when no fact states the claim
directly: a rank from the market shares of the same period and region, a
change from the values of two periods.

Derivation only decides what the known facts settle. If two rivals are
known to have larger shares, "ranked second" is contradicted; "ranked
fourth" is only supported when the shares not accounted for are too small
for an unknown rival to sit above.
"""
from __future__ import annotations

from datetime import date

from claims import metrics
from claims.match import Match, fact_kind, period_fit, unit_fit
from claims.periods import shift
from claims.model import Claim, Fact
from claims.verdicts import Verdict, agrees


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


def derived_change(claim: Claim, own_facts: list[Fact], published: date | None) -> Verdict | None:
    """"Revenue rose 10%" when the facts give revenue for the period and the
    year before but no change: the change is computed from the two values
    (same metric, unit and source) and compared like a stated one."""
    if claim.kind != "change" or claim.unit != "%" or claim.period is None or not claim.metric:
        return None
    earlier = shift(claim.period, -1)
    levels = [f for f in own_facts if fact_kind(f) == "quantity" and f.unit not in ("%", "pp")
              and metrics.similarity(claim.metric, f.metric)]
    for now in sorted(levels, key=lambda f: -(metrics.similarity(claim.metric, f.metric) or 0)):
        if period_fit(claim, now, published) < 0.8:
            continue
        for before in levels:
            if before.id == now.id or before.metric != now.metric or unit_fit(before.unit, now.unit) < 1 \
                    or before.source != now.source or before.value == 0:
                continue
            moved = Claim(**{**{k: getattr(claim, k) for k in claim.__slots__}, "period": earlier})
            if period_fit(moved, before, published) < 0.8:
                continue
            change = (now.value - before.value) / abs(before.value) * 100
            computed = Fact(id=0, entity=now.entity, metric=f"{now.metric} change (computed)",
                            value=round(change, 2), unit="%", source=now.source, period=now.period,
                            period_start=now.period_start, period_end=now.period_end)
            evidence = [Match(now, 0.7, 1.0, 1.0), Match(before, 0.7, 1.0, 1.0)]
            note = f"computed from {before.value:,.10g} to {now.value:,.10g}: {change:+.1f}%"
            verdict = "supported" if agrees(claim, computed) else "contradicted"
            return Verdict(verdict, 0.7, evidence, note)
    return None
