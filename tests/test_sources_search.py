"""Fuzzy search as an editor uses it: misspelt names, synonyms, partial names."""
from __future__ import annotations

from pathlib import Path

import pytest

from sources.db import open_db
from sources.importer import import_file
from sources.lookup import FactIndex
from sources.search import metric_similarity, search
from sources.store import remove_fact

FIXTURES = Path(__file__).parent / "fixtures" / "sources"

EXTRA = """entity,metric,value,unit,period,source,published
Apple,China smartphone market rank,3,rank,2024,Canalys,2025-01-16
Apple,Greater China net sales,20819000000,USD,FY2024 Q1 (quarter ended 2023-12-30),Apple 8-K for Q1 FY2024,2024-02-01
Huawei,Greater China revenue,100000000000,CNY,2024,Huawei annual report,2025-03-31
Applied Materials,China revenue,6000000000,USD,FY2024,Applied Materials 10-K,2024-12-13
Vivo,China smartphone market share,17,%,2024,Canalys,2025-01-16
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("search")
    database = open_db(tmp / "facts.db")
    import_file(database, FIXTURES / "facts.csv")
    (tmp / "extra.csv").write_text(EXTRA, encoding="utf-8")
    import_file(database, tmp / "extra.csv")
    yield database
    database.close()


def described(hit) -> tuple[str, str]:
    return hit.fact.entity, hit.fact.metric


def test_misspelt_entity_and_synonym_metric_rank_apple_net_sales_first(db):
    hits = search(db, "aple china revenue")
    assert described(hits[0]) == ("Apple", "Greater China net sales")
    assert described(hits[1]) == ("Apple", "Greater China net sales")
    # The newer of two equally good facts comes first.
    assert hits[0].fact.published > hits[1].fact.published
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= s <= 1.0 for s in scores)
    # Another company's Greater China revenue matches the metric exactly but
    # not the name: it must rank below Apple's figures.
    huawei = next(i for i, h in enumerate(hits) if described(h) == ("Huawei", "Greater China revenue"))
    assert huawei > 2 and hits[huawei].score < hits[0].score - 0.1


def test_synonym_in_the_other_direction(db):
    assert described(search(db, "apple turnover")[0]) == ("Apple", "Greater China net sales")


def test_alias_and_ticker_find_the_entity(db):
    assert search(db, "AAPL china sales")[0].fact.entity == "Apple"
    assert search(db, "9988.HK close")[0].fact.entity == "Alibaba"


def test_partial_name_finds_the_entity_by_word_prefix(db):
    hit = search(db, "hang seng close")[0]
    assert described(hit) == ("Hang Seng Index", "close")
    assert hit.fact.value == 21857


def test_metric_only_query_finds_the_metric_across_entities(db):
    hits = search(db, "smartphone market share", limit=3)
    assert {h.fact.metric for h in hits} == {"China smartphone market share"}
    assert {h.fact.entity for h in hits} == {"Apple", "Huawei", "Vivo"}


def test_entity_only_query_lists_its_facts(db):
    hits = search(db, "huawei")
    assert hits and {h.fact.entity for h in hits} == {"Huawei"}
    assert hits[0].score == 1.0


def test_nonsense_finds_nothing(db):
    assert search(db, "xyzzy plugh") == []
    assert search(db, "   ") == []


def test_limit(db):
    assert len(search(db, "china", limit=2)) == 2


def test_removed_fact_is_no_longer_found(tmp_path):
    database = open_db(tmp_path / "f.db")
    import_file(database, FIXTURES / "facts.csv")
    hit = search(database, "hang seng close")[0]
    remove_fact(database, hit.fact.id, by="test")
    assert all(h.fact.id != hit.fact.id for h in search(database, "hang seng close"))
    database.close()


def test_search_reuses_a_given_index(db):
    index = FactIndex(db)
    assert search(db, "aple china revenue", index=index)[0].fact.entity == "Apple"


def test_metric_similarity_prefers_fewer_extra_words():
    assert metric_similarity("china revenue", "greater china revenue") > \
        metric_similarity("china revenue", "greater china revenue change year over year")
    assert metric_similarity("", "revenue") == 0.0


def test_a_half_typed_metric_still_finds_its_facts(tmp_path):
    from bot.cli import main as cli
    facts = tmp_path / "f.csv"
    facts.write_text("entity,metric,value,unit,period,source\n"
                     "Tesla,deliveries,495570,vehicles,2024 Q4,Tesla update\n"
                     "Tesla,revenue,97690000000,USD,2024,Tesla update\n", encoding="utf-8")
    db_path = tmp_path / "s.db"
    assert cli(["sources", "import", str(facts), "--db", str(db_path)]) == 0
    from sources.db import open_db
    from sources.search import search
    hits = search(open_db(db_path), "tesla deliv")
    assert hits[0].fact.metric == "deliveries"
