"""Exporting moderator decisions as schema.org ClaimReview JSON-LD, and
reading the export back through the ClaimReview importer."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from sources import review
from sources.claimreview import BEST_RATING, RATING_VALUES, WORST_RATING, export_claimreviews
from sources.db import open_db
from sources.importer import import_file, validate_claim_review

T0 = datetime(2025, 4, 15, 16, 30, tzinfo=timezone.utc)
URL = "https://www.news.example/harbour-line-record"


def claim(**overrides) -> dict:
    base = {"sentence": "Harbour Line carried 12.4 million passengers in 2024, the ferry operator said on Friday.",
            "quote": "12.4 million passengers", "subject": "Harbour Line", "metric": None, "kind": "quantity",
            "value": 12400000, "unit": "passengers", "qualifier": "exact", "period": "2024",
            "verdict": "contradicted", "confidence": 0.88, "evidence": []}
    base.update(overrides)
    return base


def report(*claims: dict, input_name: str = URL, published: str | None = "2025-04-14") -> dict:
    return {"input": input_name, "title": "Harbour Line ferries carry more passengers than ever",
            "published": published, "claims": list(claims)}


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "review.db")
    yield database
    database.close()


def decided(db, rep: dict, verdict: str, note: str | None = None, now: datetime = T0) -> list[int]:
    ids = review.enqueue_from_result(db, rep, now=now)
    for rid in ids:
        review.decide(db, rid, verdict, "alice", note, now=now)
    return ids


def test_a_decision_as_claimreview(db):
    decided(db, report(claim()), "contradicted", "the annual report gives 11.8 million")
    [cr] = export_claimreviews(db, newsroom="Harbour Herald Desk", newsroom_url="https://herald.example/")
    assert cr == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "Harbour Line carried 12.4 million passengers in 2024, the ferry operator said on Friday.",
        "reviewRating": {"@type": "Rating", "alternateName": "contradicted", "ratingValue": 1,
                         "bestRating": 4, "worstRating": 1,
                         "ratingExplanation": "the annual report gives 11.8 million"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Organization", "name": "news.example"},
                         "datePublished": "2025-04-14",
                         "appearance": {"@type": "CreativeWork", "url": URL,
                                        "headline": "Harbour Line ferries carry more passengers than ever"}},
        "author": {"@type": "Organization", "name": "Harbour Herald Desk", "url": "https://herald.example/"},
        "datePublished": "2025-04-15",
        "url": URL,
    }


def test_the_rating_scale_orders_the_verdicts():
    assert (WORST_RATING, BEST_RATING) == (1, 4)
    assert sorted(RATING_VALUES, key=RATING_VALUES.get) == ["contradicted", "disputed", "unverified", "supported"]


def test_open_items_are_not_published(db):
    review.enqueue_from_result(db, report(claim()))
    assert export_claimreviews(db) == []


def test_an_article_without_url_or_date_still_exports_validly(db):
    decided(db, report(claim(), input_name="drafts/harbour.txt", published=None), "supported")
    [cr] = export_claimreviews(db)
    assert "url" not in cr
    assert cr["itemReviewed"] == {"@type": "Claim"}
    assert cr["author"] == {"@type": "Organization", "name": "factbot"}
    validate_claim_review(cr)


def test_only_the_newest_decision_on_a_claim_is_published(db):
    [first] = decided(db, report(claim()), "contradicted")
    again = review.dispute(db, claim(), "restated", "r1", input_name=URL, now=T0)
    review.decide(db, again.review_id, "supported", "bob", now=T0 + timedelta(days=1))
    [cr] = export_claimreviews(db)
    assert cr["reviewRating"]["alternateName"] == "supported"
    assert cr["datePublished"] == "2025-04-16"


def test_claims_sharing_a_sentence_get_distinct_texts(db):
    sentence = "Its revenue rose 8% to 1.92 billion euros."
    decided(db, report(claim(sentence=sentence, quote="8%", kind="change", unit="%", value=8),
                       claim(sentence=sentence, quote="1.92 billion euros", unit="EUR", value=1.92e9)), "supported")
    texts = [cr["claimReviewed"] for cr in export_claimreviews(db)]
    assert sorted(texts) == [f"{sentence} [“1.92 billion euros”]", f"{sentence} [“8%”]"]


def test_the_export_reimports_cleanly(db, tmp_path):
    decided(db, report(claim()), "contradicted", "see the annual report")
    decided(db, report(claim(sentence="Its revenue rose 8% to 1.92 billion euros.", quote="8%", kind="change",
                             unit="%", value=8, verdict="supported", confidence=0.4)), "supported")
    decided(db, report(claim(), input_name="https://other.example/ferries", published="2025-04-20"), "disputed")
    decided(db, report(claim(quote="x"), input_name="local.txt", published=None), "unverified")
    exported = export_claimreviews(db, newsroom="Harbour Herald Desk")
    path = tmp_path / "claimreview.jsonld"
    path.write_text(json.dumps(exported, ensure_ascii=False, indent=1), encoding="utf-8")

    target = open_db(tmp_path / "other.db")
    result = import_file(target, path)
    assert (result.kind, result.added, result.skipped, result.problems) == ("claimreview", 4, 0, [])
    rows = {r["claim_reviewed"] + "|" + r["url"]: r for r in target["claim_reviews"].rows}
    for cr in exported:
        row = rows[cr["claimReviewed"] + "|" + cr.get("url", "")]
        assert row["rating"] == cr["reviewRating"]["alternateName"]
        assert row["rating_value"] == str(cr["reviewRating"]["ratingValue"])
        assert row["author"] == "Harbour Herald Desk"
        assert row["date_published"] == "2025-04-15"
        assert row["item_reviewed_date"] == cr["itemReviewed"].get("datePublished")
        assert row["item_reviewed_author"] == (cr["itemReviewed"].get("author") or {}).get("name")
    again = import_file(target, path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    # and into the database it came from
    assert import_file(db, path).added == 4
    target.close()
