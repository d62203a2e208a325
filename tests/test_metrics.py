"""Metric synonyms meet; different metrics never do."""
import pytest

from claims.metrics import concepts, find_metric_mentions, is_change_metric, similarity


@pytest.mark.parametrize("claim, fact", [
    ("sales", "Greater China net sales"),
    ("revenue", "net sales"),
    ("market share", "China smartphone market share"),
    ("share price", "Hong Kong share price close"),
    ("shipments", "smartphone shipments change year over year"),
    ("net income", "net profit"),
])
def test_synonyms_match(claim, fact):
    assert similarity(claim, fact) >= 0.75


@pytest.mark.parametrize("claim, fact", [
    ("revenue", "net profit"),
    ("market share", "share price"),
    ("shipments", "revenue"),
])
def test_different_metrics_do_not_match(claim, fact):
    assert similarity(claim, fact) == 0.0


def test_unknown_metric_is_none_not_zero():
    assert similarity(None, "revenue") is None
    assert similarity("vibes", "revenue") is None


def test_longest_phrase_wins():
    assert [m.concept for m in find_metric_mentions("its share price and market share")] == ["price", "share"]
    assert concepts("net sales") == {"revenue"}


@pytest.mark.parametrize("metric, change", [
    ("revenue change year over year", True), ("shipments growth", True), ("revenue", False),
    ("market share", False)])
def test_change_metrics(metric, change):
    assert is_change_metric(metric) is change


def test_qualifying_words_must_be_said():
    from claims.metrics import qualifier_fit
    assert qualifier_fit("online sales", "Sales rose 4.2% in the quarter.") == 0.0
    assert qualifier_fit("online sales", "Online sales rose 12%.") == 1.0
    assert qualifier_fit("mean summer temperature", "Summer temperatures averaged 4.9C.") == 1.0


def test_word_stems_link_a_verb_to_a_metric():
    from claims.metrics import stem_fit
    assert stem_fit("opened 38 stores", "store openings") == 1.0
    assert stem_fit("opened 38 stores", "stores") == 1.0
    assert stem_fit("took them to points", "lead over second place") == 0.0
