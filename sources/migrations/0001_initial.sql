-- 0001: entities, their aliases, facts, and the trail of replaced and removed facts.
-- Plain tables with readable names so `datasette factbot.db` or the
-- sqlite-utils CLI can browse them as they are. Timestamps are UTC ISO 8601
-- ("2025-01-30T12:00:00Z"); period_start / period_end are ISO dates or NULL.

CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL
);

-- Every name an entity is known by, the canonical name included; `norm` is
-- the lookup key (sources.normalize.norm_alias). Written variants with the
-- same norm ("Qwen2.5-Max", "Qwen 2.5-Max") are all kept, because the claim
-- extractor looks for names as written. A norm may belong to more than one
-- entity (an ambiguous ticker, say): lookup reports both.
CREATE TABLE aliases (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias TEXT NOT NULL,
    norm TEXT NOT NULL,
    UNIQUE (entity_id, alias COLLATE NOCASE)
);
CREATE INDEX aliases_norm ON aliases(norm);

-- value is in base units (18513000000 USD, not 18.51 billion).
-- Identity of a fact: entity, metric_norm, period_norm (period as written,
-- whitespace and case folded; '' when there is none) and source.
CREATE TABLE facts (
    id INTEGER PRIMARY KEY,
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    metric TEXT NOT NULL,
    metric_norm TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    qualifier TEXT NOT NULL DEFAULT 'exact'
        CHECK (qualifier IN ('exact', 'approx', 'over', 'under')),
    period TEXT,
    period_norm TEXT NOT NULL DEFAULT '',
    period_start TEXT,
    period_end TEXT,
    fiscal TEXT,
    region TEXT,
    source TEXT NOT NULL,
    url TEXT,
    published TEXT,
    note TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE UNIQUE INDEX facts_identity
    ON facts (entity_id, metric_norm, period_norm, source COLLATE NOCASE);
CREATE INDEX facts_lookup ON facts (entity_id, metric_norm, period_start, period_end);
-- The same metric across entities (peers' market shares, to derive a rank).
CREATE INDEX facts_metric ON facts (metric_norm, period_start, period_end);

-- Old versions of facts that a newer import replaced. No foreign key: the
-- history outlives the fact if it is removed later.
CREATE TABLE fact_history (
    id INTEGER PRIMARY KEY,
    fact_id INTEGER NOT NULL,
    entity_id INTEGER NOT NULL,
    entity TEXT NOT NULL,
    metric TEXT NOT NULL,
    metric_norm TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT NOT NULL,
    qualifier TEXT NOT NULL,
    period TEXT,
    period_norm TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    fiscal TEXT,
    region TEXT,
    source TEXT NOT NULL,
    url TEXT,
    published TEXT,
    note TEXT,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    replaced_by TEXT NOT NULL,
    why TEXT NOT NULL
);
CREATE INDEX fact_history_fact ON fact_history (fact_id);

-- Who changed or removed which fact, when, and what it was (the whole row as JSON).
CREATE TABLE fact_audit (
    id INTEGER PRIMARY KEY,
    fact_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('update', 'remove')),
    who TEXT NOT NULL,
    at TEXT NOT NULL,
    row_json TEXT NOT NULL,
    note TEXT
);
CREATE INDEX fact_audit_fact ON fact_audit (fact_id);
