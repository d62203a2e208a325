"""The claim matcher's interface: resolving mentions and reading facts."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from claims.model import Fact
from sources.db import open_db
from sources.importer import import_file
from sources.lookup import FactIndex

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "facts.db")
    import_file(database, FIXTURES / "facts.csv")
    (tmp_path / "more.csv").write_text(
        "entity,metric,value,unit,source\nXiaomi,China smartphone market share,14.8,%,IDC tracker\n"
        "HSBC,net income,22900000000,USD,HSBC annual report\n", encoding="utf-8")
    import_file(database, tmp_path / "more.csv")
    yield database
    database.close()


def test_entity_names_is_a_gazetteer_of_every_alias(db):
    names = FactIndex(db).entity_names()
    assert names["Apple"] == ["Apple", "Apple Inc.", "AAPL"]
    assert names["Qwen2.5-Max"] == ["Qwen2.5-Max", "Qwen 2.5-Max"]
    assert "Hang Seng Index" in names and "HSI" in names["Hang Seng Index"]


@pytest.mark.parametrize(("mention", "expected"), [
    ("Apple", "Apple"),
    ("Apple Inc.", "Apple"),
    ("apple inc", "Apple"),
    ("AAPL", "Apple"),
    ("Qwen 2.5-Max", "Qwen2.5-Max"),
    ("qwen2.5 max", "Qwen2.5-Max"),
    ("9988.HK", "Alibaba"),
    ("HSI", "Hang Seng Index"),
])
def test_exact_alias_resolves_with_full_score(db, mention, expected):
    assert FactIndex(db).resolve(mention)[0] == (expected, 1.0)


def test_corporate_suffix_is_stripped_only_as_a_fallback(db):
    index = FactIndex(db)
    name, score = index.resolve("Xiaomi Corporation")[0]
    assert name == "Xiaomi" and 0.9 <= score < 1.0
    assert index.resolve("Alibaba Group Holding Limited")[0][0] == "Alibaba"


@pytest.mark.parametrize(("mention", "expected"), [
    ("Alibabba", "Alibaba"),
    ("Huaweii", "Huawei"),
    ("Hang Seng Indx", "Hang Seng Index"),
])
def test_fuzzy_match_above_the_threshold(db, mention, expected):
    (name, score), *_ = FactIndex(db).resolve(mention)
    assert name == expected
    assert 0.85 <= score < 1.0


@pytest.mark.parametrize("mention", ["Ample", "Apricot", "Huawey", "HSBX Bank", "Hua", "Samsung", "", "..."])
def test_weak_match_returns_nothing(db, mention):
    assert FactIndex(db).resolve(mention) == []


def test_short_names_need_an_exact_match(db):
    # One letter off on a three-letter ticker is another ticker, not a typo.
    assert FactIndex(db).resolve("HSJ") == []


def test_facts_for_returns_fact_records_with_dates(db):
    facts = FactIndex(db).facts_for("Apple")
    assert {f.metric for f in facts} == {"Greater China net sales", "Greater China net sales change year over year",
                                         "China smartphone market share"}
    sales = next(f for f in facts if f.metric == "Greater China net sales")
    assert isinstance(sales, Fact)
    assert sales.value == 18513000000 and sales.unit == "USD" and sales.qualifier == "exact"
    assert (sales.period_start, sales.period_end) == (date(2024, 9, 29), date(2024, 12, 28))
    assert sales.aliases == ("Apple", "Apple Inc.", "AAPL")
    assert sales.url == "https://www.apple.com/newsroom/" and sales.published == "2025-01-30"


def test_facts_for_accepts_an_alias_and_ignores_unknown_names(db):
    index = FactIndex(db)
    assert {f.id for f in index.facts_for("AAPL")} == {f.id for f in index.facts_for("Apple")}
    assert index.facts_for("Nobody") == []


def test_facts_with_metric_lists_peers(db):
    peers = FactIndex(db).facts_with_metric("China smartphone market share")
    assert {f.entity for f in peers} == {"Apple", "Huawei", "Xiaomi"}


def test_index_sees_entities_added_after_it_was_built(db, tmp_path):
    index = FactIndex(db)
    assert index.resolve("Honor") == []
    (tmp_path / "honor.csv").write_text("entity,metric,value,unit,source\nHonor,share,14.6,%,IDC\n", encoding="utf-8")
    import_file(db, tmp_path / "honor.csv")
    assert index.resolve("Honor") == [("Honor", 1.0)]
    # ...also when another connection (another process) imports them.
    other = open_db(tmp_path / "facts.db")
    (tmp_path / "oppo.csv").write_text("entity,metric,value,unit,source\nOppo,share,14.1,%,IDC\n", encoding="utf-8")
    import_file(other, tmp_path / "oppo.csv")
    other.close()
    assert index.resolve("Oppo") == [("Oppo", 1.0)]
    assert [f.value for f in index.facts_for("Oppo")] == [14.1]
