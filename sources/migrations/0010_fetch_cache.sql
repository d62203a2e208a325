-- 0010: articles read from links (bot.intake), and check results.
-- Timestamps are UTC ISO 8601 ("2025-01-30T12:00:00Z"). IF NOT EXISTS
-- because bot.intake.cache also applies this file to a database the
-- migration runner has not upgraded yet.

-- One row per link: `url` is the normalised link as posted
-- (bot.intake.cache.normalise_url); `article` is the extracted Article as
-- JSON. Rows older than fetch.cache_ttl_seconds are ignored and pruned.
CREATE TABLE IF NOT EXISTS fetch_cache (
    url TEXT PRIMARY KEY,
    final_url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    article TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS fetch_cache_fetched_at ON fetch_cache(fetched_at);

-- A check result (JSON object) for an article's content hash
-- (Article.content_hash) under one engine version; a new engine version
-- simply misses the cache.
CREATE TABLE IF NOT EXISTS check_results (
    content_hash TEXT NOT NULL,
    engine_version TEXT NOT NULL,
    created_at TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (content_hash, engine_version)
);
