"""Small builders for claims and facts in tests, so each test states only
what it is about."""
from __future__ import annotations

import itertools
from datetime import date

from claims.model import Claim, Fact
from claims.periods import parse_period

_ids = itertools.count(1)


def fact(entity="Acme", metric="revenue", value=100.0, unit="USD", period="2024", source="Acme annual report",
         qualifier="exact", **kw) -> Fact:
    p = parse_period(period) if period else None
    return Fact(id=next(_ids), entity=entity, metric=metric, value=value, unit=unit, source=source,
                qualifier=qualifier, period=period, period_start=p.start if p else None,
                period_end=p.end if p else None, **kw)


def claim(value=100.0, unit="USD", kind="quantity", precision=1.0, qualifier="exact", subject="Acme",
          metric="revenue", period="2024", **kw) -> Claim:
    return Claim(sentence="s", quote=str(value), start=0, end=1, kind=kind, value=value, unit=unit,
                 qualifier=qualifier, precision=precision, subject=subject, subject_score=1.0 if subject else 0,
                 metric=metric, metric_direct=True, period=parse_period(period) if period else None, **kw)


class MemoryFacts:
    """A FactSource over a list, for tests of the pure engine."""

    def __init__(self, facts: list[Fact], aliases: dict[str, list[str]] | None = None) -> None:
        self.facts = facts
        self.aliases = aliases or {}

    def entity_names(self):
        names = {f.entity: list(self.aliases.get(f.entity, [])) for f in self.facts}
        return names

    def facts_for(self, entity):
        return [f for f in self.facts if f.entity == entity]

    def peer_share_standing(self, metric, period_start, period_end, region, own_fact_id, own_value, top=4):
        own = next(f for f in self.facts if f.id == own_fact_id)
        best = {}
        for f in self.facts:
            if f.metric == metric and f.unit == "%" and f.region == region \
                    and (f.period_start, f.period_end) == (period_start, period_end):
                if f.entity not in best or f.value > best[f.entity].value:
                    best[f.entity] = f
        rivals = sorted((f for e, f in best.items() if e != own.entity and f.value > own_value), key=lambda f: -f.value)
        total = sum(f.value for e, f in best.items() if e != own.entity) + own_value
        return len(rivals), total, [f.id for f in rivals[:top]]

    def facts_by_id(self, fact_ids):
        return {f.id: f for f in self.facts if f.id in set(fact_ids)}


TODAY = date(2025, 3, 10)
