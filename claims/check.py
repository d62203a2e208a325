"""The whole check, as a pure function: text -> claims -> matches ->
verdicts. Facts come through a small interface so this module never
touches a database (the CLI and the bot pass `sources.lookup`'s index)."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from claims.derive import derived_change, derived_rank
from claims.extract import extract_claims
from claims.match import match_claim
from claims.model import Claim, Fact
from claims.periods import find_article_date
from claims.subjects import Gazetteer
from claims.verdicts import Verdict, decide

ENGINE_VERSION = "0.1"


class FactSource(Protocol):
    """What the check needs from the fact database."""

    def entity_names(self) -> Mapping[str, Iterable[str]]: ...

    def facts_for(self, entity: str) -> list[Fact]: ...

    def peer_share_standing(self, metric: str, period_start: date | None, period_end: date | None,
                            region: str | None, own_fact_id: int, own_value: float,
                            top: int = 4) -> tuple[int, float, list[int]]:
        """(rivals with a larger share, sum of every entity's share, ids of the
        largest rivals' facts) among % facts of this metric, period and region."""
        ...

    def facts_by_id(self, fact_ids: list[int]) -> Mapping[int, Fact]: ...


@dataclass
class CheckedClaim:
    claim: Claim
    verdict: Verdict


@dataclass
class CheckResult:
    claims: list[CheckedClaim]
    published: date | None
    title: str | None
    more: int = 0
    summary: dict[str, int] = field(default_factory=dict)


def check_text(text: str, facts: FactSource | None, *, published: date | None = None,
               max_claims: int = 200, gazetteer: Gazetteer | None = None) -> CheckResult:
    """Check every claim of an article against the facts.

    Without `published`, the date is read from the article's first lines
    when it states one, so "last year" still resolves.
    """
    if published is None:
        published = find_article_date(text)
    if gazetteer is None and facts is not None:
        # A fact index that keeps its gazetteer (sources.lookup.FactIndex)
        # saves rebuilding it for every article of a long-running bot.
        cached = getattr(facts, "gazetteer", None)
        gazetteer = cached() if callable(cached) else Gazetteer.from_names(facts.entity_names())
    extraction = extract_claims(text, published=published, gazetteer=gazetteer, max_claims=max_claims)
    checked: list[CheckedClaim] = []
    cache: dict[str, list[Fact]] = {}
    for claim in extraction.claims:
        candidates: list[Fact] = []
        if facts is not None and claim.subject:
            if claim.subject not in cache:
                cache[claim.subject] = facts.facts_for(claim.subject)
            candidates = cache[claim.subject]
        matches = match_claim(claim, candidates, published)
        verdict = decide(claim, matches)
        if verdict.verdict == "unverified" and claim.kind == "rank" and facts is not None and candidates:
            verdict = derived_rank(claim, candidates, facts, published) or verdict
        if verdict.verdict == "unverified" and claim.kind == "change" and candidates:
            verdict = derived_change(claim, candidates, published) or verdict
        checked.append(CheckedClaim(claim, verdict))
    summary = {v: 0 for v in ("supported", "contradicted", "unverified", "disputed")}
    for c in checked:
        summary[c.verdict.verdict] += 1
    return CheckResult(checked, published, extraction.title, extraction.more, summary)
