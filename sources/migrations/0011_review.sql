-- 0011: the moderator review queue (sources.review).
-- Automatic verdicts are never final: contradicted, disputed and
-- low-confidence claims, and claims readers dispute, wait here for a
-- moderator. A decided item is also the memory that gives the same claim
-- the moderators' verdict next time. Timestamps are UTC ISO 8601
-- ("2025-01-30T12:00:00Z").

-- One row per claim of one article (and per review round: a reader who
-- disputes a decided claim opens a new item, `item_key` = base_key#round).
-- `claim_json` is the claim as `factbot check --json` printed it when it
-- was queued; subject_norm .. metric are copied out of it so the memory
-- lookup can use an index. Discord ids are text: snowflakes overflow the
-- integers JSON readers handle exactly.
CREATE TABLE review_items (
    id INTEGER PRIMARY KEY,
    item_key TEXT NOT NULL UNIQUE,
    base_key TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'decided')),
    reason TEXT NOT NULL
        CHECK (reason IN ('contradicted', 'disputed', 'low_confidence', 'reader_dispute')),
    why TEXT NOT NULL,
    claim_json TEXT NOT NULL,
    sentence TEXT NOT NULL,
    evidence_json TEXT NOT NULL DEFAULT '[]',
    subject TEXT,
    subject_norm TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    unit TEXT NOT NULL,
    value REAL NOT NULL,
    precision REAL,
    metric TEXT,
    period TEXT,
    auto_verdict TEXT NOT NULL,
    auto_confidence REAL,
    input_name TEXT NOT NULL,
    article_url TEXT,
    article_title TEXT,
    article_published TEXT,
    article_author TEXT,
    guild_id TEXT,
    channel_id TEXT,
    message_id TEXT,
    queued_by TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    verdict TEXT CHECK (verdict IS NULL OR verdict IN ('supported', 'contradicted', 'unverified', 'disputed')),
    decided_by TEXT,
    decided_at TEXT,
    note TEXT,
    -- an item is decided exactly when it has a verdict, a moderator and a time
    CHECK ((status = 'open' AND verdict IS NULL AND decided_by IS NULL AND decided_at IS NULL)
        OR (status = 'decided' AND verdict IS NOT NULL AND decided_by IS NOT NULL AND decided_at IS NOT NULL))
);
CREATE INDEX review_items_status ON review_items (status, id);
CREATE INDEX review_items_base ON review_items (base_key, id);
CREATE INDEX review_items_memory ON review_items (subject_norm, kind, unit, value) WHERE status = 'decided';

-- Everything moderators and readers did to an item: who, when, the state
-- before and after (JSON), and their note. At most one 'decide' row per
-- item, enforced here so no code path can record a decision twice.
CREATE TABLE review_audit (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES review_items(id),
    action TEXT NOT NULL CHECK (action IN ('decide', 'add_source', 'dispute')),
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    before TEXT,
    after TEXT,
    note TEXT
);
CREATE INDEX review_audit_item ON review_audit (review_id, id);
CREATE UNIQUE INDEX review_audit_one_decision ON review_audit (review_id) WHERE action = 'decide';

-- Reader disputes, kept apart from the audit so the per-user rate limit is
-- one indexed range count.
CREATE TABLE review_disputes (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES review_items(id),
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX review_disputes_who ON review_disputes (who, at);
CREATE INDEX review_disputes_item ON review_disputes (review_id);
