"""The review queue API (sources.review): what is queued, decisions and
their audit, reader disputes with their rate limit, and sources moderators
add. Real SQLite files in tmp_path throughout."""
from __future__ import annotations

import copy
import json
import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest

from sources import review
from sources.db import applied_versions, open_db
from sources.store import get_fact, show_fact

T0 = datetime(2025, 4, 14, 9, 0, tzinfo=timezone.utc)
ARTICLE_URL = "https://news.example/harbour-line-record"


def claim(**overrides) -> dict:
    """A claim as `factbot check --json` prints it (the fixture article's wrong figure)."""
    base = {
        "sentence": "Harbour Line carried 12.4 million passengers in 2024, the ferry operator said on Friday.",
        "quote": "12.4 million passengers", "subject": "Harbour Line", "metric": None, "kind": "quantity",
        "value": 12400000, "unit": "passengers", "qualifier": "exact", "period": "2024",
        "verdict": "contradicted", "confidence": 0.88,
        "evidence": [{"entity": "Harbour Line", "metric": "passengers", "value": 11800000, "unit": "passengers",
                      "qualifier": "exact", "period": "2024", "source": "Harbour Line annual report 2024",
                      "url": "https://harbourline.example/annual-report-2024", "published": "2025-03-31",
                      "score": 0.875, "fact_id": 1}],
        "note": None, "reviewed": False,
    }
    base.update(overrides)
    return base


def supported(**overrides) -> dict:
    fields = {"sentence": "Its revenue rose 8% to 1.92 billion euros.", "quote": "1.92 billion euros",
              "metric": "revenue", "value": 1920000000, "unit": "EUR", "verdict": "supported",
              "confidence": 0.97, "evidence": []}
    return claim(**{**fields, **overrides})


def report(*claims: dict, input_name: str = ARTICLE_URL) -> dict:
    return {"input": input_name, "title": "Harbour Line ferries carry more passengers than ever",
            "published": "2025-04-14", "claims": list(claims), "summary": {}}


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "review.db")
    yield database
    database.close()


def count(db, sql: str, params=()) -> int:
    return db.execute(sql, list(params)).fetchone()[0]


# -- schema --------------------------------------------------------------------------

def test_migration_11_creates_the_review_tables(db):
    assert 11 in applied_versions(db)
    assert {"review_items", "review_audit", "review_disputes"} <= set(db.table_names())


def test_the_database_refuses_a_second_decision_row_for_one_item(db):
    [rid] = review.enqueue_from_result(db, report(claim()), now=T0)
    review.decide(db, rid, "contradicted", "alice", now=T0)
    with pytest.raises(sqlite3.IntegrityError):
        with db.atomic():
            db.execute("INSERT INTO review_audit (review_id, action, who, at) VALUES (?, 'decide', 'bob', 'x')", [rid])


# -- what is queued ------------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "reason"), [
    ({"verdict": "contradicted", "confidence": 0.95}, "contradicted"),
    ({"verdict": "contradicted", "confidence": 0.3}, "contradicted"),
    ({"verdict": "disputed", "confidence": 0.7}, "disputed"),
    ({"verdict": "supported", "confidence": 0.59}, "low_confidence"),
    ({"verdict": "supported", "confidence": 0.6}, None),
    ({"verdict": "supported", "confidence": 0.97}, None),
    ({"verdict": "unverified", "confidence": 0.3}, None),
    ({"verdict": "contradicted", "confidence": 0.95, "reviewed": True}, None),
])
def test_queue_reason(overrides, reason):
    found = review.queue_reason(claim(**overrides), 0.6)
    assert (found[0] if found else None) == reason


def test_why_names_the_source_and_the_right_value():
    reason, why = review.queue_reason(claim(confidence=0.4), 0.6)
    assert reason == "contradicted"
    assert "Harbour Line annual report 2024 gives 11.8 million passengers" in why
    assert "confidence 0.40" in why


def test_the_threshold_is_the_callers():
    assert review.queue_reason(supported(confidence=0.8), 0.9)[0] == "low_confidence"


def test_only_claims_that_need_a_moderator_are_queued(db):
    ids = review.enqueue_from_result(db, report(claim(), supported(), claim(verdict="unverified", evidence=[],
                                                                            quote="x", value=3)), now=T0)
    assert len(ids) == 1
    [item] = review.list_items(db)
    assert item["id"] == ids[0]
    assert item["reason"] == "contradicted"
    assert item["claim"] == claim()  # the claim as check --json printed it
    assert item["article"] == {"input": ARTICLE_URL, "url": ARTICLE_URL,
                               "title": "Harbour Line ferries carry more passengers than ever",
                               "published": "2025-04-14", "author": "news.example"}
    assert item["posted"] == {"guild_id": None, "channel_id": None, "message_id": None}
    assert item["status"] == "open" and item["decision"] is None and item["disputes"] == []


def test_a_recheck_queues_nothing_new(db):
    first = review.enqueue_from_result(db, report(claim()), now=T0)
    again = review.enqueue_from_result(db, report(claim(confidence=0.5)), now=T0 + timedelta(hours=1))
    assert first == again
    assert count(db, "SELECT count(*) FROM review_items") == 1


def test_one_article_by_relative_and_absolute_path(db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    a = review.enqueue_from_result(db, report(claim(), input_name="article.txt"))
    b = review.enqueue_from_result(db, report(claim(), input_name=str(tmp_path / "article.txt")))
    assert a == b


def test_the_same_claim_in_another_article_is_another_item(db):
    a = review.enqueue_from_result(db, report(claim()))
    b = review.enqueue_from_result(db, report(claim(), input_name="https://other.example/story"))
    assert a != b


def test_where_it_was_posted_is_filled_in_later_and_kept_exact(db):
    snowflake = 1234567890123456789  # beyond 2**53: JSON readers would round an integer
    [rid] = review.enqueue_from_result(db, report(claim()))
    review.enqueue_from_result(db, report(claim()), guild_id=snowflake, channel_id=42, message_id="77")
    review.enqueue_from_result(db, report(claim()), guild_id=1, channel_id=2, message_id=3)  # first one stays
    assert review.get_item(db, rid)["posted"] == {"guild_id": str(snowflake), "channel_id": "42", "message_id": "77"}


def test_a_malformed_claim_is_refused_before_anything_is_written(db):
    with pytest.raises(review.InvalidClaim, match="kind"):
        review.enqueue_from_result(db, report(claim(), claim(kind="opinion", quote="other")))
    assert count(db, "SELECT count(*) FROM review_items") == 0


# -- decisions -----------------------------------------------------------------------

def test_a_decision_is_recorded_and_audited(db):
    [rid] = review.enqueue_from_result(db, report(claim()), now=T0)
    decision = review.decide(db, rid, "supported", "alice", "  the operator restated the figure ", now=T0)
    assert decision == review.Decision(rid, "supported", "alice", "2025-04-14T09:00:00Z",
                                       "the operator restated the figure", "contradicted")
    assert review.list_items(db) == []
    [item] = review.list_items(db, status=None)
    assert item["decision"] == {"verdict": "supported", "by": "alice", "at": "2025-04-14T09:00:00Z",
                                "note": "the operator restated the figure"}
    [entry] = review.history(db)
    assert entry["action"] == "decide" and entry["who"] == "alice" and entry["at"] == "2025-04-14T09:00:00Z"
    assert entry["before"]["verdict"] == "contradicted" and entry["before"]["confidence"] == 0.88
    assert entry["after"] == {"status": "decided", "verdict": "supported"}
    assert entry["note"] == "the operator restated the figure"


def test_deciding_twice_says_who_decided_and_changes_nothing(db):
    [rid] = review.enqueue_from_result(db, report(claim()))
    review.decide(db, rid, "contradicted", "alice")
    before = review.get_item(db, rid)
    with pytest.raises(review.AlreadyDecided) as info:
        review.decide(db, rid, "supported", "bob", "no")
    assert (info.value.verdict, info.value.decided_by) == ("contradicted", "alice")
    assert "already decided" in str(info.value)
    assert review.get_item(db, rid) == before
    assert len(review.history(db)) == 1


def test_unknown_item_and_verdict(db):
    with pytest.raises(review.UnknownReview):
        review.decide(db, 404, "supported", "alice")
    [rid] = review.enqueue_from_result(db, report(claim()))
    with pytest.raises(review.InvalidVerdict):
        review.decide(db, rid, "false", "alice")
    with pytest.raises(review.ReviewError, match="moderator"):
        review.decide(db, rid, "supported", "  ")
    assert review.get_item(db, rid)["status"] == "open"
    assert review.history(db) == []


def test_moderators_racing_on_one_item_get_one_decision(tmp_path):
    path = tmp_path / "race.db"
    setup = open_db(path)
    [rid] = review.enqueue_from_result(setup, report(claim()))
    setup.close()
    moderators = [f"mod{i}" for i in range(8)]
    barrier = threading.Barrier(len(moderators))
    outcomes: dict[str, str] = {}

    def press(name: str) -> None:
        db = open_db(path)
        try:
            barrier.wait()
            review.decide(db, rid, "contradicted", name)
            outcomes[name] = "won"
        except review.AlreadyDecided:
            outcomes[name] = "told"
        finally:
            db.close()

    threads = [threading.Thread(target=press, args=(m,)) for m in moderators]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes.values()) == ["told"] * 7 + ["won"]
    db = open_db(path)
    [entry] = review.history(db)
    winner = next(m for m, o in outcomes.items() if o == "won")
    assert entry["who"] == winner == review.get_item(db, rid)["decision"]["by"]
    db.close()


def test_a_decision_inside_a_callers_transaction_is_the_callers(db):
    [rid] = review.enqueue_from_result(db, report(claim()))
    with pytest.raises(RuntimeError):
        with db.atomic():
            review.decide(db, rid, "supported", "alice")
            raise RuntimeError("caller fails after deciding")
    assert review.get_item(db, rid)["status"] == "open"
    assert review.history(db) == []


def test_history_of_one_item_and_the_newest_entries(db):
    a, b = (review.enqueue_from_result(db, report(claim(), input_name=f"https://n.example/{i}"))[0] for i in (1, 2))
    review.decide(db, a, "contradicted", "alice")
    review.decide(db, b, "supported", "bob")
    assert [e["review_id"] for e in review.history(db, b)] == [b]
    assert [e["who"] for e in review.history(db, limit=1)] == ["bob"]
    assert [e["who"] for e in review.history(db)] == ["alice", "bob"]
    with pytest.raises(review.UnknownReview):
        review.history(db, 99)


# -- reader disputes ------------------------------------------------------------------

def test_a_reader_dispute_queues_the_claim_with_the_reason(db):
    ok = supported(confidence=0.95)
    result = review.dispute(db, ok, "the annual report says 1.9 billion", "reader:17", input_name=ARTICLE_URL,
                            guild_id=1, channel_id=2, message_id=3, now=T0)
    assert result.created
    item = review.get_item(db, result.review_id)
    assert item["reason"] == "reader_dispute"
    assert "the annual report says 1.9 billion" in item["why"]
    assert item["posted"] == {"guild_id": "1", "channel_id": "2", "message_id": "3"}
    assert item["disputes"] == [{"by": "reader:17", "at": "2025-04-14T09:00:00Z",
                                 "reason": "the annual report says 1.9 billion"}]
    [entry] = review.history(db)
    assert (entry["action"], entry["who"], entry["before"]["verdict"]) == ("dispute", "reader:17", "supported")


def test_disputes_join_the_open_item_for_the_same_claim(db):
    [rid] = review.enqueue_from_result(db, report(claim()))
    first = review.dispute(db, claim(), "wrong", "r1", input_name=ARTICLE_URL)
    second = review.dispute(db, claim(), "also wrong", "r2", input_name=ARTICLE_URL)
    assert first == second == review.DisputeResult(rid, False)
    assert [d["by"] for d in review.get_item(db, rid)["disputes"]] == ["r1", "r2"]
    assert count(db, "SELECT count(*) FROM review_items") == 1


def test_a_dispute_after_a_decision_opens_a_new_round(db):
    [rid] = review.enqueue_from_result(db, report(claim()))
    review.decide(db, rid, "contradicted", "alice")
    again = review.dispute(db, claim(), "the operator corrected its report", "r1", input_name=ARTICLE_URL)
    assert again.created and again.review_id != rid
    assert f"reopens review #{rid}" in review.get_item(db, again.review_id)["why"]
    assert review.dispute(db, claim(), "yes", "r2", input_name=ARTICLE_URL).review_id == again.review_id
    review.decide(db, again.review_id, "supported", "bob")
    third = review.dispute(db, claim(), "still", "r3", input_name=ARTICLE_URL)
    assert third.created and third.review_id not in (rid, again.review_id)


def test_disputes_are_rate_limited_per_reader(db):
    for i in range(3):
        review.dispute(db, claim(quote=f"q{i}"), "wrong", "r1", input_name=ARTICLE_URL, limit=3,
                       now=T0 + timedelta(minutes=i))
    with pytest.raises(review.RateLimited) as info:
        review.dispute(db, claim(quote="q3"), "wrong", "r1", input_name=ARTICLE_URL, limit=3,
                       now=T0 + timedelta(minutes=10))
    assert info.value.retry_after == 50 * 60  # until the first of the three leaves the hour
    assert "try again in 50 minutes" in str(info.value)
    assert count(db, "SELECT count(*) FROM review_disputes") == 3
    review.dispute(db, claim(quote="q3"), "wrong", "r2", input_name=ARTICLE_URL, limit=3,
                   now=T0 + timedelta(minutes=10))  # another reader
    review.dispute(db, claim(quote="q3"), "wrong", "r1", input_name=ARTICLE_URL, limit=3,
                   now=T0 + timedelta(minutes=61))  # the window moved on
    for i in range(10):
        review.dispute(db, claim(quote="q4"), "wrong", "r1", input_name=ARTICLE_URL, limit=None,
                       now=T0 + timedelta(minutes=62))


def test_disputes_can_be_turned_off(db):
    with pytest.raises(review.RateLimited, match="turned off"):
        review.dispute(db, claim(), "wrong", "r1", input_name=ARTICLE_URL, limit=0)


def test_a_dispute_needs_a_claim_a_reason_and_a_reader(db):
    with pytest.raises(review.InvalidClaim):
        review.dispute(db, {"sentence": "x"}, "wrong", "r1")
    with pytest.raises(review.InvalidClaim):
        review.dispute(db, claim(value=float("nan")), "wrong", "r1")
    with pytest.raises(review.ReviewError, match="reason"):
        review.dispute(db, claim(), "   ", "r1")
    with pytest.raises(review.ReviewError, match="reader"):
        review.dispute(db, claim(), "wrong", "")
    assert count(db, "SELECT count(*) FROM review_items") == 0


def test_a_dispute_does_not_change_the_callers_claim(db):
    mine = claim()
    kept = copy.deepcopy(mine)
    review.dispute(db, mine, "wrong", "r1", input_name=ARTICLE_URL)
    assert mine == kept


# -- sources moderators add ------------------------------------------------------------

def test_an_added_source_becomes_a_fact_with_its_provenance(db):
    [rid] = review.enqueue_from_result(db, report(claim()))
    added = review.add_source(db, rid, 12400000, "passengers", None, "Harbour Line restated results",
                              "https://harbourline.example/restated", "alice", note="p. 2", now=T0)
    assert added.outcome == "added"
    fact = get_fact(db, added.fact_id)
    assert (fact["entity"], fact["metric"], fact["period"]) == ("Harbour Line", "passengers", "2024")
    assert (fact["value"], fact["unit"], fact["source"]) == (12400000, "passengers", "Harbour Line restated results")
    assert fact["url"] == "https://harbourline.example/restated"
    assert fact["added_by"] == "alice" and fact["added_at"] == "2025-04-14T09:00:00Z"
    assert fact["note"] == f"added in moderator review #{rid}: p. 2"
    [entry] = review.history(db)
    assert entry["action"] == "add_source" and entry["after"]["fact_id"] == added.fact_id
    assert review.get_item(db, rid)["status"] == "open"  # adding a source decides nothing


def test_a_changed_source_keeps_the_old_value_in_fact_history(db):
    [rid] = review.enqueue_from_result(db, report(claim()))
    first = review.add_source(db, rid, 12000000, "passengers", "2024", "Harbour Line", None, "alice")
    second = review.add_source(db, rid, 12400000, "passengers", "2024", "Harbour Line", None, "bob")
    assert (first.fact_id, second.outcome) == (second.fact_id, "updated")
    shown = show_fact(db, second.fact_id)
    assert [h["value"] for h in shown["history"]] == [12000000]
    assert shown["audit"][0]["who"] == "bob"


def test_a_bad_source_is_refused_and_nothing_is_written(db):
    [rid] = review.enqueue_from_result(db, report(claim()))
    with pytest.raises(review.InvalidSource, match="value"):
        review.add_source(db, rid, "12.4 million", "passengers", None, "S", None, "alice")
    with pytest.raises(review.InvalidSource, match="url"):
        review.add_source(db, rid, 1, "passengers", None, "S", "ftp://x", "alice")
    with pytest.raises(review.InvalidSource, match="metric"):
        review.add_source(db, review.dispute(db, supported(metric=None, evidence=[]), "x", "r",
                                             input_name=ARTICLE_URL).review_id, 1, "EUR", None, "S", None, "alice")
    with pytest.raises(review.UnknownReview):
        review.add_source(db, 999, 1, "passengers", None, "S", None, "alice")
    assert count(db, "SELECT count(*) FROM facts") == 0
    assert [e["action"] for e in review.history(db)] == ["dispute"]


def test_list_items_is_json_ready(db):
    review.enqueue_from_result(db, report(claim()), guild_id=10**18)
    assert json.loads(json.dumps(review.list_items(db, status=None))) == review.list_items(db, status=None)
