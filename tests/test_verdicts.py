"""Verdicts compare at the claim's precision and with qualifiers."""
import pytest

from claims.match import match_claim
from claims.verdicts import agrees, decide, stated_precision
from tests.factories import TODAY, claim, fact


@pytest.mark.parametrize("claimed, precision, stored, ok", [
    (17.2, 0.1, 17.23, True),          # "17.2%" is supported by 17.23
    (18.5e9, 1e8, 18.513e9, True),     # "$18.5 billion"
    (18.6e9, 1e8, 18.513e9, False),    # "$18.6 billion" is contradicted by it
    (18.51e9, 1e7, 18.513e9, True),
    (17.2, 0.1, 17.0, True),           # the source's own precision is coarser
    (16.3, 0.1, 15.3, False),
])
def test_compares_at_the_coarser_precision(claimed, precision, stored, ok):
    assert agrees(claim(claimed, "%", precision=precision), fact(value=stored, unit="%")) is ok


@pytest.mark.parametrize("qualifier, claimed, stored, fact_q, ok", [
    ("approx", 9, 8.7, "exact", True),     # "nearly 9%"
    ("approx", 11, 11.1, "exact", True),   # "about 11%"
    ("approx", 9, 7.0, "exact", False),
    ("over", 40, 41, "exact", True),       # "over 40%"
    ("over", 40, 38, "exact", False),
    ("over", 40, 40, "over", True),
    ("exact", 50.1, 50, "over", True),     # source says "more than 50%"
    ("exact", 45, 50, "over", False),
    ("under", 5, 4.2, "exact", True),
    ("under", 5, 6, "exact", False),
])
def test_qualifiers(qualifier, claimed, stored, fact_q, ok):
    c = claim(claimed, "%", qualifier=qualifier)
    assert agrees(c, fact(value=stored, unit="%", qualifier=fact_q)) is ok


def test_signed_changes_must_agree_in_direction():
    c = claim(-11.1, "%", kind="change", precision=0.1, metric="sales")
    assert agrees(c, fact(metric="sales change year over year", value=-11.1, unit="%"))
    assert not agrees(c, fact(metric="sales change year over year", value=11.1, unit="%"))


def test_ranks_compare_exactly():
    c = claim(3, "rank", kind="rank", metric="rank")
    assert agrees(c, fact(metric="market rank", value=3, unit="rank"))
    assert not agrees(c, fact(metric="market rank", value=2, unit="rank"))


@pytest.mark.parametrize("value, step", [(17.23, 0.01), (17, 1), (18513000000, 1e6), (0.5, 0.1), (286200000, 1e5)])
def test_stated_precision(value, step):
    assert stated_precision(value) == pytest.approx(step)


def test_contradicted_shows_the_right_value_first():
    c = claim(510000, "vehicles", metric="deliveries", period="2024 Q4", precision=1000)
    facts = [fact(metric="deliveries", value=495570, unit="vehicles", period="2024 Q4"),
             fact(metric="deliveries", value=1789226, unit="vehicles", period="2024")]
    v = decide(c, match_claim(c, facts, TODAY))
    assert v.verdict == "contradicted"
    assert v.evidence[0].fact.value == 495570
    assert 0 < v.confidence <= 1


def test_no_adequate_fact_is_unverified():
    c = claim(12.0, "%", metric="market share", period="2024")
    facts = [fact(metric="revenue", value=12.0, unit="USD"), fact(metric="market share", value=12.0, unit="%",
                                                                  period="2021")]
    v = decide(c, match_claim(c, facts, TODAY))
    assert v.verdict == "unverified" and v.evidence == []


def test_sources_that_disagree_make_a_claim_disputed():
    c = claim(20.0, "%", metric="market share", precision=1)
    facts = [fact(metric="market share", value=20.0, unit="%", source="Tracker A"),
             fact(metric="market share", value=23.0, unit="%", source="Tracker B")]
    assert decide(c, match_claim(c, facts, TODAY)).verdict == "disputed"


def test_the_source_the_article_cites_settles_a_disagreement():
    c = claim(23.0, "%", metric="market share", precision=1, cited_source="Tracker B")
    facts = [fact(metric="market share", value=20.0, unit="%", source="Tracker A"),
             fact(metric="market share", value=23.0, unit="%", source="Tracker B")]
    v = decide(c, match_claim(c, facts, TODAY))
    assert v.verdict == "supported"
    assert v.evidence[0].fact.source == "Tracker B"


def test_currencies_are_never_converted():
    c = claim(777.1e9, "USD", precision=1e8)
    assert decide(c, match_claim(c, [fact(value=777.1e9, unit="CNY")], TODAY)).verdict == "unverified"


def test_fiscal_quarter_label_matches_when_dates_do_not():
    c = claim(18.51e9, "USD", precision=1e7, metric="revenue")
    from claims.periods import find_periods
    c.period = find_periods("in the first quarter of 2025")[0].period
    f = fact(value=18.513e9, period="FY2025 Q1 (quarter ended 2024-12-28)")
    assert decide(c, match_claim(c, [f], TODAY)).verdict == "supported"


def test_a_different_region_is_not_evidence():
    c = claim(15.0, "%", metric="market share", region="global")
    f = fact(metric="China smartphone market share", value=15.0, unit="%")
    assert decide(c, match_claim(c, [f], TODAY)).verdict == "unverified"


def test_rank_derived_from_shares_only_when_the_shares_settle_it():
    from claims.check import check_text
    from tests.factories import MemoryFacts
    facts = MemoryFacts([
        fact("Acme", "EU widget market share", 40.0, "%", "2024"),
        fact("Bolt", "EU widget market share", 35.0, "%", "2024"),
        fact("Crux", "EU widget market share", 15.0, "%", "2024"),
        fact("Dyna", "EU widget market share", 4.0, "%", "2024"),
    ])
    def verdict(text):
        return check_text(text, facts, published=TODAY).claims[0].verdict.verdict
    assert verdict("Bolt ranked second in 2024.") == "supported"      # only 6% unaccounted: nobody else fits above
    assert verdict("Bolt ranked first in 2024.") == "contradicted"    # Acme's share is larger
    assert verdict("Dyna ranked fourth in 2024.") == "unverified"     # 6% unaccounted could hide a rival above 4%


@pytest.mark.parametrize("text, verdict", [
    ("Northwind said revenue rose 10% to $110 million in 2024.", "supported"),
    ("Northwind said revenue rose about 10% in 2024.", "supported"),
    ("Northwind said revenue rose 15% in 2024.", "contradicted"),
    ("Northwind said revenue fell 10% in 2024.", "contradicted"),
    ("Northwind said profit rose 10% in 2024.", "unverified"),   # no profit values to compute from
])
def test_change_derived_from_the_values_of_two_periods(text, verdict):
    from claims.check import check_text
    from tests.factories import MemoryFacts
    facts = MemoryFacts([fact("Northwind", "revenue", 110e6, "USD", "2024"),
                         fact("Northwind", "revenue", 100e6, "USD", "2023")])
    item = next(c for c in check_text(text, facts, published=TODAY).claims if c.claim.kind == "change")
    assert item.verdict.verdict == verdict
    if verdict != "unverified":
        assert [m.fact.value for m in item.verdict.evidence] == [110e6, 100e6]
