"""Fuzz target 2: the source importer (`sources.importer.import_file`).

Inputs: generated CSV (header permutations, missing and extra columns, case
and spacing, five delimiters, every quoting style and broken quoting, three
line endings, short and long rows, cells with every number notation, unicode,
control characters, fields over csv's 128 kB limit), JSON Lines (facts with
values of every JSON type, broken lines, scalars, lists, long numbers),
ClaimReview JSON-LD (lists, single objects, @graph, nested graphs, odd types
for every field), all in a dozen encodings and then truncated, spliced with
random bytes or given NUL bytes; and random bytes.

Properties: the only exception is SourceImportError (ImportAborted included)
with a one-line, non-empty message; each import within CALL_BUDGET_S; no
partial writes (after a failed or --strict-refused import the database dump
is byte-for-byte what it was, including after a write the database refuses
half-way, injected by a trigger); a successful import is consistent (counts,
integrity, foreign keys, problem lines in the file, one-line reasons) and
re-importing it adds and updates nothing; numbers in every accepted notation
are stored exactly, and refused notations never are.
"""
from __future__ import annotations

import math
import re
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils
from hypothesis import given, note
from hypothesis import strategies as st

from sources.db import open_db
from sources.importer import ImportAborted, SourceImportError, import_file
from tests import fuzz_strategies as fz

pytestmark = pytest.mark.fuzz

SEED_CSV = """entity,metric,value,unit,source,period,aliases,qualifier
Northwind,revenue,3100000000,USD,Annual report,2024,NW|Northwind Traders,exact
Contoso,market share,19.9,%,Reuters,2024 Q3,,approx
Harbour Line,passengers,11800000,passengers,Annual report,2024,Harbour Line Ltd.,exact
Acme,net profit,2400000,USD,Company filing 2024,,Acme Corp.|ACME,exact
"""
TRIGGERS = f"""
CREATE TRIGGER fuzz_abort_insert BEFORE INSERT ON facts WHEN NEW.note = '{fz.FAIL_INJECT}'
BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
CREATE TRIGGER fuzz_abort_update BEFORE UPDATE ON facts WHEN NEW.note = '{fz.FAIL_INJECT}'
BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
CREATE TRIGGER fuzz_rollback_insert BEFORE INSERT ON facts WHEN NEW.note = '{fz.FAIL_ROLLBACK}'
BEGIN SELECT RAISE(ROLLBACK, 'injected rollback'); END;
"""




class Template:
    """A seeded database on disk, copied into memory for every example."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        seed = directory / "seed.csv"
        seed.write_text(SEED_CSV, encoding="utf-8")
        self.path = directory / "template.db"
        db = open_db(self.path)
        import_file(db, seed, added_by="seed")
        db.conn.executescript(TRIGGERS)
        db.conn.commit()
        self.conn = db.conn
        self.dump = "\n".join(db.conn.iterdump())

    def fresh(self) -> sqlite_utils.Database:
        memory = sqlite3.connect(":memory:")
        self.conn.backup(memory)
        memory.execute("PRAGMA foreign_keys = ON")
        return sqlite_utils.Database(memory)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Template:
    return Template(tmp_path_factory.mktemp("fuzz-import"))


def dump(db: sqlite_utils.Database) -> str:
    return "\n".join(db.conn.iterdump())


def count(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def physical_lines(data: bytes) -> int:
    text = data.decode("utf-8", "replace")
    return len(re.split(r"\r\n|\r|\n", text)) + 1


def _check_message(exc: BaseException) -> None:
    if not fz.one_line(str(exc)) and fz.known_bug(exc):
        return
    fz.assert_one_line(str(exc), f"{type(exc).__name__} message")


def _import(db, path, strict, before):
    """import_file with the time bound; None when it failed in an allowed way
    (the database then checked unchanged)."""
    try:
        with fz.within(what="import_file"):
            return import_file(db, path, strict=strict, added_by="fuzz")
    except SourceImportError as exc:  # ImportAborted included
        _check_message(exc)
        assert dump(db) == before, f"{type(exc).__name__} left a partial write"
        return None
    except Exception as exc:
        assert dump(db) == before, f"{type(exc).__name__} left a partial write"
        if fz.known_bug(exc):
            return None
        raise


@fz.fuzz_settings(ci=90, share=0.75)
@given(file=fz.source_file, strict=st.booleans())
def test_import_never_crashes_and_never_half_writes(template, file, strict):
    fz.tally("importer/files")
    name, data = file
    note(f"{name}: {len(data)} bytes, strict={strict}: {data[:2000]!r}")
    path = template.directory / name
    path.write_bytes(data)
    db = template.fresh()
    before = template.dump
    report = _import(db, path, strict, before)
    if report is None:
        return
    lines = physical_lines(data)
    assert report.skipped == len(report.problems)
    for line, reason in report.problems:
        assert 1 <= line <= lines, (line, lines, reason)
        if not fz.one_line(reason) and fz.known_bug(ValueError(reason)):
            continue
        fz.assert_one_line(reason, f"problem on line {line}")
    if not report.written:
        assert strict and report.problems
        assert (report.added, report.updated, report.unchanged) == (0, 0, 0)
        assert dump(db) == before, "--strict refused the file but wrote to the database"
        return
    assert report.rows == report.added + report.updated + report.unchanged + report.skipped
    assert not strict or not report.problems
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    table = "claim_reviews" if report.kind == "claimreview" else "facts"
    seeded = 0 if table == "claim_reviews" else SEED_CSV.count("\n") - 1
    assert count(db, table) == seeded + report.added
    if report.kind != "claimreview":
        assert count(db, "fact_history") == report.updated

    # Re-importing the same file changes nothing.
    after_first = dump(db)
    again = _import(db, path, strict, after_first)
    assert again is not None, "the second import of a file that imported failed"
    assert (again.added, again.updated) == (0, 0), f"re-import: {again.summary()}"
    assert again.problems == report.problems
    assert dump(db) == after_first


# -- numbers in every format -------------------------------------------------------

_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def accepted_value(text: str) -> float | None:
    """What README/CONTRACTS promise: a plain number in base units, thousands
    separators only in groups of three; anything else is a reported problem."""
    cleaned = " ".join(text.split()).replace("\u2212", "-")
    if _PLAIN.fullmatch(cleaned):
        number = float(cleaned)
    elif _GROUPED.fullmatch(cleaned):
        number = float(cleaned.replace(",", ""))
    else:
        return None
    return number if math.isfinite(number) else None


@st.composite
def written_number(draw) -> str:
    x = draw(st.floats(-1e15, 1e15, allow_nan=False))
    text = draw(st.sampled_from([
        repr(x), f"{x:e}", f"{x:E}", f"{x:.2f}", f"{x:,.2f}", f"{x:,.0f}", f"{x:g}", str(int(x)), f"{int(x):,}",
    ]))
    if draw(st.booleans()) and not text.startswith("-"):
        text = "+" + text
    if draw(st.booleans()):
        text = text.replace("-", "\u2212")
    return draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " "]))


@fz.fuzz_settings(ci=60, share=0.25)
@given(value=st.one_of(written_number(), fz.number_notation()), form=st.sampled_from(["csv", "jsonl"]),
       unit=st.sampled_from(["USD", "%", "units"]))
def test_values_in_every_notation_are_stored_exactly_or_refused(template, value, form, unit):
    fz.tally("importer/value notations")
    path = template.directory / f"value.{form}"
    if form == "csv":
        quoted = '"' + value.replace('"', '""') + '"'
        path.write_text(f"entity,metric,value,unit,source\nZeta,revenue,{quoted},{unit},Fuzz\n", encoding="utf-8")
    else:
        import json
        path.write_text(json.dumps({"entity": "Zeta", "metric": "revenue", "value": value, "unit": unit,
                                    "source": "Fuzz"}) + "\n", encoding="utf-8")
    db = template.fresh()
    with fz.within(what="import_file"):
        report = import_file(db, path, added_by="fuzz")
    expected = accepted_value(value)
    stored = [r[0] for r in db.execute("SELECT value FROM facts WHERE source = 'Fuzz'")]
    note(f"value={value!r} expected={expected!r} stored={stored!r} problems={report.problems!r}")
    if expected is None:
        assert stored == [] and report.skipped == 1
        fz.assert_one_line(report.problems[0][1])
    else:
        assert stored == [expected] and report.added == 1


# -- found by this target: fixed ones kept as regression tests, open ones as strict xfails ---------

FACT = '"entity": "Zeta", "metric": "revenue", "unit": "USD", "source": "Fuzz"'


def _import_must_not_crash(template, name: str, text: str) -> tuple[object, str]:
    """Import `text`; return (report or SourceImportError, dump). Any other
    exception fails the test."""
    path = template.directory / name
    path.write_text(text, encoding="utf-8")
    db = template.fresh()
    try:
        outcome: object = import_file(db, path)
    except SourceImportError as exc:
        outcome = exc
    return outcome, dump(db)


@pytest.mark.parametrize("name, text", [
    ("deep.json", "[" * 100_000),
    ("deep.jsonl", "{" + FACT + ', "value": 1}\n' + '{"a":' * 100_000 + "1" + "}" * 100_000 + "\n"),
], ids=["json", "jsonl"])
def test_deeply_nested_json_is_refused_or_skipped(template, name, text):
    outcome, after = _import_must_not_crash(template, name, text)
    assert isinstance(outcome, SourceImportError) or outcome.skipped >= 1


@pytest.mark.parametrize("name, text", [
    ("surrogate.jsonl", "{" + FACT.replace("Zeta", "Zeta\\ud800") + ', "value": 1}\n'),
    ("surrogate.jsonld", '{"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "x\\udc00"}'),
], ids=["jsonl", "claimreview"])
def test_lone_surrogate_in_json_is_a_row_problem(template, name, text):
    outcome, after = _import_must_not_crash(template, name, text)
    assert after == template.dump
    assert isinstance(outcome, SourceImportError) or outcome.skipped == 1


@pytest.mark.parametrize("digits", [400, 5000])
def test_huge_json_integer_is_a_row_problem(template, digits):
    outcome, after = _import_must_not_crash(template, "huge.jsonl", "{" + FACT + ', "value": ' + "9" * digits + "}\n")
    assert after == template.dump
    assert isinstance(outcome, SourceImportError) or outcome.skipped == 1


@pytest.mark.parametrize("data", [b"\xff\xfe", b"\xfe\xff"], ids=["utf-16-le", "utf-16-be"])
def test_utf16_bom_only_file_is_empty(template, data):
    path = template.directory / "bom.csv"
    path.write_bytes(data)
    with pytest.raises(SourceImportError, match="empty"):
        import_file(template.fresh(), path)


@pytest.mark.parametrize("period", ["0000", "0000 Q1", "H2 0000"])
def test_period_year_zero_is_stored_without_dates(template, period):
    text = f"entity,metric,value,unit,source,period\nZeta,revenue,1,USD,Fuzz,{period}\n"
    outcome, after = _import_must_not_crash(template, "year0.csv", text)
    assert not isinstance(outcome, SourceImportError)
    assert outcome.added + outcome.skipped == 1


@pytest.mark.parametrize("name, text", [
    ("header.csv", '"ent\nity",metric,value,unit,source\nZeta,revenue,1,USD,Fuzz\n'),
    ("qualifier.csv", 'entity,metric,value,unit,source,qualifier\nZeta,revenue,1,USD,Fuzz,"ex\nact"\n'),
    ("types.jsonld", '{"@context": "https://schema.org", "@type": "Thing\\nReview"}'),
], ids=["csv-header", "qualifier", "jsonld-type"])
def test_messages_stay_one_line_when_user_text_has_line_breaks(template, name, text):
    outcome, after = _import_must_not_crash(template, name, text)
    messages = [str(outcome)] if isinstance(outcome, SourceImportError) else [r for _, r in outcome.problems]
    assert messages
    for message in messages:
        fz.assert_one_line(message)


def test_claimreviews_sharing_an_identity_reimport_as_a_no_op(template):
    review = '{"@type": "ClaimReview", "claimReviewed": "Revenue rose 8% to 1.92 billion euros."'
    text = f'[{review}}}, {review}, "author": {{"@type": "Organization", "name": "factbot"}}}}]'
    path = template.directory / "twice.jsonld"
    path.write_text(text, encoding="utf-8")
    db = template.fresh()
    first = import_file(db, path)
    again = import_file(db, path)
    assert (again.added, again.updated) == (0, 0), (first.summary(), again.summary())


@pytest.mark.parametrize("depth", [600, 900])
def test_nested_json_value_passes_the_surrogate_check(template, depth):
    line = "{" + FACT + ', "value": ' + "[" * depth + "1" + "]" * depth + "}\n"
    outcome, after = _import_must_not_crash(template, "nested.jsonl", line)
    assert after == template.dump
    assert isinstance(outcome, SourceImportError) or outcome.skipped == 1


def test_alias_of_one_entity_does_not_capture_another(template):
    path = template.directory / "alias.csv"
    path.write_text("entity,metric,value,unit,source,aliases\nContoso,profit,3,USD,Reuters,Northwind\n"
                    "Northwind,profit,4,USD,Annual report,\n", encoding="utf-8")
    db = template.fresh()
    first = import_file(db, path)
    owner = db.execute("SELECT e.name FROM facts f JOIN entities e ON e.id = f.entity_id"
                       " WHERE f.metric = 'profit' AND f.value = 4").fetchall()
    again = import_file(db, path)
    assert owner == [("Northwind",)], owner
    assert (again.added, again.updated) == (0, 0), (first.summary(), again.summary())


def test_import_aborted_by_the_database_leaves_it_unchanged(template):
    """The injected-failure trigger works, and ImportAborted is one line."""
    path = template.directory / "abort.csv"
    path.write_text("entity,metric,value,unit,source,note\nZeta,revenue,1,USD,Fuzz,\n"
                    f"Zeta,profit,2,USD,Fuzz,\nZeta,margin,3,%,Fuzz,{fz.FAIL_ROLLBACK}\n", encoding="utf-8")
    db = template.fresh()
    with pytest.raises(ImportAborted) as caught:
        import_file(db, path)
    fz.assert_one_line(str(caught.value))
    assert "line 4" in str(caught.value)
    assert dump(db) == template.dump
