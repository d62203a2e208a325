"""Moderator-reviewed verdicts as schema.org ClaimReview JSON-LD.

What a newsroom publishes so search engines and other fact-checkers can
pick up its reviews, and what `factbot sources import` reads back
(sources.importer): the export is written so that round trip is lossless
for everything the importer keeps.

Rating scale (`reviewRating.ratingValue`, worstRating 1, bestRating 4):
how far the reference facts back the claim.

    1 contradicted  the facts say otherwise
    2 disputed      the facts disagree among themselves
    3 unverified    no fact settles it
    4 supported     the facts agree with the claim

`alternateName` carries the verdict word itself, as in `check --json`.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from datetime import date, datetime
from typing import Any

import sqlite_utils

from sources.normalize import clean_text

log = logging.getLogger(__name__)

RATING_VALUES = {"contradicted": 1, "disputed": 2, "unverified": 3, "supported": 4}
WORST_RATING, BEST_RATING = 1, 4
DEFAULT_NEWSROOM = "factbot"


def _latest_decisions(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The newest decided item per claim of an article (a reader's dispute
    can reopen a claim, and only the last word should be published)."""
    sql = """
        SELECT id, claim_json, sentence, verdict, decided_at, note, article_url, article_title,
               article_published, article_author
        FROM review_items AS r
        WHERE status = 'decided'
          AND id = (SELECT max(id) FROM review_items WHERE base_key = r.base_key AND status = 'decided')
        ORDER BY decided_at, id
    """
    names = ("id", "claim_json", "sentence", "verdict", "decided_at", "note", "url", "title", "published",
             "author")
    return [dict(zip(names, row)) for row in db.execute(sql).fetchall()]


def _claim_texts(rows: list[dict[str, Any]]) -> list[str]:
    """`claimReviewed` for each row: the sentence, made unique per URL.

    The importer identifies a review by (url, claimReviewed), so two claims
    of one sentence ("revenue rose 8% to 1.92 billion") would overwrite
    each other on re-import; those get the figure as written appended.
    """
    texts = [clean_text(row["sentence"]) for row in rows]
    for step in ("quote", "id"):
        seen = Counter((row["url"] or "", text) for row, text in zip(rows, texts))
        if all(n == 1 for n in seen.values()):
            break
        for i, row in enumerate(rows):
            if seen[(row["url"] or "", texts[i])] > 1:
                if step == "quote":
                    quote = json.loads(row["claim_json"]).get("quote")
                    texts[i] = f"{texts[i]} [“{quote}”]" if quote else texts[i]
                else:
                    texts[i] = f"{texts[i]} [review {row['id']}]"
    return texts


def _http_url(url: str | None) -> str | None:
    return url if url and url.casefold().startswith(("http://", "https://")) and " " not in url else None


def _iso_date(text: str | None) -> str | None:
    """Dates pass through only when ISO 8601: a malformed one would make the
    whole review unreadable to importers (ours included)."""
    if not text:
        return None
    try:
        if len(text) == 10:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return text


def claim_review(row: dict[str, Any], claim_reviewed: str, newsroom: str, newsroom_url: str | None) -> dict[str, Any]:
    """One ClaimReview object for a decided review row."""
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": row["verdict"],
                              "ratingValue": RATING_VALUES[row["verdict"]],
                              "bestRating": BEST_RATING, "worstRating": WORST_RATING}
    if row.get("note"):
        rating["ratingExplanation"] = row["note"]
    url, published = _http_url(row.get("url")), _iso_date(row.get("published"))
    item: dict[str, Any] = {"@type": "Claim"}
    if row.get("author"):
        item["author"] = {"@type": "Organization", "name": row["author"]}
    if published:
        item["datePublished"] = published
    if url:
        appearance: dict[str, Any] = {"@type": "CreativeWork", "url": url}
        if row.get("title"):
            appearance["headline"] = row["title"]
        item["appearance"] = appearance
    author: dict[str, Any] = {"@type": "Organization", "name": newsroom}
    if newsroom_url:
        author["url"] = newsroom_url
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim_reviewed,
        "reviewRating": rating,
        "itemReviewed": item,
        "author": author,
        "datePublished": row["decided_at"][:10],
    }
    if url:
        review["url"] = url
    return review


def export_claimreviews(db: sqlite_utils.Database, *, newsroom: str = DEFAULT_NEWSROOM,
                        newsroom_url: str | None = None) -> list[dict[str, Any]]:
    """Every moderator decision (the newest per claim) as a ClaimReview, oldest first.

    Only decided items are exported: automatic verdicts are not the
    newsroom's word until a moderator has confirmed or overridden them.
    """
    rows = _latest_decisions(db)
    for row in rows:
        row["url"] = _http_url(row["url"])
    texts = _claim_texts(rows)
    reviews = [claim_review(row, text, newsroom or DEFAULT_NEWSROOM, newsroom_url or None)
               for row, text in zip(rows, texts)]
    log.info("exported %d ClaimReview(s)", len(reviews))
    return reviews


__all__ = ["BEST_RATING", "RATING_VALUES", "WORST_RATING", "claim_review", "export_claimreviews"]
