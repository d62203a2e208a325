-- 0003: claims other fact-checkers already reviewed (schema.org ClaimReview).
-- Identity of a review: its url and the claim text (one article may review
-- several claims); '' stands for a missing url so the unique index holds.

CREATE TABLE claim_reviews (
    id INTEGER PRIMARY KEY,
    claim_reviewed TEXT NOT NULL,
    rating TEXT,
    rating_value TEXT,
    item_reviewed_author TEXT,
    item_reviewed_date TEXT,
    author TEXT,
    date_published TEXT,
    url TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE UNIQUE INDEX claim_reviews_identity ON claim_reviews (url, claim_reviewed);
