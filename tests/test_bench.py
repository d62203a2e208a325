"""`factbot bench`: that it runs and keeps its JSON contract, and that the
benchmark's own material is right. No timing is asserted anywhere: speed
is what the benchmark reports, not what a test can judge on a shared machine."""
from __future__ import annotations

import json
import random
import re
import sys
from datetime import date
from types import SimpleNamespace

import pytest

from bot import bench
from bot import bench_corpus as corpus
from bot.cli import main
from sources.db import open_db
from sources.lookup import FactIndex

# --------------------------------------------------------------------------------------------------
# The command


@pytest.fixture(scope="module")
def quick_json(tmp_path_factory) -> dict:
    """One `factbot bench --quick --json` run shared by the contract tests (a few seconds)."""
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["bench", "--quick", "--json", "--workdir", str(tmp_path_factory.mktemp("bench"))])
    assert code == 0
    return json.loads(out.getvalue())


def test_quick_json_has_the_contract_keys(quick_json):
    r = quick_json
    assert isinstance(r["machine"], str) and "cores" in r["machine"] and "Python" in r["machine"]
    assert date.fromisoformat(r["date"])
    ext = r["extraction"]
    for key in ("sentences", "per_second", "recall", "quantulum3", "speedup"):
        assert key in ext
    assert ext["sentences"] == bench.QUICK.sentences and 0 <= ext["recall"] <= 1
    if ext["quantulum3"].get("available"):
        assert {"per_second", "recall"} <= set(ext["quantulum3"]) and ext["speedup"] > 0
    else:
        assert ext["quantulum3"]["reason"] and ext["speedup"] is None
    check = r["check"]
    for key in ("article_words", "by_facts", "growth_1e3_to_1e6", "peak_rss_mb"):
        assert key in check
    assert set(check["by_facts"]) == {str(n) for n in bench.QUICK.check_sizes}
    for size in check["by_facts"].values():
        assert size["p50_ms"] > 0 and size["p95_ms"] >= size["p50_ms"]
        assert size["claims"] > 0
    assert check["growth_1e3_to_1e6"] is None  # --quick stops at 10^4; the ratio it has is under "growth"
    assert check["growth"]["p95_ratio"] > 0 and check["peak_rss_mb"] > 0
    assert {"seconds", "rows_per_second"} <= set(r["import"])
    assert set(r["search"]["by_facts"]) == {str(n) for n in bench.QUICK.search_sizes}
    assert set(r["goals"]) >= {"extraction_speedup", "check_p95_at_1e6", "check_growth_1e3_to_1e6"}


def test_table_shows_figures_and_goals(quick_json):
    table = bench.render_table(quick_json)
    assert "Figure extraction" in table and "Whole check" in table and "Goals:" in table
    assert "10,000" in table  # the largest quick database size


def test_a_missing_quantulum3_is_reported_not_fatal(monkeypatch):
    monkeypatch.setitem(sys.modules, "quantulum3", None)  # makes `import quantulum3` raise ImportError
    result = bench.bench_extraction(20, repeats=1)
    assert result["quantulum3"]["available"] is False
    assert "not installed" in result["quantulum3"]["reason"]
    assert result["speedup"] is None and result["per_second"] > 0


# --------------------------------------------------------------------------------------------------
# Labels of the generated sentences, checked by an independent reading of each quote

_SCALE_WORDS = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
_GLUED = {"bn": 1e9, "m": 1e6}
_WORDS = {w: n for n, w in enumerate(("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                                      "eleven", "twelve"), start=2)}
_ORDINALS = {w: n for n, w in enumerate(("first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                                         "eighth", "ninth", "tenth"), start=1)}


def _read_quote(quote: str) -> float:
    """The number a quote states, read without the generator's code."""
    if quote in _ORDINALS:
        return _ORDINALS[quote]
    rank = re.fullmatch(r"(?:No\. )?(\d+)(?:st|nd|rd|th)?", quote)
    if rank:
        return int(rank.group(1))
    m = re.match(r"^(?P<word>[a-z]+)(?: (?P<scale>million))?\b", quote.lower())
    if m and m.group("word") in _WORDS:
        return _WORDS[m.group("word")] * (1e6 if m.group("scale") else 1)
    m = re.search(r"(?P<n>\d[\d,]*(?:\.\d+)?)(?:(?P<glued>bn|m)(?![A-Za-z])|\s+(?P<word>million|billion|trillion)\b)?",
                  quote)
    assert m, quote
    value = float(m.group("n").replace(",", ""))
    if m.group("glued"):
        value *= _GLUED[m.group("glued")]
    elif m.group("word"):
        value *= _SCALE_WORDS[m.group("word")]
    if "basis points" in quote:
        value /= 100
    return value


def test_every_label_quotes_its_sentence_and_states_the_quoted_number():
    for s in corpus.labelled_sentences(len(corpus.TEMPLATES) * 6):
        assert s.figures, s.text
        for e in s.figures:
            assert e.quote in s.text, (e.quote, s.text)
            assert abs(abs(e.value) - _read_quote(e.quote)) <= 1e-9 * max(1.0, abs(e.value)), (e, s.text)
            assert e.kind in ("quantity", "change", "rank")


def test_labels_units_and_signs_on_hand_read_samples():
    text, labels = corpus.render("Net profit fell {chg_pct:-} to {money} in {year}.", random.Random(3))
    assert text.startswith("Net profit fell ") and len(labels) == 2
    assert labels[0].unit == "%" and labels[0].kind == "change" and labels[0].value < 0
    assert labels[1].kind == "quantity" and labels[1].value > 0
    assert re.fullmatch(r"[A-Z]{3}", labels[1].unit)
    symbol_of = {"USD": "$", "HKD": "HK$", "TWD": "NT$", "SGD": "S$", "AUD": "A$", "EUR": "€", "GBP": "£"}
    word_of = {"CNY": "yuan", "JPY": "yen", "EUR": "euros", "KRW": "won"}
    assert labels[1].quote.startswith(symbol_of.get(labels[1].unit, "\0")) or \
        labels[1].quote.endswith(word_of.get(labels[1].unit, "\0"))

    _, up = corpus.render("The index gained {chg_points:+} to {points}.", random.Random(5))
    assert [(e.unit, e.kind, e.value > 0) for e in up] == [("points", "change", True), ("points", "quantity", True)]
    _, rank = corpus.render("It was the {rank:adj}-largest seller.", random.Random(1))
    assert rank[0].unit == "rank" and 2 <= rank[0].value <= 10
    _, count = corpus.render("{count:vehicles} were sold.", random.Random(2))
    assert count[0].unit == "vehicles"


def test_sentences_are_the_same_whatever_the_count():
    assert corpus.labelled_sentences(60)[:50] == corpus.labelled_sentences(50)


# --------------------------------------------------------------------------------------------------
# Scoring and the quantulum3 unit mapping


def test_lenient_matching_reads_magnitude_and_unit_class_strict_reads_all():
    expected = [corpus.Expected(-3.2, "%", "change", "3.2%"), corpus.Expected(4.27e6, "vehicles", "quantity", "")]
    lenient_found = [bench.Found(3.2, "%", "quantity"), bench.Found(4.27e6, "count", "quantity")]
    assert bench.match_figures(expected, lenient_found) == []
    assert len(bench.match_figures(expected, lenient_found, strict=True)) == 2
    exact = [bench.Found(-3.2, "%", "change"), bench.Found(4.2701e6, "vehicles", "quantity")]
    assert bench.match_figures(expected, exact, strict=True) == []
    assert bench.match_figures(expected, [bench.Found(3.2, "pp", "change")]) == expected  # % is not pp
    one = [bench.Found(3.2, "%", "change")]
    assert bench.match_figures(expected[:1] * 2, one) == expected[:1]  # a found figure counts once


def _quantity(name: str, entity: str, value: float, code: str | None = None) -> SimpleNamespace:
    unit = SimpleNamespace(name=name, entity=SimpleNamespace(name=entity), currency_code=code)
    return SimpleNamespace(unit=unit, value=value)


@pytest.mark.parametrize(("q", "found"), [
    (_quantity("dollar", "currency", 1.8e10, "USD"), bench.Found(1.8e10, "USD", "quantity")),
    (_quantity("percentage", "dimensionless", 17.2), bench.Found(17.2, "%", "quantity")),
    (_quantity("per cent", "unknown", 4.5), bench.Found(4.5, "%", "quantity")),
    (_quantity("basis point", "dimensionless", 25), bench.Found(0.25, "pp", "quantity")),
    (_quantity("dimensionless", "dimensionless", 500), bench.Found(500, "count", "quantity")),
    (_quantity("kilometre", "length", 120), bench.Found(120, "kilometer", "quantity")),
    (_quantity("square metre", "area", 10), bench.Found(10, "square meter", "quantity")),
    (_quantity("degree Celsius", "temperature", 41.2), bench.Found(41.2, "degree celsius", "quantity")),
])
def test_quantulum_units_map_to_ours(q, found):
    assert bench._map_quantulum(q) == found


def test_a_percentage_glued_to_a_spurious_unit_still_counts_as_percent():
    q = _quantity("percentage ampere-turn", "unknown", 30)
    q.unit.dimensions = [{"base": "percentage", "power": 1}, {"base": "ampere-turn", "power": 1}]
    assert bench._map_quantulum(q) == bench.Found(30, "%", "quantity")


def test_percentile_is_nearest_rank():
    runs = list(range(1, 21))
    assert bench.percentile(runs, 95) == 19 and bench.percentile(runs, 50) == 10
    assert bench.percentile([7.0], 95) == 7.0


# --------------------------------------------------------------------------------------------------
# Facts and the article


def test_entities_and_facts_do_not_depend_on_the_database_size(tmp_path):
    small = corpus.build_fact_db(tmp_path / "small.db", 1_000)
    large = corpus.build_fact_db(tmp_path / "large.db", 3_000)
    assert (small.entities, large.entities) == (100, 300)
    read = lambda path: FactIndex(open_db(path)).facts_for(corpus.entity_name(7))  # noqa: E731
    facts_small, facts_large = read(small.path), read(large.path)
    assert [(f.metric, f.value, f.unit, f.period) for f in facts_small] == \
        [(f.metric, f.value, f.unit, f.period) for f in facts_large]
    assert len(facts_small) == corpus.FACTS_PER_ENTITY
    assert len({corpus.entity_name(i) for i in range(5_000)}) == 5_000


def test_the_article_is_about_entities_every_database_has(tmp_path):
    article = corpus.make_article()
    assert 1_400 <= article.words <= 1_700
    assert len(article.planned) >= 35
    assert max(corpus.ARTICLE_ENTITIES) < 100  # all within a 10^3-fact database
    for i in corpus.ARTICLE_ENTITIES[:10]:
        assert corpus.entity_name(i) in article.text or corpus.entity_root(i) in article.text
    for name in corpus.UNKNOWN_COMPANIES:
        assert name in article.text
    summary = article.planned_summary()
    assert summary["supported"] and summary["contradicted"] and summary["unverified"]


# --------------------------------------------------------------------------------------------------
# What the bench relies on in sources.lookup (belongs in test_sources_lookup.py; its owner may move it)


def test_fact_index_builds_its_gazetteer_once_per_snapshot(tmp_path):
    built = corpus.build_fact_db(tmp_path / "f.db", 200)
    db = open_db(built.path)
    index = FactIndex(db)
    gazetteer = index.gazetteer()
    assert index.gazetteer() is gazetteer
    assert gazetteer.exact(corpus.entity_name(3)) == corpus.entity_name(3)
    db.execute("INSERT INTO entities (id, name, added_at) VALUES (999, 'Newco', '2025-01-01T00:00:00Z')")
    db.execute("INSERT INTO aliases (entity_id, alias, norm) VALUES (999, 'Newco', 'newco')")
    db.conn.commit()
    assert index.gazetteer() is not gazetteer and index.gazetteer().exact("Newco") == "Newco"


def test_facts_with_metric_can_keep_one_period(tmp_path):
    built = corpus.build_fact_db(tmp_path / "f.db", 300)
    index = FactIndex(open_db(built.path))
    every = index.facts_with_metric("revenue")
    q4 = index.facts_with_metric("revenue", period_start=date(2024, 10, 1), period_end=date(2024, 12, 31))
    assert {f.period for f in every} == {"2023", "2024", "2024 Q4"}
    assert q4 and {f.period for f in q4} == {"2024 Q4"}
    assert q4 == [f for f in every if f.period == "2024 Q4"]
