"""Fuzz target 1: the claim extractor (`claims.check.check_text`, `claims.figures.find_figures`).

Inputs: news articles and sentences from the grammar in tests/fuzz_strategies.py
(subjects, metrics, change verbs, figures in every notation, periods, hedges,
lists, quotes, noise), and random text. Properties: no exception at all (the
engine is pure and documents none), each call within CALL_BUDGET_S, every
reported claim and figure points back into the text, verdicts and summaries
are consistent, the JSON report is valid JSON, and figures written by the
report formatter (`claims.report.format_value`) parse back to the same value,
unit and qualifier.

Size: "ci" profile in the normal suite; FACTBOT_FUZZ_EXAMPLES=N (or --fuzz-full)
gives this target N inputs in all (split by `share`).
"""
from __future__ import annotations

import json
import math
from datetime import date

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from claims.check import check_text
from claims.figures import find_figures
from claims.model import KINDS, QUALIFIERS, VERDICTS
from claims.report import format_value, result_dict
from tests import fuzz_strategies as fz
from tests.factories import MemoryFacts, fact

pytestmark = pytest.mark.fuzz

FACTS = MemoryFacts([
    fact("Northwind", "revenue", 3.1e9, "USD", "2024"),
    fact("Northwind", "revenue", 3.3e9, "USD", "2024", source="Reuters"),  # disagrees: disputed
    fact("Northwind", "market share", 19.9, "%", "2025 Q1"),
    fact("Contoso", "market rank", 1, "rank", "2025 Q1"),
    fact("Harbour Line", "passengers", 11.8e6, "passengers", "2024"),
    fact("Harbour Line", "revenue", 1.92e9, "EUR", "2024"),
    fact("Harbour Line", "revenue change", 8, "%", "2024"),
    fact("Alibaba", "share price change", -11.1, "%", "2025 Q1"),
    fact("Apple", "Greater China net sales", 18.513e9, "USD", "FY2025 Q1"),
    fact("Toyota", "vehicles sold", 10.8e6, "vehicles", "2024", qualifier="approx"),
    fact("BYD", "deliveries", 4.27e6, "vehicles", "2024"),
    fact("Tesla", "deliveries", 1.79e6, "vehicles", "2024", qualifier="over"),
    fact("Acme Corp.", "net profit", 2.4e6, "USD", None),
    fact("Xiaomi", "smartphone market rank", 3, "rank", "2024"),
    fact("Samsung Electronics", "operating margin", 12.5, "%", "2024 Q3"),
    fact("Hang Seng", "index level", 19_500, "points", "2025-02-13"),
], aliases={"Harbour Line": ["Harbour Line Ltd.", "HLL"], "Acme Corp.": ["Acme"], "Samsung Electronics": ["Samsung"]})
FACT_IDS = {f.id for f in FACTS.facts}


def _check_invariants(text: str, max_claims: int, result) -> None:
    assert len(result.claims) <= max_claims
    assert result.more >= 0
    assert set(result.summary) == set(VERDICTS)
    assert sum(result.summary.values()) == len(result.claims)
    for item in result.claims:
        c, v = item.claim, item.verdict
        assert text[c.start:c.end] == c.quote, (c.start, c.end, c.quote)
        assert c.sentence in text
        assert c.kind in KINDS and c.qualifier in QUALIFIERS
        assert math.isfinite(c.value), c
        assert v.verdict in VERDICTS
        assert 0.0 <= v.confidence <= 1.0
        assert {m.fact.id for m in v.evidence} <= FACT_IDS
        if v.verdict == "unverified":
            continue
        assert v.evidence, f"{v.verdict} without evidence: {c.quote!r}"
    report = result_dict(result, "fuzz")
    json.dumps(report, allow_nan=False)  # `check --json` must be valid JSON (no NaN, no Infinity)


@fz.fuzz_settings(ci=60, share=0.45)
@given(text=fz.claim_text, max_claims=st.sampled_from([200, 200, 1, 3]), with_facts=st.booleans(),
       published=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31))))
def test_check_text_never_fails_and_stays_consistent(text, max_claims, with_facts, published):
    fz.tally("claims/check_text")
    note(f"text={text!r}")
    with fz.within(what="check_text"):
        result = check_text(text, FACTS if with_facts else None, published=published, max_claims=max_claims)
    _check_invariants(text, max_claims, result)


def _check_figures(text: str, figures) -> None:
    previous_end = 0
    for f in figures:
        assert 0 <= f.start < f.end <= len(text), f
        assert text[f.start:f.end] == f.text, f
        assert f.start >= previous_end, f"figures overlap or are out of order: {figures}"
        previous_end = f.end
        assert math.isfinite(f.value), f
        assert math.isfinite(f.precision) and f.precision > 0, f
        assert f.kind in KINDS and f.qualifier in QUALIFIERS, f
        assert isinstance(f.unit, str) and f.unit.strip(), f
        if f.kind == "rank":
            assert f.unit == "rank" and f.value >= 1 and float(f.value).is_integer(), f


@fz.fuzz_settings(ci=60, share=0.35)
@given(text=st.one_of(fz.news_sentence(), fz.any_text, fz.news_article()))
def test_find_figures_never_fails_and_points_into_the_text(text):
    fz.tally("claims/find_figures")
    note(f"text={text!r}")
    with fz.within(what="find_figures"):
        figures = find_figures(text)
    _check_figures(text, figures)
    json.dumps([{"text": f.text, "value": f.value, "unit": f.unit, "kind": f.kind} for f in figures],
               allow_nan=False)  # the `factbot figures` line


@fz.fuzz_settings(ci=60, share=0.20)
@given(value=fz.reportable_value(), frame=st.sampled_from(fz.ROUND_TRIP_FRAMES))
def test_values_written_by_the_report_formatter_parse_back(value, frame):
    fz.tally("claims/format_value round trip")
    number, unit, qualifier = value
    written = format_value(number, unit, qualifier)
    text = frame.format(written)
    note(f"format_value({number!r}, {unit!r}, {qualifier!r}) = {written!r}; text={text!r}")
    with fz.within(what="find_figures"):
        figures = find_figures(text)
    assert [f.text for f in figures] == [written], figures
    got = figures[0]
    assert got.unit == unit, got
    assert got.qualifier == qualifier, got
    assert got.kind == ("rank" if unit == "rank" else "quantity"), got
    # format_value keeps 4 significant digits for millions and up, 6 for percentages
    assert math.isclose(got.value, number, rel_tol=6e-4, abs_tol=1e-12), (got.value, number)


# -- found by this target, fixed: kept as regression tests ----------------------------------------


def test_followed_by_quote_is_the_text_it_points_at():
    """Found by this fuzz target (the span took the space after "by"); fixed in claims/rankings.py."""
    text = "Northwind topped the list with 17.2%, followed by Contoso with 12%."
    followed = [c.claim for c in check_text(text, FACTS, published=date(2025, 5, 6)).claims
                if c.claim.quote == "followed by"]
    assert followed and all(text[c.start:c.end] == c.quote for c in followed)


@pytest.mark.parametrize("text", ["Northwind ranked first, followed  by Contoso.",
                                  "Northwind ranked first, followed\nby Contoso."], ids=["two-spaces", "newline"])
def test_followed_by_quote_with_other_whitespace(text):
    result = check_text(text, FACTS, published=date(2025, 5, 6))
    followed = [c.claim for c in result.claims if c.claim.quote.startswith("followed")]
    assert followed
    for c in followed:
        assert text[c.start:c.end] == c.quote


@pytest.mark.parametrize("text", ["Sales were 3/4 more than 5 units.", "Turnout was 2/3 higher than 40%."],
                         ids=["more-than", "higher-than"])
def test_figures_never_overlap_after_a_fraction_change(text):
    figures = find_figures(text)
    assert all(a.end <= b.start for a, b in zip(figures, figures[1:])), figures


@pytest.mark.parametrize("value, unit, qualifier", [(-1.0, "%", "over"), (-7.0, "pp", "under")],
                         ids=["over-pct", "under-pp"])
def test_hedge_before_a_negative_percentage(value, unit, qualifier):
    written = format_value(value, unit, qualifier)
    figures = find_figures(f"The figure was {written} in 2024.")
    assert [(f.text, f.value, f.qualifier) for f in figures] == [(written, value, qualifier)]


@pytest.mark.parametrize("text", [
    "Acme revenue rose to $1.8e305 billion in 2024.",
    "Sales hit " + "9" * 400 + " units.",
], ids=["scale-overflow", "400-digits"])
def test_huge_numbers_are_not_figures(text):
    for f in find_figures(text):
        assert math.isfinite(f.value), f
    json.dumps(result_dict(check_text(text, FACTS), "x"), allow_nan=False)
