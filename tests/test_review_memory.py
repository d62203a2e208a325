"""Decisions feed back: the same claim checked again gets the moderators'
verdict, marked reviewed (sources.review.apply_reviews and friends)."""
from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.check import check_text
from sources import review
from sources.db import open_db
from sources.importer import import_file
from sources.lookup import FactIndex

FIXTURES = Path(__file__).parent / "fixtures" / "review"
ARTICLE = (FIXTURES / "article.txt").read_text(encoding="utf-8")
T0 = datetime(2025, 4, 14, 9, 0, tzinfo=timezone.utc)
WRONG = "12.4 million passengers"


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "facts.db")
    import_file(database, FIXTURES / "facts.csv")
    yield database
    database.close()


def check(db, text: str = ARTICLE):
    return check_text(text, FactIndex(db))


def checked_report(db, text: str = ARTICLE, name: str = "article.txt") -> dict:
    return review.reviewed_dict(review.apply_reviews(db, check(db, text)), name)


def by_quote(report: dict, quote: str) -> dict:
    return next(c for c in report["claims"] if c["quote"] == quote)


def queue_and_decide(db, verdict: str, by: str = "alice", note: str | None = "checked the annual report",
                     name: str = "article.txt", now: datetime = T0) -> int:
    report = checked_report(db, name=name)
    review.enqueue_from_result(db, report, name, now=now)
    rid = next(i["id"] for i in review.list_items(db) if i["claim"]["quote"] == WRONG)
    review.decide(db, rid, verdict, by, note, now=now)
    return rid


# -- "the same claim" ------------------------------------------------------------------

def key(**kw) -> review.ClaimKey:
    base = {"sentence": "Harbour Line carried 12.4 million passengers in 2024, the operator said.",
            "subject": "Harbour Line", "metric": None, "kind": "quantity", "value": 12400000,
            "unit": "passengers", "period": "2024"}
    base.update(kw)
    return review.ClaimKey.from_dict(base)


@pytest.mark.parametrize(("other", "same"), [
    ({}, True),
    ({"subject": "HARBOUR LINE Ltd."}, True),                       # normalised subject
    ({"subject": "Harbor Lines"}, False),
    ({"value": 12360000}, True),                                    # 12.4 million at its precision
    ({"value": 12300000}, False),
    ({"unit": "people"}, False),
    ({"kind": "change"}, False),
    ({"period": "2025"}, False),                                    # a figure right one year, wrong the next
    ({"period": None}, True),
    ({"sentence": "Harbour Line carried 12.4 million passengers in 2024, the ferry operator said on Friday."}, True),
    ({"sentence": "Passenger numbers hit 12.4 million at Harbour Line."}, False),
])
def test_same_claim(other, same):
    assert review.same_claim(key(), key(**other)) is same
    assert review.same_claim(key(**other), key()) is same


def test_a_different_sentence_with_the_same_metric_is_the_same_claim():
    a = key(metric="passengers carried")
    b = key(metric="Passengers carried", sentence="Passenger numbers hit 12.4 million at Harbour Line.")
    assert review.same_claim(a, b)
    assert not review.same_claim(a, key(metric="cars carried", sentence="Cars: 12.4 million at Harbour Line."))


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.floats(min_value=-1e12, max_value=1e12,
                                                                             allow_nan=False))
def test_same_claim_is_symmetric_and_reflexive(a, b):
    ka, kb = key(value=a), key(value=b)
    assert review.same_claim(ka, ka)
    assert review.same_claim(ka, kb) == review.same_claim(kb, ka)


# -- applying decisions -----------------------------------------------------------------

def test_an_undecided_claim_keeps_the_engines_verdict(db):
    report = checked_report(db)
    claim = by_quote(report, WRONG)
    assert claim["verdict"] == "contradicted" and claim["reviewed"] is False
    assert "reviewed_by" not in claim


def test_an_override_is_remembered(db):
    rid = queue_and_decide(db, "supported", note="the operator restated the figure")
    result = review.apply_reviews(db, check(db))
    report = review.reviewed_dict(result, "article.txt")
    claim = by_quote(report, WRONG)
    assert claim["verdict"] == "supported" and claim["confidence"] == 1.0
    assert claim["reviewed"] is True
    assert claim["reviewed_by"] == "alice"
    assert claim["review_note"] == "the operator restated the figure"
    assert claim["review_id"] == rid and claim["auto_verdict"] == "contradicted"
    assert claim["evidence"]  # the engine's evidence is still shown
    assert report["summary"] == {"supported": 3, "contradicted": 0, "unverified": 1, "disputed": 0}
    assert all(c["reviewed"] is False for c in report["claims"] if c["quote"] != WRONG)
    item = next(c for c in result.claims if c.claim.quote == WRONG)
    assert isinstance(item.verdict, review.ReviewedVerdict)
    assert "reviewed by alice" in item.verdict.note  # what the terminal report prints


def test_a_confirmation_is_remembered_too(db):
    queue_and_decide(db, "contradicted")
    claim = by_quote(checked_report(db), WRONG)
    assert (claim["verdict"], claim["reviewed"], claim["auto_verdict"]) == ("contradicted", True, "contradicted")


def test_the_decision_follows_the_claim_into_another_article(db):
    queue_and_decide(db, "supported")
    other = ("Ferry traffic booms\n\nPublished 2025-05-02\n\n"
             "Harbour Line carried 12.4 million passengers in 2024, the ferry operator said on Tuesday.\n")
    claim = by_quote(checked_report(db, other, "other.txt"), WRONG)
    assert (claim["verdict"], claim["reviewed"]) == ("supported", True)


def test_another_figure_is_not_the_same_claim(db):
    queue_and_decide(db, "supported")
    other = ("Ferry traffic booms\n\nPublished 2025-05-02\n\n"
             "Harbour Line carried 12.9 million passengers in 2024, the ferry operator said on Friday.\n")
    claim = next(c for c in checked_report(db, other, "other.txt")["claims"] if c["kind"] == "quantity")
    assert claim["reviewed"] is False


def test_the_newest_decision_wins(db):
    first = queue_and_decide(db, "supported")
    again = review.dispute(db, by_quote(checked_report(db), WRONG), "the annual report says 11.8 million", "r1",
                           input_name="article.txt", now=T0 + timedelta(hours=1))
    assert again.review_id != first
    assert by_quote(checked_report(db), WRONG)["verdict"] == "supported"  # until the new round is decided
    review.decide(db, again.review_id, "contradicted", "bob", now=T0 + timedelta(hours=2))
    claim = by_quote(checked_report(db), WRONG)
    assert (claim["verdict"], claim["reviewed_by"], claim["review_id"]) == ("contradicted", "bob", again.review_id)


def test_reviewed_claims_are_not_queued_again(db):
    rid = queue_and_decide(db, "contradicted")
    ids = review.enqueue_from_result(db, checked_report(db, name="copy-of-article.txt"), "copy-of-article.txt")
    assert rid not in ids
    assert review.list_items(db) == []


def test_the_json_path_gives_the_same_answer_and_leaves_its_input_alone(db):
    queue_and_decide(db, "supported")
    plain = review.reviewed_dict(check(db), "article.txt")  # as a cache would hold it: no decisions applied
    kept = copy.deepcopy(plain)
    applied = review.apply_reviews_to_dict(db, plain)
    assert plain == kept
    assert applied == checked_report(db)
    assert review.apply_reviews_to_dict(db, applied) == applied  # idempotent


def test_nothing_decided_changes_nothing(db):
    before = review.reviewed_dict(check(db), "article.txt")
    assert checked_report(db) == before
