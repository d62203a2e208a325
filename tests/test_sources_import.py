"""Importing reference facts: what an editor sees when loading a file."""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from sources.db import open_db
from sources.importer import ImportAborted, SourceImportError, import_file
from sources.lookup import FactIndex

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
HEADER = "entity,metric,value,unit,qualifier,period,source,url,published"
GOOD = "Apple,Greater China net sales,18513000000,USD,exact,FY2025 Q1,Apple 8-K,https://www.apple.com/,2025-01-30"


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "facts.db")
    yield database
    database.close()


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


# -- basic CSV behaviour ------------------------------------------------------------

def test_csv_import_adds_every_row(db):
    report = import_file(db, FIXTURES / "facts.csv")
    assert (report.kind, report.added, report.updated, report.unchanged, report.skipped) == ("csv", 8, 0, 0, 0)
    assert report.summary() == "added 8, updated 0, unchanged 0, skipped 0"
    assert count(db, "facts") == 8
    row = db.execute("SELECT value, unit, period_start, period_end, fiscal FROM facts WHERE metric = ?",
                     ["Greater China net sales"]).fetchone()
    assert row == (18513000000.0, "USD", "2024-09-29", "2024-12-28", "FY2025 Q1")


def test_reimport_adds_nothing(db):
    import_file(db, FIXTURES / "facts.csv")
    again = import_file(db, FIXTURES / "facts.csv")
    assert (again.added, again.updated, again.unchanged, again.skipped) == (0, 0, 8, 0)
    assert count(db, "facts") == 8
    assert count(db, "fact_history") == 0
    assert count(db, "entities") == 6


def test_changed_value_updates_and_keeps_the_old_version(db, tmp_path):
    import_file(db, write(tmp_path, "v1.csv", f"{HEADER}\n{GOOD}\n"))
    fact_id = db.execute("SELECT id FROM facts").fetchone()[0]
    # Same identity (entity, metric, period, source), period written with other spacing/case.
    changed = "Apple,Greater China net sales,18510000000,USD,approx,fy2025  q1,Apple 8-K,https://www.apple.com/,2025-01-30"
    report = import_file(db, write(tmp_path, "v2.csv", f"{HEADER}\n{changed}\n"), added_by="editor")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 0)
    assert db.execute("SELECT id, value, qualifier FROM facts").fetchall() == [(fact_id, 18510000000.0, "approx")]
    history = db.execute("SELECT fact_id, value, qualifier, why, replaced_by FROM fact_history").fetchall()
    assert len(history) == 1
    assert history[0][:3] == (fact_id, 18513000000.0, "exact")
    assert "value 18513000000 -> 18510000000" in history[0][3]
    assert history[0][4] == "editor"
    audit = db.execute("SELECT action, who, row_json FROM fact_audit").fetchall()
    assert [(a, w) for a, w, _ in audit] == [("update", "editor")]
    assert json.loads(audit[0][2])["value"] == 18513000000.0


def test_ten_rows_with_three_bad_keeps_the_seven_good(db):
    report = import_file(db, FIXTURES / "ten-rows-three-bad.csv")
    assert [line for line, _ in report.problems] == [4, 7, 10]
    assert (report.added, report.skipped) == (7, 3)
    assert count(db, "facts") == 7
    reasons = dict(report.problems)
    assert "e.g. 14.1 with unit %" in reasons[4]
    assert "'bn' is a scale" in reasons[7]
    assert "missing required value(s): source" in reasons[10]
    assert not db.execute("SELECT 1 FROM facts f JOIN entities e ON e.id = f.entity_id WHERE e.name = 'Oppo'").fetchall()


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("source", "", "missing required value(s): source"),
    ("value", "", "missing required value(s): value"),
    ("value", "lots", "value 'lots' is not a number"),
    ("value", "18.51 billion", "write it in base units, e.g. 18510000000"),
    ("value", "$5", "e.g. 5 with unit USD"),
    ("value", "1.2bn", "e.g. 1200000000"),
    ("value", "17%", "e.g. 17 with unit %"),
    ("value", "HK$124.3", "e.g. 124.3 with unit HKD"),
    ("value", "1,5", "use '.' for decimals"),
    ("value", "nan", "not a number"),
    ("unit", "$", "ISO 4217"),
    ("unit", "bn", "is a scale, not a unit"),
    ("unit", "million", "is a scale, not a unit"),
    ("unit", "USDD", "not a known unit"),
    ("unit", "usd", "upper case (USD)"),
    ("unit", "42", "not a known unit"),
    ("unit", "ABC", "not an ISO 4217 currency code"),
    ("unit", "unit", "use 'units'"),
    ("qualifier", "roughly", "unknown qualifier 'roughly': use exact, approx, over or under"),
    ("published", "30/01/2025", "published '30/01/2025' is not a date: use YYYY-MM-DD"),
    ("published", "2025-02-30", "is not a date"),
    ("url", "ftp://example.com/x", "not an http(s) URL"),
    ("url", "www.apple.com", "not an http(s) URL"),
])
def test_each_bad_value_is_reported_with_its_reason(db, tmp_path, field, value, expected):
    columns = HEADER.split(",")
    good = dict(zip(columns, GOOD.split(",")))
    bad = {**good, field: value, "metric": "Greater China operating income"}
    text = HEADER + "\n" + GOOD + "\n" + ",".join(f'"{bad[c]}"' for c in columns) + "\n"
    report = import_file(db, write(tmp_path, "one-bad.csv", text))
    assert report.added == 1 and report.skipped == 1
    (line, reason), = report.problems
    assert line == 3
    assert expected in reason
    assert count(db, "facts") == 1


def test_several_problems_in_one_row_are_reported_together(db, tmp_path):
    text = f"{HEADER}\nApple,net sales,5 billion,dollars,maybe,2024,,,\n"
    report = import_file(db, write(tmp_path, "many.csv", text))
    (line, reason), = report.problems
    assert line == 2
    for part in ("missing required value(s): source", "e.g. 5000000000", "'dollars'", "unknown qualifier"):
        assert part in reason


@pytest.mark.parametrize("unit", ["units", "people", "vehicles", "barrels", "subscribers", "HKD", "TWD", "EUR",
                                  "%", "pp", "points", "rank"])
def test_accepted_units(db, tmp_path, unit):
    report = import_file(db, write(tmp_path, "u.csv", f"entity,metric,value,unit,source\nAcme,count,3,{unit},Registry\n"))
    assert report.added == 1, report.problems


def test_rank_must_be_a_whole_number_from_one(db, tmp_path):
    text = ("entity,metric,value,unit,source\nvivo,China smartphone market rank,1,rank,Canalys\n"
            "Apple,China smartphone market rank,2.5,rank,Canalys\nOppo,China smartphone market rank,0,rank,Canalys\n")
    report = import_file(db, write(tmp_path, "rank.csv", text))
    assert report.added == 1
    assert [line for line, _ in report.problems] == [3, 4]
    assert all("ranks are whole numbers from 1" in reason for _, reason in report.problems)


def test_thousands_separators_are_accepted_when_grouped_in_threes(db, tmp_path):
    text = 'entity,metric,value,unit,source\nApple,Greater China net sales,"18,513,000,000",USD,Apple 8-K\n'
    report = import_file(db, write(tmp_path, "t.csv", text))
    assert report.added == 1
    assert db.execute("SELECT value FROM facts").fetchone()[0] == 18513000000.0


def test_unquoted_thousands_separator_is_reported_as_extra_fields(db, tmp_path):
    text = "entity,metric,value,unit,source\nApple,Greater China net sales,18,513,000,000,USD,Apple 8-K\n"
    report = import_file(db, write(tmp_path, "t.csv", text))
    (line, reason), = report.problems
    assert line == 2 and "fields but the header has 5" in reason


# -- encodings and CSV dialect ---------------------------------------------------------

def test_latin1_file_is_decoded(db, tmp_path):
    text = ("entity,metric,value,unit,source,note\n"
            "Nestlé,chiffre d'affaires Suisse,1000,CHF,Société Générale,données élevées à Genève\n"
            "L'Oréal,ventes,5,EUR,Le Monde économie,prix très élevé\n")
    report = import_file(db, write(tmp_path, "latin1.csv", text, encoding="latin-1"))
    assert report.added == 2 and report.encoding != "utf-8"
    names = {r[0] for r in db.execute("SELECT name FROM entities")}
    assert names == {"Nestlé", "L'Oréal"}
    assert db.execute("SELECT source FROM facts WHERE unit = 'CHF'").fetchone()[0] == "Société Générale"


def test_cp1252_euro_sign_and_quotes_survive(db, tmp_path):
    text = ("entity,metric,value,unit,source,note\n"
            "Société Générale,net income,4200000000,EUR,Résultats annuels,“record” year – about €4.2 billion\n")
    report = import_file(db, write(tmp_path, "cp1252.csv", text, encoding="cp1252"))
    assert report.added == 1
    assert db.execute("SELECT note FROM facts").fetchone()[0] == "“record” year – about €4.2 billion"


def test_utf8_bom_is_not_part_of_the_first_column(db, tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + f"{HEADER}\n{GOOD}\n".encode())
    report = import_file(db, path)
    assert report.added == 1 and report.problems == []


def test_crlf_line_ends(db, tmp_path):
    report = import_file(db, write(tmp_path, "crlf.csv", f"{HEADER}\n{GOOD}\n", newline="\r\n"))
    assert report.added == 1
    assert db.execute("SELECT published, url FROM facts").fetchone() == ("2025-01-30", "https://www.apple.com/")


def test_quoted_commas_stay_inside_their_field(db):
    import_file(db, FIXTURES / "facts.csv")
    source, note = db.execute("SELECT source, note FROM facts WHERE unit = 'HKD'").fetchone()
    assert source == "Reuters, Hong Kong bureau"
    assert note == "closing price, not intraday"


def test_line_numbers_count_physical_lines_of_multiline_records(db):
    report = import_file(db, FIXTURES / "multiline.csv")
    assert report.problems and report.problems[0][0] == 4
    assert (report.added, report.skipped) == (2, 1)
    assert "second line" in db.execute("SELECT note FROM facts WHERE note IS NOT NULL").fetchone()[0]


def test_semicolon_separated_export(db, tmp_path):
    text = "entity;metric;value;unit;source\nApple;Greater China net sales;18513000000;USD;Apple 8-K\n"
    assert import_file(db, write(tmp_path, "semi.csv", text)).added == 1


def test_unknown_columns_are_ignored_and_reported(db, tmp_path):
    text = "entity,metric,value,unit,source,colour\nApple,net sales,1,USD,Apple 8-K,red\n"
    report = import_file(db, write(tmp_path, "extra.csv", text))
    assert report.added == 1 and report.ignored_columns == ["colour"]


# -- duplicates and entity merging --------------------------------------------------------

def test_duplicate_rows_in_one_file(db, tmp_path):
    conflicting = GOOD.replace("18513000000", "18000000000")
    report = import_file(db, write(tmp_path, "dup.csv", f"{HEADER}\n{GOOD}\n{GOOD}\n{conflicting}\n"))
    assert (report.added, report.unchanged, report.skipped) == (1, 1, 1)
    assert report.problems[0][0] == 4 and "conflicts with line 2" in report.problems[0][1]
    assert db.execute("SELECT value FROM facts").fetchall() == [(18513000000.0,)]


def test_entity_named_by_an_alias_is_the_same_entity(db, tmp_path):
    import_file(db, FIXTURES / "facts.csv")
    text = "entity,metric,value,unit,source,aliases\nApple Inc.,services revenue,26340000000,USD,Apple 8-K,Apple Computer\n"
    report = import_file(db, write(tmp_path, "alias.csv", text))
    assert report.added == 1
    assert count(db, "entities") == 6
    index = FactIndex(db)
    assert "services revenue" in {f.metric for f in index.facts_for("Apple")}
    assert "Apple Computer" in index.entity_names()["Apple"]


# -- unusable files ----------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"   \n\r\n", b"\xef\xbb\xbf\n"])
def test_empty_file(db, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    with pytest.raises(SourceImportError, match="empty"):
        import_file(db, path)


def test_missing_file(db, tmp_path):
    with pytest.raises(SourceImportError, match="no such file"):
        import_file(db, tmp_path / "nope.csv")


def test_binary_file_is_refused_quickly(db, tmp_path):
    path = tmp_path / "random.csv"
    path.write_bytes(os.urandom(5 * 1024 * 1024))
    started = time.perf_counter()
    with pytest.raises(SourceImportError, match="binary"):
        import_file(db, path)
    assert time.perf_counter() - started < 2.0
    assert count(db, "facts") == 0


def test_header_without_required_columns_names_them(db, tmp_path):
    with pytest.raises(SourceImportError, match=r"missing required column\(s\) value, unit"):
        import_file(db, write(tmp_path, "h.csv", "entity,metric,source\nApple,net sales,Apple 8-K\n"))


def test_header_only_file_adds_nothing(db, tmp_path):
    report = import_file(db, write(tmp_path, "h.csv", HEADER + "\n"))
    assert report.summary() == "added 0, updated 0, unchanged 0, skipped 0"


# -- JSON Lines and ClaimReview ---------------------------------------------------------------

def test_json_lines(db):
    report = import_file(db, FIXTURES / "facts.jsonl")
    assert report.kind == "jsonl"
    assert (report.added, report.skipped) == (3, 2)
    assert [line for line, _ in report.problems] == [5, 6]
    assert "not valid JSON" in report.problems[0][1]
    assert "e.g. 1790000 with unit" not in report.problems[1][1]
    assert "e.g. 1790000" in report.problems[1][1]
    assert set(FactIndex(db).entity_names()["Tesla"]) == {"Tesla", "Tesla Inc.", "TSLA"}
    assert import_file(db, FIXTURES / "facts.jsonl").added == 0


def test_claimreview_jsonld(db):
    report = import_file(db, FIXTURES / "claimreview.jsonld")
    assert (report.kind, report.added, report.skipped) == ("claimreview", 2, 0)
    rows = db.execute("SELECT claim_reviewed, rating, rating_value, item_reviewed_author, item_reviewed_date,"
                      " author, date_published, url FROM claim_reviews ORDER BY id").fetchall()
    assert rows[0] == ("Apple's sales in Greater China fell by more than 20% in the December quarter.", "False",
                       "1", "A. Blogger", "2025-02-01", "Example Fact Check Desk", "2025-02-03",
                       "https://factcheck.example.org/apple-china-sales")
    assert rows[1][3] == "Market Daily"
    assert count(db, "facts") == 0
    assert import_file(db, FIXTURES / "claimreview.jsonld").unchanged == 2


def test_claimreview_as_a_list_and_a_changed_rating(db, tmp_path):
    item = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "X rose 5%",
            "reviewRating": {"alternateName": "Mostly true"}, "url": "https://fc.example/x"}
    import_file(db, write(tmp_path, "list.json", json.dumps([item])))
    item["reviewRating"] = {"alternateName": "False"}
    report = import_file(db, write(tmp_path, "single.json", json.dumps(item)))
    assert report.updated == 1
    assert db.execute("SELECT rating FROM claim_reviews").fetchall() == [("False",)]


def test_claimreview_item_without_claim_is_skipped_with_its_line(db, tmp_path):
    doc = '[\n {"@type": "ClaimReview", "claimReviewed": "A"},\n {"@type": "ClaimReview", "url": "https://x.example/"}\n]'
    report = import_file(db, write(tmp_path, "cr.jsonld", doc))
    assert report.added == 1
    assert report.problems == [(3, "ClaimReview without claimReviewed")]


def test_jsonld_that_is_not_claimreview(db):
    with pytest.raises(SourceImportError, match="no ClaimReview.*NewsArticle"):
        import_file(db, FIXTURES / "not-claimreview.jsonld")


def test_broken_json_document(db, tmp_path):
    with pytest.raises(SourceImportError, match="not valid JSON"):
        import_file(db, write(tmp_path, "b.json", '{\n  "@type": "ClaimReview",\n  "claimReviewed": \n'))


# -- transactions and strict mode ---------------------------------------------------------------

def test_a_failed_write_rolls_back_the_whole_import(db, tmp_path):
    import_file(db, FIXTURES / "facts.csv")
    before = {t: count(db, t) for t in ("facts", "entities", "aliases", "fact_history", "fact_audit")}
    # A real database-level failure half-way through the file.
    db.execute("CREATE TRIGGER explode BEFORE INSERT ON facts WHEN new.metric = 'explode'"
               " BEGIN SELECT RAISE(ABORT, 'disk on fire'); END")
    text = (f"{HEADER}\n"
            "Apple,Greater China net sales,1,USD,exact,FY2025 Q1 (quarter ended 2024-12-28),Apple 8-K for Q1 FY2025,,\n"
            "Newco,revenue,5,USD,exact,2024,Newco report,,\n"
            "Newco,explode,5,USD,exact,2024,Newco report,,\n"
            "Other,revenue,6,USD,exact,2024,Other report,,\n")
    with pytest.raises(ImportAborted, match="line 4.*nothing from this file was imported"):
        import_file(db, write(tmp_path, "boom.csv", text))
    assert {t: count(db, t) for t in before} == before
    assert db.execute("SELECT value FROM facts WHERE metric = 'Greater China net sales'").fetchone()[0] == 18513000000.0
    assert not db.conn.in_transaction


def test_strict_writes_nothing_when_any_row_is_bad(db):
    report = import_file(db, FIXTURES / "ten-rows-three-bad.csv", strict=True)
    assert not report.written
    assert (report.added, report.skipped) == (0, 3)
    assert count(db, "facts") == 0 and count(db, "entities") == 0


def test_strict_imports_a_clean_file(db):
    report = import_file(db, FIXTURES / "facts.csv", strict=True)
    assert report.written and report.added == 8
