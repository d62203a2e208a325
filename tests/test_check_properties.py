"""Property tests: whatever text arrives, the whole check finishes, and
every claim it reports points back into the text it came from."""
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.check import check_text
from claims.periods import find_periods, parse_period
from tests.factories import MemoryFacts, fact

FACTS = MemoryFacts([
    fact("Northwind", "revenue", 3.1e9, "USD", "2025 Q1"),
    fact("Northwind", "market share", 19.9, "%", "2025 Q1"),
    fact("Contoso", "market rank", 1, "rank", "2025 Q1"),
])

WORDS = st.sampled_from([
    "Northwind", "Contoso", "its", "the company", "revenue", "rose", "fell", "by", "to", "nearly", "more than",
    "12%", "$3.1 billion", "19.9 percent", "first", "third-largest", "ranked", "No. 2", "in", "the first quarter",
    "of", "2025", "last year", "followed by", "and", ",", ".", ";", "respectively", "HK$123", "£3.4m", "two-thirds",
    "a dozen", "doubled", "\n\n", "@everyone", "<@&123>", "Q3", "fiscal 2024", "555-0199", "iPhone 16",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60).map(" ".join))
def test_news_like_text_never_crashes(text):
    result = check_text(text, FACTS, published=date(2025, 5, 6))
    for item in result.claims:
        c = item.claim
        assert text[c.start:c.end] == c.quote
        assert c.sentence in text
        assert item.verdict.verdict in ("supported", "contradicted", "unverified", "disputed")
        assert 0.0 <= item.verdict.confidence <= 1.0


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text):
    check_text(text, FACTS, published=None)
    find_periods(text, date(2025, 1, 1), 2024)
    parse_period(text)
